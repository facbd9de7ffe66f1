/**
 * Course publishing (issue 8): the office uploads or edits a course, checks it as a learner
 * would, and publishes it; tablets install the new version at their next sync.
 * `course_releases` keeps every upload and edit with its source files, `course_files` the
 * compiled packs and images that tablets download (named by content hash, never changed),
 * `course_states` which release is live for a course and whether it is withdrawn.
 */
import type { Kysely, Migration } from 'kysely';

export function courseReleases(): Migration {
	return {
		async up(db: Kysely<unknown>) {
			await db.schema
				.createTable('course_releases')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('course_id', 'text', (c) => c.notNull())
				// 'draft' until published; then 'published' for good (it may be live or not).
				.addColumn('state', 'text', (c) => c.notNull())
				.addColumn('version', 'integer')
				// JSON: relative path → text (YAML) or base64 (images).
				.addColumn('sources', 'text', (c) => c.notNull())
				// JSON: the index entry tablets read, set when published.
				.addColumn('entry', 'text')
				.addColumn('origin', 'text', (c) => c.notNull())
				.addColumn('created_at', 'text', (c) => c.notNull())
				.addColumn('created_by', 'text', (c) => c.notNull())
				.addColumn('published_at', 'text')
				.addColumn('published_by', 'text')
				.execute();
			await db.schema
				.createIndex('course_releases_course')
				.on('course_releases')
				.columns(['course_id', 'created_at'])
				.execute();
			await db.schema
				.createTable('course_files')
				.addColumn('url', 'text', (c) => c.primaryKey())
				.addColumn('content_type', 'text', (c) => c.notNull())
				// Base64, so one text column serves SQLite and PostgreSQL alike.
				.addColumn('data', 'text', (c) => c.notNull())
				.addColumn('release_id', 'text', (c) => c.notNull())
				.execute();
			await db.schema
				.createTable('course_states')
				.addColumn('course_id', 'text', (c) => c.primaryKey())
				// Null: the version shipped with the app is live.
				.addColumn('live_release_id', 'text')
				.addColumn('withdrawn_at', 'text')
				.addColumn('updated_at', 'text', (c) => c.notNull())
				.addColumn('updated_by', 'text', (c) => c.notNull())
				.execute();
		},
		async down() {
			throw new Error('migrations only go forward');
		}
	};
}
