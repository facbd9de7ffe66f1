import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	CODE_ALPHABET,
	CODE_LENGTH,
	codeFromScan,
	formatCode,
	generateCode,
	normalizeCode
} from './codes';

/** A byte source for `generateCode` that hands out the given bytes, call after call. */
function bytesFrom(next: () => number) {
	return (bytes: Uint8Array) => bytes.map(() => next());
}

/** Any code `generateCode` can make, from any random bytes. */
const anyCode = fc.infiniteStream(fc.integer({ min: 0, max: 255 })).map((stream) => {
	const it = stream[Symbol.iterator]();
	return generateCode(bytesFrom(() => it.next().value as number));
});

/** A code as someone might type it: any case, spaces and dashes anywhere. */
const typedCode = anyCode.chain((code) =>
	fc
		.array(fc.tuple(fc.boolean(), fc.constantFrom('', ' ', '-', '  ', ' - ')), {
			minLength: CODE_LENGTH,
			maxLength: CODE_LENGTH
		})
		.map((how) => ({
			code,
			typed: [...code].map((ch, i) => (how[i]![0] ? ch.toLowerCase() : ch) + how[i]![1]).join('')
		}))
);

describe('the code alphabet', () => {
	it('leaves out every letter and digit that looks like another', () => {
		for (const lookAlike of ['0', 'O', '1', 'I', 'L', '5', 'S', '2', 'Z', '8', 'B', 'U', 'V']) {
			expect(CODE_ALPHABET, lookAlike).not.toContain(lookAlike);
		}
	});

	it('holds each sign once, upper-case letters and digits only', () => {
		expect(new Set(CODE_ALPHABET).size).toBe(CODE_ALPHABET.length);
		expect(CODE_ALPHABET).toMatch(/^[A-Z0-9]+$/);
	});
});

describe('generateCode', () => {
	it('makes codes of the right length from the alphabet only', () => {
		fc.assert(
			fc.property(anyCode, (code) => {
				expect(code).toHaveLength(CODE_LENGTH);
				for (const ch of code) expect(CODE_ALPHABET).toContain(ch);
			})
		);
	});

	it('round-trips through the printed form and back', () => {
		fc.assert(
			fc.property(anyCode, (code) => {
				expect(normalizeCode(formatCode(code))).toBe(code);
			})
		);
	});

	it('makes every sign equally likely: each of the accepted bytes maps to one sign', () => {
		const seen = new Map<string, number>();
		for (let byte = 0; byte < 256 - (256 % CODE_ALPHABET.length); byte++) {
			const code = generateCode(bytesFrom(() => byte));
			expect(new Set(code).size).toBe(1);
			seen.set(code[0]!, (seen.get(code[0]!) ?? 0) + 1);
		}
		expect(seen.size).toBe(CODE_ALPHABET.length);
		expect(new Set(seen.values())).toEqual(new Set([Math.floor(256 / CODE_ALPHABET.length)]));
	});

	it('skips the bytes above the last full round of the alphabet and asks for more', () => {
		let calls = 0;
		const code = generateCode((bytes) => {
			calls++;
			// First only bytes that would favour the first signs, then 0, 1, 2 …
			return calls === 1 ? bytes.fill(255) : bytes.map((_, i) => i);
		});
		expect(calls).toBe(2);
		expect(code).toBe(CODE_ALPHABET.slice(0, CODE_LENGTH));
	});
});

describe('formatCode', () => {
	it('prints two groups of four', () => {
		expect(formatCode('K7MQ4XR9')).toBe('K7MQ-4XR9');
	});
});

describe('normalizeCode', () => {
	it('forgives case, spaces and dashes', () => {
		fc.assert(
			fc.property(typedCode, ({ code, typed }) => {
				expect(normalizeCode(typed)).toBe(code);
			})
		);
	});

	it('refuses a code that is too short or too long', () => {
		expect(normalizeCode('K7MQ-4XR')).toBeNull();
		expect(normalizeCode('K7MQ-4XR97')).toBeNull();
		expect(normalizeCode('')).toBeNull();
	});

	it('refuses a code with a sign outside the alphabet', () => {
		fc.assert(
			fc.property(
				anyCode,
				fc.nat(CODE_LENGTH - 1),
				fc.constantFrom(...'0O1IL5S2Z8BUV!é.'),
				(code, at, wrong) => {
					const typed = code.slice(0, at) + wrong + code.slice(at + 1);
					expect(normalizeCode(typed)).toBeNull();
				}
			)
		);
	});
});

describe('codeFromScan', () => {
	it('reads a bare code', () => {
		expect(codeFromScan('k7mq-4xr9')).toBe('K7MQ4XR9');
	});

	it('reads the code out of a link', () => {
		fc.assert(
			fc.property(anyCode, (code) => {
				const link = `https://office.lernlotse.example/device?code=${formatCode(code)}`;
				expect(codeFromScan(link)).toBe(code);
				expect(codeFromScan(`http://10.0.0.2:3000/device?x=1&code=${code}#top`)).toBe(code);
			})
		);
	});

	it('finds nothing in a link without a code, with a broken code, or in other text', () => {
		expect(codeFromScan('https://office.lernlotse.example/device')).toBeNull();
		expect(codeFromScan('https://office.lernlotse.example/device?code=K7MQ-0000')).toBeNull();
		expect(codeFromScan('https://office.lernlotse.example/device?code=')).toBeNull();
		expect(codeFromScan('hello, world')).toBeNull();
		expect(codeFromScan('')).toBeNull();
	});
});
