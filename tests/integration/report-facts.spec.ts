/**
 * The report facts (server/reports/facts.ts) on a real SQLite and a real PostgreSQL: kept on
 * every write, they always equal what `rebuildReportFacts` makes from the records, whatever the
 * tablets do in whatever order (marks, moved and cancelled sessions, changed courses, lessons
 * completed offline and sent days later). And the report reads them: a cancelled session stops
 * counting, a late lesson moves a course completion.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEnrolmentCode, enrolDevice } from '../../src/lib/server/auth/devices';
import { createLocation } from '../../src/lib/server/auth/locations';
import type { Outcome } from '../../src/lib/server/auth/outcome';
import { createStaff } from '../../src/lib/server/auth/staff';
import { handlePush } from '../../src/lib/server/sync/push';
import { buildReport, type ReportFilter } from '../../src/lib/server/reports/figures';
import { FACT_TABLES, rebuildReportFacts } from '../../src/lib/server/reports/facts';
import { courseCatalogue } from '../../src/lib/server/content/catalogue';
import type { PushResponse } from '../../src/lib/sync/protocol';
import { DIALECTS, freshOffice, type TestOffice } from './support/databases';
import { FakeDevice, newLearnerId } from './support/factories';

vi.mock('argon2', (original) =>
	import('./support/light-argon2').then((m) => m.lightArgon2(original))
);

const DATES = ['2026-09-29', '2026-09-30', '2026-10-01', '2026-10-20', '2026-11-03'];
const COURSES = [
	'tablet-basics',
	'citizens-office-appointment',
	'tablet-basics,citizens-office-appointment'
];
const STATUSES = ['present', 'late', 'absent', 'excused'] as const;

function value<T>(outcome: Outcome<T>): T {
	if (!outcome.ok) throw new Error(`expected success, got ${outcome.problem}`);
	return outcome.value;
}

interface Place {
	office: TestOffice;
	time: { now: number };
	locationId: string;
	volunteer: string;
	tablets: [FakeDevice, FakeDevice];
	learners: string[];
}

async function place(dialect: (typeof DIALECTS)[number]): Promise<Place> {
	const office = await freshOffice(dialect);
	const time = { now: Date.UTC(2026, 9, 1, 9) };
	const admin = value(
		await createStaff(
			office,
			{
				email: 'admin@stadt.example',
				name: 'Admin',
				role: 'admin',
				locationIds: [],
				password: 'admin stays in charge'
			},
			{ staffId: null }
		)
	).id;
	const locationId = value(
		await createLocation(
			office,
			{ name: 'Bibliothek Nord', kind: 'library', address: '' },
			{ staffId: admin }
		)
	).id;
	const volunteer = value(
		await createStaff(
			office,
			{
				email: 'nord@stadt.example',
				name: 'Vera',
				role: 'volunteer',
				locationIds: [locationId],
				password: 'volunteer helps at the desk'
			},
			{ staffId: admin }
		)
	).id;
	const tablet = async () => {
		const device = new FakeDevice(() => time.now);
		const { code } = value(await createEnrolmentCode(office, locationId, { staffId: admin }));
		value(
			await enrolDevice(office, { code, deviceId: device.id, name: 'Tablet', address: '10.1.0.1' })
		);
		return device;
	};
	const tablets: [FakeDevice, FakeDevice] = [await tablet(), await tablet()];
	const p: Place = { office, time, locationId, volunteer, tablets, learners: [] };
	for (let i = 0; i < 4; i++) {
		const id = newLearnerId();
		await pushAll(p, tablets[0], [tablets[0].learner({ id })]);
		p.learners.push(id);
	}
	return p;
}

async function pushAll(p: Place, device: FakeDevice, mutations: { id: string }[]): Promise<void> {
	if (mutations.length === 0) return;
	const reply = await handlePush(p.office, JSON.parse(JSON.stringify(device.push(mutations))));
	expect(reply.status).toBe(200);
	const results = (reply.body as PushResponse).results;
	expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
}

async function snapshot(office: TestOffice): Promise<Record<string, string[]>> {
	const out: Record<string, string[]> = {};
	for (const table of FACT_TABLES) {
		const rows = await office.db.selectFrom(table).selectAll().execute();
		out[table] = rows
			.map((row) =>
				JSON.stringify(
					Object.entries(row)
						.sort(([a], [b]) => a.localeCompare(b))
						.map(([k, v]) => [k, typeof v === 'number' || typeof v === 'bigint' ? Number(v) : v])
				)
			)
			.sort();
	}
	return out;
}

const step = fc.oneof(
	fc.record({
		kind: fc.constant('mark' as const),
		session: fc.nat(2),
		learner: fc.nat(3),
		status: fc.constantFrom(...STATUSES)
	}),
	fc.record({
		kind: fc.constant('move' as const),
		session: fc.nat(2),
		date: fc.constantFrom(...DATES)
	}),
	fc.record({
		kind: fc.constant('status' as const),
		session: fc.nat(2),
		status: fc.constantFrom('cancelled', 'planned')
	}),
	fc.record({
		kind: fc.constant('courses' as const),
		session: fc.nat(2),
		courseIds: fc.constantFrom(...COURSES)
	}),
	fc.record({
		kind: fc.constant('lesson' as const),
		learner: fc.nat(3),
		course: fc.nat(1),
		lesson: fc.nat(5),
		hoursAgo: fc.nat(24 * 40)
	})
);
const command = fc.record({ tablet: fc.nat(1), step });

describe.each(DIALECTS)('report facts on %s', (dialect) => {
	let p: Place;
	beforeAll(async () => {
		p = await place(dialect);
	});
	afterAll(async () => {
		await p?.office.dispose();
	});

	it('always equal the facts made again from the records, whatever arrives in whatever order', async () => {
		const catalogue = courseCatalogue();
		expect(catalogue.length).toBeGreaterThanOrEqual(2);
		const run = async (commands: { tablet: number; step: Step }[]) => {
			// Three new sessions made on the first tablet; the second tablet is offline all along
			// and sends what it did at the end, as a real one coming back would.
			const [online, offline] = p.tablets;
			const sessions = DATES.slice(0, 3).map((date) =>
				online.session({
					locationId: p.locationId,
					by: p.volunteer,
					fields: { ...baseFields(p), date }
				})
			);
			await pushAll(p, online, sessions);
			const queued: { id: string }[] = [];
			for (const { tablet, step } of commands) {
				p.time.now += 60_000;
				const device = p.tablets[tablet]!;
				const mutation = mutationOf(
					device,
					step,
					sessions.map((s) => s.payload.id)
				);
				if (tablet === 0) await pushAll(p, online, [mutation]);
				else queued.push(mutation);
			}
			await pushAll(p, offline, queued);

			const kept = await snapshot(p.office);
			await rebuildReportFacts(p.office.db);
			expect(kept).toEqual(await snapshot(p.office));
		};

		// A known run first, so that every kind of fact exists (random runs may cancel it all).
		await run([
			{ tablet: 0, step: { kind: 'mark', session: 0, learner: 0, status: 'present' } },
			{ tablet: 1, step: { kind: 'mark', session: 1, learner: 1, status: 'late' } },
			{ tablet: 0, step: { kind: 'lesson', learner: 0, course: 0, lesson: 0, hoursAgo: 2 } }
		]);
		const after = await snapshot(p.office);
		for (const table of FACT_TABLES) expect(after[table]!.length, table).toBeGreaterThan(0);

		await fc.assert(fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 30 }), run), {
			numRuns: 8
		});

		function mutationOf(device: FakeDevice, s: Step, ids: string[]) {
			if (s.kind === 'mark') {
				return device.attendance({
					sessionId: ids[s.session]!,
					learnerId: p.learners[s.learner]!,
					by: p.volunteer,
					fields: { roster: 'signed-up', status: s.status }
				});
			}
			if (s.kind === 'lesson') {
				const course = catalogue[s.course]!;
				const lessonId = course.lessonIds[s.lesson % course.lessonIds.length]!;
				const hlc = `${String(p.time.now - s.hoursAgo * 3_600_000).padStart(15, '0')}-00000-${device.id}`;
				return device.progress(p.learners[s.learner]!, {
					courseId: course.id,
					lessonId,
					stepId: null,
					type: 'lesson-completed',
					hlc
				});
			}
			const fields =
				s.kind === 'move'
					? { date: s.date }
					: s.kind === 'status'
						? { status: s.status }
						: { courseIds: s.courseIds };
			const edit = device.session({
				id: ids[s.session]!,
				locationId: p.locationId,
				by: p.volunteer,
				fields
			});
			return edit;
		}
	});

	it('stay whole when both tablets of a place send marks and lessons of the same month at once', async () => {
		// On PostgreSQL the two pushes run in two transactions side by side, and every write of a
		// place's month remakes the same cells: each must see the other's facts, and neither may
		// fail on the other's cell.
		const [a, b] = p.tablets;
		const sessions = ['2026-09-08', '2026-09-09'].map((date) =>
			a.session({ locationId: p.locationId, by: p.volunteer, fields: { ...baseFields(p), date } })
		);
		await pushAll(p, a, sessions);
		const course = courseCatalogue()[0]!;
		for (let round = 0; round < 4; round++) {
			p.time.now += 60_000;
			const batch = (device: FakeDevice, session: number) => [
				...p.learners.map((learnerId) =>
					device.attendance({
						sessionId: sessions[session]!.payload.id,
						learnerId,
						by: p.volunteer,
						fields: { roster: 'signed-up', status: round % 2 ? 'present' : 'late' }
					})
				),
				...p.learners.map((learnerId, i) =>
					device.progress(learnerId, {
						courseId: course.id,
						lessonId: course.lessonIds[(round + i + session) % course.lessonIds.length]!,
						stepId: null,
						type: 'lesson-completed',
						hlc: `${String(Date.UTC(2026, 8, 8 + session, 10, round)).padStart(15, '0')}-00000-${device.id}`
					})
				)
			];
			const replies = await Promise.all([
				handlePush(p.office, JSON.parse(JSON.stringify(a.push(batch(a, 0))))),
				handlePush(p.office, JSON.parse(JSON.stringify(b.push(batch(b, 1)))))
			]);
			expect(replies.map((r) => r.status)).toEqual([200, 200]);
		}
		const kept = await snapshot(p.office);
		await rebuildReportFacts(p.office.db);
		expect(kept).toEqual(await snapshot(p.office));
	});

	it('stops counting a cancelled session and counts it again when it takes place after all', async () => {
		const [tablet] = p.tablets;
		const made = tablet.session({
			locationId: p.locationId,
			by: p.volunteer,
			fields: { ...baseFields(p), date: '2026-06-10', courseIds: 'tablet-basics' }
		});
		await pushAll(p, tablet, [made]);
		const learner = p.learners[0]!;
		await pushAll(p, tablet, [
			tablet.attendance({
				sessionId: made.payload.id,
				learnerId: learner,
				by: p.volunteer,
				fields: { roster: 'signed-up', status: 'present' }
			})
		]);
		const june: ReportFilter = {
			period: { from: '2026-06-01', to: '2026-06-30' },
			locationIds: [p.locationId],
			courseId: null,
			today: '2026-11-22'
		};
		const counted = async () => (await buildReport(p.office.db, june)).total;

		expect(await counted()).toMatchObject({
			sessions: 1,
			attendances: { kind: 'small' },
			learners: { kind: 'small' }
		});
		await pushAll(p, tablet, [
			tablet.session({
				id: made.payload.id,
				locationId: p.locationId,
				by: p.volunteer,
				fields: { status: 'cancelled' }
			})
		]);
		expect(await counted()).toMatchObject({
			sessions: 0,
			attendances: { kind: 'count', value: 0 },
			learners: { kind: 'count', value: 0 }
		});
		await pushAll(p, tablet, [
			tablet.session({
				id: made.payload.id,
				locationId: p.locationId,
				by: p.volunteer,
				fields: { status: 'planned' }
			})
		]);
		expect(await counted()).toMatchObject({ sessions: 1, learners: { kind: 'small' } });
		// Moved to July: June is empty again, July has it.
		await pushAll(p, tablet, [
			tablet.session({
				id: made.payload.id,
				locationId: p.locationId,
				by: p.volunteer,
				fields: { date: '2026-07-02' }
			})
		]);
		expect(await counted()).toMatchObject({ sessions: 0, learners: { kind: 'count', value: 0 } });
		const july = await buildReport(p.office.db, {
			...june,
			period: { from: '2026-07-01', to: '2026-07-31' }
		});
		expect(july.total).toMatchObject({ sessions: 1, learners: { kind: 'small' } });
	});

	it('moves a course completion earlier when a lesson done offline arrives late', async () => {
		const [a, b] = p.tablets;
		const course = courseCatalogue().find((c) => c.id === 'tablet-basics')!;
		const learner = newLearnerId();
		await pushAll(p, a, [a.learner({ id: learner })]);
		const at = (iso: string, device: FakeDevice) =>
			`${String(Date.parse(iso)).padStart(15, '0')}-00000-${device.id}`;
		const done = (device: FakeDevice, lessonId: string, iso: string) =>
			device.progress(learner, {
				courseId: course.id,
				lessonId,
				stepId: null,
				type: 'lesson-completed',
				hlc: at(iso, device)
			});
		// Tablet a: every lesson but the first in April, the first in May: complete in May.
		const [first, ...rest] = course.lessonIds;
		await pushAll(p, a, [
			...rest.map((l) => done(a, l, '2026-04-14T10:00:00Z')),
			done(a, first!, '2026-05-12T10:00:00Z')
		]);
		const month = (m: string): ReportFilter => {
			const [y, mm] = m.split('-').map(Number) as [number, number];
			const last = new Date(Date.UTC(y, mm, 0)).toISOString().slice(0, 10);
			return {
				period: { from: `${m}-01`, to: last },
				locationIds: [p.locationId],
				courseId: course.id,
				today: '2026-11-22'
			};
		};
		const completions = async (m: string) =>
			(await buildReport(p.office.db, month(m))).total.coursesCompleted;
		expect(await completions('2026-05')).toEqual({ kind: 'small' });
		expect(await completions('2026-04')).toEqual({ kind: 'count', value: 0 });
		// Tablet b was offline: it had the first lesson done in April already.
		await pushAll(p, b, [done(b, first!, '2026-04-15T10:00:00Z')]);
		expect(await completions('2026-04')).toEqual({ kind: 'small' });
		expect(await completions('2026-05')).toEqual({ kind: 'count', value: 0 });
	});
});

type Step =
	| { kind: 'mark'; session: number; learner: number; status: (typeof STATUSES)[number] }
	| { kind: 'move'; session: number; date: string }
	| { kind: 'status'; session: number; status: 'cancelled' | 'planned' }
	| { kind: 'courses'; session: number; courseIds: string }
	| { kind: 'lesson'; learner: number; course: number; lesson: number; hoursAgo: number };

function baseFields(p: Place) {
	return {
		title: 'Tablet-Sprechstunde',
		courseIds: 'tablet-basics',
		date: '2026-10-01',
		start: '10:00',
		end: '11:30',
		room: 'Lesesaal',
		volunteerIds: p.volunteer,
		capacity: '12',
		status: 'planned' as const
	};
}
