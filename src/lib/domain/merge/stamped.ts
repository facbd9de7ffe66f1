/**
 * Small records kept as values plus the clock stamp that set each field: turning them into the
 * merge's stamped form and back, merging what the office sent with what a device holds, and
 * the base an edit carries. Shared by every kind of small record (sessions, attendance).
 */
import type { HlcStamp } from '../hlc';
import type { Stamped } from './fields';

export type StampedFields<F extends string> = Partial<Record<F, Stamped>>;

/** A stored record as values plus the stamp that set each of them. */
export function stampedOf<F extends string>(
	values: Partial<Record<F, string>>,
	stamps: Partial<Record<F, HlcStamp>>
): StampedFields<F> {
	const out: StampedFields<F> = {};
	for (const field of Object.keys(stamps) as F[]) {
		const stamp = stamps[field];
		const value = values[field];
		if (stamp !== undefined && value !== undefined) out[field] = { value, stamp };
	}
	return out;
}

export function splitStamped<F extends string>(
	fields: StampedFields<F>
): { values: Partial<Record<F, string>>; stamps: Partial<Record<F, HlcStamp>> } {
	const values: Partial<Record<F, string>> = {};
	const stamps: Partial<Record<F, HlcStamp>> = {};
	for (const field of Object.keys(fields) as F[]) {
		values[field] = fields[field]!.value;
		stamps[field] = fields[field]!.stamp;
	}
	return { values, stamps };
}

/**
 * What a device holds merged with what the office sent: per field, the later stamp wins, so a
 * field changed here after the office's copy was made stays as it is here.
 */
export function mergeSnapshot<F extends string>(
	local: StampedFields<F>,
	remote: StampedFields<F>
): StampedFields<F> {
	const out: StampedFields<F> = { ...local };
	for (const field of Object.keys(remote) as F[]) {
		const theirs = remote[field]!;
		const mine = out[field];
		if (!mine || theirs.stamp > mine.stamp) out[field] = theirs;
	}
	return out;
}

/** The base of an edit: the stamps of the fields it changes, as this device knows them. */
export function baseOf<F extends string>(
	stamps: Partial<Record<F, HlcStamp>>,
	fields: readonly F[]
): Partial<Record<F, HlcStamp>> {
	const base: Partial<Record<F, HlcStamp>> = {};
	for (const field of fields) if (stamps[field]) base[field] = stamps[field];
	return base;
}
