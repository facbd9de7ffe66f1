/**
 * Six months (or more) of one district's life, as rows: three places with their tablets and
 * weekly sessions, 150 learners who come and go as real people do, their marks on the rosters
 * and what they did on the tablets. Pure: the same seed gives the same rows.
 */
import type { Insertable } from 'kysely';
import { AVATARS } from '../../src/lib/components/app/avatars';
import type {
	AttendanceTable,
	ChangeLogTable,
	DevicesTable,
	LearnersTable,
	ProgressEventsTable,
	TrainingSessionsTable
} from '../../src/lib/server/db/schema';
import { formatHlc } from '../../src/lib/domain/hlc';
import { CONSENT_GIVEN, type TargetGroup } from '../../src/lib/domain/reports/attributes';
import type { AttendanceStatus } from '../../src/lib/domain/sessions/attendance';
import { addDays, weekdayOf } from '../../src/lib/domain/sessions/calendar';
import { SESSION_FIELDS, type SessionField } from '../../src/lib/domain/sessions/records';
import type { DemoCourse } from './courses';
import { demoPerson, type Person } from './names';
import type { Random } from './random';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const CAPACITY = 12;
/** Weeks per series: the volunteers plan a term (a quarter) at a time. */
const SERIES_WEEKS = 13;
/** Planned sessions ahead of today. */
export const WEEKS_AHEAD = 2;

export interface SeriesTemplate {
	key: 'tue' | 'thu';
	title: string;
	courseId: string;
	/** 0 = Monday. */
	weekday: number;
	start: string;
	end: string;
}

export const SERIES: readonly SeriesTemplate[] = [
	{
		key: 'tue',
		title: 'Tablet-Sprechstunde',
		courseId: 'tablet-basics',
		weekday: 1,
		start: '10:00',
		end: '11:30'
	},
	{
		key: 'thu',
		title: 'Termine online buchen',
		courseId: 'citizens-office-appointment',
		weekday: 3,
		start: '14:00',
		end: '15:30'
	}
];

/** A place as the district's simulation sees it: made in the office beforehand. */
export interface DemoPlace {
	id: string;
	name: string;
	rooms: readonly [string, string];
	/** Per series key: who leads it and who helps now and then. */
	crew: Record<SeriesTemplate['key'], { lead: string; helpers: string[] }>;
	/** The place's tablets (filled in by the simulation). */
	tablets: string[];
}

export interface Clock {
	/** The real "now" the demo ends at. */
	now: number;
	/** Today's and the first day's local dates. */
	today: string;
	from: string;
}

export interface DistrictRows {
	devices: Insertable<DevicesTable>[];
	learners: Insertable<LearnersTable>[];
	locationLearners: { location_id: string; learner_id: string }[];
	deviceLearners: { device_id: string; learner_id: string }[];
	sessions: Insertable<TrainingSessionsTable>[];
	attendance: Insertable<AttendanceTable>[];
	events: Insertable<ProgressEventsTable>[];
	changes: Insertable<ChangeLogTable>[];
	lessonsCompleted: number;
	coursesCompleted: number;
}

/** Local midnight plus a wall-clock time, as the place's tablets read it. */
export function localMs(date: string, time = '00:00'): number {
	const [y, m, d] = date.split('-').map(Number) as [number, number, number];
	const [h, min] = time.split(':').map(Number) as [number, number];
	return new Date(y, m - 1, d, h, min).getTime();
}

export function localDate(at: Date): string {
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

const iso = (ms: number) => new Date(ms).toISOString();

type LearnerKind = 'regular' | 'occasional' | 'dropout' | 'once';
type Preference = SeriesTemplate['key'] | 'both';

interface Position {
	lesson: number;
	step: number;
}

interface Learner {
	id: string;
	person: Person;
	avatar: string;
	lang: string;
	consent: boolean;
	home: DemoPlace;
	also: DemoPlace | null;
	preference: Preference;
	kind: LearnerKind;
	intent: number;
	cap: number;
	arrivalMs: number;
	leaveMs: number;
	/** Minutes a step takes this learner, on average. */
	stepMinutes: number;
	createdMs: number | null;
	createdOn: string;
	visits: number;
	marks: Mark[];
	/** Where the learner is in each course; a finished course is gone from here. */
	positions: Map<string, Position>;
	finished: Set<string>;
	/** A lesson done again for practice, once every course is finished. */
	review: { courseId: string; position: Position } | null;
}

interface Session {
	id: string;
	place: DemoPlace;
	series: SeriesTemplate;
	seriesId: string;
	seriesIndex: number;
	date: string;
	startMs: number;
	endMs: number;
	status: 'planned' | 'cancelled' | 'closed';
	volunteers: string[];
	createdBy: string;
	createdMs: number;
	statusMs: number;
	marks: Mark[];
}

interface Mark {
	session: Session;
	learner: Learner;
	roster: 'signed-up' | 'walk-in';
	rosterMs: number;
	status: AttendanceStatus | '';
	statusMs: number;
	note: string;
	noteMs: number;
	helpSeenMs: number | null;
}

const NOTES = [
	'Braucht große Schrift – Anzeige vergrößert.',
	'Hat eigenes Smartphone mitgebracht.',
	'Möchte nächstes Mal eine E-Mail-Adresse einrichten.',
	'Kommt mit der Tochter.',
	'Hört schlecht, bitte langsam und deutlich sprechen.',
	'Hat heute einen echten Termin im Bürgerbüro gebucht!',
	'Arabisch-Sprachmittlung war hilfreich.',
	'Sehr sicher beim Tippen, kann schneller vorangehen.',
	'Fragt nach einem Kurs zum Online-Banking.',
	'Brille vergessen, nur kurz geübt.',
	'Möchte die Stadt-App auf dem eigenen Handy.',
	'Übersetzt für die Nachbarin mit.'
];
const EXCUSES = [
	'Hat telefonisch abgesagt (Arzttermin).',
	'Abgesagt: krank.',
	'Enkel zu Besuch, kommt nächste Woche.',
	'Abgesagt per E-Mail.'
];

/** Which place a learner comes to first: older residents often the senior centre. */
const HOME_WEIGHTS: Record<TargetGroup, Record<'0' | '1' | '2', number>> = {
	'older-resident': { '0': 35, '1': 45, '2': 20 },
	newcomer: { '0': 40, '1': 10, '2': 50 },
	other: { '0': 40, '1': 25, '2': 35 }
};
const PREFERENCES: Record<TargetGroup, Record<Preference, number>> = {
	'older-resident': { tue: 55, thu: 20, both: 25 },
	newcomer: { tue: 15, thu: 60, both: 25 },
	other: { tue: 35, thu: 40, both: 25 }
};

export class District {
	readonly learners: Learner[] = [];
	readonly sessions: Session[] = [];
	readonly rows: DistrictRows = {
		devices: [],
		learners: [],
		locationLearners: [],
		deviceLearners: [],
		sessions: [],
		attendance: [],
		events: [],
		changes: [],
		lessonsCompleted: 0,
		coursesCompleted: 0
	};
	readonly #deviceLearners = new Set<string>();
	readonly #placeLearners = new Set<string>();
	readonly #lastSeen = new Map<string, number>();
	readonly #fromMs: number;
	readonly #todayMs: number;

	constructor(
		private readonly random: Random,
		private readonly places: DemoPlace[],
		private readonly clock: Clock,
		private readonly courses: Map<string, DemoCourse>,
		private readonly learnerCount: number,
		private readonly coordinatorId: string
	) {
		this.#fromMs = localMs(clock.from);
		this.#todayMs = localMs(clock.today);
	}

	/** Everything, in the order things happened; returns the rows to insert. */
	run(): DistrictRows {
		this.#tablets();
		this.#plan();
		this.#people();
		this.#attend();
		for (const learner of this.learners) this.#learn(learner);
		this.#emit();
		return this.rows;
	}

	#tablets(): void {
		for (const place of this.places) {
			const enrolled = this.#fromMs - this.random.int(3, 10) * DAY + this.random.int(9, 16) * HOUR;
			for (let i = 1; i <= 2; i++) {
				const id = this.random.uuid(enrolled + i * MINUTE);
				place.tablets.push(id);
				this.#lastSeen.set(id, enrolled + i * MINUTE);
				this.rows.devices.push({
					id,
					first_seen_at: iso(enrolled + i * MINUTE),
					last_seen_at: iso(enrolled + i * MINUTE),
					last_seq: 0,
					gaps: '[]',
					outbox_size: 0,
					outbox_oldest_age_s: null,
					kind: 'location',
					location_id: place.id,
					name: `Tablet ${i}`,
					credential_hash: this.random.hex64(),
					enrolled_at: iso(enrolled + i * MINUTE),
					enrolled_by: this.coordinatorId,
					revoked_at: null,
					revoked_by: null
				});
			}
		}
	}

	/** Weekly series per place from the first day to two weeks ahead, a term at a time. */
	#plan(): void {
		const last = addDays(this.clock.today, 7 * WEEKS_AHEAD);
		for (const place of this.places) {
			for (const series of SERIES) {
				let first = this.clock.from;
				while (weekdayOf(first) !== series.weekday) first = addDays(first, 1);
				const crew = place.crew[series.key];
				let seriesId = '';
				let createdMs = 0;
				for (let week = 0, date = first; date <= last; week++, date = addDays(date, 7)) {
					const index = week % SERIES_WEEKS;
					if (index === 0) {
						// Made on a tablet at the place, a week or two before the term starts.
						createdMs = Math.min(
							localMs(date, '16:00') -
								this.random.int(7, 14) * DAY +
								this.random.int(0, 90) * MINUTE,
							this.clock.now - HOUR
						);
						seriesId = this.random.uuid(createdMs);
					}
					const startMs = localMs(date, series.start);
					const endMs = localMs(date, series.end);
					const past = date < this.clock.today;
					const cancelled = this.random.chance(past ? 0.03 : 0.02);
					const volunteers = [crew.lead];
					if (crew.helpers.length > 0 && this.random.chance(0.45)) {
						volunteers.push(this.random.pick(crew.helpers));
					}
					const status = cancelled ? 'cancelled' : past ? 'closed' : 'planned';
					let statusMs = createdMs;
					if (status === 'closed') statusMs = endMs + this.random.int(3, 15) * MINUTE;
					if (status === 'cancelled') {
						statusMs = Math.min(
							Math.max(startMs - this.random.int(2, 72) * HOUR, createdMs + HOUR),
							this.clock.now - MINUTE
						);
					}
					this.sessions.push({
						id: this.random.uuid(createdMs),
						place,
						series,
						seriesId,
						seriesIndex: index,
						date,
						startMs,
						endMs,
						status,
						volunteers,
						createdBy: crew.lead,
						createdMs,
						statusMs,
						marks: []
					});
				}
			}
		}
		this.sessions.sort((a, b) => a.startMs - b.startMs);
	}

	#people(): void {
		const span = this.#todayMs - this.#fromMs;
		for (let i = 0; i < this.learnerCount; i++) {
			const person = demoPerson(this.random);
			const home = this.places[Number(this.random.weighted(HOME_WEIGHTS[person.target]))]!;
			const others = this.places.filter((p) => p !== home);
			const kind = this.random.weighted<LearnerKind>({
				regular: 45,
				occasional: 27,
				dropout: 19,
				once: 9
			});
			// A fifth were there from the start; the others came over the months, as word spread.
			const arrivalMs = this.random.chance(0.2)
				? this.#fromMs + this.random.between(0, 14 * DAY)
				: this.#fromMs + this.random.between(0, span - DAY);
			const stay = {
				regular: this.random.between(0.5, 1.5) * span,
				occasional: this.random.between(0.3, 1.1) * span,
				dropout: 6 * 7 * DAY,
				once: span
			}[kind];
			const old = ['65-74', '75-84', '85-plus'].includes(person.age);
			const young = person.age === 'under-30' || person.age === '30-49';
			this.learners.push({
				id: '',
				person,
				avatar: this.random.pick(AVATARS),
				lang: person.target === 'newcomer' && this.random.chance(0.3) ? 'en' : 'de',
				consent: this.random.chance(0.7),
				home,
				also: others.length > 0 && this.random.chance(0.1) ? this.random.pick(others) : null,
				preference: this.random.weighted(PREFERENCES[person.target]),
				kind,
				intent: {
					regular: this.random.between(0.78, 0.95),
					occasional: this.random.between(0.3, 0.55),
					dropout: 0.85,
					once: 0
				}[kind],
				cap: { regular: Infinity, occasional: Infinity, dropout: 2, once: 1 }[kind],
				arrivalMs,
				leaveMs: arrivalMs + stay,
				stepMinutes: old
					? this.random.between(6, 11)
					: young
						? this.random.between(3, 6)
						: this.random.between(4.5, 8),
				createdMs: null,
				createdOn: '',
				visits: 0,
				marks: [],
				positions: new Map(),
				finished: new Set(),
				review: null
			});
		}
	}

	#matches(learner: Learner, session: Session): boolean {
		return learner.preference === 'both' || learner.preference === session.series.key;
	}

	/** Who signs up, who walks in, who comes and who does not, session by session. */
	#attend(): void {
		const arrivals = new Map<Session, Learner[]>();
		const pastByPlace = new Map<DemoPlace, Session[]>();
		for (const s of this.sessions) {
			if (s.status !== 'closed') continue;
			const list = pastByPlace.get(s.place) ?? [];
			list.push(s);
			pastByPlace.set(s.place, list);
		}
		for (const learner of this.learners) {
			const options = (pastByPlace.get(learner.home) ?? []).filter((s) =>
				this.#matches(learner, s)
			);
			// Nothing on their day (all of them cancelled): they come on the other one.
			if (options.length === 0) options.push(...(pastByPlace.get(learner.home) ?? []));
			const first = options.find((s) => s.startMs >= learner.arrivalMs) ?? options.at(-1);
			if (!first) continue;
			arrivals.set(first, [...(arrivals.get(first) ?? []), learner]);
		}
		const byPlace = new Map<DemoPlace, Learner[]>();
		for (const learner of this.learners) {
			for (const place of [learner.home, learner.also]) {
				if (place) byPlace.set(place, [...(byPlace.get(place) ?? []), learner]);
			}
		}
		for (const session of this.sessions) {
			if (session.status === 'cancelled') continue;
			const pool = (byPlace.get(session.place) ?? []).filter(
				(l) =>
					// Came (or was expected) once already: the first time is their arrival.
					l.marks.length > 0 &&
					// Not at another place at the same time.
					l.marks.at(-1)!.session.startMs !== session.startMs &&
					session.startMs < l.leaveMs &&
					l.visits < l.cap &&
					(l.home !== session.place || this.#matches(l, session))
			);
			const intent = (l: Learner) =>
				l.intent * (l.preference === 'both' ? 0.75 : 1) * (l.home === session.place ? 1 : 0.15);
			if (session.status === 'planned') this.#signUps(session, pool, intent);
			else this.#gather(session, arrivals.get(session) ?? [], pool, intent);
		}
	}

	#gather(
		session: Session,
		arrivals: Learner[],
		pool: Learner[],
		intent: (l: Learner) => number
	): void {
		const coming = pool.filter((l) => this.random.chance(intent(l)));
		const others = pool.filter((l) => !coming.includes(l));
		// More want to come than there are seats: the first to sign up get them.
		const room = CAPACITY - arrivals.length;
		const keyed = coming.map((l) => ({ l, key: this.random.next() * intent(l) }));
		keyed.sort((a, b) => b.key - a.key);
		const returning = keyed.slice(0, Math.max(0, room)).map((k) => k.l);
		// A quiet week: the volunteers phone round and a few more come.
		while (arrivals.length + returning.length < 4 && others.length > 0) {
			returning.push(others.splice(this.random.int(0, others.length - 1), 1)[0]!);
		}
		for (const learner of arrivals) this.#firstVisit(session, learner);
		for (const learner of returning) this.#visit(session, learner);
	}

	#firstVisit(session: Session, learner: Learner): void {
		const walkIn = this.random.chance(0.5);
		const tablet = this.random.pick(session.place.tablets);
		if (walkIn) {
			// The volunteer makes the profile when they arrive.
			learner.createdMs = session.startMs - this.random.int(2, 15) * MINUTE;
		} else {
			// Signed up at the place's desk or by phone, some days before.
			const daysBefore = this.random.int(1, 6);
			learner.createdMs =
				localMs(addDays(session.date, -daysBefore), '09:00') + this.random.int(0, 8 * 60) * MINUTE;
		}
		learner.createdOn = tablet;
		learner.id = this.random.uuid(learner.createdMs);
		const rosterMs = learner.createdMs + this.random.int(20, 120) * 1000;
		const comes = walkIn || this.random.chance(0.9);
		const late = comes && this.random.chance(0.1);
		this.#mark(session, learner, {
			roster: walkIn ? 'walk-in' : 'signed-up',
			rosterMs,
			status: comes ? (late ? 'late' : 'present') : 'absent',
			statusMs: comes
				? Math.max(rosterMs, session.startMs) +
					this.random.int(late ? 15 : 0, late ? 30 : 10) * MINUTE
				: session.statusMs
		});
	}

	#visit(session: Session, learner: Learner): void {
		const walkIn = this.random.chance(0.12);
		const rosterMs = walkIn
			? session.startMs + this.random.int(0, 10) * MINUTE
			: Math.max(
					learner.createdMs! + MINUTE,
					session.startMs - this.random.int(1, 7) * DAY + this.random.int(0, 8 * 60) * MINUTE
				);
		const r = this.random.next();
		let status: AttendanceStatus = r < 0.86 || walkIn ? 'present' : r < 0.93 ? 'absent' : 'excused';
		if (status === 'present' && this.random.chance(0.1)) status = 'late';
		let statusMs = session.statusMs;
		if (status === 'present') {
			statusMs = Math.max(rosterMs, session.startMs) + this.random.int(1, 12) * MINUTE;
		} else if (status === 'late') {
			statusMs = session.startMs + this.random.int(15, 35) * MINUTE;
		} else if (status === 'excused') {
			const latest = session.startMs - HOUR;
			statusMs = rosterMs + Math.max(MINUTE, this.random.next() * (latest - rosterMs));
		}
		this.#mark(session, learner, {
			roster: walkIn ? 'walk-in' : 'signed-up',
			rosterMs,
			status,
			statusMs
		});
	}

	#mark(
		session: Session,
		learner: Learner,
		mark: Pick<Mark, 'roster' | 'rosterMs' | 'status' | 'statusMs'>
	): void {
		const full: Mark = { ...mark, session, learner, note: '', noteMs: 0, helpSeenMs: null };
		if (mark.status === 'excused' && this.random.chance(0.5)) {
			full.note = this.random.pick(EXCUSES);
			full.noteMs = mark.statusMs;
		} else if ((mark.status === 'present' || mark.status === 'late') && this.random.chance(0.05)) {
			full.note = this.random.pick(NOTES);
			full.noteMs = session.endMs + this.random.int(1, 10) * MINUTE;
		}
		if (mark.status === 'present' || mark.status === 'late') learner.visits++;
		session.marks.push(full);
		learner.marks.push(full);
	}

	/** The next two weeks' rosters: regulars sign up, fewer the further ahead. */
	#signUps(session: Session, pool: Learner[], intent: (l: Learner) => number): void {
		const weeksAhead = Math.floor((session.startMs - this.#todayMs) / (7 * DAY));
		const keen = [0.9, 0.6, 0.3][Math.min(weeksAhead, 2)]!;
		const signed = pool.filter((l) => this.random.chance(intent(l) * keen)).slice(0, CAPACITY);
		for (const learner of signed) {
			const rosterMs = Math.min(
				this.clock.now - MINUTE,
				Math.max(learner.createdMs! + MINUTE, this.clock.now - this.random.int(1, 6 * 24) * HOUR)
			);
			this.#mark(session, learner, {
				roster: 'signed-up',
				rosterMs,
				status: '',
				statusMs: 0
			});
		}
	}

	/** What to work on: the session's course, else the other, else a lesson again for practice. */
	#target(learner: Learner, courseId: string): { course: DemoCourse; position: Position } | null {
		if (learner.review) {
			return {
				course: this.courses.get(learner.review.courseId)!,
				position: learner.review.position
			};
		}
		const open = [courseId, ...SERIES.map((s) => s.courseId)].find(
			(id) => this.courses.has(id) && !learner.finished.has(id)
		);
		if (open) {
			const position = learner.positions.get(open) ?? { lesson: 0, step: 0 };
			learner.positions.set(open, position);
			return { course: this.courses.get(open)!, position };
		}
		const course = this.courses.get(this.random.pick(SERIES.map((s) => s.courseId)));
		if (!course) return null;
		learner.review = {
			courseId: course.id,
			position: { lesson: this.random.int(0, course.lessons.length - 1), step: 0 }
		};
		return { course, position: learner.review.position };
	}

	/** The learner's steps on the place's tablets, session after session, in the lessons' order. */
	#learn(learner: Learner): void {
		const marks = learner.marks
			.filter((m) => m.status === 'present' || m.status === 'late')
			.sort((a, b) => a.session.startMs - b.session.startMs);
		const helpChance = learner.stepMinutes > 6 ? 0.1 : 0.05;
		for (const mark of marks) {
			// Some days it is the learner's own phone, a letter from the city, a question: no lesson.
			// Once every course is done, a lesson again for practice now and then.
			const done = SERIES.every((s) => learner.finished.has(s.courseId));
			if (this.random.chance(done && !learner.review ? 0.8 : 0.15)) continue;
			const { session } = mark;
			const device = this.random.pick(session.place.tablets);
			const events: Insertable<ProgressEventsTable>[] = [];
			const emit = (
				t: number,
				course: DemoCourse,
				lessonId: string,
				stepId: string | null,
				type: ProgressEventsTable['type'],
				extra: { attempts?: number; checkpoint?: string } = {}
			) => {
				events.push({
					id: this.random.uuid(t),
					learner_id: learner.id,
					course_id: course.id,
					course_version: course.version,
					lesson_id: lessonId,
					step_id: stepId,
					type,
					attempts: extra.attempts ?? null,
					checkpoint: extra.checkpoint ?? null,
					hlc: formatHlc({ ms: t, counter: 0, node: device }),
					device_id: device,
					received_at: '',
					batch_id: null
				});
			};
			let t = Math.max(mark.statusMs, session.startMs) + this.random.int(1, 6) * MINUTE;
			// The rest of the time goes on questions, the learner's own phone, coffee.
			const stop = t + (session.endMs - t) * this.random.between(0.15, 0.45);
			while (t < stop) {
				const target = this.#target(learner, session.series.courseId);
				if (!target) break;
				const { course, position } = target;
				const lesson = course.lessons[position.lesson]!;
				const step = lesson.steps[position.step]!;
				emit(t, course, lesson.id, step.id, 'step-viewed');
				const factor = step.kind === 'explain' ? 0.6 : step.kind === 'practice' ? 2 : 1.2;
				const duration = Math.round(
					learner.stepMinutes * factor * this.random.between(0.6, 1.5) * MINUTE
				);
				if (t + duration > stop) break;
				if (step.kind !== 'explain' && this.random.chance(helpChance)) {
					const asked = t + Math.round(duration * this.random.between(0.3, 0.6));
					emit(asked, course, lesson.id, step.id, 'help-requested');
					mark.helpSeenMs = asked + this.random.int(60, 240) * 1000;
				}
				step.checkpoints.forEach((name, i, all) => {
					const at = t + Math.round((duration * (i + 1)) / (all.length + 1));
					emit(at, course, lesson.id, step.id, 'checkpoint-reached', { checkpoint: name });
				});
				t += duration;
				// Tries an exercise took: mostly one.
				const r = this.random.next();
				const attempts = step.kind === 'explain' ? 0 : r < 0.7 ? 1 : r < 0.9 ? 2 : 3;
				emit(t, course, lesson.id, step.id, 'step-completed', { attempts });
				position.step++;
				if (position.step === lesson.steps.length) {
					t += this.random.int(1, 4) * 1000;
					emit(t, course, lesson.id, null, 'lesson-completed');
					this.rows.lessonsCompleted++;
					position.step = 0;
					position.lesson++;
					if (learner.review) {
						learner.review = null;
					} else if (position.lesson === course.lessons.length) {
						learner.finished.add(course.id);
						learner.positions.delete(course.id);
						this.rows.coursesCompleted++;
					}
				}
				t += this.random.int(3, 20) * 1000;
			}
			if (events.length === 0) continue;
			const lastMs = Number(events.at(-1)!.hlc.slice(0, 15));
			const receivedMs = lastMs + this.random.int(5, 90) * 1000;
			const batchId = this.random.uuid(receivedMs);
			for (const e of events) {
				e.received_at = iso(receivedMs);
				e.batch_id = batchId;
			}
			this.rows.events.push(...events);
			this.#link(device, learner.id);
			this.#seen(device, receivedMs);
			this.rows.changes.push({
				entity: 'progress-batch',
				entity_id: batchId,
				learner_id: learner.id,
				created_at: iso(receivedMs),
				size: events.length,
				location_id: null
			});
		}
	}

	#link(device: string, learnerId: string): void {
		const key = `${device}|${learnerId}`;
		if (this.#deviceLearners.has(key)) return;
		this.#deviceLearners.add(key);
		this.rows.deviceLearners.push({ device_id: device, learner_id: learnerId });
	}

	#belongs(place: DemoPlace, learnerId: string): void {
		const key = `${place.id}|${learnerId}`;
		if (this.#placeLearners.has(key)) return;
		this.#placeLearners.add(key);
		this.rows.locationLearners.push({ location_id: place.id, learner_id: learnerId });
	}

	#seen(device: string, ms: number): void {
		if (ms > (this.#lastSeen.get(device) ?? 0)) this.#lastSeen.set(device, ms);
	}

	/** The rows, with ids and clock stamps, and the change log that lets tablets pull them. */
	#emit(): void {
		const hlc = (ms: number, node: string) => formatHlc({ ms, counter: 0, node });
		for (const learner of this.learners) {
			if (learner.createdMs === null) continue;
			const stamp = hlc(learner.createdMs, learner.createdOn);
			const counted = learner.consent;
			this.rows.learners.push({
				id: learner.id,
				name: learner.person.name,
				name_hlc: stamp,
				avatar: learner.avatar,
				avatar_hlc: stamp,
				lang: learner.lang,
				lang_hlc: stamp,
				created_at: iso(learner.createdMs),
				updated_at: iso(learner.createdMs),
				home_location_id: learner.home.id,
				consent: counted ? CONSENT_GIVEN : '',
				consent_hlc: counted ? stamp : '',
				age_group: counted ? learner.person.age : '',
				age_group_hlc: counted ? stamp : '',
				target_group: counted ? learner.person.target : '',
				target_group_hlc: counted ? stamp : '',
				erased_at: null
			});
			this.#belongs(learner.home, learner.id);
			this.#link(learner.createdOn, learner.id);
			this.rows.changes.push({
				entity: 'learner',
				entity_id: learner.id,
				learner_id: learner.id,
				created_at: iso(learner.createdMs),
				size: 1,
				location_id: null
			});
		}
		for (const session of this.sessions) {
			const [tablet] = session.place.tablets as [string];
			const created = hlc(session.createdMs, tablet);
			const stamps: Partial<Record<SessionField, string>> = {};
			for (const field of SESSION_FIELDS) stamps[field] = created;
			if (session.status !== 'planned') stamps.status = hlc(session.statusMs, tablet);
			this.rows.sessions.push({
				id: session.id,
				location_id: session.place.id,
				series_id: session.seriesId,
				series_index: session.seriesIndex,
				title: session.series.title,
				course_ids: session.series.courseId,
				date: session.date,
				start_time: session.series.start,
				end_time: session.series.end,
				room: session.place.rooms[session.series.key === 'tue' ? 0 : 1],
				volunteer_ids: session.volunteers.join(','),
				capacity: CAPACITY,
				status: session.status,
				stamps: JSON.stringify(stamps),
				created_by: session.createdBy,
				created_at: iso(session.createdMs),
				updated_at: iso(session.statusMs)
			});
			this.rows.changes.push({
				entity: 'session',
				entity_id: session.id,
				learner_id: '',
				created_at: iso(session.createdMs),
				size: 1,
				location_id: session.place.id
			});
			for (const mark of session.marks) this.#attendanceRow(mark, tablet);
			if (session.status === 'closed') this.#seen(tablet, session.statusMs);
		}
		for (const device of this.rows.devices) {
			device.last_seen_at = iso(this.#lastSeen.get(device.id)!);
		}
	}

	#attendanceRow(mark: Mark, tablet: string): void {
		const { session, learner } = mark;
		const stamp = (ms: number) => formatHlc({ ms, counter: 0, node: tablet });
		const stamps: Record<string, string> = { roster: stamp(mark.rosterMs) };
		let lastMs = mark.rosterMs;
		if (mark.status) {
			stamps.status = stamp(mark.statusMs);
			lastMs = Math.max(lastMs, mark.statusMs);
		}
		if (mark.note) {
			stamps.note = stamp(mark.noteMs);
			lastMs = Math.max(lastMs, mark.noteMs);
		}
		if (mark.helpSeenMs !== null) {
			stamps.helpSeen = stamp(mark.helpSeenMs);
			lastMs = Math.max(lastMs, mark.helpSeenMs);
		}
		const updatedMs = Math.min(lastMs + this.random.int(2, 50) * 1000, this.clock.now);
		const key = `${session.id}/${learner.id}`;
		this.rows.attendance.push({
			session_id: session.id,
			learner_id: learner.id,
			roster: mark.roster,
			status: mark.status,
			note: mark.note,
			help_seen: mark.helpSeenMs !== null ? iso(mark.helpSeenMs) : '',
			stamps: JSON.stringify(stamps),
			updated_by: session.volunteers[0]!,
			updated_at: iso(updatedMs)
		});
		this.#belongs(session.place, learner.id);
		this.rows.changes.push({
			entity: 'attendance',
			entity_id: key,
			learner_id: learner.id,
			created_at: iso(updatedMs),
			size: 1,
			location_id: session.place.id
		});
	}
}
