/**
 * Security data is deleted once it has done its job (server/privacy/security-data.ts), on a
 * real SQLite and a real PostgreSQL: lockouts and failure counters (with IP and e-mail
 * addresses in their keys) after their window and lock, staff sessions after they expired,
 * enrolment codes 30 days after they expired. What may still count or still be used stays.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createEnrolmentCode, enrolDevice } from '../../src/lib/server/auth/devices';
import { createLocation } from '../../src/lib/server/auth/locations';
import type { Outcome } from '../../src/lib/server/auth/outcome';
import { LIMITS, countFailure, lockedUntil } from '../../src/lib/server/auth/rate-limit';
import { createSession } from '../../src/lib/server/auth/sessions';
import { purgeSecurityData } from '../../src/lib/server/privacy/security-data';
import { DIALECTS, freshOffice, type TestOffice } from './support/databases';

function value<T>(outcome: Outcome<T>): T {
	if (!outcome.ok) throw new Error(`expected success, got ${JSON.stringify(outcome)}`);
	return outcome.value;
}

const at = (iso: string) => new Date(iso);
const MINUTE = 60_000;

describe.each(DIALECTS)('security data on %s', (dialect) => {
	const offices: TestOffice[] = [];
	afterAll(async () => {
		await Promise.all(offices.map((o) => o.dispose()));
	});

	it('deletes counters and lockouts that are over, keeps those that still count', async () => {
		const office = await freshOffice(dialect);
		offices.push(office);
		const start = at('2026-11-01T10:00:00Z');
		// One wrong password from one address, and a sprayer locked out from another.
		await countFailure(office, 'login:address:198.51.100.7', LIMITS.loginAddress, start);
		for (let i = 0; i < LIMITS.code.max; i++) {
			await countFailure(office, 'code:address:203.0.113.9', LIMITS.code, start);
		}
		expect(await lockedUntil(office, 'code:address:203.0.113.9', start)).not.toBeNull();

		// Ten minutes on, both still count: nothing goes.
		const soon = new Date(start.getTime() + 10 * MINUTE);
		expect((await purgeSecurityData(office.db, soon)).rateLimits).toBe(0);
		expect(await lockedUntil(office, 'code:address:203.0.113.9', soon)).not.toBeNull();

		// Twenty minutes on, the single failure's window is over; the lock still holds.
		const later = new Date(start.getTime() + 20 * MINUTE);
		expect((await purgeSecurityData(office.db, later)).rateLimits).toBe(1);
		expect(await lockedUntil(office, 'code:address:203.0.113.9', later)).not.toBeNull();

		// An hour on, the lock is over too and no address is left in the table.
		const hour = new Date(start.getTime() + 60 * MINUTE);
		expect((await purgeSecurityData(office.db, hour)).rateLimits).toBe(1);
		const left = await office.db.selectFrom('rate_limits').select('key').execute();
		expect(left).toEqual([]);
	});

	it('deletes staff sessions once expired, and only those', async () => {
		const office = await freshOffice(dialect);
		offices.push(office);
		await createSession(office, 'staff-old', null, at('2026-10-01T08:00:00Z'));
		const now = at('2026-11-01T08:00:00Z');
		await createSession(office, 'staff-new', null, now);
		expect((await purgeSecurityData(office.db, now)).staffSessions).toBe(1);
		const left = await office.db.selectFrom('staff_sessions').select('staff_id').execute();
		expect(left).toEqual([{ staff_id: 'staff-new' }]);
	});

	it('deletes enrolment codes 30 days after they expired, used or not', async () => {
		const office = await freshOffice(dialect);
		offices.push(office);
		const place = value(
			await createLocation(
				office,
				{ name: 'Stadtteilbibliothek', kind: 'library', address: '' },
				{ staffId: 'admin' }
			)
		);
		const october = at('2026-10-01T09:00:00Z');
		const used = value(await createEnrolmentCode(office, place.id, { staffId: 'admin' }, october));
		value(
			await enrolDevice(
				office,
				{ code: used.code, deviceId: 'tablet-1', name: 'Tablet 1', address: '192.0.2.1' },
				october
			)
		);
		value(await createEnrolmentCode(office, place.id, { staffId: 'admin' }, october));
		const recent = at('2026-10-25T09:00:00Z');
		const late = value(await createEnrolmentCode(office, place.id, { staffId: 'admin' }, recent));

		const now = at('2026-11-10T09:00:00Z');
		expect((await purgeSecurityData(office.db, now)).enrolmentCodes).toBe(2);
		const left = await office.db.selectFrom('enrolment_codes').select('expires_at').execute();
		expect(left).toEqual([{ expires_at: late.expiresAt }]);
		// The tablet enrolled with a deleted code stays enrolled.
		const device = await office.db
			.selectFrom('devices')
			.select('revoked_at')
			.where('id', '=', 'tablet-1')
			.executeTakeFirst();
		expect(device).toEqual({ revoked_at: null });
	});
});
