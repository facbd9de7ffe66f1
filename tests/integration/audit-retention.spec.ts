/**
 * The audit log's period (server/privacy/audit-retention.ts) on a real SQLite and a real
 * PostgreSQL: entries older than the period go, newer ones and one written at the very
 * moment of the cut-off stay, 0 keeps everything, the purge is itself recorded, a period
 * outside 0–120 is refused, and the months are counted as the learners' retention counts them.
 * Cut-offs are worked out by hand from the dates in each test.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { audit } from '../../src/lib/server/auth/audit';
import {
	AUDIT_RETENTION_KEY,
	DEFAULT_AUDIT_RETENTION_MONTHS,
	auditRetentionMonths,
	purgeAuditLog,
	setAuditRetentionMonths
} from '../../src/lib/server/privacy/audit-retention';
import {
	learnersPastRetention,
	retentionMonths,
	setRetentionMonths
} from '../../src/lib/server/privacy/erase';
import { DIALECTS, freshOffice, type TestOffice } from './support/databases';

const ADMIN = 'staff-admin';

const offices: TestOffice[] = [];
afterEach(async () => {
	for (const office of offices.splice(0)) await office.dispose();
});

async function open(dialect: (typeof DIALECTS)[number]): Promise<TestOffice> {
	const office = await freshOffice(dialect);
	offices.push(office);
	return office;
}

/** One entry per moment, written as the app writes them; its action says when it was. */
async function write(office: TestOffice, moments: string[]): Promise<void> {
	for (const at of moments) {
		await audit(office.db, { action: `test@${at}`, staffId: ADMIN }, new Date(at));
	}
}

async function entries(office: TestOffice) {
	const rows = await office.db
		.selectFrom('audit_log')
		.select(['at', 'action', 'outcome', 'staff_id', 'details'])
		.orderBy('id')
		.execute();
	return rows.map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }));
}

async function actions(office: TestOffice): Promise<string[]> {
	return (await entries(office)).map((e) => e.action);
}

describe.each(DIALECTS)('audit log retention on %s', (dialect) => {
	it('keeps 24 months by default: older entries go, newer ones and the exact cut-off stay', async () => {
		const office = await open(dialect);
		expect(await auditRetentionMonths(office.db)).toBe(DEFAULT_AUDIT_RETENTION_MONTHS);
		expect(DEFAULT_AUDIT_RETENTION_MONTHS).toBe(24);
		// Now: 15 November 2026, noon. 24 months earlier: 15 November 2024, noon.
		const now = new Date('2026-11-15T12:00:00.000Z');
		await write(office, [
			'2023-02-01T08:00:00.000Z',
			'2024-11-15T11:59:59.999Z',
			'2024-11-15T12:00:00.000Z',
			'2025-06-30T18:00:00.000Z',
			'2026-11-15T11:00:00.000Z'
		]);

		expect(await purgeAuditLog(office.db, now)).toBe(2);
		expect(await entries(office)).toEqual([
			expect.objectContaining({ action: 'test@2024-11-15T12:00:00.000Z' }),
			expect.objectContaining({ action: 'test@2025-06-30T18:00:00.000Z' }),
			expect.objectContaining({ action: 'test@2026-11-15T11:00:00.000Z' }),
			{
				at: '2026-11-15T12:00:00.000Z',
				action: 'audit.purge',
				outcome: 'ok',
				staff_id: null,
				details: { removed: 2, before: '2024-11-15T12:00:00.000Z' }
			}
		]);
	});

	it('counts calendar months as the learners’ retention does, also past the end of a month', async () => {
		const office = await open(dialect);
		value(await setAuditRetentionMonths(office.db, 12, ADMIN));
		await setRetentionMonths(office.db, 12, ADMIN);
		// Both settings were recorded by the wall clock: start from an empty log.
		await office.db.deleteFrom('audit_log').execute();
		// 29 February 2028 minus 12 months is "29 February 2027", which runs on to 1 March 2027.
		// A period clamped to the month's end would cut at 28 February and keep the first entry.
		const now = new Date('2028-02-29T12:00:00.000Z');
		const justBefore = '2027-03-01T11:59:59.999Z';
		const cutOff = '2027-03-01T12:00:00.000Z';
		await write(office, ['2027-02-28T12:00:00.000Z', justBefore, cutOff]);
		// Two learners whose last activity is at the same two moments.
		for (const [id, at] of [
			['learner-before', justBefore],
			['learner-at', cutOff]
		] as const) {
			await office.db
				.insertInto('learners')
				.values({
					id,
					name: id,
					name_hlc: '',
					avatar: 'sun',
					avatar_hlc: '',
					lang: 'de',
					lang_hlc: '',
					created_at: at,
					updated_at: at,
					home_location_id: null,
					consent: '',
					consent_hlc: '',
					age_group: '',
					age_group_hlc: '',
					target_group: '',
					target_group_hlc: '',
					erased_at: null
				})
				.execute();
		}

		expect(await purgeAuditLog(office.db, now)).toBe(2);
		expect(await actions(office)).toEqual([`test@${cutOff}`, 'audit.purge']);
		expect((await entries(office)).at(-1)!.details).toEqual({ removed: 2, before: cutOff });
		// The same moment is past the learners' period, and the same moment is not.
		expect(await learnersPastRetention(office.db, 12, now)).toEqual(['learner-before']);
	});

	it('keeps everything when the period is 0, and says nothing', async () => {
		const office = await open(dialect);
		value(await setAuditRetentionMonths(office.db, 0, ADMIN));
		expect(await auditRetentionMonths(office.db)).toBe(0);
		await write(office, ['2001-01-01T00:00:00.000Z', '2015-07-01T00:00:00.000Z']);
		expect(await purgeAuditLog(office.db, new Date('2026-11-15T12:00:00.000Z'))).toBe(0);
		expect(await actions(office)).toEqual([
			'audit-retention.set',
			'test@2001-01-01T00:00:00.000Z',
			'test@2015-07-01T00:00:00.000Z'
		]);
	});

	it('records the setting and each purge once; a second run finds nothing and writes nothing', async () => {
		const office = await open(dialect);
		value(await setAuditRetentionMonths(office.db, 6, ADMIN));
		expect(await auditRetentionMonths(office.db)).toBe(6);
		expect((await entries(office))[0]).toMatchObject({
			action: 'audit-retention.set',
			outcome: 'ok',
			staff_id: ADMIN,
			details: { months: 6 }
		});
		// 6 months before 20 October 2026: 20 April 2026. The setting itself was written today
		// (by the wall clock), so it stays.
		await write(office, ['2026-01-10T09:00:00.000Z', '2026-04-19T23:00:00.000Z']);
		const now = new Date('2026-10-20T12:00:00.000Z');
		expect(await purgeAuditLog(office.db, now)).toBe(2);
		expect(await purgeAuditLog(office.db, now)).toBe(0);
		expect((await actions(office)).filter((a) => a === 'audit.purge')).toEqual(['audit.purge']);
		// The learners' period is a setting of its own.
		expect(await retentionMonths(office.db)).toBe(24);
	});

	it('refuses a period outside 0–120 or not whole, changing and recording nothing', async () => {
		const office = await open(dialect);
		value(await setAuditRetentionMonths(office.db, 36, ADMIN));
		for (const months of [-1, 121, 2.5, Number.NaN, Number.POSITIVE_INFINITY]) {
			expect(await setAuditRetentionMonths(office.db, months, ADMIN), String(months)).toEqual({
				ok: false,
				problem: 'office:privacy.invalid',
				field: 'auditMonths',
				values: undefined
			});
		}
		expect(await auditRetentionMonths(office.db)).toBe(36);
		expect(await actions(office)).toEqual(['audit-retention.set']);
		// Whatever else stands in the database (a hand edit) reads as the default.
		for (const stored of ['', 'abc', '500', '-3']) {
			await office.db
				.updateTable('server_meta')
				.set({ value: stored })
				.where('key', '=', AUDIT_RETENTION_KEY)
				.execute();
			expect(await auditRetentionMonths(office.db), stored).toBe(DEFAULT_AUDIT_RETENTION_MONTHS);
		}
	});

	it('deletes years of entries a slice at a time, all of them', async () => {
		const office = await open(dialect);
		const old = Array.from({ length: 10_000 }, (_, i) => ({
			at: new Date(Date.UTC(2020, 0, 1) + i * 60_000).toISOString(),
			action: 'test.old',
			outcome: 'ok' as const,
			details: '{}'
		}));
		for (let i = 0; i < old.length; i += 1_000) {
			await office.db
				.insertInto('audit_log')
				.values(old.slice(i, i + 1_000))
				.execute();
		}
		await write(office, ['2026-01-01T00:00:00.000Z']);
		expect(await purgeAuditLog(office.db, new Date('2026-11-15T12:00:00.000Z'))).toBe(10_000);
		expect(await actions(office)).toEqual(['test@2026-01-01T00:00:00.000Z', 'audit.purge']);
	});
});

function value<T>(outcome: { ok: true; value: T } | { ok: false; problem: string }): T {
	if (!outcome.ok) throw new Error(`expected success, got ${outcome.problem}`);
	return outcome.value;
}
