/**
 * Upgrades a mutation from the previous schema version to the current one, so a device one
 * version behind (an app not yet updated) keeps syncing.
 *
 * Version 2 added the `card` kind (learner cards); progress and learner payloads did not
 * change, so a version-1 mutation of those kinds is a valid version-2 one. A version-1 device
 * cannot make a card, so a version-1 `card` is refused.
 */
import type { Mutation } from '../../sync/protocol';
import { MUTATION_SCHEMA_VERSION } from '../../sync/limits';

export type Upgrade = { ok: true; mutation: Mutation } | { ok: false; reason: string };

export function upgradeMutation(mutation: Mutation): Upgrade {
	if (mutation.schemaVersion === MUTATION_SCHEMA_VERSION) return { ok: true, mutation };
	if (mutation.kind === 'card') {
		return { ok: false, reason: `kind: card needs schemaVersion ${MUTATION_SCHEMA_VERSION}` };
	}
	return { ok: true, mutation: { ...mutation, schemaVersion: MUTATION_SCHEMA_VERSION } };
}
