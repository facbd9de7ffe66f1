/**
 * Field-by-field merge of small records (a learner's profile, later attendance): the value with
 * the later clock stamp wins, and stamps carry the device id, so ties cannot happen and every
 * replica that sees the same changes ends with the same values, in any order. A change made
 * without having seen the value it replaces, that disagrees with it, is a conflict to flag.
 */
import type { HlcStamp } from '../hlc';

export interface Stamped {
	value: string;
	stamp: HlcStamp;
}

export interface FieldChange<F extends string> {
	fields: Partial<Record<F, string>>;
	stamp: HlcStamp;
	/** The stamp of each field as the changing device knew it. */
	base: Partial<Record<F, HlcStamp>>;
}

export interface MergeResult<F extends string> {
	fields: Partial<Record<F, Stamped>>;
	/**
	 * Fields where the arriving edit disagrees with a stored value it had not seen: two edits
	 * that did not know of each other. (A record keeps only the winning edit, not what that edit
	 * had seen, so an older edit that arrives after a newer one which had seen it is flagged
	 * too. Tablets exchange edits only through the office, where the older one arrives first,
	 * so this is left to the rare replay after a restore, and a flag too many is safe.)
	 */
	conflicts: { field: F; kept: Stamped; other: Stamped }[];
	changed: boolean;
}

export function mergeFields<F extends string>(
	current: Partial<Record<F, Stamped>>,
	change: FieldChange<F>
): MergeResult<F> {
	const fields = { ...current };
	const conflicts: MergeResult<F>['conflicts'] = [];
	let changed = false;
	for (const field of Object.keys(change.fields) as F[]) {
		const value = change.fields[field];
		if (value === undefined) continue;
		const incoming: Stamped = { value, stamp: change.stamp };
		const existing = fields[field];
		if (!existing) {
			fields[field] = incoming;
			changed = true;
			continue;
		}
		const unseen = (change.base[field] ?? '') < existing.stamp;
		const newer = incoming.stamp > existing.stamp;
		if (unseen && existing.value !== value && existing.stamp !== incoming.stamp) {
			conflicts.push(
				newer
					? { field, kept: incoming, other: existing }
					: { field, kept: existing, other: incoming }
			);
		}
		if (newer) {
			fields[field] = incoming;
			changed ||= existing.value !== value || existing.stamp !== incoming.stamp;
		}
	}
	return { fields, conflicts, changed };
}
