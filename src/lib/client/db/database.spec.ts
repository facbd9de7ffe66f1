import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import { formatHlc, parseHlc } from '../../domain/hlc';
import { deriveAll } from '../../domain/progress/derive';
import type { NewProgressEvent, ProgressEvent } from '../../domain/progress/events';
import { freshDatabase, track, uniqueName } from './test-databases';
import { LernlotseDatabase, SCHEMA_V1, SCHEMA_VERSION } from './database';
import { LAST_STAMP, openDevice } from './device';
import { classifyStorageError } from './errors';
import {
	checkLearnerName,
	createLearner,
	updateLearner,
	listLearners,
	NAME_MAX_LENGTH
} from './learners';
import { lessonStatesOf, recordProgress } from './progress';
import type { CourseRecord, LearnerRecord, OutboxRecord } from './records';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const at = (ms: number, counter = 0) => formatHlc({ ms, counter, node: 'old-device' });

function storedEvent(
	id: string,
	overrides: Partial<ProgressEvent> & Pick<ProgressEvent, 'type' | 'hlc'>
): ProgressEvent {
	return {
		id,
		learnerId: 'learner-anna',
		courseId: 'tablet-basics',
		courseVersion: 1,
		lessonId: 'tapping',
		stepId: null,
		deviceId: 'old-device',
		...overrides
	};
}

function newEvent(
	overrides: Partial<NewProgressEvent> & Pick<NewProgressEvent, 'type'>
): NewProgressEvent {
	return {
		learnerId: 'learner-anna',
		courseId: 'tablet-basics',
		courseVersion: 1,
		lessonId: 'tapping',
		stepId: null,
		...overrides
	};
}

describe('upgrade from schema version 1', () => {
	const anna: LearnerRecord = {
		id: 'learner-anna',
		name: 'Anna',
		avatar: 'owl',
		lang: 'de',
		createdAt: '2024-05-01T10:00:00.000Z',
		updatedAt: '2024-05-01T10:00:00.000Z'
	};
	const ben: LearnerRecord = { ...anna, id: 'learner-ben', name: 'Ben', lang: 'en' };
	const course: CourseRecord = {
		id: 'tablet-basics',
		lang: 'de',
		version: 1,
		hash: 'abc123',
		title: 'Das Tablet kennenlernen',
		pack: null,
		problem: 'kept as it was',
		installedAt: '2024-05-01T10:00:00.000Z'
	};
	const events: ProgressEvent[] = [
		storedEvent('e1', { type: 'step-viewed', stepId: 'why-tap', hlc: at(100) }),
		storedEvent('e2', { type: 'step-completed', stepId: 'why-tap', hlc: at(101), attempts: 1 }),
		storedEvent('e3', { type: 'step-viewed', stepId: 'first-tap', hlc: at(102) }),
		storedEvent('e4', { type: 'help-requested', stepId: 'first-tap', hlc: at(103) }),
		storedEvent('e5', { type: 'lesson-completed', hlc: at(200), lessonId: 'scrolling' }),
		storedEvent('e6', {
			type: 'step-viewed',
			stepId: 'hello',
			hlc: at(150),
			learnerId: 'learner-ben'
		})
	];
	const meta = [
		{ key: 'deviceId', value: 'old-device' },
		{ key: 'city', value: 'Musterstadt' }
	];

	async function createVersion1(name: string) {
		const v1 = new Dexie(name);
		v1.version(1).stores(SCHEMA_V1);
		await v1.open();
		await v1.table('learners').bulkPut([anna, ben]);
		await v1.table('courses').put(course);
		await v1.table('progress').bulkPut(events);
		await v1.table('meta').bulkPut(meta);
		v1.close();
	}

	it('keeps every row and derives lesson state from the events', async () => {
		const name = uniqueName('upgrade');
		await createVersion1(name);

		const db = track(new LernlotseDatabase(name));
		await db.open();

		expect(db.verno).toBe(SCHEMA_VERSION);
		expect(await db.learners.orderBy('name').toArray()).toEqual([anna, ben]);
		expect(await db.courses.toArray()).toEqual([course]);
		expect(await db.progress.orderBy('id').toArray()).toEqual(events);
		expect(await db.meta.orderBy('key').toArray()).toEqual([meta[1], meta[0]]);

		const states = await db.lessonState.toArray();
		expect(states).toHaveLength(3);
		expect(await db.lessonState.get(['learner-anna', 'tablet-basics', 'tapping'])).toMatchObject({
			currentStepId: 'first-tap',
			completedStepIds: ['why-tap'],
			helpStepIds: ['first-tap'],
			helpCount: 1,
			completed: false,
			startedAt: at(100),
			updatedAt: at(103)
		});
		expect(await db.lessonState.get(['learner-anna', 'tablet-basics', 'scrolling'])).toMatchObject({
			completed: true,
			completedAt: at(200)
		});
		expect(await lessonStatesOf(db, 'learner-ben')).toEqual(deriveAll([events[5]!]));
	});

	it('starts the new tables empty', async () => {
		const name = uniqueName('upgrade-empty');
		await createVersion1(name);
		const db = track(new LernlotseDatabase(name));
		await db.open();
		expect(await db.drafts.count()).toBe(0);
		expect(await db.outbox.count()).toBe(0);
	});

	it('upgrades a version 1 database without any progress', async () => {
		const name = uniqueName('upgrade-no-progress');
		const v1 = new Dexie(name);
		v1.version(1).stores(SCHEMA_V1);
		await v1.open();
		await v1.table('learners').put(anna);
		v1.close();

		const db = track(new LernlotseDatabase(name));
		await db.open();
		expect(await db.learners.get('learner-anna')).toEqual(anna);
		expect(await db.lessonState.count()).toBe(0);
	});
});

describe('openDevice', () => {
	it('gives the device a UUIDv7 id and a clock named after it', async () => {
		const db = await freshDatabase('device');
		const device = await openDevice(db);
		expect(device.id).toMatch(UUID_V7);
		expect(device.clock.node).toBe(device.id);
		expect(parseHlc(device.clock.tick()).node).toBe(device.id);
		expect((await db.meta.get('deviceId'))?.value).toBe(device.id);
	});

	it('keeps the same id across openings', async () => {
		const db = await freshDatabase('device-again');
		const first = await openDevice(db);
		const second = await openDevice(db);
		expect(second.id).toBe(first.id);
	});

	it('continues after the last stored stamp even when the wall clock is behind it', async () => {
		const db = await freshDatabase('device-clock');
		const future = formatHlc({ ms: Date.now() + 365 * 24 * 3600 * 1000, counter: 3, node: 'x' });
		await db.meta.put({ key: LAST_STAMP, value: future });
		const device = await openDevice(db);
		expect(device.clock.tick() > future).toBe(true);
	});
});

describe('recordProgress', () => {
	it('writes the events, one outbox row per event, the lesson state and the last stamp', async () => {
		const db = await freshDatabase('record');
		const device = await openDevice(db);
		const events = await recordProgress(db, device, [
			newEvent({ type: 'step-viewed', stepId: 'why-tap' }),
			newEvent({ type: 'step-completed', stepId: 'why-tap', attempts: 1 })
		]);

		expect(events).toHaveLength(2);
		for (const e of events) {
			expect(e.id).toMatch(UUID_V7);
			expect(e.deviceId).toBe(device.id);
		}
		expect(events[1]!.hlc > events[0]!.hlc).toBe(true);
		expect(await db.progress.toArray()).toEqual(expect.arrayContaining(events));
		expect(await db.progress.count()).toBe(2);

		const outbox = await db.outbox.orderBy('seq').toArray();
		expect(outbox.map((o) => [o.kind, o.mutationId, o.hlc, o.payload])).toEqual(
			events.map((e) => ['progress', e.id, e.hlc, e])
		);

		expect(await lessonStatesOf(db, 'learner-anna', 'tablet-basics')).toEqual([
			expect.objectContaining({
				lessonId: 'tapping',
				currentStepId: 'why-tap',
				completedStepIds: ['why-tap'],
				startedAt: events[0]!.hlc,
				updatedAt: events[1]!.hlc
			})
		]);
		expect((await db.meta.get(LAST_STAMP))?.value).toBe(events[1]!.hlc);
	});

	it('derives the lesson state from all events of the lesson, not only the new ones', async () => {
		const db = await freshDatabase('record-twice');
		const device = await openDevice(db);
		await recordProgress(db, device, [newEvent({ type: 'step-completed', stepId: 'a' })]);
		await recordProgress(db, device, [
			newEvent({ type: 'step-completed', stepId: 'b' }),
			newEvent({ type: 'lesson-completed' })
		]);
		const [state] = await lessonStatesOf(db, 'learner-anna');
		expect(state).toMatchObject({ completedStepIds: ['a', 'b'], completed: true });
		expect(await db.outbox.count()).toBe(3);
	});

	it('updates every lesson touched in one call', async () => {
		const db = await freshDatabase('record-lessons');
		const device = await openDevice(db);
		await recordProgress(db, device, [
			newEvent({ type: 'step-viewed', stepId: 'a' }),
			newEvent({ type: 'step-viewed', stepId: 'x', lessonId: 'scrolling' })
		]);
		const states = await lessonStatesOf(db, 'learner-anna');
		expect(states.map((s) => `${s.lessonId}@${s.currentStepId}`).sort()).toEqual([
			'scrolling@x',
			'tapping@a'
		]);
	});

	it('writes nothing for no events', async () => {
		const db = await freshDatabase('record-none');
		const device = await openDevice(db);
		expect(await recordProgress(db, device, [])).toEqual([]);
		expect(await db.progress.count()).toBe(0);
		expect(await db.outbox.count()).toBe(0);
		expect(await db.meta.get(LAST_STAMP)).toBeUndefined();
	});

	it('writes nothing of a call whose transaction fails, and keeps what was there', async () => {
		const db = await freshDatabase('record-quota');
		const device = await openDevice(db);
		const earlier = await recordProgress(db, device, [
			newEvent({ type: 'step-completed', stepId: 'a' })
		]);
		const stateBefore = await db.lessonState.toArray();

		const fullDisk = () => {
			throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
		};
		db.outbox.hook('creating', fullDisk);
		let failure: unknown;
		try {
			await recordProgress(db, device, [
				newEvent({ type: 'step-completed', stepId: 'b' }),
				newEvent({ type: 'lesson-completed' })
			]);
		} catch (error) {
			failure = error;
		} finally {
			db.outbox.hook('creating').unsubscribe(fullDisk);
		}

		expect(failure).toBeDefined();
		expect(classifyStorageError(failure)).toBe('quota');
		expect(await db.progress.toArray()).toEqual(earlier);
		expect((await db.outbox.toArray()).map((o) => o.mutationId)).toEqual([earlier[0]!.id]);
		expect(await db.lessonState.toArray()).toEqual(stateBefore);
		expect((await db.meta.get(LAST_STAMP))?.value).toBe(earlier[0]!.hlc);
	});
});

describe('classifyStorageError', () => {
	it('recognises a full disk', () => {
		expect(classifyStorageError(new DOMException('full', 'QuotaExceededError'))).toBe('quota');
		expect(classifyStorageError(new Dexie.QuotaExceededError('full'))).toBe('quota');
	});

	it('recognises a full disk nested inside another error', () => {
		const nested = new Dexie.AbortError(
			'Transaction aborted',
			new DOMException('full', 'QuotaExceededError')
		);
		expect(classifyStorageError(nested)).toBe('quota');
		expect(classifyStorageError({ name: 'BulkError', inner: { name: 'QuotaExceededError' } })).toBe(
			'quota'
		);
		expect(
			classifyStorageError(
				new Error('wrapped', { cause: new DOMException('x', 'QuotaExceededError') })
			)
		).toBe('quota');
	});

	it('recognises a database upgraded by a newer version of the app', () => {
		expect(classifyStorageError(new Dexie.VersionError('too new'))).toBe('upgraded');
		expect(classifyStorageError(new DOMException('x', 'VersionError'))).toBe('upgraded');
		expect(classifyStorageError({ name: 'VersionChangeError' })).toBe('upgraded');
	});

	it('recognises a closed database', async () => {
		expect(classifyStorageError(new Dexie.DatabaseClosedError())).toBe('closed');
		const db = await freshDatabase('closed');
		db.close();
		const error = await db.learners.count().then(
			() => null,
			(e: unknown) => e
		);
		expect(classifyStorageError(error)).toBe('closed');
	});

	it('recognises a browser without IndexedDB', async () => {
		expect(classifyStorageError(new Dexie.MissingAPIError('no indexedDB'))).toBe('unavailable');
		expect(
			classifyStorageError(new Dexie.OpenFailedError('x', new DOMException('x', 'SecurityError')))
		).toBe('unavailable');
		const noApi = new LernlotseDatabase(uniqueName('no-api'), {
			indexedDB: undefined as unknown as { open: () => void },
			IDBKeyRange: undefined
		});
		const error = await noApi.open().then(
			() => null,
			(e: unknown) => e
		);
		expect(classifyStorageError(error)).toBe('unavailable');
	});

	it('calls anything else unknown', () => {
		expect(classifyStorageError(new Error('boom'))).toBe('unknown');
		expect(classifyStorageError(new Dexie.ConstraintError('dup'))).toBe('unknown');
		expect(classifyStorageError(null)).toBe('unknown');
		expect(classifyStorageError('QuotaExceededError')).toBe('unknown');
	});

	it('stops following a chain of nested errors after a few levels', () => {
		let error: { name: string; inner?: unknown } = { name: 'QuotaExceededError' };
		for (let i = 0; i < 5; i++) error = { name: 'AbortError', inner: error };
		expect(classifyStorageError(error)).toBe('unknown');
	});
});

describe('learners', () => {
	it('creates a learner with a trimmed name, an outbox row and the last stamp', async () => {
		const db = await freshDatabase('learner');
		const device = await openDevice(db);
		const learner = await createLearner(db, device, {
			name: '  Anna  ',
			avatar: 'owl',
			lang: 'de'
		});

		expect(learner).toMatchObject({ name: 'Anna', avatar: 'owl', lang: 'de' });
		expect(learner.id).toMatch(UUID_V7);
		expect(learner.createdAt).toBe(learner.updatedAt);
		expect(await db.learners.get(learner.id)).toEqual(learner);

		const outbox: OutboxRecord[] = await db.outbox.toArray();
		expect(outbox).toHaveLength(1);
		expect(outbox[0]).toMatchObject({
			kind: 'learner',
			payload: {
				id: learner.id,
				fields: { name: 'Anna', avatar: 'owl', lang: 'de' },
				base: {},
				createdAt: learner.createdAt
			}
		});
		expect(learner.stamps).toEqual({
			name: outbox[0]!.hlc,
			avatar: outbox[0]!.hlc,
			lang: outbox[0]!.hlc
		});
		expect(outbox[0]!.mutationId).toMatch(UUID_V7);
		expect((await db.meta.get(LAST_STAMP))?.value).toBe(outbox[0]!.hlc);
		expect(parseHlc(outbox[0]!.hlc).node).toBe(device.id);
	});

	it('queues only the changed fields of an edit, with the stamps they replace', async () => {
		const db = await freshDatabase('learner-edit');
		const device = await openDevice(db);
		const learner = await createLearner(db, device, { name: 'Anna', avatar: 'owl', lang: 'de' });
		const edited = await updateLearner(db, device, learner, { lang: 'en' });
		const [, edit] = await db.outbox.toArray();
		expect(edit!.payload).toMatchObject({
			fields: { lang: 'en' },
			base: { lang: learner.stamps!.lang }
		});
		expect(edited.stamps).toEqual({ ...learner.stamps, lang: edit!.hlc });
	});

	it('lists learners by name', async () => {
		const db = await freshDatabase('learner-list');
		const device = await openDevice(db);
		for (const name of ['Zeynep', 'anna', 'Ben']) {
			await createLearner(db, device, { name, avatar: 'owl', lang: 'de' });
		}
		expect((await listLearners(db)).map((l) => l.name)).toEqual(['anna', 'Ben', 'Zeynep']);
	});

	it('checks a learner name', () => {
		expect(checkLearnerName('')).toBe('required');
		expect(checkLearnerName('   ')).toBe('required');
		expect(checkLearnerName('Anna')).toBeNull();
		expect(checkLearnerName(' '.repeat(5) + 'a'.repeat(NAME_MAX_LENGTH) + ' ')).toBeNull();
		expect(checkLearnerName('a'.repeat(NAME_MAX_LENGTH + 1))).toBe('too-long');
	});
});
