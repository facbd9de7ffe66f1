import { timingSafeEqual } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { normalizeCode } from '../../domain/auth/codes';
import { digest, matchesDigest, newCode, newToken } from './tokens';

// The comparison itself is watched, to see that every case goes through it.
vi.mock('node:crypto', async (importOriginal) => {
	const actual = await importOriginal<typeof import('node:crypto')>();
	return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

afterEach(() => {
	vi.mocked(timingSafeEqual).mockClear();
});

describe('newToken', () => {
	it('is 256 random bits, URL-safe, never the same twice', () => {
		const tokens = Array.from({ length: 200 }, () => newToken());
		for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(new Set(tokens).size).toBe(tokens.length);
	});
});

describe('newCode', () => {
	it('makes a code a person can type back', () => {
		const code = newCode();
		expect(normalizeCode(code)).toBe(code);
	});
});

describe('digest', () => {
	it('is the SHA-256 of the secret as lower-case hex', () => {
		expect(digest('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
	});
});

describe('matchesDigest', () => {
	const secret = newToken();
	const stored = digest(secret);

	it('matches the secret the digest was made of', () => {
		expect(matchesDigest(secret, stored)).toBe(true);
	});

	it('does not match another secret, or the digest itself given as the secret', () => {
		expect(matchesDigest(newToken(), stored)).toBe(false);
		expect(matchesDigest(secret.slice(1), stored)).toBe(false);
		expect(matchesDigest(stored, stored)).toBe(false);
	});

	it('matches nothing when nothing is stored, not even the empty secret', () => {
		expect(matchesDigest(secret, null)).toBe(false);
		expect(matchesDigest('', null)).toBe(false);
		expect(matchesDigest('', '')).toBe(false);
	});

	it('compares in constant time whether the digest is right, wrong or missing', () => {
		for (const [candidate, against] of [
			[secret, stored],
			[newToken(), stored],
			[secret, null]
		] as const) {
			vi.mocked(timingSafeEqual).mockClear();
			matchesDigest(candidate, against);
			expect(timingSafeEqual).toHaveBeenCalledTimes(1);
			const [a, b] = vi.mocked(timingSafeEqual).mock.calls[0]!;
			expect([a.byteLength, b.byteLength]).toEqual([32, 32]);
		}
	});

	it('refuses a damaged stored digest without throwing', () => {
		expect(matchesDigest(secret, stored.slice(0, 40))).toBe(false);
		expect(matchesDigest(secret, 'not hex at all')).toBe(false);
	});
});
