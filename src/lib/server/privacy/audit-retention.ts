/**
 * How long the audit log is kept. Its entries name staff by id, e-mail addresses typed at
 * failed sign-ins, learners by id and devices, so they are personal data and need a period
 * (docs/data-protection.md, 3.6). The period is a setting in `server_meta`, like the
 * learners' retention, in the same calendar months: 24 by default; 0 keeps the log for ever,
 * for a city that decides it must. Entries past the period are deleted by the daily job, and
 * each deletion is recorded in the log it shortened, so the gap is never silent.
 */
import type { Kysely } from 'kysely';
import {
	isRetentionMonths,
	monthsBefore,
	parseRetentionMonths
} from '../../domain/privacy/retention';
import { audit } from '../auth/audit';
import { ok, problem, type Outcome } from '../auth/outcome';
import type { Database } from '../db/schema';

export const AUDIT_RETENTION_KEY = 'auditRetentionMonths';
export const DEFAULT_AUDIT_RETENTION_MONTHS = 24;

/**
 * Entries deleted per statement: a first run on years of entries deletes them a slice at a
 * time, so the database stays free for syncs and sign-ins in between.
 */
const BATCH = 5_000;

export async function auditRetentionMonths(db: Kysely<Database>): Promise<number> {
	const row = await db
		.selectFrom('server_meta')
		.select('value')
		.where('key', '=', AUDIT_RETENTION_KEY)
		.executeTakeFirst();
	return parseRetentionMonths(row?.value ?? '') ?? DEFAULT_AUDIT_RETENTION_MONTHS;
}

export async function setAuditRetentionMonths(
	db: Kysely<Database>,
	months: number,
	staffId: string
): Promise<Outcome> {
	if (!isRetentionMonths(months)) return problem('office:privacy.invalid', 'auditMonths');
	await db.transaction().execute(async (tx) => {
		await tx
			.insertInto('server_meta')
			.values({ key: AUDIT_RETENTION_KEY, value: String(months) })
			.onConflict((oc) => oc.column('key').doUpdateSet({ value: String(months) }))
			.execute();
		await audit(tx, { action: 'audit-retention.set', staffId, details: { months } });
	});
	return ok(undefined);
}

/**
 * Deletes the entries written before now minus the period (an entry exactly at that moment
 * stays) and records how many went. With the period at 0 nothing is deleted. Several instances
 * may run it at once: the later ones find nothing left and write nothing.
 */
export async function purgeAuditLog(db: Kysely<Database>, now = new Date()): Promise<number> {
	const months = await auditRetentionMonths(db);
	if (months === 0) return 0;
	const before = monthsBefore(now, months).toISOString();
	let removed = 0;
	for (;;) {
		const result = await db
			.deleteFrom('audit_log')
			.where('id', 'in', (eb) =>
				eb.selectFrom('audit_log').select('id').where('at', '<', before).limit(BATCH)
			)
			.executeTakeFirst();
		const count = Number(result.numDeletedRows);
		removed += count;
		if (count < BATCH) break;
	}
	if (removed > 0) await audit(db, { action: 'audit.purge', details: { removed, before } }, now);
	return removed;
}
