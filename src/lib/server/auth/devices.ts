/**
 * Enrolled devices. A coordinator or admin makes a one-time code for a place; the tablet that
 * enters it gets a credential (a random token, stored hashed) that every sync must carry. A
 * revoked device is told so and stops syncing; what it has not sent stays on it.
 */
import type { Kysely } from 'kysely';
import type { OfficeDatabase } from '../db/connection';
import type { Database } from '../db/schema';
import { formatCode, normalizeCode } from '../../domain/auth/codes';
import { audit } from './audit';
import { ok, problem, type Outcome } from './outcome';
import { LIMITS, countFailure, lockedUntil } from './rate-limit';
import { digest, matchesDigest, newCode, newToken } from './tokens';

export const ENROLMENT_CODE_HOURS = 24;

export async function createEnrolmentCode(
	office: OfficeDatabase,
	locationId: string,
	actor: { staffId: string },
	now = new Date()
): Promise<Outcome<{ code: string; expiresAt: string }>> {
	const place = await office.db
		.selectFrom('locations')
		.select('id')
		.where('id', '=', locationId)
		.where('archived_at', 'is', null)
		.executeTakeFirst();
	if (!place) return problem('office:locations.notFound', 'locationId');
	const code = newCode();
	const expiresAt = new Date(now.getTime() + ENROLMENT_CODE_HOURS * 3_600_000).toISOString();
	await office.db.transaction().execute(async (tx) => {
		await tx
			.insertInto('enrolment_codes')
			.values({
				code_hash: digest(code),
				location_id: locationId,
				created_by: actor.staffId,
				created_at: now.toISOString(),
				expires_at: expiresAt,
				used_at: null,
				used_by_device: null
			})
			.execute();
		await audit(tx, { action: 'device.code-create', staffId: actor.staffId, locationId });
	});
	return ok({ code: formatCode(code), expiresAt });
}

export interface Enrolled {
	credential: string;
	location: { id: string; name: string };
}

/**
 * A tablet enters a code. Wrong, expired and used codes get the same rate limit; the answer
 * says which it was (the person at the tablet needs to know whether to ask for a new one).
 */
export async function enrolDevice(
	office: OfficeDatabase,
	input: { code: string; deviceId: string; name: string; address: string },
	now = new Date()
): Promise<Outcome<Enrolled>> {
	const limitKey = `code:address:${input.address}`;
	if (await lockedUntil(office, limitKey, now)) return problem('device:enrol.locked', 'code');
	const code = normalizeCode(input.code);
	const failed = async (reason: string) => {
		await countFailure(office, limitKey, LIMITS.code, now);
		await audit(office.db, {
			action: 'device.enrol',
			outcome: 'denied',
			deviceId: input.deviceId,
			details: { reason }
		});
		return problem(`device:enrol.${reason}`, 'code');
	};
	if (!code) return failed('malformed');
	// A refusal is counted after the transaction: on SQLite the transaction holds the only
	// connection, so counting inside it would wait for itself.
	const result = await office.db
		.transaction()
		.execute(async (tx): Promise<Outcome<Enrolled> | string> => {
			const row = await tx
				.selectFrom('enrolment_codes')
				.innerJoin('locations', 'locations.id', 'enrolment_codes.location_id')
				.select([
					'enrolment_codes.code_hash',
					'enrolment_codes.location_id',
					'enrolment_codes.created_by',
					'enrolment_codes.expires_at',
					'enrolment_codes.used_at',
					'locations.name',
					'locations.archived_at'
				])
				.where('code_hash', '=', digest(code))
				.executeTakeFirst();
			if (!row || row.archived_at) return 'unknown';
			if (row.used_at) return 'used';
			if (new Date(row.expires_at) <= now) return 'expired';
			const existing = await tx
				.selectFrom('devices')
				.select(['credential_hash', 'revoked_at'])
				.where('id', '=', input.deviceId)
				.executeTakeFirst();
			// An enrolled device cannot be taken over by enrolling its id again.
			if (existing?.credential_hash && !existing.revoked_at) return 'already';
			// Only one of two tablets racing for one code gets it.
			const claimed = await tx
				.updateTable('enrolment_codes')
				.set({ used_at: now.toISOString(), used_by_device: input.deviceId })
				.where('code_hash', '=', row.code_hash)
				.where('used_at', 'is', null)
				.executeTakeFirst();
			if (Number(claimed.numUpdatedRows) !== 1) return 'used';
			const credential = newToken();
			await storeCredential(tx, input.deviceId, credential, now, {
				kind: 'location',
				location_id: row.location_id,
				name: input.name.trim().slice(0, 80) || null,
				enrolled_by: row.created_by
			});
			await audit(tx, {
				action: 'device.enrol',
				staffId: row.created_by,
				deviceId: input.deviceId,
				locationId: row.location_id
			});
			return ok({ credential, location: { id: row.location_id, name: row.name } });
		});
	return typeof result === 'string' ? failed(result) : result;
}

/**
 * Gives a device (known or not) a new credential: enrolment by code, or a learner card on a
 * device no office knew. A revoked device that comes back is no longer revoked.
 */
export async function storeCredential(
	db: Kysely<Database>,
	deviceId: string,
	credential: string,
	now: Date,
	device: {
		kind: 'location' | 'personal';
		location_id: string | null;
		name?: string | null;
		enrolled_by: string | null;
	}
): Promise<void> {
	const stamp = now.toISOString();
	const fields = {
		...device,
		credential_hash: digest(credential),
		enrolled_at: stamp,
		revoked_at: null,
		revoked_by: null
	};
	await db
		.insertInto('devices')
		.values({
			id: deviceId,
			first_seen_at: stamp,
			last_seen_at: stamp,
			last_seq: 0,
			gaps: '[]',
			...fields
		})
		.onConflict((oc) => oc.column('id').doUpdateSet(fields))
		.execute();
}

export interface AuthenticatedDevice {
	id: string;
	kind: 'location' | 'personal';
	locationId: string | null;
}

export type DeviceCheck =
	| { ok: true; device: AuthenticatedDevice }
	| { ok: false; error: 'device-not-enrolled' | 'device-revoked' };

/** The device a request comes from, if its credential is right. */
export async function authenticateDevice(
	{ db }: OfficeDatabase,
	deviceId: string,
	credential: string | null
): Promise<DeviceCheck> {
	const row = await db
		.selectFrom('devices')
		.select(['id', 'kind', 'location_id', 'credential_hash', 'revoked_at'])
		.where('id', '=', deviceId)
		.executeTakeFirst();
	const matches = credential !== null && matchesDigest(credential, row?.credential_hash ?? null);
	if (!row || !matches || !row.kind) return { ok: false, error: 'device-not-enrolled' };
	if (row.revoked_at) return { ok: false, error: 'device-revoked' };
	return { ok: true, device: { id: row.id, kind: row.kind, locationId: row.location_id } };
}

export function bearer(request: Request): string | null {
	const header = request.headers.get('authorization');
	const match = header?.match(/^Bearer ([A-Za-z0-9_-]{20,100})$/);
	return match?.[1] ?? null;
}

export async function revokeDevice(
	office: OfficeDatabase,
	deviceId: string,
	actor: { staffId: string }
): Promise<Outcome> {
	const row = await office.db
		.selectFrom('devices')
		.select(['id', 'location_id', 'revoked_at'])
		.where('id', '=', deviceId)
		.executeTakeFirst();
	if (!row) return problem('office:devices.notFound');
	if (row.revoked_at) return ok(undefined);
	await office.db.transaction().execute(async (tx) => {
		await tx
			.updateTable('devices')
			.set({ revoked_at: new Date().toISOString(), revoked_by: actor.staffId })
			.where('id', '=', deviceId)
			.execute();
		await audit(tx, {
			action: 'device.revoke',
			staffId: actor.staffId,
			deviceId,
			target: deviceId,
			locationId: row.location_id
		});
	});
	return ok(undefined);
}

export interface DeviceListItem {
	id: string;
	kind: 'location' | 'personal';
	name: string | null;
	locationId: string | null;
	enrolledAt: string | null;
	lastSeenAt: string;
	revoked: boolean;
	outboxSize: number | null;
	outboxOldestAgeSeconds: number | null;
	gaps: number;
}

/** Enrolled devices in the given places (all places when `locationIds` is null). */
export async function listDevices(
	{ db }: OfficeDatabase,
	locationIds: readonly string[] | null
): Promise<DeviceListItem[]> {
	if (locationIds && locationIds.length === 0) return [];
	const rows = await db
		.selectFrom('devices')
		.selectAll()
		.where('kind', 'is not', null)
		.$if(locationIds !== null, (q) => q.where('location_id', 'in', locationIds!))
		.orderBy('last_seen_at', 'desc')
		.execute();
	return rows.map((r) => ({
		id: r.id,
		kind: r.kind!,
		name: r.name,
		locationId: r.location_id,
		enrolledAt: r.enrolled_at,
		lastSeenAt: r.last_seen_at,
		revoked: r.revoked_at !== null,
		outboxSize: r.outbox_size,
		outboxOldestAgeSeconds: r.outbox_oldest_age_s,
		gaps: (JSON.parse(r.gaps) as number[]).length
	}));
}
