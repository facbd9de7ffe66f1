/**
 * The demo city on a real SQLite and a real PostgreSQL: the documented figures, rows that hang
 * together (every mark's session and learner, every session's volunteers at its place, steps
 * in the lessons' order), the same city from the same seed, and never a second city on top.
 */
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseHlc } from '../src/lib/domain/hlc';
import { handlePull } from '../src/lib/server/sync/pull';
import { PROTOCOL_VERSION, type Change } from '../src/lib/sync/protocol';
import { buildReport } from '../src/lib/server/reports/figures';
import { DIALECTS, freshOffice, type TestOffice } from '../tests/integration/support/databases';
import { DEMO_PASSWORD, DemoRefused, fillDemoCity, run, type DemoSummary } from './demo';
import { demoCourses } from './demo/courses';
import { localDate, localMs } from './demo/simulate';

// Real argon2id with light parameters: the demo makes ten accounts per run, and these tests are
// about the city, not passwords (accounts.spec.ts does the same).
vi.mock('argon2', async (importOriginal) => {
	const real = (await importOriginal<{ default: typeof import('argon2') }>()).default;
	const light: typeof real = {
		...real,
		hash: ((password: string, options?: object) =>
			real.hash(password, { ...options, memoryCost: 1024, timeCost: 1 })) as typeof real.hash
	};
	return { ...light, default: light };
});

/** A fixed "now" (local time), so both runs make the same city. */
const NOW = new Date(2026, 4, 20, 12, 30);
const SEED = 'spec';
const TODAY = localDate(NOW);

class Collected extends Writable {
	text = '';
	override _write(chunk: Buffer, _encoding: string, done: () => void) {
		this.text += chunk.toString();
		done();
	}
}

/** The attendance rows as a digest: who was marked how, with staff named by e-mail. */
async function attendanceChecksum(office: TestOffice): Promise<string> {
	const rows = await office.db
		.selectFrom('attendance')
		.innerJoin('staff', 'staff.id', 'attendance.updated_by')
		.select([
			'session_id',
			'learner_id',
			'roster',
			'status',
			'note',
			'help_seen',
			'stamps',
			'attendance.updated_at',
			'staff.email'
		])
		.orderBy('session_id')
		.orderBy('learner_id')
		.execute();
	return createHash('sha256').update(JSON.stringify(rows)).digest('hex');
}

async function tableCounts(office: TestOffice) {
	const count = async (
		table: 'learners' | 'training_sessions' | 'attendance' | 'progress_events'
	) =>
		Number(
			(
				await office.db
					.selectFrom(table)
					.select((eb) => eb.fn.countAll<number>().as('n'))
					.executeTakeFirstOrThrow()
			).n
		);
	return {
		learners: await count('learners'),
		sessions: await count('training_sessions'),
		attendance: await count('attendance'),
		events: await count('progress_events')
	};
}

/** Everything the summary says but the time it took. */
const figures = (s: DemoSummary) => ({ ...s, ms: 0 });

describe.each(DIALECTS)('the demo city on %s', (dialect) => {
	let office: TestOffice;
	let summary: DemoSummary;

	beforeAll(async () => {
		office = await freshOffice(dialect);
		summary = await fillDemoCity(office, { now: NOW, seed: SEED });
	}, 60_000);
	afterAll(async () => {
		await office?.dispose();
	});

	it('has the documented places, tablets, staff and learners', async () => {
		const places = await office.db.selectFrom('locations').select(['id', 'name', 'kind']).execute();
		expect(places.map((p) => [p.name, p.kind]).sort()).toEqual([
			['Freiwilligenagentur', 'volunteer-office'],
			['Seniorentreff Nord', 'senior-centre'],
			['Stadtbibliothek Mitte', 'library']
		]);
		const tablets = await office.db.selectFrom('devices').selectAll().execute();
		expect(tablets).toHaveLength(6);
		for (const place of places) {
			const own = tablets.filter((t) => t.location_id === place.id);
			expect(own.map((t) => t.name).sort()).toEqual(['Tablet 1', 'Tablet 2']);
			expect(own.every((t) => t.kind === 'location' && t.enrolled_at !== null)).toBe(true);
		}
		const staff = await office.db.selectFrom('staff').select(['email', 'role']).execute();
		expect(staff.filter((s) => s.role === 'volunteer')).toHaveLength(8);
		expect(staff.filter((s) => s.role === 'coordinator')).toHaveLength(1);
		expect(staff.filter((s) => s.role === 'admin').map((s) => s.email)).toEqual([
			'admin@demo.lernlotse.example'
		]);
		for (const s of staff.filter((s) => s.role !== 'admin')) {
			expect(s.email).toMatch(/^[a-z-]+\.[a-z-]+@demo\.lernlotse\.example$/);
		}
		expect(summary.admin).toEqual({ email: 'admin@demo.lernlotse.example', created: true });
		expect(summary.password).toBe(DEMO_PASSWORD);

		const links = await office.db.selectFrom('staff_locations').selectAll().execute();
		const perVolunteer = new Map<string, number>();
		for (const l of links) perVolunteer.set(l.staff_id, (perVolunteer.get(l.staff_id) ?? 0) + 1);
		expect([...perVolunteer.values()].sort()).toEqual([1, 1, 1, 1, 1, 1, 1, 2]);
		for (const place of places) {
			const crew = links.filter((l) => l.location_id === place.id).length;
			expect(crew).toBeGreaterThanOrEqual(2);
			expect(crew).toBeLessThanOrEqual(3);
		}

		const learners = await office.db.selectFrom('learners').selectAll().execute();
		expect(learners).toHaveLength(150);
		const consenting = learners.filter((l) => l.consent === 'yes');
		expect(consenting.length / learners.length).toBeGreaterThan(0.55);
		expect(consenting.length / learners.length).toBeLessThan(0.85);
		for (const l of learners) {
			expect(l.home_location_id).not.toBeNull();
			expect(l.name_hlc).toMatch(/^\d{15}-\d{5}-[0-9a-f-]{36}$/);
			expect(parseHlc(l.name_hlc).ms).toBe(Date.parse(l.created_at));
			if (l.consent === 'yes') {
				expect([l.age_group, l.target_group].every(Boolean)).toBe(true);
				expect(l.consent_hlc).toBe(l.name_hlc);
			} else {
				expect([l.consent_hlc, l.age_group, l.target_group]).toEqual(['', '', '']);
			}
		}
	});

	it('has weekly sessions for six months and two weeks ahead, with rosters that hang together', async () => {
		const sessions = await office.db.selectFrom('training_sessions').selectAll().execute();
		// About 26 weeks, two series, three places; plus the next two weeks.
		expect(sessions.length).toBeGreaterThanOrEqual(26 * 2 * 3);
		expect(sessions.length).toBeLessThanOrEqual(29 * 2 * 3);
		expect(sessions.length).toBe(summary.sessions);
		for (const s of sessions) {
			if (s.status === 'closed') expect(s.date < TODAY).toBe(true);
			if (s.date >= TODAY) expect(s.status).not.toBe('closed');
			expect(s.capacity).toBe(12);
			expect(s.series_id).not.toBeNull();
			expect(Object.keys(JSON.parse(s.stamps)).sort()).toEqual(
				[
					'capacity',
					'courseIds',
					'date',
					'end',
					'room',
					'start',
					'status',
					'title',
					'volunteerIds'
				].sort()
			);
		}
		expect(sessions.filter((s) => s.status === 'cancelled').length).toBeGreaterThan(0);
		const planned = sessions.filter((s) => s.status === 'planned').map((s) => s.date);
		expect(planned.some((d) => d > localDate(new Date(localMs(TODAY) + 8 * 86_400_000)))).toBe(
			true
		);

		// Every session's volunteers work at its place.
		const links = await office.db.selectFrom('staff_locations').selectAll().execute();
		const works = new Set(links.map((l) => `${l.staff_id}|${l.location_id}`));
		for (const s of sessions) {
			const volunteers = s.volunteer_ids.split(',');
			expect(volunteers.length).toBeGreaterThanOrEqual(1);
			expect(volunteers.length).toBeLessThanOrEqual(2);
			for (const v of volunteers) expect(works.has(`${v}|${s.location_id}`)).toBe(true);
		}

		const attendance = await office.db.selectFrom('attendance').selectAll().execute();
		expect(attendance.length).toBeGreaterThan(0);
		expect(attendance.length).toBe(summary.attendance);
		const sessionById = new Map(sessions.map((s) => [s.id, s]));
		const learnerIds = new Set(
			(await office.db.selectFrom('learners').select('id').execute()).map((l) => l.id)
		);
		const perSession = new Map<string, number>();
		for (const a of attendance) {
			const session = sessionById.get(a.session_id);
			expect(session).toBeDefined();
			expect(learnerIds.has(a.learner_id)).toBe(true);
			expect(session!.volunteer_ids.split(',')).toContain(a.updated_by);
			expect(['signed-up', 'walk-in']).toContain(a.roster);
			if (session!.status === 'closed') {
				expect(['present', 'late', 'excused', 'absent']).toContain(a.status);
			} else {
				expect([session!.status, a.status, a.roster]).toEqual(['planned', '', 'signed-up']);
			}
			expect(Object.keys(JSON.parse(a.stamps))).toContain('roster');
			perSession.set(a.session_id, (perSession.get(a.session_id) ?? 0) + 1);
		}
		expect(Math.max(...perSession.values())).toBeLessThanOrEqual(12);
		const statuses = new Set(attendance.map((a) => a.status));
		expect([...statuses].sort()).toEqual(['', 'absent', 'excused', 'late', 'present']);
		expect(attendance.some((a) => a.roster === 'walk-in')).toBe(true);
		expect(attendance.some((a) => a.note !== '')).toBe(true);
		expect(summary.attended).toBeGreaterThan(0.7 * summary.attendance);
	});

	it('has progress in the lessons’ step order, on the place’s tablets, during the sessions', async () => {
		const events = await office.db
			.selectFrom('progress_events')
			.selectAll()
			.orderBy('hlc')
			.orderBy('id')
			.execute();
		expect(events.length).toBe(summary.events);
		expect(events.length).toBeGreaterThan(1000);
		const courses = demoCourses();
		const passes = new Map<string, { index: number; lastCompleted: string | null }>();
		for (const e of events) {
			const lesson = courses.get(e.course_id)!.lessons.find((l) => l.id === e.lesson_id)!;
			expect(lesson).toBeDefined();
			const key = `${e.learner_id}|${e.course_id}|${e.lesson_id}`;
			const pass = passes.get(key) ?? { index: 0, lastCompleted: null };
			passes.set(key, pass);
			if (e.type === 'lesson-completed') {
				// Only after the lesson's last step.
				expect(pass.lastCompleted).toBe(lesson.steps.at(-1)!.id);
				pass.index = -1;
				pass.lastCompleted = null;
				continue;
			}
			const index = lesson.steps.findIndex((s) => s.id === e.step_id);
			expect(index).toBeGreaterThanOrEqual(0);
			// A lesson done again for practice starts at its first step; otherwise steps go forward.
			if (pass.index === -1) expect(index).toBe(0);
			else expect(index).toBeGreaterThanOrEqual(pass.index);
			pass.index = index;
			if (e.type === 'step-completed') pass.lastCompleted = e.step_id;
		}
		const completions = events.filter((e) => e.type === 'lesson-completed').length;
		expect(completions).toBe(summary.lessonsCompleted);
		expect(summary.coursesCompleted).toBeGreaterThan(0);
		expect(events.some((e) => e.type === 'help-requested')).toBe(true);

		// Each event: on a tablet of a place where the learner came to a session that moment.
		const devices = await office.db.selectFrom('devices').select(['id', 'location_id']).execute();
		const placeOf = new Map(devices.map((d) => [d.id, d.location_id]));
		const visits = await office.db
			.selectFrom('attendance')
			.innerJoin('training_sessions', 'training_sessions.id', 'attendance.session_id')
			.select(['learner_id', 'location_id', 'date', 'start_time', 'end_time'])
			.where('attendance.status', 'in', ['present', 'late'])
			.execute();
		const windows = new Map<string, { from: number; to: number }[]>();
		for (const v of visits) {
			const key = `${v.learner_id}|${v.location_id}`;
			windows.set(key, [
				...(windows.get(key) ?? []),
				{ from: localMs(v.date, v.start_time), to: localMs(v.date, v.end_time) }
			]);
		}
		for (const e of events) {
			const ms = parseHlc(e.hlc).ms;
			expect(parseHlc(e.hlc).node).toBe(e.device_id);
			const during = windows.get(`${e.learner_id}|${placeOf.get(e.device_id)}`) ?? [];
			expect(during.some((w) => w.from <= ms && ms <= w.to)).toBe(true);
			expect(Date.parse(e.received_at)).toBeGreaterThan(ms);
		}
	});

	it('logs every change, so a tablet enrolled later pulls the place’s sessions and learners', async () => {
		const log = await office.db.selectFrom('change_log').selectAll().orderBy('seq').execute();
		const of = (entity: string) => log.filter((r) => r.entity === entity);
		expect(of('learner')).toHaveLength(150);
		expect(of('session')).toHaveLength(summary.sessions);
		expect(of('attendance')).toHaveLength(summary.attendance);
		expect(of('progress-batch').reduce((sum, r) => sum + Number(r.size), 0)).toBe(summary.events);
		expect(log.map((r) => r.created_at)).toEqual(log.map((r) => r.created_at).sort());
		const batches = await office.db
			.selectFrom('progress_events')
			.select(['batch_id', 'learner_id'])
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.groupBy(['batch_id', 'learner_id'])
			.execute();
		const logged = new Map(of('progress-batch').map((r) => [r.entity_id, r]));
		expect(batches).toHaveLength(logged.size);
		for (const b of batches) {
			expect(logged.get(b.batch_id!)).toMatchObject({
				learner_id: b.learner_id,
				size: Number(b.n)
			});
		}

		// A new tablet at the library pulls everything of the library, page by page.
		const library = await office.db
			.selectFrom('locations')
			.select('id')
			.where('name', '=', 'Stadtbibliothek Mitte')
			.executeTakeFirstOrThrow();
		const deviceId = uuidv7();
		await office.db
			.insertInto('devices')
			.values({
				id: deviceId,
				first_seen_at: NOW.toISOString(),
				last_seen_at: NOW.toISOString(),
				last_seq: 0,
				gaps: '[]',
				kind: 'location',
				location_id: library.id,
				name: 'Tablet 3',
				credential_hash: 'x',
				enrolled_at: NOW.toISOString()
			})
			.execute();
		const changes: Change[] = [];
		let cursor: string | null = null;
		for (let page = 0; page < 100; page++) {
			const reply = await handlePull(office, {
				protocol: PROTOCOL_VERSION,
				deviceId,
				cursor,
				limit: 500
			});
			if (reply.status !== 200 || 'error' in reply.body) {
				throw new Error(JSON.stringify(reply.body));
			}
			changes.push(...reply.body.changes);
			cursor = reply.body.cursor;
			if (!reply.body.more) break;
		}
		const sessions = await office.db
			.selectFrom('training_sessions')
			.select('id')
			.where('location_id', '=', library.id)
			.execute();
		const pulledSessions = new Set(
			changes.flatMap((c) => (c.entity === 'session' ? [c.data.id] : []))
		);
		expect(pulledSessions).toEqual(new Set(sessions.map((s) => s.id)));
		const members = await office.db
			.selectFrom('location_learners')
			.select('learner_id')
			.where('location_id', '=', library.id)
			.execute();
		const pulledLearners = new Set(
			changes.flatMap((c) => (c.entity === 'learner' ? [c.data.id] : []))
		);
		expect(pulledLearners).toEqual(new Set(members.map((m) => m.learner_id)));
		const theirEvents = await office.db
			.selectFrom('progress_events')
			.select('id')
			.where(
				'learner_id',
				'in',
				members.map((m) => m.learner_id)
			)
			.execute();
		expect(changes.filter((c) => c.entity === 'progress')).toHaveLength(theirEvents.length);
	});

	it('shows a living dashboard: its report facts are made, equal to the records', async () => {
		const places = await office.db.selectFrom('locations').select('id').execute();
		const report = await buildReport(office.db, {
			period: { from: summary.from, to: summary.to },
			locationIds: places.map((p) => p.id),
			courseId: null,
			today: summary.to
		});
		const sessions = await office.db
			.selectFrom('training_sessions')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('status', '!=', 'cancelled')
			.where('date', '>=', summary.from)
			.where('date', '<=', summary.to)
			.executeTakeFirstOrThrow();
		expect(report.total.sessions).toBe(Number(sessions.n));
		expect(report.total.learners).toMatchObject({ kind: 'count' });
		expect(report.total.lessonsCompleted).toMatchObject({ kind: 'count' });
	});

	it('makes the same city from the same seed and now, and never a second one on top', async () => {
		const other = await freshOffice(dialect);
		try {
			const again = await fillDemoCity(other, { now: NOW, seed: SEED });
			expect(figures(again)).toEqual(figures(summary));
			expect(await tableCounts(other)).toEqual(await tableCounts(office));
			expect(await attendanceChecksum(other)).toBe(await attendanceChecksum(office));
		} finally {
			await other.dispose();
		}

		const before = await tableCounts(office);
		const staff = await office.db.selectFrom('staff').select('id').execute();
		await expect(fillDemoCity(office, { now: NOW, seed: SEED })).rejects.toThrow(DemoRefused);
		await expect(fillDemoCity(office, { now: NOW, seed: 'another' })).rejects.toThrow(
			/already holds training sessions/
		);
		expect(await tableCounts(office)).toEqual(before);
		expect(await office.db.selectFrom('staff').select('id').execute()).toHaveLength(staff.length);
	});

	it('says so on the command line and exits 1', async () => {
		const stdout = new Collected();
		const stderr = new Collected();
		// The command finds the database as the server does: DATABASE_URL, else DATA_DIR.
		const env = office.url ? { DATABASE_URL: office.url } : { DATA_DIR: office.dataDir };
		const code = await run([], { env, stdout, stderr });
		expect(code).toBe(1);
		expect(stdout.text).toBe('');
		expect(stderr.text).toMatch(/already holds training sessions.*Nothing was changed\.\n$/s);
		const help = new Collected();
		expect(await run(['--help'], { env: {}, stdout: help, stderr })).toBe(0);
		expect(help.text).toContain('--scale N');
		expect(await run(['--scale', 'many'], { env, stdout, stderr })).toBe(1);
		expect(stderr.text).toContain('--scale must be a whole number');
	});
});
