import { describe, expect, it } from 'vitest';
import { DEFAULT_DISPLAY, displayOf } from './display';

describe('displayOf', () => {
	it('keeps what a learner chose', () => {
		expect(displayOf({ contrast: 'high', textSize: 200 })).toEqual({
			contrast: 'high',
			textSize: 200
		});
	});

	it('falls back field by field for a missing or damaged record', () => {
		expect(displayOf(undefined)).toEqual(DEFAULT_DISPLAY);
		expect(displayOf({ contrast: 'neon', textSize: 150 })).toEqual({
			contrast: 'normal',
			textSize: 150
		});
		expect(displayOf({ contrast: 'high', textSize: 400 })).toEqual({
			contrast: 'high',
			textSize: 100
		});
	});
});
