/**
 * Short codes people type from paper: enrolment codes and learner cards. The alphabet leaves
 * out letters and digits that look alike (0/O, 1/I/L, 5/S, 2/Z, 8/B, U/V), so a code read
 * aloud or off a smudged card is typed right; typing is forgiving about case, spaces and dashes.
 */
export const CODE_ALPHABET = 'ACDEFGHJKMNPQRTWXY34679';
export const CODE_LENGTH = 8;

/** What a person typed, as the canonical code (`null` when it cannot be one). */
export function normalizeCode(typed: string): string | null {
	const code = typed.toUpperCase().replace(/[\s-]/g, '');
	if (code.length !== CODE_LENGTH) return null;
	for (const ch of code) if (!CODE_ALPHABET.includes(ch)) return null;
	return code;
}

/** Two groups of four, as printed: "K7MQ-4XR9". */
export function formatCode(code: string): string {
	return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * A new random code. `random` fills a byte array (crypto.getRandomValues); rejection sampling
 * keeps every letter equally likely. 23^8 ≈ 7.8e10 codes: guessing is stopped by rate limits
 * and expiry, not by length alone.
 */
export function generateCode(random: (bytes: Uint8Array) => Uint8Array): string {
	const limit = 256 - (256 % CODE_ALPHABET.length);
	let code = '';
	while (code.length < CODE_LENGTH) {
		for (const byte of random(new Uint8Array(CODE_LENGTH * 2))) {
			if (byte < limit && code.length < CODE_LENGTH)
				code += CODE_ALPHABET[byte % CODE_ALPHABET.length];
		}
	}
	return code;
}

/** The code inside a scanned QR: a bare code or a link with `?code=`. */
export function codeFromScan(text: string): string | null {
	const direct = normalizeCode(text);
	if (direct) return direct;
	try {
		const code = new URL(text).searchParams.get('code');
		return code ? normalizeCode(code) : null;
	} catch {
		return null;
	}
}
