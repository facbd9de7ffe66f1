/**
 * Random secrets and how they are kept: long tokens (session cookies, device credentials) and
 * short codes are stored as SHA-256 digests and compared in constant time. A slow hash adds
 * nothing for a 256-bit random token; short codes are protected by rate limits and expiry.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { generateCode } from '../../domain/auth/codes';

export function newToken(): string {
	return randomBytes(32).toString('base64url');
}

export function newCode(): string {
	return generateCode((bytes) => new Uint8Array(randomBytes(bytes.length)));
}

export function digest(secret: string): string {
	return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Does `secret` match the stored digest? Takes the same time whether it does or not. */
export function matchesDigest(secret: string, storedDigest: string | null): boolean {
	const actual = Buffer.from(digest(secret), 'hex');
	const expected = Buffer.from(storedDigest ?? '0'.repeat(64), 'hex');
	return expected.length === actual.length && timingSafeEqual(actual, expected) && !!storedDigest;
}
