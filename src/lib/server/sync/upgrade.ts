/**
 * Upgrades a mutation from the previous schema version to the current one, so a device one
 * version behind keeps syncing. Version 1 is the first; the next change adds a step here.
 */
import type { Mutation } from '../../sync/protocol';

export function upgradeMutation(mutation: Mutation): Mutation {
	return mutation;
}
