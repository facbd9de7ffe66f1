/**
 * PINs checked on the device with WebCrypto: PBKDF2-SHA-256 over the PIN and a random salt.
 * A 4- or 6-digit PIN cannot resist someone who copies the tablet's storage; what stops
 * guessing at the screen is the growing wait between tries (domain/auth/pin.ts).
 */
import type { PinVerifier } from '../db/records';

export const PIN_ITERATIONS = 210_000;

function hex(bytes: ArrayBuffer | Uint8Array): string {
	return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function fromHex(text: string): Uint8Array<ArrayBuffer> {
	const bytes = new Uint8Array(text.length / 2);
	for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
	return bytes;
}

async function derive(
	pin: string,
	salt: Uint8Array<ArrayBuffer>,
	iterations: number
): Promise<string> {
	const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, [
		'deriveBits'
	]);
	const bits = await crypto.subtle.deriveBits(
		{ name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
		key,
		256
	);
	return hex(bits);
}

export async function makeVerifier(pin: string, iterations = PIN_ITERATIONS): Promise<PinVerifier> {
	const salt = crypto.getRandomValues(new Uint8Array(16));
	return { salt: hex(salt), hash: await derive(pin, salt, iterations), iterations };
}

export async function checkPin(pin: string, verifier: PinVerifier): Promise<boolean> {
	const hash = await derive(pin, fromHex(verifier.salt), verifier.iterations);
	// Both are fixed-length hex digests of secrets: compare every character.
	let diff = hash.length ^ verifier.hash.length;
	for (let i = 0; i < hash.length; i++) diff |= hash.charCodeAt(i) ^ verifier.hash.charCodeAt(i);
	return diff === 0;
}

export async function sha256Hex(text: string): Promise<string> {
	return hex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}
