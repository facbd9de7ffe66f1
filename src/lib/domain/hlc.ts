/**
 * Hybrid logical clock: stamps that sort like wall-clock time but never go backwards and
 * never collide between devices. A stamp is a fixed-width string, so plain string order is
 * causal order: `<15-digit ms>-<5-digit counter>-<node>`.
 */
export type HlcStamp = string;

const MS_WIDTH = 15;
const COUNTER_WIDTH = 5;
const MAX_COUNTER = 10 ** COUNTER_WIDTH - 1;

export interface HlcParts {
	ms: number;
	counter: number;
	node: string;
}

export function formatHlc({ ms, counter, node }: HlcParts): HlcStamp {
	return `${String(ms).padStart(MS_WIDTH, '0')}-${String(counter).padStart(COUNTER_WIDTH, '0')}-${node}`;
}

export function parseHlc(stamp: HlcStamp): HlcParts {
	const match = /^(\d{15})-(\d{5})-(.+)$/.exec(stamp);
	if (!match) throw new Error(`not a clock stamp: ${stamp}`);
	return { ms: Number(match[1]), counter: Number(match[2]), node: match[3]! };
}

export function isHlc(stamp: unknown): stamp is HlcStamp {
	return typeof stamp === 'string' && /^\d{15}-\d{5}-.+$/.test(stamp);
}

export class HybridClock {
	#ms = 0;
	#counter = 0;

	constructor(
		readonly node: string,
		private readonly now: () => number = Date.now
	) {}

	/** A new stamp for a local event. */
	tick(): HlcStamp {
		const wall = this.now();
		if (wall > this.#ms) this.#set(wall, 0);
		else this.#set(this.#ms, this.#counter + 1);
		return formatHlc({ ms: this.#ms, counter: this.#counter, node: this.node });
	}

	/** Takes in a stamp seen from elsewhere, so the next local stamp sorts after it. */
	receive(stamp: HlcStamp): void {
		const remote = parseHlc(stamp);
		const ms = Math.max(this.now(), this.#ms, remote.ms);
		let counter = 0;
		if (ms === this.#ms && ms === remote.ms) counter = Math.max(this.#counter, remote.counter) + 1;
		else if (ms === this.#ms) counter = this.#counter + 1;
		else if (ms === remote.ms) counter = remote.counter + 1;
		this.#set(ms, counter);
	}

	#set(ms: number, counter: number): void {
		// Only thousands of stamps within one millisecond overflow the counter: borrow the next one.
		if (counter > MAX_COUNTER) {
			this.#ms = ms + 1;
			this.#counter = 0;
		} else {
			this.#ms = ms;
			this.#counter = counter;
		}
	}
}
