/**
 * Report facts (issue 6): tables derived from sessions, attendance and progress events that the
 * reports read instead of the raw records (see `server/reports/facts.ts`, which keeps them up
 * to date on every write). Learners and places are numbered for them: grouping and counting
 * small integers is several times faster than 36-character ids, which decides whether a
 * county's two-year report answers in time (docs/benchmarks.md). Filled from the records
 * already stored by migration 009 (this one did until 009 changed what the facts are).
 */
import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../connection';

export function reportFacts(dialect: Dialect): Migration {
	return {
		async up(db: Kysely<unknown>) {
			for (const [table, column] of [
				['fact_learners', 'learner_id'],
				['fact_places', 'location_id']
			] as const) {
				await db.schema
					.createTable(table)
					.addColumn('no', dialect === 'postgres' ? 'serial' : 'integer', (c) => c.primaryKey())
					.addColumn(column, 'text', (c) => c.notNull().unique())
					.execute();
			}

			await db.schema
				.createTable('attendance_facts')
				.addColumn('session_id', 'text', (c) => c.notNull())
				.addColumn('learner_id', 'text', (c) => c.notNull())
				.addColumn('learner_no', 'integer', (c) => c.notNull())
				.addColumn('location_no', 'integer', (c) => c.notNull())
				.addColumn('date', 'text', (c) => c.notNull())
				.addColumn('month', 'integer', (c) => c.notNull())
				.addPrimaryKeyConstraint('attendance_facts_pk', ['session_id', 'learner_id'])
				.execute();
			// The days at the ends of a period; a learner's attendances for their month counts.
			await db.schema
				.createIndex('attendance_facts_date')
				.on('attendance_facts')
				.columns(['date', 'location_no', 'learner_no', 'month'])
				.execute();
			await db.schema
				.createIndex('attendance_facts_learner')
				.on('attendance_facts')
				.columns(['learner_no', 'date'])
				.execute();

			await db.schema
				.createTable('first_attendance')
				.addColumn('learner_no', 'integer', (c) => c.primaryKey())
				.addColumn('date', 'text', (c) => c.notNull())
				.addColumn('month', 'integer', (c) => c.notNull())
				.execute();

			await db.schema
				.createTable('session_courses')
				.addColumn('session_id', 'text', (c) => c.notNull())
				.addColumn('course_id', 'text', (c) => c.notNull())
				.addPrimaryKeyConstraint('session_courses_pk', ['session_id', 'course_id'])
				.execute();

			// Month counts, with covering indexes in the orders the reports group by.
			await db.schema
				.createTable('attendance_months')
				.addColumn('month', 'integer', (c) => c.notNull())
				.addColumn('location_no', 'integer', (c) => c.notNull())
				.addColumn('learner_no', 'integer', (c) => c.notNull())
				.addColumn('visits', 'integer', (c) => c.notNull())
				.addPrimaryKeyConstraint('attendance_months_pk', ['month', 'location_no', 'learner_no'])
				.execute();
			await db.schema
				.createIndex('attendance_months_place')
				.on('attendance_months')
				.columns(['location_no', 'learner_no', 'month', 'visits'])
				.execute();
			await db.schema
				.createIndex('attendance_months_learner')
				.on('attendance_months')
				.columns(['learner_no', 'month', 'location_no', 'visits'])
				.execute();

			await db.schema
				.createTable('attendance_course_months')
				.addColumn('month', 'integer', (c) => c.notNull())
				.addColumn('course_id', 'text', (c) => c.notNull())
				.addColumn('location_no', 'integer', (c) => c.notNull())
				.addColumn('learner_no', 'integer', (c) => c.notNull())
				.addColumn('visits', 'integer', (c) => c.notNull())
				.addPrimaryKeyConstraint('attendance_course_months_pk', [
					'month',
					'course_id',
					'location_no',
					'learner_no'
				])
				.execute();
			await db.schema
				.createIndex('attendance_course_months_course')
				.on('attendance_course_months')
				.columns(['course_id', 'learner_no', 'month', 'location_no', 'visits'])
				.execute();
			await db.schema
				.createIndex('attendance_course_months_learner')
				.on('attendance_course_months')
				.columns(['learner_no', 'month'])
				.execute();

			// Sessions held per place and month, in all ('' course) and per course: additive sums,
			// and the volunteers who ran them.
			await db.schema
				.createTable('session_months')
				.addColumn('month', 'integer', (c) => c.notNull())
				.addColumn('location_no', 'integer', (c) => c.notNull())
				.addColumn('course_id', 'text', (c) => c.notNull())
				.addColumn('sessions', 'integer', (c) => c.notNull())
				.addColumn('minutes', 'integer', (c) => c.notNull())
				.addColumn('volunteer_minutes', 'integer', (c) => c.notNull())
				.addPrimaryKeyConstraint('session_months_pk', ['month', 'location_no', 'course_id'])
				.execute();
			await db.schema
				.createTable('volunteer_months')
				.addColumn('month', 'integer', (c) => c.notNull())
				.addColumn('location_no', 'integer', (c) => c.notNull())
				.addColumn('course_id', 'text', (c) => c.notNull())
				.addColumn('staff_id', 'text', (c) => c.notNull())
				.addPrimaryKeyConstraint('volunteer_months_pk', [
					'month',
					'location_no',
					'course_id',
					'staff_id'
				])
				.execute();

			await db.schema
				.createTable('fact_lessons')
				.addColumn('no', dialect === 'postgres' ? 'serial' : 'integer', (c) => c.primaryKey())
				.addColumn('course_id', 'text', (c) => c.notNull())
				.addColumn('lesson_id', 'text', (c) => c.notNull())
				.addUniqueConstraint('fact_lessons_lesson', ['course_id', 'lesson_id'])
				.execute();
			await db.schema
				.createTable('lesson_completions')
				.addColumn('event_id', 'text', (c) => c.primaryKey())
				.addColumn('learner_no', 'integer', (c) => c.notNull())
				.addColumn('lesson_no', 'integer', (c) => c.notNull())
				.addColumn('course_id', 'text', (c) => c.notNull())
				.addColumn('day', 'text', (c) => c.notNull())
				.addColumn('location_no', 'integer')
				.execute();
			await db.schema
				.createIndex('lesson_completions_day')
				.on('lesson_completions')
				.columns(['day', 'location_no', 'learner_no', 'lesson_no', 'course_id'])
				.execute();

			await db.schema
				.createTable('lesson_firsts')
				.addColumn('learner_no', 'integer', (c) => c.notNull())
				.addColumn('course_id', 'text', (c) => c.notNull())
				.addColumn('lesson_id', 'text', (c) => c.notNull())
				.addColumn('first_hlc', 'text', (c) => c.notNull())
				.addColumn('location_no', 'integer')
				.addPrimaryKeyConstraint('lesson_firsts_pk', ['learner_no', 'course_id', 'lesson_id'])
				.execute();
			await db.schema
				.createIndex('lesson_firsts_course')
				.on('lesson_firsts')
				.columns(['course_id', 'first_hlc', 'learner_no'])
				.execute();
		},
		async down() {
			throw new Error('migrations only go forward');
		}
	};
}
