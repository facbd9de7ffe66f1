/**
 * Report cells (issue 6, the two-year report of a county): the month tables of migration 006,
 * one row per learner, place and month, give way to one packed row per place and month
 * (`server/reports/cells.ts`), which a report reads in a few thousand rows instead of sixty
 * thousand; the same for lessons completed, which a report counted from every completion. Migration 006 no longer fills the facts itself (it would run today's code against
 * yesterday's tables): an office that never had facts gets them all here, one that had them
 * gets its cells made from them.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../connection';
import type { Database } from '../schema';
import { rebuildReportFacts } from '../../reports/facts';
import { rebuildCells } from '../../reports/cells';

export function reportCells(dialect: Dialect): Migration {
	const bytes = dialect === 'postgres' ? 'bytea' : 'blob';
	return {
		async up(db: Kysely<unknown>) {
			await db.schema.dropTable('attendance_months').execute();
			await db.schema.dropTable('attendance_course_months').execute();
			await db.schema
				.createTable('visit_cells')
				.addColumn('month', 'integer', (c) => c.notNull())
				.addColumn('location_no', 'integer', (c) => c.notNull())
				.addColumn('course_id', 'text', (c) => c.notNull())
				.addColumn('learners', sql.raw(bytes), (c) => c.notNull())
				.addPrimaryKeyConstraint('visit_cells_pk', ['month', 'location_no', 'course_id'])
				.execute();
			await db.schema
				.createTable('lesson_cells')
				.addColumn('month', 'integer', (c) => c.notNull())
				.addColumn('location_no', 'integer', (c) => c.notNull())
				.addColumn('course_id', 'text', (c) => c.notNull())
				.addColumn('learners', sql.raw(bytes), (c) => c.notNull())
				.addPrimaryKeyConstraint('lesson_cells_pk', ['month', 'location_no', 'course_id'])
				.execute();
			await db.schema
				.createTable('first_cells')
				.addColumn('month', 'integer', (c) => c.primaryKey())
				.addColumn('learners', sql.raw(bytes), (c) => c.notNull())
				.execute();
			// A write remakes the cells of one place and month from these, reading only its rows.
			await db.schema
				.createIndex('attendance_facts_place')
				.on('attendance_facts')
				.columns(['location_no', 'month', 'learner_no'])
				.execute();
			await db.schema
				.createIndex('lesson_completions_place')
				.on('lesson_completions')
				.columns(['location_no', 'day', 'course_id', 'learner_no', 'lesson_no'])
				.execute();
			// The first-attendance cells of a month are made from this.
			await db.schema
				.createIndex('first_attendance_month')
				.on('first_attendance')
				.columns(['month', 'learner_no'])
				.execute();

			const facts = db as Kysely<Database>;
			const numbered = await facts.selectFrom('fact_learners').select('no').limit(1).execute();
			const placed = await facts.selectFrom('fact_places').select('no').limit(1).execute();
			if (numbered.length === 0 && placed.length === 0) await rebuildReportFacts(facts);
			else await rebuildCells(facts);
		},
		async down() {
			throw new Error('migrations only go forward');
		}
	};
}
