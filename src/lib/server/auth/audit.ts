/** The audit log: who did what, when, from which device, and whether it was allowed. */
import type { Kysely } from 'kysely';
import type { OfficeDatabase } from '../db/connection';
import type { AuditLogTable, Database } from '../db/schema';

export interface AuditEntry {
	action: string;
	outcome?: AuditLogTable['outcome'];
	staffId?: string | null;
	deviceId?: string | null;
	target?: string | null;
	locationId?: string | null;
	details?: Record<string, unknown>;
}

export async function audit(
	db: Kysely<Database>,
	entry: AuditEntry,
	now = new Date()
): Promise<void> {
	await db
		.insertInto('audit_log')
		.values({
			at: now.toISOString(),
			action: entry.action,
			outcome: entry.outcome ?? 'ok',
			staff_id: entry.staffId ?? null,
			device_id: entry.deviceId ?? null,
			target: entry.target ?? null,
			location_id: entry.locationId ?? null,
			details: JSON.stringify(entry.details ?? {})
		})
		.execute();
}

export interface AuditRow {
	id: number;
	at: string;
	action: string;
	outcome: string;
	staffName: string | null;
	deviceId: string | null;
	target: string | null;
	locationName: string | null;
	details: string;
}

export async function recentAudit(
	{ db }: OfficeDatabase,
	{ limit = 200, before }: { limit?: number; before?: number } = {}
): Promise<AuditRow[]> {
	const rows = await db
		.selectFrom('audit_log')
		.leftJoin('staff', 'staff.id', 'audit_log.staff_id')
		.leftJoin('locations', 'locations.id', 'audit_log.location_id')
		.select([
			'audit_log.id',
			'audit_log.at',
			'audit_log.action',
			'audit_log.outcome',
			'staff.display_name as staffName',
			'audit_log.device_id as deviceId',
			'audit_log.target',
			'locations.name as locationName',
			'audit_log.details'
		])
		.$if(before !== undefined, (q) => q.where('audit_log.id', '<', before!))
		.orderBy('audit_log.id', 'desc')
		.limit(limit)
		.execute();
	return rows.map((r) => ({ ...r, id: Number(r.id) }));
}
