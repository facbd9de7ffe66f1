/**
 * Upgrades a mutation from an older schema version to the current one, so a device one
 * version behind (an app not yet updated) keeps syncing.
 *
 * Version 2 added the `card` kind (learner cards), version 3 the `session` and `attendance`
 * kinds (training sessions). Payloads of the older kinds did not change, so an older mutation
 * of those kinds is a valid current one. A kind cannot come from a version before it existed:
 * such a mutation is refused.
 */
import type { Mutation } from '../../sync/protocol';
import { MUTATION_SCHEMA_VERSION } from '../../sync/limits';

export type Upgrade = { ok: true; mutation: Mutation } | { ok: false; reason: string };

/** The schema version that introduced each kind. */
const SINCE: Record<Mutation['kind'], number> = {
	progress: 1,
	learner: 1,
	card: 2,
	session: 3,
	attendance: 3
};

export function upgradeMutation(mutation: Mutation): Upgrade {
	const since = SINCE[mutation.kind];
	if (mutation.schemaVersion < since) {
		return { ok: false, reason: `kind: ${mutation.kind} needs schemaVersion ${since}` };
	}
	if (mutation.schemaVersion === MUTATION_SCHEMA_VERSION) return { ok: true, mutation };
	return { ok: true, mutation: { ...mutation, schemaVersion: MUTATION_SCHEMA_VERSION } };
}
