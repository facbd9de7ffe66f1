/** The pictures a learner can choose; each has a translated name for screen readers. */
export const AVATARS = [
	'sun',
	'moon',
	'star',
	'heart',
	'tree',
	'house',
	'boat',
	'flower',
	'bird',
	'fish',
	'cup',
	'key',
	'bell',
	'leaf',
	'umbrella',
	'apple'
] as const;

export type AvatarName = (typeof AVATARS)[number];
