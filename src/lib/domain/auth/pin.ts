/**
 * PIN rules. A learner's PIN (4 digits, optional) keeps others on a shared tablet out of a
 * profile; a volunteer's PIN (6 digits) unlocks volunteer mode offline. Both are checked on
 * the device; wrong guesses make the next try wait longer.
 */
export const LEARNER_PIN_LENGTH = 4;
export const VOLUNTEER_PIN_LENGTH = 6;

export type PinProblem = 'length' | 'digits' | 'too-simple';

export function pinProblem(pin: string, length: number): PinProblem | null {
	if (!/^\d*$/.test(pin)) return 'digits';
	if (pin.length !== length) return 'length';
	// A volunteer PIN guards other people's data: no 111111 or 123456.
	if (length === VOLUNTEER_PIN_LENGTH && isTrivial(pin)) return 'too-simple';
	return null;
}

function isTrivial(pin: string): boolean {
	const digits = [...pin].map(Number);
	const steps = new Set(digits.slice(1).map((d, i) => (d - digits[i]! + 10) % 10));
	return steps.size === 1 && (steps.has(0) || steps.has(1) || steps.has(9));
}

export interface PinAttempts {
	failures: number;
	/** When the last wrong PIN was entered (ms since epoch). */
	lastFailureAt: number | null;
}

export const FREE_TRIES = 3;
const BASE_WAIT_MS = 30_000;
const MAX_WAIT_MS = 15 * 60_000;

/** When the next try is allowed: free for the first few, then 30 s, 60 s, 2 min … up to 15 min. */
export function nextTryAt(attempts: PinAttempts): number {
	if (attempts.failures < FREE_TRIES || attempts.lastFailureAt === null) return 0;
	const wait = Math.min(MAX_WAIT_MS, BASE_WAIT_MS * 2 ** (attempts.failures - FREE_TRIES));
	return attempts.lastFailureAt + wait;
}

/** After this many wrong volunteer PINs in a row the offline unlock is wiped: sign in online. */
export const VOLUNTEER_PIN_MAX_FAILURES = 5;

/** How long an online sign-in lets a volunteer unlock offline with the PIN. */
export const VOLUNTEER_OFFLINE_DAYS = 14;

export function offlineUnlockValidUntil(signedInAt: number): number {
	return signedInAt + VOLUNTEER_OFFLINE_DAYS * 24 * 60 * 60_000;
}
