/**
 * Versions and sizes of the sync protocol. Kept apart from the schemas so that the device's
 * everyday code can use them without loading the validation library.
 */

/** Bumped when the shape of requests or replies changes incompatibly. */
export const PROTOCOL_VERSION = 1;
/** Bumped when a mutation's payload changes; the server also accepts the one before. */
export const MUTATION_SCHEMA_VERSION = 3;
export const OLDEST_MUTATION_SCHEMA_VERSION = 2;
export const MAX_PUSH_BATCH = 200;
export const MAX_PULL_PAGE = 500;
export const MAX_HISTORY_LEARNERS = 20;

/** What a new learner profile must bring. */
export const PROFILE_FIELDS = ['name', 'avatar', 'lang'] as const;
/** The profile and, only with the learner's consent, what the city's statistics count. */
export const LEARNER_FIELDS = [...PROFILE_FIELDS, 'consent', 'ageGroup', 'targetGroup'] as const;
