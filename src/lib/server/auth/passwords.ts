/** Staff passwords: argon2id with the library's memory-hard defaults (64 MiB, 3 passes). */
import argon2 from 'argon2';

export function hashPassword(password: string): Promise<string> {
	return argon2.hash(password, { type: argon2.argon2id });
}

// Verified when no such account exists, so a wrong e-mail takes as long as a wrong password.
let decoy: Promise<string> | null = null;

export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
	decoy ??= hashPassword('not a real password, only for timing');
	try {
		return await argon2.verify(hash ?? (await decoy), password);
	} catch {
		return false;
	}
}
