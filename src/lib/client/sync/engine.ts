/**
 * One round of sync: send the outbox in batches, then pull what changed, page by page.
 * Only acknowledged mutations leave the outbox; a refused one stays, marked, and never
 * blocks the ones behind it. Nothing here ever deletes a learner's work.
 */
import {
	MAX_HISTORY_LEARNERS,
	MAX_PUSH_BATCH,
	MUTATION_SCHEMA_VERSION,
	PROTOCOL_VERSION
} from '../../sync/limits';
import type { PullResponse, PushResponse } from '../../sync/protocol';
import type { LernlotseDatabase } from '../db/database';
import type { Device } from '../db/device';
import { LAST_STAMP } from '../db/device';
import { applyPulledPage, CURSOR } from './apply-pull';
import { INDEX_HASH } from '../content/install-packs';
import { requeueEverything } from './requeue';
import type { JsonReply, Transport } from './transport';

export type SyncOutcome =
	'ok' | 'update-required' | 'refused' | 'device-revoked' | 'device-not-enrolled';

export interface SyncReport {
	outcome: SyncOutcome;
	accepted: number;
	duplicates: number;
	rejected: number;
	pulled: number;
	message?: string;
	/** The office's course index digest, when it differs from the one installed here. */
	newCourses?: string;
}

export class SyncRefused extends Error {
	constructor(
		readonly outcome: Exclude<SyncOutcome, 'ok'>,
		message: string
	) {
		super(message);
	}
}

function check(reply: JsonReply): void {
	if (reply.status === 200) return;
	const body = reply.body as { error?: string; message?: string } | null;
	if (reply.status === 426)
		throw new SyncRefused('update-required', body?.message ?? 'update required');
	if (body?.error === 'device-revoked' || body?.error === 'device-not-enrolled')
		throw new SyncRefused(body.error, body.message ?? body.error);
	if (reply.status >= 400 && reply.status < 500)
		throw new SyncRefused('refused', body?.message ?? `HTTP ${reply.status}`);
	throw new Error(body?.message ?? `HTTP ${reply.status}`);
}

export async function outboxHealth(db: LernlotseDatabase, now = Date.now()) {
	const size = await db.outbox.filter((r) => !r.rejected).count();
	const oldest = await db.outbox
		.orderBy('seq')
		.filter((r) => !r.rejected)
		.first();
	return {
		size,
		oldestAgeSeconds: oldest ? Math.max(0, (now - Date.parse(oldest.createdAt)) / 1000) : 0
	};
}

export const SERVER_EPOCH = 'serverEpoch';

export async function syncOnce(
	db: LernlotseDatabase,
	device: Device,
	send: Transport
): Promise<SyncReport> {
	const report: SyncReport = { outcome: 'ok', accepted: 0, duplicates: 0, rejected: 0, pulled: 0 };
	await push(db, device, send, report);
	const { epoch, courses } = await pull(db, device, send, report);
	const known = (await db.meta.get(SERVER_EPOCH))?.value;
	await db.meta.put({ key: SERVER_EPOCH, value: epoch });
	if (known !== undefined && known !== epoch) {
		// The office was restored from a backup: send again everything it may have lost.
		await requeueEverything(db, device);
		await push(db, device, send, report);
	}
	await db.meta.put({ key: LAST_STAMP, value: device.clock.tick() });
	if (courses && courses !== (await db.meta.get(INDEX_HASH))?.value) report.newCourses = courses;
	return report;
}

async function push(
	db: LernlotseDatabase,
	device: Device,
	send: Transport,
	report: SyncReport
): Promise<void> {
	let after = 0;
	for (let round = 0; round < 10_000; round++) {
		const rows = await db.outbox
			.where('seq')
			.above(after)
			.filter((r) => !r.rejected)
			.limit(MAX_PUSH_BATCH)
			.toArray();
		if (rows.length === 0) break;
		after = rows.at(-1)!.seq!;
		const reply = await send('/api/sync/push', {
			protocol: PROTOCOL_VERSION,
			deviceId: device.id,
			outbox: await outboxHealth(db),
			mutations: rows.map((r) => ({
				id: r.mutationId,
				deviceId: device.id,
				seq: r.seq,
				hlc: r.hlc,
				schemaVersion: MUTATION_SCHEMA_VERSION,
				kind: r.kind,
				payload: r.payload
			}))
		});
		check(reply);
		const body = reply.body as PushResponse;
		const bySeq = new Map(rows.map((r) => [r.mutationId, r.seq!]));
		const done: number[] = [];
		await db.transaction('rw', db.outbox, async () => {
			for (const fate of body.results) {
				const seq = bySeq.get(fate.id);
				if (seq === undefined) continue;
				if (fate.status === 'rejected') {
					report.rejected++;
					await db.outbox.update(seq, { rejected: fate.reason });
				} else {
					done.push(seq);
					if (fate.status === 'accepted') report.accepted++;
					else report.duplicates++;
				}
			}
			await db.outbox.bulkDelete(done);
		});
	}
}

/** Pulls every page; returns the office's epoch and course index digest. */
async function pull(
	db: LernlotseDatabase,
	device: Device,
	send: Transport,
	report: SyncReport
): Promise<{ epoch: string; courses: string | undefined }> {
	let cursor = ((await db.meta.get(CURSOR))?.value as string | undefined) ?? null;
	let epoch = '';
	let courses: string | undefined;
	for (let page = 0; page < 10_000; page++) {
		// Learners this device took on from elsewhere: ask once for their earlier history.
		const history =
			page === 0
				? (await db.learners.filter((l) => l.historyOn !== device.id).toArray())
						.slice(0, MAX_HISTORY_LEARNERS)
						.map((l) => l.id)
				: [];
		const reply = await send('/api/sync/pull', {
			protocol: PROTOCOL_VERSION,
			deviceId: device.id,
			cursor,
			history
		});
		check(reply);
		const body = reply.body as PullResponse;
		const pastOf = body.history && { deviceId: device.id, ...body.history };
		await applyPulledPage(db, body.changes, body.cursor, pastOf);
		// Every stamp seen moves the clock on, so an edit made after seeing it sorts after it.
		for (const change of [...(body.history?.changes ?? []), ...body.changes]) {
			const stamps: (string | undefined)[] =
				change.entity === 'progress'
					? [change.data.hlc]
					: change.entity === 'learner-erased'
						? []
						: Object.values(change.data.stamps);
			for (const stamp of stamps) if (stamp) device.clock.receive(stamp);
		}
		report.pulled += body.changes.length + (body.history?.changes.length ?? 0);
		cursor = body.cursor;
		epoch = body.epoch;
		courses = body.courses;
		if (!body.more) break;
	}
	return { epoch, courses };
}
