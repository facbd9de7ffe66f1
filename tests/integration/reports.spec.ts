/**
 * The attendance and reach report on a small, known data set (support/report-data.ts), on
 * SQLite and PostgreSQL: every figure of the report object, the filter read from the address,
 * the CSV files made from it, and the session lists behind it. All expected values below are
 * worked out by hand from the tables in report-data.ts, never by the code under test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isHttpError } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BOM, toCsv } from '../../src/lib/domain/reports/csv';
import type { FigureRow, Report } from '../../src/lib/domain/reports/report';
import { people, peopleText, type PeopleCount } from '../../src/lib/domain/reports/suppression';
import type { SignedInStaff } from '../../src/lib/server/auth/sessions';
import { courseCatalogue } from '../../src/lib/server/content/catalogue';
import { office, startOffice, stopOffice } from '../../src/lib/server/office';
import { buildReport, type ReportFilter } from '../../src/lib/server/reports/figures';
import { parseFilter } from '../../src/lib/server/reports/filter';
import { namer } from '../../src/lib/server/reports/load';
import { attendanceList, heldSessionList } from '../../src/lib/server/reports/sessions';
import { attributeTable, figureTable } from '../../src/lib/server/reports/tables';
import { DIALECTS, freshOffice, type TestOffice } from './support/databases';
import { CO, LIB, OFF, PLACE_NAMES, SEN, TB, seedReportData } from './support/report-data';

const c = (value: number): PeopleCount => ({ kind: 'count', value });
const small: PeopleCount = { kind: 'small' };

/**
 * One row of figures, in the order: sessions, hours, volunteers, volunteer hours; then the
 * people counts attendances, learners, new, returning, lessons completed, courses completed.
 */
function row(
	key: string,
	[sessions, hours, volunteers, volunteerHours]: [number, number, number, number],
	[attendances, learners, newLearners, returningLearners, lessonsCompleted, coursesCompleted]: [
		PeopleCount,
		PeopleCount,
		PeopleCount,
		PeopleCount,
		PeopleCount,
		PeopleCount
	]
): FigureRow {
	return {
		key,
		sessions,
		hours,
		volunteers,
		volunteerHours,
		attendances,
		learners,
		newLearners,
		returningLearners,
		lessonsCompleted,
		coursesCompleted
	};
}

const zeros = (key: string) => row(key, [0, 0, 0, 0], [c(0), c(0), c(0), c(0), c(0), c(0)]);

const TODAY = '2026-03-20';
const Q1: ReportFilter = {
	period: { from: '2026-01-01', to: '2026-03-31' },
	locationIds: [LIB, SEN],
	courseId: null,
	today: TODAY
};

/*
 * The first quarter of 2026 at LIB and SEN, every course. Held sessions: s1, s2, s3 (LIB) and
 * s6, s7, s8-planned-past (SEN); not s4 (cancelled), s5 (after today), s9 (OFF).
 *
 * First attendance ever: anna, bernd 2025-12-10; hans 2025-10-01 (at OFF); carla, dana (her
 * cancelled November session does not count), emil, lena 2026-01-14; gerd, ilse, jonas
 * 2026-01-21; fatma 2026-02-11 (excused in December does not count).
 * Attendances in Q1: s1 anna carla dana emil lena (5), s6 gerd hans ilse jonas (4), s2 carla emil
 * fatma (3), s3 anna bernd (2), s7 gerd (1), s8 none = 15, by 11 learners.
 * New (first within Q1): carla dana emil fatma gerd ilse jonas lena = 8.
 * Returning: anna bernd hans (came before) + carla emil gerd (twice in Q1) = 6.
 * Lessons (distinct learner-lessons, in Q1, at LIB/SEN): LIB anna/tapping (twice: once),
 * carla × 4 (keyboard on her own device → her home LIB), bernd/going-back (again),
 * emil/keyboard (31 March 23:30) = 7; SEN hans/why-online (own device → home SEN),
 * gerd × 5, jonas/going-back = 7. Total 14.
 * Courses completed: carla TB (Feb, LIB), jonas TB (Feb, SEN), gerd CO (Mar, SEN) = 3;
 * not bernd TB (completed in December).
 */
const Q1_REPORT: Report = {
	// 6 sessions: 1.5 + 1 + 2 + 1 + 1 + 1.5 = 8 h; volunteer hours 3 + 1 + 2 + 1 + 1 + 1.5 = 9.5
	total: row('total', [6, 8, 3, 9.5], [c(15), c(11), c(8), c(6), c(14), small]),
	byLocation: [
		// s1 s2 s3: 4.5 h, vera + walter, 3 + 2 + 1 = 6 volunteer hours; 5 + 3 + 2 attendances;
		// anna bernd carla dana emil fatma lena = 7; new carla dana emil fatma lena = exactly 5;
		// returning anna bernd carla emil = 4
		row(LIB, [3, 4.5, 2, 6], [c(10), c(7), c(5), small, c(7), small]),
		// s6 s7 s8: 3.5 h, xaver; 4 + 1 + 0 attendances; exactly 4 learners gerd hans ilse jonas;
		// new gerd ilse jonas; returning gerd hans; courses gerd CO + jonas TB
		row(SEN, [3, 3.5, 1, 3.5], [c(5), small, small, small, c(7), small])
	],
	byCourse: [
		// In catalogue order. s1 is in both courses and counts in both rows.
		// CO: s1 s3 s7 = 4 h, vera walter xaver, 3 + 1 + 1.5; 5 + 2 + 1 attendances; anna bernd
		// carla dana emil gerd lena = 7; new carla dana emil gerd lena = 5; returning anna bernd
		// (gerd came to CO once only); lessons hans 1 + gerd 5; course gerd
		row(CO, [3, 4, 3, 5.5], [c(8), c(7), c(5), small, c(6), small]),
		// TB: s1 s2 s6 s8 = 5.5 h, 3 + 2 + 1 + 1 = 7; 5 + 3 + 4 + 0 = 12 attendances; 10 learners
		// (all but bernd); new 8; returning anna hans carla emil = 4; lessons anna 1, carla 4,
		// bernd 1, emil 1, jonas 1 = 8; courses carla, jonas
		row(TB, [4, 5.5, 3, 7], [c(12), c(10), c(8), small, c(8), small])
	],
	byMonth: [
		// s1 s6: 2.5 h, vera walter xaver, 3 + 1; 9 attendances, 9 learners; new carla dana emil
		// lena gerd ilse jonas = 7; returning anna hans; lessons anna 1, carla 3, gerd 4 = 8
		row('2026-01', [2, 2.5, 3, 4], [c(9), c(9), c(7), small, c(8), c(0)]),
		// s2 s8: 3 h, vera xaver; carla emil fatma; new fatma; returning carla emil (came in
		// January); lessons carla/going-back jonas/going-back; courses carla TB, jonas TB
		row('2026-02', [2, 3, 2, 3], [small, small, small, small, small, small]),
		// s3 s7: 2.5 h, walter xaver, 1 + 1.5; anna bernd gerd, none new, all returning; lessons
		// bernd emil hans gerd = 4; course gerd CO
		row('2026-03', [2, 2.5, 2, 2.5], [small, small, c(0), small, small, small])
	],
	attributes: {
		// Consenting: anna bernd carla dana emil fatma hans jonas lena (karl never came here);
		// gerd (attributes stored, no consent) and ilse are only counted as without consent.
		ageGroup: [
			{ key: '30-49', learners: small }, // lena
			{ key: '50-64', learners: small }, // hans
			{ key: '65-74', learners: c(5) }, // anna carla dana emil jonas
			{ key: '75-84', learners: small }, // bernd
			{ key: 'unknown', learners: small } // fatma gave none
		],
		targetGroup: [
			{ key: 'newcomer', learners: small }, // dana hans lena
			{ key: 'older-resident', learners: c(6) } // anna bernd carla emil fatma jonas
		],
		language: [
			{ key: 'de', learners: c(6) }, // anna bernd carla emil fatma jonas
			{ key: 'en', learners: small }, // dana hans
			{ key: 'pl', learners: small } // lena
		],
		withoutConsent: small // gerd ilse
	}
};

/*
 * The same quarter and places, only the citizens' office course: sessions s1, s3, s7.
 * Learners anna bernd carla dana emil lena (LIB) and gerd (SEN). Gerd's first attendance ever
 * (s6, 21 January, another course) is inside the quarter, so he is new here, and he came to a
 * CO session once: not returning. Lessons: CO only (hans 1 + gerd 5, all at SEN).
 */
const Q1_CO_REPORT: Report = {
	total: row('total', [3, 4, 3, 5.5], [c(8), c(7), c(5), small, c(6), small]),
	byLocation: [
		// s1 s3: 2.5 h, vera walter, 3 + 1; 5 + 2 attendances; 6 learners; new carla dana emil
		// lena = 4; returning anna bernd; no CO lesson at LIB
		row(LIB, [2, 2.5, 2, 4], [c(7), c(6), small, small, c(0), c(0)]),
		// s7: gerd only, new, not returning
		row(SEN, [1, 1.5, 1, 1.5], [small, small, small, c(0), c(6), small])
	],
	byCourse: [row(CO, [3, 4, 3, 5.5], [c(8), c(7), c(5), small, c(6), small])],
	byMonth: [
		// s1: anna carla dana emil lena; new 4 of them; returning anna; lessons gerd × 4
		row('2026-01', [1, 1.5, 2, 3], [c(5), c(5), small, small, small, c(0)]),
		zeros('2026-02'),
		// s3 s7: anna bernd gerd, all returning in March; lessons hans + gerd; course gerd
		row('2026-03', [2, 2.5, 2, 2.5], [small, small, c(0), small, small, small])
	],
	attributes: {
		ageGroup: [
			{ key: '30-49', learners: small }, // lena
			{ key: '65-74', learners: small }, // anna carla dana emil
			{ key: '75-84', learners: small } // bernd
		],
		targetGroup: [
			{ key: 'newcomer', learners: small }, // dana lena
			{ key: 'older-resident', learners: small } // anna bernd carla emil
		],
		language: [
			{ key: 'de', learners: small }, // anna bernd carla emil
			{ key: 'en', learners: small }, // dana
			{ key: 'pl', learners: small } // lena
		],
		withoutConsent: small // gerd
	}
};

const EMPTY_PERIOD: ReportFilter = {
	period: { from: '2024-06-01', to: '2024-06-30' },
	locationIds: [LIB, SEN],
	courseId: null,
	today: TODAY
};

const EMPTY_REPORT: Report = {
	total: zeros('total'),
	byLocation: [zeros(LIB), zeros(SEN)],
	byCourse: [],
	byMonth: [zeros('2024-06')],
	attributes: { ageGroup: [], targetGroup: [], language: [], withoutConsent: c(0) }
};

const Q1_MONTHS_ZERO = [zeros('2026-01'), zeros('2026-02'), zeros('2026-03')];

const coordinator: SignedInStaff = {
	id: 'staff-cora',
	email: 'cora@example.org',
	name: 'Cora',
	role: 'coordinator',
	locationIds: [],
	mustChangePassword: false
};

const volunteerAtSen: SignedInStaff = {
	id: 'staff-xaver',
	email: 'xaver@example.org',
	name: 'Xaver',
	role: 'volunteer',
	locationIds: [SEN],
	mustChangePassword: false
};

/** 20 March 2026, noon, local time: today is "2026-03-20", the default quarter 2026-Q1. */
const NOW = new Date(2026, 2, 20, 12, 0);

function expect404(run: () => unknown): void {
	let thrown: unknown = null;
	try {
		run();
	} catch (e) {
		thrown = e;
	}
	expect(isHttpError(thrown, 404), `expected an HttpError 404, got ${String(thrown)}`).toBe(true);
}

const crlf = (lines: string[]) => BOM + lines.map((l) => `${l}\r\n`).join('');

describe('the known data set', () => {
	it('uses the lesson ids of the real catalogue', () => {
		// If the packs change, the hand-computed completions below no longer hold.
		const byId = Object.fromEntries(courseCatalogue().map((c) => [c.id, c.lessonIds]));
		expect(byId[TB]).toEqual(['tapping', 'scrolling', 'keyboard', 'going-back']);
		expect(byId[CO]).toEqual([
			'why-online',
			'choose-service',
			'pick-slot',
			'your-details',
			'confirm-and-stay-safe'
		]);
		// Eight more courses ship; the data set has activity in these two only.
		expect(courseCatalogue().map((c) => c.id)).toEqual(expect.arrayContaining([CO, TB]));
		expect(courseCatalogue()).toHaveLength(10);
	});
});

describe('small cells', () => {
	it('hides 1 to 4 people, keeps 0 and 5', () => {
		expect([0, 1, 4, 5, 12].map(people)).toEqual([c(0), small, small, c(5), c(12)]);
		expect(peopleText(small)).toBe('< 5');
		expect(peopleText(c(0))).toBe('0');
	});
});

describe.each(DIALECTS)('reports on %s', (dialect) => {
	let db: TestOffice;
	beforeAll(async () => {
		db = await freshOffice(dialect);
		await seedReportData(db.db);
	});
	afterAll(async () => {
		await db.dispose();
	});

	it('gives every figure of the first quarter exactly', async () => {
		expect(await buildReport(db.reader, Q1)).toEqual(Q1_REPORT);
	});

	it('gives every figure of one course, with the filter read from the address', async () => {
		const parsed = parseFilter(
			new URLSearchParams({ period: 'quarter', value: '2026-Q1', course: CO }),
			coordinator,
			[{ id: LIB }, { id: SEN }],
			NOW
		);
		expect(parsed.filter).toEqual({ ...Q1, courseId: CO });
		expect(await buildReport(db.reader, parsed.filter!)).toEqual(Q1_CO_REPORT);
	});

	it('counts a range that starts and ends inside months to the day, new from its first day', async () => {
		// 2026-01-14 … 2026-03-04: January and March are broken months, counted day by day from
		// the facts; February is whole, counted from the cells.
		const report = await buildReport(db.reader, {
			...Q1,
			period: { from: '2026-01-14', to: '2026-03-04' }
		});
		// s1 s6 s2 s8 s3: 1.5 + 1 + 2 + 1 + 1 = 6.5 h; vera walter xaver, 3 + 1 + 2 + 1 + 1 = 8;
		// 5 + 4 + 3 + 0 + 2 = 14 attendances by 11 learners; new, first ever on or after the
		// 14th: carla dana emil lena (on that very day), fatma gerd ilse jonas = 8; returning anna
		// bernd hans (came before), carla emil (came twice) = 5; lessons anna 1, carla 4, gerd 4
		// (January's days), jonas 1 (February), bernd 1 (4 March) = 11; courses carla, jonas.
		expect(report.total).toEqual(
			row('total', [5, 6.5, 3, 8], [c(14), c(11), c(8), c(5), c(11), small])
		);
		// Nothing happened in January before the 14th: its days give what its cells give.
		expect(report.byMonth[0]).toEqual(Q1_REPORT.byMonth[0]);
	});

	it('gives zeros for a period with nothing in it, and a CSV with the header and total only', async () => {
		const report = await buildReport(db.reader, EMPTY_PERIOD);
		expect(report).toEqual(EMPTY_REPORT);
		const table = figureTable('de', 'courses', report, (id) => id);
		expect(toCsv(table.header, table.rows)).toBe(
			crlf([
				'Kurs;Termine;Teilnahmen;Lernende;Neue Lernende;Wiederkommende;Stunden Training;' +
					'Lektionen abgeschlossen;Kurse abgeschlossen;Aktive Ehrenamtliche;Ehrenamtsstunden',
				'Gesamt;0;0;0;0;0;0;0;0;0;0'
			])
		);
	});

	it('reports nothing for no places at all', async () => {
		const report = await buildReport(db.reader, { ...Q1, locationIds: [] });
		expect(report).toEqual({ ...EMPTY_REPORT, byLocation: [], byMonth: Q1_MONTHS_ZERO });
	});

	it('writes the places table as CSV: BOM, semicolons, CRLF, "< 5", decimal comma, defused formula', async () => {
		const places = await db.db.selectFrom('locations').select(['id', 'name']).execute();
		const names = namer('de', places);
		const table = figureTable('de', 'locations', await buildReport(db.reader, Q1), names.place);
		const csv = toCsv(table.header, table.rows);
		expect(csv.startsWith(BOM)).toBe(true);
		expect(csv).toBe(
			crlf([
				'Ort;Termine;Teilnahmen;Lernende;Neue Lernende;Wiederkommende;Stunden Training;' +
					'Lektionen abgeschlossen;Kurse abgeschlossen;Aktive Ehrenamtliche;Ehrenamtsstunden',
				'Stadtbibliothek Mitte;3;10;7;5;< 5;4,5;7;< 5;2;6',
				`'${PLACE_NAMES[SEN]};3;5;< 5;< 5;< 5;3,5;7;< 5;1;3,5`,
				'Gesamt;6;15;11;8;6;8;14;< 5;3;9,5'
			])
		);
	});

	it('writes the months table in German and the courses table in English', async () => {
		const places = await db.db.selectFrom('locations').select(['id', 'name']).execute();
		const report = await buildReport(db.reader, Q1);
		const months = figureTable('de', 'months', report, namer('de', places).month);
		expect(toCsv(months.header, months.rows).split('\r\n').slice(1)).toEqual([
			'Januar 2026;2;9;9;7;< 5;2,5;8;0;3;4',
			'Februar 2026;2;< 5;< 5;< 5;< 5;3;< 5;< 5;2;3',
			'März 2026;2;< 5;< 5;0;< 5;2,5;< 5;< 5;2;2,5',
			'Gesamt;6;15;11;8;6;8;14;< 5;3;9,5',
			''
		]);
		const courses = figureTable('en', 'courses', report, namer('en', places).course);
		expect(toCsv(courses.header, courses.rows)).toBe(
			crlf([
				'Course;Sessions;Attendances;Learners;New learners;Returning;Hours of training;' +
					'Lessons completed;Courses completed;Active volunteers;Volunteer hours',
				"Book an appointment at the citizens' office online;3;8;7;5;< 5;4;6;< 5;3;5.5",
				'Getting to know the tablet;4;12;10;8;< 5;5.5;8;< 5;3;7',
				'Total;6;15;11;8;6;8;14;< 5;3;9.5'
			])
		);
	});

	it('writes the attributes table: translated values, unknown keys as they are, "< 5"', async () => {
		const table = attributeTable('de', await buildReport(db.reader, Q1));
		expect(toCsv(table.header, table.rows)).toBe(
			crlf([
				'Merkmal;Wert;Lernende',
				'Altersgruppe;30 bis 49;< 5',
				'Altersgruppe;50 bis 64;< 5',
				'Altersgruppe;65 bis 74;5',
				'Altersgruppe;75 bis 84;< 5',
				'Altersgruppe;Keine Angabe;< 5',
				'Zielgruppe;Neu Zugezogene;< 5',
				'Zielgruppe;Ältere Menschen;6',
				'Sprache;Deutsch;6',
				'Sprache;Englisch;< 5',
				'Sprache;pl;< 5',
				'Ohne Zustimmung;;< 5'
			])
		);
	});

	it('lists the held sessions behind the figures', async () => {
		const s1 = {
			id: 's1',
			date: '2026-01-14',
			start: '10:00',
			end: '11:30',
			locationId: LIB,
			title: 'Start',
			courseIds: [TB, CO],
			hours: 1.5,
			volunteers: ['Vera', 'Walter'],
			attended: c(5)
		};
		const s6 = {
			id: 's6',
			date: '2026-01-21',
			start: '09:00',
			end: '10:00',
			locationId: SEN,
			title: 'Treff Januar',
			courseIds: [TB],
			hours: 1,
			volunteers: ['Xaver'],
			attended: small
		};
		const s2 = {
			id: 's2',
			date: '2026-02-11',
			start: '14:00',
			end: '16:00',
			locationId: LIB,
			title: 'Februar',
			courseIds: [TB],
			hours: 2,
			volunteers: ['Vera'],
			attended: small
		};
		const s8 = {
			id: 's8-planned-past',
			date: '2026-02-25',
			start: '16:00',
			end: '17:00',
			locationId: SEN,
			title: 'Treff Feb',
			courseIds: [TB],
			hours: 1,
			volunteers: ['Xaver'],
			attended: c(0)
		};
		const s3 = {
			id: 's3',
			date: '2026-03-04',
			start: '10:00',
			end: '11:00',
			locationId: LIB,
			title: 'Termine buchen',
			courseIds: [CO],
			hours: 1,
			volunteers: ['Walter'],
			attended: small
		};
		const s7 = {
			id: 's7',
			date: '2026-03-18',
			start: '09:00',
			end: '10:30',
			locationId: SEN,
			title: 'Treff März',
			courseIds: [CO],
			hours: 1.5,
			volunteers: ['Xaver'],
			attended: small
		};
		expect(await heldSessionList(db.reader, Q1, {})).toEqual([s1, s6, s2, s8, s3, s7]);
		expect(await heldSessionList(db.reader, Q1, { month: '2026-03' })).toEqual([s3, s7]);
		expect(await heldSessionList(db.reader, { ...Q1, courseId: CO }, {})).toEqual([s1, s3, s7]);
		expect(await heldSessionList(db.reader, { ...Q1, locationIds: [SEN] }, {})).toEqual([
			s6,
			s8,
			s7
		]);
		expect(await heldSessionList(db.reader, EMPTY_PERIOD, {})).toEqual([]);
		// Both ends of the period are included; a session on "today" was held, one after it not.
		const day = (from: string, to: string, today = TODAY) =>
			heldSessionList(db.reader, { ...Q1, period: { from, to }, today }, {});
		expect(await day('2026-01-14', '2026-01-14')).toEqual([s1]);
		expect(await day('2026-03-18', '2026-03-31', '2026-03-18')).toEqual([s7]);
		expect(await day('2026-03-18', '2026-03-31', '2026-03-17')).toEqual([]);
	});

	it("lists a session's attendance; unmarked learners of a closed session are absent", async () => {
		expect(await attendanceList(db.db, 's7')).toEqual({
			session: {
				id: 's7',
				date: '2026-03-18',
				start: '09:00',
				end: '10:30',
				locationId: SEN,
				title: 'Treff März',
				courseIds: [CO],
				hours: 1.5,
				volunteers: ['Xaver'],
				status: 'closed'
			},
			// jonas was removed from the roster and never marked: not listed
			learners: [
				{ name: 'Gerd', status: 'present', roster: 'signed-up' },
				{ name: 'Hans', status: 'absent', roster: 'signed-up' },
				{ name: 'Ilse', status: 'absent', roster: 'signed-up' }
			]
		});
		expect((await attendanceList(db.db, 's2'))?.learners).toEqual([
			{ name: 'Bernd', status: 'absent', roster: 'signed-up' },
			{ name: 'Carla', status: 'present', roster: 'signed-up' },
			{ name: 'Emil', status: 'present', roster: 'signed-up' },
			{ name: 'Fatma', status: 'present', roster: '' }
		]);
		// Not closed (planned, past or future): an unmarked learner stays unmarked.
		const planned = await attendanceList(db.db, 's5-future');
		expect(planned?.session.status).toBe('planned');
		expect(planned?.learners).toEqual([
			{ name: 'Bernd', status: '', roster: 'signed-up' },
			{ name: 'Dana', status: 'present', roster: 'signed-up' }
		]);
		expect((await attendanceList(db.db, 's8-planned-past'))?.learners).toEqual([
			{ name: 'Jonas', status: '', roster: 'signed-up' }
		]);
		expect(await attendanceList(db.db, 'no-such-session')).toBeNull();
	});
});

describe('parseFilter', () => {
	const allPlaces = [{ id: LIB }, { id: SEN }, { id: OFF }];
	const q = (params: Record<string, string>) => new URLSearchParams(params);
	let dataDir = '';

	// A refused place is written to the audit log of the running office.
	beforeAll(async () => {
		dataDir = mkdtempSync(join(tmpdir(), 'lernlotse-reports-'));
		await startOffice({ dataDir });
	});
	afterAll(async () => {
		await stopOffice();
		rmSync(dataDir, { recursive: true, force: true });
	});

	it('defaults to the current quarter at every visible place', () => {
		expect(parseFilter(q({}), coordinator, allPlaces, NOW)).toEqual({
			form: { kind: 'quarter', value: '2026-Q1', from: '', to: '', location: '', course: '' },
			problem: null,
			filter: {
				period: { from: '2026-01-01', to: '2026-03-31' },
				locationIds: [LIB, SEN, OFF],
				courseId: null,
				today: '2026-03-20'
			}
		});
		// An unknown kind of period falls back to the quarter.
		expect(parseFilter(q({ period: 'week' }), coordinator, allPlaces, NOW).form.kind).toBe(
			'quarter'
		);
	});

	it('reads a month, a quarter, a year and a range', () => {
		const period = (params: Record<string, string>) =>
			parseFilter(q(params), coordinator, allPlaces, NOW).filter?.period;
		expect(period({ period: 'month', value: '2026-02' })).toEqual({
			from: '2026-02-01',
			to: '2026-02-28'
		});
		expect(period({ period: 'month', value: '2024-02' })).toEqual({
			from: '2024-02-01',
			to: '2024-02-29'
		});
		expect(period({ period: 'month' })).toEqual({ from: '2026-03-01', to: '2026-03-31' });
		expect(period({ period: 'quarter', value: '2025-Q4' })).toEqual({
			from: '2025-10-01',
			to: '2025-12-31'
		});
		expect(period({ period: 'year', value: '2025' })).toEqual({
			from: '2025-01-01',
			to: '2025-12-31'
		});
		expect(period({ period: 'range', from: '2026-01-10', to: '2026-02-05' })).toEqual({
			from: '2026-01-10',
			to: '2026-02-05'
		});
		expect(period({ period: 'range', from: '2026-02-05', to: '2026-02-05' })).toEqual({
			from: '2026-02-05',
			to: '2026-02-05'
		});
	});

	it('names a reversed, empty or invalid period as a problem, never throws', () => {
		const parse = (params: Record<string, string>) =>
			parseFilter(q(params), coordinator, allPlaces, NOW);
		const reversed = parse({ period: 'range', from: '2026-02-05', to: '2026-01-10' });
		expect(reversed).toEqual({
			form: {
				kind: 'range',
				value: '',
				from: '2026-02-05',
				to: '2026-01-10',
				location: '',
				course: ''
			},
			filter: null,
			problem: 'reversed'
		});
		expect(parse({ period: 'range' })).toMatchObject({ filter: null, problem: 'missing' });
		expect(parse({ period: 'range', from: '2026-01-10', to: '' })).toMatchObject({
			filter: null,
			problem: 'missing'
		});
		expect(parse({ period: 'month', value: '' })).toMatchObject({
			filter: null,
			problem: 'missing'
		});
		expect(parse({ period: 'month', value: '2026-13' })).toMatchObject({
			filter: null,
			problem: 'invalid'
		});
		expect(parse({ period: 'range', from: '2026-02-30', to: '2026-03-01' })).toMatchObject({
			filter: null,
			problem: 'invalid'
		});
		expect(parse({ period: 'range', from: '2000-01-01', to: '2026-01-01' })).toMatchObject({
			filter: null,
			problem: 'too-long'
		});
	});

	it('narrows to one place and one course', () => {
		expect(
			parseFilter(q({ location: SEN, course: CO }), coordinator, allPlaces, NOW).filter
		).toEqual({
			period: { from: '2026-01-01', to: '2026-03-31' },
			locationIds: [SEN],
			courseId: CO,
			today: '2026-03-20'
		});
		// A volunteer sees their own places only.
		expect(parseFilter(q({}), volunteerAtSen, [{ id: SEN }], NOW).filter?.locationIds).toEqual([
			SEN
		]);
	});

	it('refuses a place outside the scope, an unknown place or course with 404', async () => {
		expect404(() => parseFilter(q({ location: LIB }), volunteerAtSen, [{ id: SEN }], NOW));
		expect404(() => parseFilter(q({ location: 'nowhere' }), coordinator, allPlaces, NOW));
		expect404(() => parseFilter(q({ course: 'no-such-course' }), coordinator, allPlaces, NOW));
		// The volunteer's attempt is in the audit log, as a refused access.
		const { db } = await office();
		await vi.waitFor(async () => {
			const denied = await db
				.selectFrom('audit_log')
				.select(['action', 'outcome', 'staff_id', 'target'])
				.where('outcome', '=', 'denied')
				.execute();
			expect(denied).toEqual([
				{
					action: 'access',
					outcome: 'denied',
					staff_id: volunteerAtSen.id,
					target: `location:${LIB}`
				}
			]);
		});
	});
});

describe('CSV', () => {
	it('quotes separators and quotes, and defuses formulas in text but not numbers', () => {
		expect(
			toCsv(
				['Name', 'Wert'],
				[
					['a;b', 'say "hi"'],
					['=1+1', '+49'],
					['-x', '@SUM(A1)'],
					['x', -3]
				]
			)
		).toBe(
			BOM +
				'Name;Wert\r\n' +
				'"a;b";"say ""hi"""\r\n' +
				"'=1+1;'+49\r\n" +
				"'-x;'@SUM(A1)\r\n" +
				'x;-3\r\n'
		);
	});
});
