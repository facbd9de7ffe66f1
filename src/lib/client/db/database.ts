/**
 * The device's one IndexedDB database. Each schema change is a new version with an upgrade
 * function, tested from the version before it with real data in it.
 */
import { Dexie, type EntityTable, type Table } from 'dexie';
import { deriveAll } from '../../domain/progress/derive';
import type {
	CourseRecord,
	DraftRecord,
	LearnerRecord,
	AttendanceRecord,
	LessonStateRecord,
	MetaRecord,
	SessionRecord,
	OutboxRecord,
	ProgressRecord
} from './records';

export const DATABASE_NAME = 'lernlotse';

/** Version 1: the first release, before derived lesson state, drafts and the outbox. */
export const SCHEMA_V1 = {
	learners: '&id, name',
	courses: '&[id+lang], id',
	progress: '&id, [learnerId+courseId], learnerId',
	meta: '&key'
};

/** Version 2: lesson state derived and stored, unfinished answers, the sync outbox. */
export const SCHEMA_V2 = {
	...SCHEMA_V1,
	lessonState: '&[learnerId+courseId+lessonId], [learnerId+courseId], learnerId',
	drafts: '&[learnerId+courseId+lessonId], learnerId',
	outbox: '++seq, &mutationId'
};

/** Version 3: training sessions and attendance, for volunteer mode (issue 5). */
export const SCHEMA_V3 = {
	...SCHEMA_V2,
	sessions: '&id, date, seriesId',
	attendance: '&[sessionId+learnerId], sessionId, learnerId'
};

export const SCHEMA_VERSION = 3;

export class LernlotseDatabase extends Dexie {
	learners!: EntityTable<LearnerRecord, 'id'>;
	courses!: Table<CourseRecord, [string, string]>;
	progress!: EntityTable<ProgressRecord, 'id'>;
	lessonState!: Table<LessonStateRecord, [string, string, string]>;
	drafts!: Table<DraftRecord, [string, string, string]>;
	outbox!: Table<OutboxRecord, number>;
	meta!: EntityTable<MetaRecord, 'key'>;
	sessions!: EntityTable<SessionRecord, 'id'>;
	attendance!: Table<AttendanceRecord, [string, string]>;

	constructor(name = DATABASE_NAME, options?: ConstructorParameters<typeof Dexie>[1]) {
		super(name, options);
		this.version(1).stores(SCHEMA_V1);
		this.version(2)
			.stores(SCHEMA_V2)
			.upgrade(async (tx) => {
				// Lesson state used to be computed on every visit; now it is stored, so derive it
				// once from the events already on the device. Events stay untouched.
				const events = await tx.table<ProgressRecord>('progress').toArray();
				await tx.table<LessonStateRecord>('lessonState').bulkPut(deriveAll(events));
			});
		// New tables only: everything already on the device stays as it is.
		this.version(3).stores(SCHEMA_V3);
	}
}
