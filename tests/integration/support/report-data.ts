/**
 * A small, KNOWN data set for the attendance and reach report: three places, three volunteers,
 * twelve learners, sessions before, in, after and beside the first quarter of 2026, and lesson
 * completions around it. Rows are inserted directly, so every expected figure in
 * `reports.spec.ts` can be worked out by hand from the tables below (and is, there).
 *
 * Period of the main report: 2026-01-01 … 2026-03-31, "today" 2026-03-20, places LIB and SEN
 * (OFF is outside the filter).
 *
 * Courses (from static/packs):
 *   TB = tablet-basics               lessons tapping, scrolling, keyboard, going-back
 *   CO = citizens-office-appointment lessons why-online, choose-service, pick-slot, your-details,
 *                                            confirm-and-stay-safe
 *
 * Learners (id = lower-case name):
 *   name   home consent age     target          lang
 *   Anna   LIB  yes     65-74   older-resident  de
 *   Bernd  LIB  yes     75-84   older-resident  de
 *   Carla  LIB  yes     65-74   older-resident  de
 *   Dana   LIB  yes     65-74   newcomer        en
 *   Emil   LIB  yes     65-74   older-resident  de
 *   Fatma  LIB  yes     (none)  older-resident  de
 *   Gerd   SEN  (no)    65-74   older-resident  de   attributes kept, consent withdrawn
 *   Hans   SEN  yes     50-64   newcomer        en
 *   Ilse   SEN  (no)    -       -               de
 *   Jonas  SEN  yes     65-74   older-resident  de
 *   Karl   OFF  yes     85-plus other           de   only ever at OFF
 *   Lena   LIB  yes     30-49   newcomer        pl   (a language this version does not offer)
 *
 * Sessions (v = vera, w = walter, x = xaver):
 *   id                  place date        time         courses  vols  status
 *   s-before-office     OFF   2025-10-01  10:00-11:00  TB       w     closed
 *   s-before-cancelled  LIB   2025-11-05  10:00-11:00  TB       v     cancelled
 *   s-before-lib        LIB   2025-12-10  10:00-12:00  TB       v     closed
 *   s1                  LIB   2026-01-14  10:00-11:30  TB,CO    v,w   closed     1.5 h
 *   s6                  SEN   2026-01-21  09:00-10:00  TB       x     closed     1 h
 *   s9-office           OFF   2026-02-04  10:00-12:00  TB       w     closed     (outside filter)
 *   s2                  LIB   2026-02-11  14:00-16:00  TB       v     closed     2 h
 *   s8-planned-past     SEN   2026-02-25  16:00-17:00  TB       x     planned    1 h (held: past)
 *   s3                  LIB   2026-03-04  10:00-11:00  CO       w     closed     1 h
 *   s4-cancelled        LIB   2026-03-11  10:00-12:00  TB       v     cancelled  (not held)
 *   s7                  SEN   2026-03-18  09:00-10:30  CO       x     closed     1.5 h
 *   s5-future           LIB   2026-03-25  10:00-12:00  TB       v     planned    (not held: future)
 *
 * Attendance (status / roster):
 *   s-before-office     hans present/walk-in
 *   s-before-cancelled  dana present                     (cancelled: no history)
 *   s-before-lib        anna present, bernd late, fatma excused (excused: no history)
 *   s1                  anna present, carla present, dana late, emil present, lena present/walk-in,
 *                       fatma absent, gerd excused
 *   s6                  gerd present, hans present, ilse present, jonas late
 *   s9-office           anna present, karl present
 *   s2                  carla present, emil present, fatma present/'' (marked without roster),
 *                       bernd ''/signed-up
 *   s8-planned-past     jonas ''/signed-up
 *   s3                  anna present, bernd present
 *   s4-cancelled        carla present
 *   s7                  gerd present, hans absent, ilse ''/signed-up, jonas ''/removed
 *   s5-future           dana present, bernd ''/signed-up
 *
 * Devices: dev-lib (location LIB), dev-sen (location SEN), dev-office (location OFF), and the
 * personal devices dev-carla, dev-hans, dev-karl (no location: their owner's home place counts).
 *
 * Progress events ('lesson-completed' unless noted; local times):
 *   anna  TB tapping          dev-lib    2026-01-14 10:30
 *   anna  TB tapping          dev-lib    2026-01-14 11:10   (the same lesson again)
 *   carla TB tapping          dev-lib    2026-01-14 10:15
 *   carla TB scrolling        dev-lib    2026-01-14 10:45
 *   carla TB keyboard         dev-carla  2026-01-20 19:00   (own device → LIB)
 *   carla TB going-back       dev-lib    2026-02-11 15:30   (completes TB in Feb at LIB)
 *   bernd TB all four         dev-lib    2025-12-10 11:00…11:30 (TB completed before)
 *   bernd TB going-back       dev-lib    2026-03-04 10:30   (again: lesson counts, course not)
 *   hans  CO why-online       dev-hans   2026-03-05 20:00   (own device → SEN)
 *   hans  CO choose-service   dev-office 2026-03-06 10:00   (OFF: outside filter)
 *   emil  TB scrolling        dev-lib    2025-12-31 23:30   (before)
 *   emil  TB keyboard         dev-lib    2026-03-31 23:30   (last evening: inside)
 *   emil  TB tapping          dev-lib    2026-04-01 00:30   (after)
 *   gerd  CO first four       dev-sen    2026-01-21 09:10…09:40
 *   gerd  CO confirm-and-…    dev-sen    2026-03-18 09:30   (completes CO in Mar at SEN)
 *   jonas TB first three      dev-sen    2025-12-03 10:00…10:20 (before)
 *   jonas TB going-back       dev-sen    2026-02-25 16:30   (completes TB in Feb at SEN)
 *   dana  TB tapping          dev-lib    2026-01-14 10:20   type 'step-completed' (not a lesson)
 *   karl  TB tapping          dev-office 2026-02-04 10:30   (OFF)
 *   karl  TB scrolling        dev-karl   2026-02-05 18:00   (own device → home OFF)
 */
import type { Kysely } from 'kysely';
import { formatHlc } from '../../../src/lib/domain/hlc';
import { rebuildReportFacts } from '../../../src/lib/server/reports/facts';
import type { Database } from '../../../src/lib/server/db/schema';

export const LIB = 'loc-library';
export const SEN = 'loc-senior';
export const OFF = 'loc-office';
export const PLACE_NAMES: Record<string, string> = {
	[LIB]: 'Stadtbibliothek Mitte',
	// A name that a spreadsheet would run as a formula: the CSV must defuse it.
	[SEN]: "=cmd|' /C calc'!A0",
	[OFF]: 'Ehrenamtsbüro Nord'
};

export const TB = 'tablet-basics';
export const CO = 'citizens-office-appointment';

export const VERA = 'staff-vera';
export const WALTER = 'staff-walter';
export const XAVER = 'staff-xaver';

const NOW = '2026-03-20T12:00:00.000Z';

interface LearnerSpec {
	name: string;
	home: string;
	consent: string;
	age: string;
	target: string;
	lang: string;
}

const LEARNERS: LearnerSpec[] = [
	{ name: 'Anna', home: LIB, consent: 'yes', age: '65-74', target: 'older-resident', lang: 'de' },
	{ name: 'Bernd', home: LIB, consent: 'yes', age: '75-84', target: 'older-resident', lang: 'de' },
	{ name: 'Carla', home: LIB, consent: 'yes', age: '65-74', target: 'older-resident', lang: 'de' },
	{ name: 'Dana', home: LIB, consent: 'yes', age: '65-74', target: 'newcomer', lang: 'en' },
	{ name: 'Emil', home: LIB, consent: 'yes', age: '65-74', target: 'older-resident', lang: 'de' },
	{ name: 'Fatma', home: LIB, consent: 'yes', age: '', target: 'older-resident', lang: 'de' },
	{ name: 'Gerd', home: SEN, consent: '', age: '65-74', target: 'older-resident', lang: 'de' },
	{ name: 'Hans', home: SEN, consent: 'yes', age: '50-64', target: 'newcomer', lang: 'en' },
	{ name: 'Ilse', home: SEN, consent: '', age: '', target: '', lang: 'de' },
	{ name: 'Jonas', home: SEN, consent: 'yes', age: '65-74', target: 'older-resident', lang: 'de' },
	{ name: 'Karl', home: OFF, consent: 'yes', age: '85-plus', target: 'other', lang: 'de' },
	{ name: 'Lena', home: LIB, consent: 'yes', age: '30-49', target: 'newcomer', lang: 'pl' }
];

/** [id, place, date, start, end, courses, volunteers, status, title] */
type SessionSpec = [string, string, string, string, string, string, string, string, string];

export const SESSIONS: SessionSpec[] = [
	['s-before-office', OFF, '2025-10-01', '10:00', '11:00', TB, WALTER, 'closed', 'Herbst'],
	['s-before-cancelled', LIB, '2025-11-05', '10:00', '11:00', TB, VERA, 'cancelled', 'Ausfall'],
	['s-before-lib', LIB, '2025-12-10', '10:00', '12:00', TB, VERA, 'closed', 'Dezember'],
	[
		's1',
		LIB,
		'2026-01-14',
		'10:00',
		'11:30',
		`${TB},${CO}`,
		`${VERA},${WALTER}`,
		'closed',
		'Start'
	],
	['s6', SEN, '2026-01-21', '09:00', '10:00', TB, XAVER, 'closed', 'Treff Januar'],
	['s9-office', OFF, '2026-02-04', '10:00', '12:00', TB, WALTER, 'closed', 'Büro'],
	['s2', LIB, '2026-02-11', '14:00', '16:00', TB, VERA, 'closed', 'Februar'],
	['s8-planned-past', SEN, '2026-02-25', '16:00', '17:00', TB, XAVER, 'planned', 'Treff Feb'],
	['s3', LIB, '2026-03-04', '10:00', '11:00', CO, WALTER, 'closed', 'Termine buchen'],
	['s4-cancelled', LIB, '2026-03-11', '10:00', '12:00', TB, VERA, 'cancelled', 'Ausfall März'],
	['s7', SEN, '2026-03-18', '09:00', '10:30', CO, XAVER, 'closed', 'Treff März'],
	['s5-future', LIB, '2026-03-25', '10:00', '12:00', TB, VERA, 'planned', 'Bald']
];

/** [session, learner, status, roster] */
const ATTENDANCE: [string, string, string, string][] = [
	['s-before-office', 'hans', 'present', 'walk-in'],
	['s-before-cancelled', 'dana', 'present', 'signed-up'],
	['s-before-lib', 'anna', 'present', 'signed-up'],
	['s-before-lib', 'bernd', 'late', 'signed-up'],
	['s-before-lib', 'fatma', 'excused', 'signed-up'],
	['s1', 'anna', 'present', 'signed-up'],
	['s1', 'carla', 'present', 'signed-up'],
	['s1', 'dana', 'late', 'signed-up'],
	['s1', 'emil', 'present', 'signed-up'],
	['s1', 'lena', 'present', 'walk-in'],
	['s1', 'fatma', 'absent', 'signed-up'],
	['s1', 'gerd', 'excused', 'signed-up'],
	['s6', 'gerd', 'present', 'signed-up'],
	['s6', 'hans', 'present', 'signed-up'],
	['s6', 'ilse', 'present', 'signed-up'],
	['s6', 'jonas', 'late', 'signed-up'],
	['s9-office', 'anna', 'present', 'signed-up'],
	['s9-office', 'karl', 'present', 'signed-up'],
	['s2', 'carla', 'present', 'signed-up'],
	['s2', 'emil', 'present', 'signed-up'],
	['s2', 'fatma', 'present', ''],
	['s2', 'bernd', '', 'signed-up'],
	['s8-planned-past', 'jonas', '', 'signed-up'],
	['s3', 'anna', 'present', 'signed-up'],
	['s3', 'bernd', 'present', 'signed-up'],
	['s4-cancelled', 'carla', 'present', 'signed-up'],
	['s7', 'gerd', 'present', 'signed-up'],
	['s7', 'hans', 'absent', 'signed-up'],
	['s7', 'ilse', '', 'signed-up'],
	['s7', 'jonas', '', 'removed'],
	['s5-future', 'dana', 'present', 'signed-up'],
	['s5-future', 'bernd', '', 'signed-up']
];

/** [device, kind, place] */
const DEVICES: [string, 'location' | 'personal', string | null][] = [
	['dev-lib', 'location', LIB],
	['dev-sen', 'location', SEN],
	['dev-office', 'location', OFF],
	['dev-carla', 'personal', null],
	['dev-hans', 'personal', null],
	['dev-karl', 'personal', null]
];

/** [learner, course, lesson, device, local "YYYY-MM-DD HH:MM", type] */
const EVENTS: [string, string, string, string, string, string?][] = [
	['anna', TB, 'tapping', 'dev-lib', '2026-01-14 10:30'],
	['anna', TB, 'tapping', 'dev-lib', '2026-01-14 11:10'],
	['carla', TB, 'tapping', 'dev-lib', '2026-01-14 10:15'],
	['carla', TB, 'scrolling', 'dev-lib', '2026-01-14 10:45'],
	['carla', TB, 'keyboard', 'dev-carla', '2026-01-20 19:00'],
	['carla', TB, 'going-back', 'dev-lib', '2026-02-11 15:30'],
	['bernd', TB, 'tapping', 'dev-lib', '2025-12-10 11:00'],
	['bernd', TB, 'scrolling', 'dev-lib', '2025-12-10 11:10'],
	['bernd', TB, 'keyboard', 'dev-lib', '2025-12-10 11:20'],
	['bernd', TB, 'going-back', 'dev-lib', '2025-12-10 11:30'],
	['bernd', TB, 'going-back', 'dev-lib', '2026-03-04 10:30'],
	['hans', CO, 'why-online', 'dev-hans', '2026-03-05 20:00'],
	['hans', CO, 'choose-service', 'dev-office', '2026-03-06 10:00'],
	['emil', TB, 'scrolling', 'dev-lib', '2025-12-31 23:30'],
	['emil', TB, 'keyboard', 'dev-lib', '2026-03-31 23:30'],
	['emil', TB, 'tapping', 'dev-lib', '2026-04-01 00:30'],
	['gerd', CO, 'why-online', 'dev-sen', '2026-01-21 09:10'],
	['gerd', CO, 'choose-service', 'dev-sen', '2026-01-21 09:20'],
	['gerd', CO, 'pick-slot', 'dev-sen', '2026-01-21 09:30'],
	['gerd', CO, 'your-details', 'dev-sen', '2026-01-21 09:40'],
	['gerd', CO, 'confirm-and-stay-safe', 'dev-sen', '2026-03-18 09:30'],
	['jonas', TB, 'tapping', 'dev-sen', '2025-12-03 10:00'],
	['jonas', TB, 'scrolling', 'dev-sen', '2025-12-03 10:10'],
	['jonas', TB, 'keyboard', 'dev-sen', '2025-12-03 10:20'],
	['jonas', TB, 'going-back', 'dev-sen', '2026-02-25 16:30'],
	['dana', TB, 'tapping', 'dev-lib', '2026-01-14 10:20', 'step-completed'],
	['karl', TB, 'tapping', 'dev-office', '2026-02-04 10:30'],
	['karl', TB, 'scrolling', 'dev-karl', '2026-02-05 18:00']
];

/** Milliseconds of a local wall-clock time, as a tablet's clock would stamp it. */
export function localMs(dateTime: string): number {
	const [date, time] = dateTime.split(' ') as [string, string];
	const [y, m, d] = date.split('-').map(Number) as [number, number, number];
	const [h, min] = time.split(':').map(Number) as [number, number];
	return new Date(y, m - 1, d, h, min).getTime();
}

export async function seedReportData(db: Kysely<Database>): Promise<void> {
	await db
		.insertInto('locations')
		.values([
			{ id: LIB, name: PLACE_NAMES[LIB]!, kind: 'library', address: null, created_at: NOW },
			{ id: SEN, name: PLACE_NAMES[SEN]!, kind: 'senior-centre', address: null, created_at: NOW },
			{ id: OFF, name: PLACE_NAMES[OFF]!, kind: 'volunteer-office', address: null, created_at: NOW }
		])
		.execute();
	await db
		.insertInto('staff')
		.values(
			(
				[
					[VERA, 'Vera'],
					[WALTER, 'Walter'],
					[XAVER, 'Xaver']
				] as const
			).map(([id, name]) => ({
				id,
				email: `${name.toLowerCase()}@example.org`,
				display_name: name,
				role: 'volunteer',
				password_hash: 'not-a-real-hash',
				must_change_password: 0,
				created_at: NOW,
				password_changed_at: NOW,
				disabled_at: null
			}))
		)
		.execute();
	await db
		.insertInto('learners')
		.values(
			LEARNERS.map((l) => ({
				id: l.name.toLowerCase(),
				name: l.name,
				name_hlc: '',
				avatar: 'sun',
				avatar_hlc: '',
				lang: l.lang,
				lang_hlc: '',
				created_at: NOW,
				updated_at: NOW,
				home_location_id: l.home,
				consent: l.consent,
				consent_hlc: '',
				age_group: l.age,
				age_group_hlc: '',
				target_group: l.target,
				target_group_hlc: '',
				erased_at: null
			}))
		)
		.execute();
	await db
		.insertInto('training_sessions')
		.values(
			SESSIONS.map(([id, place, date, start, end, courses, volunteers, status, title]) => ({
				id,
				location_id: place,
				series_id: null,
				series_index: null,
				title,
				course_ids: courses,
				date,
				start_time: start,
				end_time: end,
				room: 'Raum 1',
				volunteer_ids: volunteers,
				capacity: 12,
				status,
				stamps: '{}',
				created_by: VERA,
				created_at: NOW,
				updated_at: NOW
			}))
		)
		.execute();
	await db
		.insertInto('attendance')
		.values(
			ATTENDANCE.map(([session, learner, status, roster]) => ({
				session_id: session,
				learner_id: learner,
				roster,
				status,
				note: '',
				help_seen: '',
				stamps: '{}',
				updated_by: VERA,
				updated_at: NOW
			}))
		)
		.execute();
	await db
		.insertInto('devices')
		.values(
			DEVICES.map(([id, kind, place]) => ({
				id,
				first_seen_at: NOW,
				last_seen_at: NOW,
				last_seq: 0,
				gaps: '[]',
				outbox_size: null,
				outbox_oldest_age_s: null,
				kind,
				location_id: place,
				name: id,
				credential_hash: null,
				enrolled_at: NOW,
				enrolled_by: VERA,
				revoked_at: null,
				revoked_by: null
			}))
		)
		.execute();
	await db
		.insertInto('progress_events')
		.values(
			EVENTS.map(([learner, course, lesson, device, at, type], i) => ({
				id: `event-${String(i + 1).padStart(2, '0')}`,
				learner_id: learner,
				course_id: course,
				course_version: 1,
				lesson_id: lesson,
				step_id: null,
				type: type ?? 'lesson-completed',
				attempts: 1,
				checkpoint: null,
				hlc: formatHlc({ ms: localMs(at), counter: 0, node: device }),
				device_id: device,
				received_at: NOW,
				batch_id: null
			}))
		)
		.execute();
	// The rows went in directly, past the writes that keep the report facts: make them now.
	await rebuildReportFacts(db);
}
