/**
 * What a learner may agree to be counted by in the city's statistics. Coarse on purpose: an
 * age group, not a birth date; a target group the programme is funded for; the language they
 * learn in (their profile's). Only with consent, only ever in aggregate, small cells hidden.
 */
export const AGE_GROUPS = ['under-30', '30-49', '50-64', '65-74', '75-84', '85-plus'] as const;
export type AgeGroup = (typeof AGE_GROUPS)[number];

export const TARGET_GROUPS = ['older-resident', 'newcomer', 'other'] as const;
export type TargetGroup = (typeof TARGET_GROUPS)[number];

export const CONSENT_GIVEN = 'yes';

export function isAgeGroup(value: unknown): value is AgeGroup {
	return AGE_GROUPS.includes(value as AgeGroup);
}

export function isTargetGroup(value: unknown): value is TargetGroup {
	return TARGET_GROUPS.includes(value as TargetGroup);
}
