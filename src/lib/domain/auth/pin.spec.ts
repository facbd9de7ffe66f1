import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	FREE_TRIES,
	LEARNER_PIN_LENGTH,
	VOLUNTEER_OFFLINE_DAYS,
	VOLUNTEER_PIN_LENGTH,
	nextTryAt,
	offlineUnlockValidUntil,
	pinProblem
} from './pin';

const digits = (length: number) =>
	fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length });

/** A six-digit PIN that walks in one step (0: 444444, 1: 345678 or 890123, 9: 654321). */
const trivialVolunteerPin = fc
	.tuple(fc.integer({ min: 0, max: 9 }), fc.constantFrom(0, 1, 9))
	.map(([start, step]) =>
		Array.from({ length: VOLUNTEER_PIN_LENGTH }, (_, i) => (start + i * step) % 10).join('')
	);

describe('pinProblem', () => {
	it('accepts four digits for a learner, even simple ones', () => {
		expect(pinProblem('4711', LEARNER_PIN_LENGTH)).toBeNull();
		expect(pinProblem('1111', LEARNER_PIN_LENGTH)).toBeNull();
		expect(pinProblem('1234', LEARNER_PIN_LENGTH)).toBeNull();
	});

	it('wants exactly the length asked for', () => {
		expect(pinProblem('123', LEARNER_PIN_LENGTH)).toBe('length');
		expect(pinProblem('12345', LEARNER_PIN_LENGTH)).toBe('length');
		expect(pinProblem('', LEARNER_PIN_LENGTH)).toBe('length');
		expect(pinProblem('4711', VOLUNTEER_PIN_LENGTH)).toBe('length');
	});

	it('wants digits only', () => {
		fc.assert(
			fc.property(
				digits(LEARNER_PIN_LENGTH),
				fc.nat(LEARNER_PIN_LENGTH - 1),
				fc.constantFrom('a', ' ', '-', '٣', '.', 'O'),
				(pin, at, wrong) => {
					const typed = pin.join('').slice(0, at) + wrong + pin.join('').slice(at + 1);
					expect(pinProblem(typed, LEARNER_PIN_LENGTH)).toBe('digits');
				}
			)
		);
	});

	it('refuses a volunteer PIN that repeats one digit or counts up or down', () => {
		for (const pin of ['111111', '000000', '123456', '654321', '890123', '210987']) {
			expect(pinProblem(pin, VOLUNTEER_PIN_LENGTH), pin).toBe('too-simple');
		}
		fc.assert(
			fc.property(trivialVolunteerPin, (pin) => {
				expect(pinProblem(pin, VOLUNTEER_PIN_LENGTH)).toBe('too-simple');
			})
		);
	});

	it('accepts every other six-digit volunteer PIN', () => {
		expect(pinProblem('135790', VOLUNTEER_PIN_LENGTH)).toBeNull();
		expect(pinProblem('112233', VOLUNTEER_PIN_LENGTH)).toBeNull();
		fc.assert(
			fc.property(digits(VOLUNTEER_PIN_LENGTH), (d) => {
				const steps = new Set(d.slice(1).map((x, i) => (x - d[i]! + 10) % 10));
				fc.pre(!(steps.size === 1 && [0, 1, 9].includes([...steps][0]!)));
				expect(pinProblem(d.join(''), VOLUNTEER_PIN_LENGTH)).toBeNull();
			})
		);
	});
});

describe('nextTryAt', () => {
	const last = 1_700_000_000_000;

	it('lets the first wrong PINs be tried again at once', () => {
		for (let failures = 0; failures < FREE_TRIES; failures++) {
			expect(nextTryAt({ failures, lastFailureAt: last })).toBe(0);
		}
		expect(nextTryAt({ failures: 10, lastFailureAt: null })).toBe(0);
	});

	it('then waits 30 s, 60 s, 2 min and so on, at most 15 minutes', () => {
		const waits = Array.from(
			{ length: 8 },
			(_, i) => nextTryAt({ failures: FREE_TRIES + i, lastFailureAt: last }) - last
		);
		expect(waits).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 900_000, 900_000, 900_000]);
		expect(nextTryAt({ failures: 1_000, lastFailureAt: last })).toBe(last + 15 * 60_000);
	});

	it('never waits less after one more wrong PIN', () => {
		fc.assert(
			fc.property(fc.nat(200), fc.nat(2 ** 42), (failures, at) => {
				const now = nextTryAt({ failures, lastFailureAt: at });
				const after = nextTryAt({ failures: failures + 1, lastFailureAt: at });
				expect(after).toBeGreaterThanOrEqual(now);
				expect(after).toBeLessThanOrEqual(at + 15 * 60_000);
			})
		);
	});
});

describe('offlineUnlockValidUntil', () => {
	it('lasts two weeks after the online sign-in', () => {
		expect(VOLUNTEER_OFFLINE_DAYS).toBe(14);
		expect(offlineUnlockValidUntil(0)).toBe(14 * 24 * 60 * 60 * 1000);
	});
});
