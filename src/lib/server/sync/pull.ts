/**
 * Serves the changes a device may see after its cursor, in commit order, a page at a time.
 *
 * The cursor is a server sequence, never a time. On SQLite writes are serialised, so the
 * change log's sequence is commit order. On PostgreSQL a sequence value is taken before
 * commit, so a transaction can commit a lower number after a higher one was read; there the
 * log is read in (transaction id, sequence) order and only up to the oldest transaction still
 * running, so no change can appear behind a cursor that has passed it.
 */
import { sql, type Selectable, type SqlBool } from 'kysely';
import * as v from 'valibot';
import {
	PROTOCOL_VERSION,
	PullRequest,
	describeIssues,
	type Change,
	type ProgressPayload,
	type PullResponse
} from '../../sync/protocol';
import type { OfficeDatabase } from '../db/connection';
import type { ProgressEventsTable } from '../db/schema';
import { versionProblem } from './push';
import { currentEpoch } from '../db/epoch';
import { tabletIndex } from '../courses/tablet-index';
import { touchDevice } from './devices';
import { attendanceSnapshots, learnerSnapshots, sessionSnapshots } from './snapshots';
import { attendanceKey } from './sessions';
import { refuse, type Reply } from './reply';

const DEFAULT_PAGE = 200;

interface Position {
	xid: string;
	seq: number;
}

const START: Position = { xid: '0', seq: -1 };

function decodeCursor(
	cursor: string | null,
	dialect: OfficeDatabase['dialect'],
	epoch: string
): Position {
	const match = cursor && /^([0-9a-f-]{36}):(s|p)(\d+)(?:\.(\d+))?$/.exec(cursor);
	// No cursor, or one from before a restore: start again. Pulls are idempotent.
	if (!match || match[1] !== epoch) return START;
	const kind = match[2];
	// A cursor from the other kind of database also means "start again".
	if ((kind === 'p') !== (dialect === 'postgres')) return START;
	return kind === 'p'
		? { xid: match[3]!, seq: Number(match[4] ?? 0) }
		: { xid: '0', seq: Number(match[3]) };
}

function encodeCursor(
	position: Position,
	dialect: OfficeDatabase['dialect'],
	epoch: string
): string {
	const at = dialect === 'postgres' ? `p${position.xid}.${position.seq}` : `s${position.seq}`;
	return `${epoch}:${at}`;
}

export async function handlePull(
	office: OfficeDatabase,
	input: unknown,
	now = new Date()
): Promise<Reply<PullResponse>> {
	const parsed = v.safeParse(PullRequest, input);
	if (!parsed.success) return refuse(400, 'invalid-request', describeIssues(parsed.issues));
	const request = parsed.output;
	const tooOld = versionProblem(request.protocol);
	if (tooOld) return tooOld;

	const { db, dialect } = office;
	const device = await touchDevice(db, request.deviceId, now.toISOString());
	const place = device.kind === 'location' ? device.location_id : null;
	const epoch = await currentEpoch(office);
	const from = decodeCursor(request.cursor, dialect, epoch);
	const limit = request.limit ?? DEFAULT_PAGE;

	let query = db
		.selectFrom('change_log')
		.select(['seq', 'entity', 'entity_id', 'size'])
		.where((eb) => {
			// Learner rows: the device's own learners, and on a place's tablet the place's too.
			// Session and attendance rows name their place: only its tablets get them.
			const learnerRows = eb('location_id', 'is', null);
			const own = eb('learner_id', 'in', (q) =>
				q
					.selectFrom('device_learners')
					.select('learner_id')
					.where('device_id', '=', request.deviceId)
			);
			if (!place) return eb.and([learnerRows, own]);
			const ofPlace = eb('learner_id', 'in', (q) =>
				q.selectFrom('location_learners').select('learner_id').where('location_id', '=', place)
			);
			return eb.or([eb.and([learnerRows, eb.or([own, ofPlace])]), eb('location_id', '=', place)]);
		})
		.limit(limit + 1);
	if (dialect === 'postgres') {
		query = query
			.select(sql<string>`xid::text`.as('xid'))
			.where(sql<SqlBool>`(xid, seq) > (${from.xid}::xid8, ${from.seq})`)
			.where(sql<SqlBool>`xid < pg_snapshot_xmin(pg_current_snapshot())`)
			.orderBy(sql`xid`)
			.orderBy('seq');
	} else {
		query = query.where('seq', '>', from.seq).orderBy('seq');
	}
	const rows: LogRow[] = await query.execute();
	const history = await loadHistory(office, request.deviceId, place, request.history);
	const page = fillPage(rows, limit);
	const changes = await loadChanges(office, page);
	const last = page.at(-1);
	const cursor = last ? { xid: last.xid ?? '0', seq: Number(last.seq) } : from;
	const more = rows.length > page.length;
	return {
		status: 200,
		body: {
			protocol: PROTOCOL_VERSION,
			changes,
			cursor: encodeCursor(cursor, dialect, epoch),
			more,
			epoch,
			history,
			// Built once per pull, on its last page: the tablet reads it when the pull is done.
			...(more ? {} : { courses: (await tabletIndex(office)).digest })
		}
	};
}

interface LogRow {
	seq: number;
	entity: string;
	entity_id: string;
	size: number;
	xid?: string;
}

/**
 * The log rows of one page: about `limit` changes. A row may stand for a whole push's events
 * of one learner (up to 200); the page ends after the row that reaches the limit, and always
 * holds at least one row, so every pull moves on.
 */
function fillPage(rows: LogRow[], limit: number): LogRow[] {
	let changes = 0;
	let end = 0;
	while (end < rows.length && end < limit && (end === 0 || changes < limit)) {
		changes += Number(rows[end]!.size);
		end++;
	}
	return rows.slice(0, end);
}

async function loadChanges(
	{ db }: OfficeDatabase,
	rows: { entity: string; entity_id: string }[]
): Promise<Change[]> {
	const ids = (entity: string) => rows.filter((r) => r.entity === entity).map((r) => r.entity_id);
	const progressIds = ids('progress');
	const batchIds = ids('progress-batch');
	const sessionIds = ids('session');
	const attendanceKeys = ids('attendance');
	// A roster names learners: the tablet gets their profiles with it.
	const learnerIds = [
		...new Set([...ids('learner'), ...attendanceKeys.map((key) => key.split('/')[1]!)])
	];
	const [single, batched, learners, sessions, attendance] = await Promise.all([
		progressIds.length
			? db.selectFrom('progress_events').selectAll().where('id', 'in', progressIds).execute()
			: [],
		batchIds.length
			? db
					.selectFrom('progress_events')
					.selectAll()
					.where('batch_id', 'in', batchIds)
					.orderBy('hlc')
					.execute()
			: [],
		learnerIds.length ? learnerSnapshots(db, learnerIds) : [],
		sessionIds.length ? sessionSnapshots(db, sessionIds) : [],
		attendanceKeys.length ? attendanceSnapshots(db, attendanceKeys) : []
	]);
	const eventById = new Map(single.map((e) => [e.id, e]));
	const eventsOfBatch = new Map<string, typeof batched>();
	for (const e of batched) {
		const group = eventsOfBatch.get(e.batch_id!) ?? [];
		group.push(e);
		eventsOfBatch.set(e.batch_id!, group);
	}
	const learnerById = new Map(learners.map((l) => [l.id, l]));
	const sessionById = new Map(sessions.map((x) => [x.id, x]));
	const attendanceByKey = new Map(
		attendance.map((a) => [attendanceKey(a.sessionId, a.learnerId), a])
	);
	const changes: Change[] = [];
	const sent = new Set<string>();
	const addLearner = (id: string) => {
		const learner = learnerById.get(id);
		if (learner && once(sent, `learner:${id}`)) changes.push({ entity: 'learner', data: learner });
	};
	for (const row of rows) {
		if (row.entity === 'progress') {
			const e = eventById.get(row.entity_id);
			if (e) changes.push(progressChange(e));
		} else if (row.entity === 'progress-batch') {
			for (const e of eventsOfBatch.get(row.entity_id) ?? []) changes.push(progressChange(e));
		} else if (row.entity === 'learner') {
			addLearner(row.entity_id);
		} else if (row.entity === 'learner-erased') {
			if (once(sent, `erased:${row.entity_id}`)) {
				changes.push({ entity: 'learner-erased', data: { id: row.entity_id } });
			}
		} else if (row.entity === 'session') {
			// Sent once per page, in its latest form, like a learner.
			const session = sessionById.get(row.entity_id);
			if (session && once(sent, `session:${session.id}`)) {
				changes.push({ entity: 'session', data: session });
			}
		} else if (row.entity === 'attendance') {
			const record = attendanceByKey.get(row.entity_id);
			if (!record || !once(sent, `attendance:${row.entity_id}`)) continue;
			addLearner(record.learnerId);
			changes.push({ entity: 'attendance', data: record });
		}
	}
	return changes;
}

/** True the first time a key is seen: each record goes into a page once, in its latest form. */
function once(seen: Set<string>, key: string): boolean {
	if (seen.has(key)) return false;
	seen.add(key);
	return true;
}

function progressChange(e: Selectable<ProgressEventsTable>): Change {
	return {
		entity: 'progress',
		data: {
			id: e.id,
			learnerId: e.learner_id,
			courseId: e.course_id,
			courseVersion: e.course_version,
			lessonId: e.lesson_id,
			stepId: e.step_id,
			type: e.type as ProgressPayload['type'],
			...(e.attempts !== null ? { attempts: e.attempts } : {}),
			...(e.checkpoint !== null ? { checkpoint: e.checkpoint } : {}),
			hlc: e.hlc,
			deviceId: e.device_id
		}
	};
}

/**
 * Everything the office holds on learners a device newly works with: those linked to it and,
 * on a place's tablet, the place's learners.
 */
async function loadHistory(
	office: OfficeDatabase,
	deviceId: string,
	place: string | null,
	learnerIds: string[]
): Promise<PullResponse['history']> {
	if (learnerIds.length === 0) return { learnerIds: [], changes: [] };
	const linked = await office.db
		.selectFrom('device_learners')
		.select('learner_id')
		.where('device_id', '=', deviceId)
		.where('learner_id', 'in', learnerIds)
		.execute();
	const ofPlace = place
		? await office.db
				.selectFrom('location_learners')
				.select('learner_id')
				.where('location_id', '=', place)
				.where('learner_id', 'in', learnerIds)
				.execute()
		: [];
	const allowed = [...new Set([...linked, ...ofPlace].map((r) => r.learner_id))];
	if (allowed.length === 0) return { learnerIds: [], changes: [] };
	const [events, learners] = await Promise.all([
		office.db
			.selectFrom('progress_events')
			.select('id')
			.where('learner_id', 'in', allowed)
			.execute(),
		office.db.selectFrom('learners').select('id').where('id', 'in', allowed).execute()
	]);
	const rows = [
		...learners.map((l) => ({ entity: 'learner', entity_id: l.id })),
		...events.map((e) => ({ entity: 'progress', entity_id: e.id }))
	];
	return { learnerIds: allowed, changes: await loadChanges(office, rows) };
}
