/**
 * How a learner wants the screen: stronger contrast (black on white, WCAG AAA 7:1) and larger
 * text (up to 200 %, the size WCAG asks to keep working). Chosen on the learner's own page and
 * kept with their profile on this tablet.
 */
export const TEXT_SIZES = [100, 150, 200] as const;
export type TextSize = (typeof TEXT_SIZES)[number];
export const CONTRASTS = ['normal', 'high'] as const;
export type Contrast = (typeof CONTRASTS)[number];

export interface DisplayPrefs {
	contrast: Contrast;
	textSize: TextSize;
}

export const DEFAULT_DISPLAY: DisplayPrefs = { contrast: 'normal', textSize: 100 };

/** A stored value as prefs, anything unknown as the default (an older or damaged record). */
export function displayOf(value: unknown): DisplayPrefs {
	const v = (value ?? {}) as Partial<Record<keyof DisplayPrefs, unknown>>;
	return {
		contrast: CONTRASTS.includes(v.contrast as Contrast)
			? (v.contrast as Contrast)
			: DEFAULT_DISPLAY.contrast,
		textSize: TEXT_SIZES.includes(v.textSize as TextSize)
			? (v.textSize as TextSize)
			: DEFAULT_DISPLAY.textSize
	};
}
