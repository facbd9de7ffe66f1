/**
 * Turns IndexedDB failures into the few situations a learner can understand and act on.
 * The message keys live in the `storage` namespace of the locales.
 */
export type StorageProblem =
	'quota' | 'blocked' | 'upgraded' | 'closed' | 'unavailable' | 'unknown';

function names(error: unknown): string[] {
	const out: string[] = [];
	let current: unknown = error;
	for (let depth = 0; current && depth < 5; depth++) {
		const e = current as { name?: unknown; inner?: unknown; cause?: unknown };
		if (typeof e.name === 'string') out.push(e.name);
		current = e.inner ?? e.cause;
	}
	return out;
}

export function classifyStorageError(error: unknown): StorageProblem {
	const found = names(error);
	const has = (...candidates: string[]) => candidates.some((c) => found.includes(c));
	if (has('QuotaExceededError')) return 'quota';
	if (has('VersionError', 'VersionChangeError')) return 'upgraded';
	if (has('DatabaseClosedError', 'InvalidStateError', 'TransactionInactiveError')) return 'closed';
	if (
		has('MissingAPIError', 'OpenFailedError', 'InvalidAccessError', 'UnknownError', 'SecurityError')
	) {
		return 'unavailable';
	}
	return 'unknown';
}
