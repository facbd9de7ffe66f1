/**
 * The change log names a push's progress events for one learner once, as a batch, instead of
 * once per event: a 200-event push writes one log row, not 200 (docs/decisions.md). Older
 * per-event rows stay valid and are still served.
 */
import type { Kysely, Migration } from 'kysely';

export function progressBatches(): Migration {
	return {
		async up(db: Kysely<unknown>) {
			await db.schema.alterTable('progress_events').addColumn('batch_id', 'text').execute();
			await db.schema
				.createIndex('progress_events_batch')
				.on('progress_events')
				.column('batch_id')
				.execute();
			// How many changes a log row stands for, so a pull can keep its pages small.
			await db.schema
				.alterTable('change_log')
				.addColumn('size', 'integer', (c) => c.notNull().defaultTo(1))
				.execute();
		},
		async down() {
			throw new Error('migrations only go forward');
		}
	};
}
