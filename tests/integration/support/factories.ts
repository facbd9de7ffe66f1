/** Devices, events and mutations as a real tablet would send them. */
import { v7 as uuidv7 } from 'uuid';
import { HybridClock } from '../../../src/lib/domain/hlc';
import {
	MUTATION_SCHEMA_VERSION,
	PROTOCOL_VERSION,
	type LearnerPayload,
	type ProgressPayload
} from '../../../src/lib/sync/protocol';
import type { AttendancePayload, SessionPayload } from '../../../src/lib/sync/sessions';

export class FakeDevice {
	readonly id = uuidv7();
	readonly clock: HybridClock;
	seq = 0;

	constructor(now: () => number = Date.now) {
		this.clock = new HybridClock(this.id, now);
	}

	progress(learnerId: string, overrides: Partial<ProgressPayload> = {}) {
		const hlc = this.clock.tick();
		const payload: ProgressPayload = {
			id: uuidv7(),
			learnerId,
			courseId: 'tablet-basics',
			courseVersion: 1,
			lessonId: 'tapping',
			stepId: 'why-tap',
			type: 'step-completed',
			attempts: 1,
			hlc,
			deviceId: this.id,
			...overrides
		};
		return this.mutation('progress', payload.id, hlc, payload);
	}

	learner(payload: Partial<LearnerPayload> & { id: string }) {
		const hlc = this.clock.tick();
		const full: LearnerPayload = {
			fields: { name: 'Erna', avatar: 'sun', lang: 'de' },
			base: {},
			createdAt: new Date().toISOString(),
			...payload
		};
		return this.mutation('learner', uuidv7(), hlc, full);
	}

	/**
	 * A training session made or edited on a place's tablet. Without `fields`, a complete new
	 * session led by `by`; given `fields` replace these (an edit sends only what it changes).
	 */
	session(payload: Partial<SessionPayload> & Pick<SessionPayload, 'locationId' | 'by'>) {
		const hlc = this.clock.tick();
		const full: SessionPayload = {
			id: uuidv7(),
			seriesId: null,
			seriesIndex: null,
			fields: {
				title: 'Tablet-Sprechstunde',
				courseIds: 'tablet-basics',
				date: '2026-12-01',
				start: '10:00',
				end: '11:30',
				room: 'Lesesaal',
				volunteerIds: payload.by,
				capacity: '12',
				status: 'planned'
			},
			base: {},
			createdAt: new Date().toISOString(),
			...payload
		};
		return { ...this.mutation('session', uuidv7(), hlc, full), payload: full };
	}

	/** A learner's line on a session's roster, as a volunteer changed it (signs up by default). */
	attendance(
		payload: Partial<AttendancePayload> & Pick<AttendancePayload, 'sessionId' | 'learnerId' | 'by'>
	) {
		const hlc = this.clock.tick();
		const full: AttendancePayload = { fields: { roster: 'signed-up' }, base: {}, ...payload };
		return { ...this.mutation('attendance', uuidv7(), hlc, full), payload: full };
	}

	mutation(
		kind: 'progress' | 'learner' | 'card' | 'session' | 'attendance',
		id: string,
		hlc: string,
		payload: unknown
	) {
		return {
			id,
			deviceId: this.id,
			seq: ++this.seq,
			hlc,
			schemaVersion: MUTATION_SCHEMA_VERSION,
			kind,
			payload
		};
	}

	push(mutations: unknown[]) {
		return { protocol: PROTOCOL_VERSION, deviceId: this.id, mutations };
	}

	pull(cursor: string | null, limit?: number) {
		return { protocol: PROTOCOL_VERSION, deviceId: this.id, cursor, ...(limit ? { limit } : {}) };
	}
}

export const newLearnerId = () => uuidv7();
