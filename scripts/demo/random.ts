/**
 * A small seeded random generator (sfc32), so the same seed gives the same city: every figure
 * of the demo comes from it, never from Math.random or the clock.
 */
import { v7 as uuidv7 } from 'uuid';

/** 32-bit hash of a text (cyrb53's first half): turns a seed and a label into a state. */
function hash(text: string, salt: number): number {
	let h = 0xdeadbeef ^ salt;
	for (let i = 0; i < text.length; i++) {
		h = Math.imul(h ^ text.charCodeAt(i), 2654435761);
	}
	h = Math.imul(h ^ (h >>> 16), 2246822507);
	h ^= Math.imul(h ^ (h >>> 13), 3266489909);
	return (h ^ (h >>> 16)) >>> 0;
}

export class Random {
	#a: number;
	#b: number;
	#c: number;
	#d: number;

	/** Generators made from the same seed and label give the same sequence. */
	constructor(seed: string) {
		this.#a = hash(seed, 1);
		this.#b = hash(seed, 2);
		this.#c = hash(seed, 3);
		this.#d = hash(seed, 4);
		for (let i = 0; i < 12; i++) this.next();
	}

	/** A number in [0, 1). */
	next(): number {
		const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
		this.#d = (this.#d + 1) | 0;
		this.#a = this.#b ^ (this.#b >>> 9);
		this.#b = (this.#c + (this.#c << 3)) | 0;
		this.#c = (this.#c << 21) | (this.#c >>> 11);
		this.#c = (this.#c + t) | 0;
		return (t >>> 0) / 4294967296;
	}

	/** An integer from `min` to `max`, both included. */
	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}

	/** A number in [min, max). */
	between(min: number, max: number): number {
		return min + this.next() * (max - min);
	}

	chance(p: number): boolean {
		return this.next() < p;
	}

	pick<T>(items: readonly T[]): T {
		return items[Math.floor(this.next() * items.length)]!;
	}

	/** One of the keys, each as likely as its weight. */
	weighted<T extends string>(weights: Readonly<Record<T, number>>): T {
		const entries = Object.entries(weights) as [T, number][];
		const total = entries.reduce((sum, [, w]) => sum + w, 0);
		let at = this.next() * total;
		for (const [key, weight] of entries) {
			at -= weight;
			if (at < 0) return key;
		}
		return entries.at(-1)![0];
	}

	/** Roughly normal (sum of three uniforms), for sizes and durations that cluster. */
	around(mean: number, spread: number): number {
		return mean + (this.next() + this.next() + this.next() - 1.5) * spread;
	}

	/** A UUIDv7 for a moment: sorts by time like the ids tablets make, but repeatable. */
	uuid(ms: number): string {
		const random = new Uint8Array(16);
		for (let i = 0; i < 16; i += 4) {
			const n = (this.next() * 4294967296) >>> 0;
			random[i] = n & 0xff;
			random[i + 1] = (n >>> 8) & 0xff;
			random[i + 2] = (n >>> 16) & 0xff;
			random[i + 3] = n >>> 24;
		}
		return uuidv7({ msecs: ms, random });
	}

	#hex8(): string {
		return ((this.next() * 4294967296) >>> 0).toString(16).padStart(8, '0');
	}

	/** 64 hex digits, for secrets nobody will use. */
	hex64(): string {
		let out = '';
		for (let i = 0; i < 8; i++) out += this.#hex8();
		return out;
	}
}
