/**
 * The courses that ship: every one compiles without a problem in every language file, and
 * every course is there in every language the interface offers (a learner who picks Persian
 * must not land in a German lesson).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../i18n/languages';
import { compileContent, formatProblem } from './compile';

const { index, problems } = compileContent(join(import.meta.dirname, '../../../../content'));

describe('the shipped courses', () => {
	it('compile without a problem', () => {
		expect(problems.map(formatProblem)).toEqual([]);
		expect(index.courses.length).toBeGreaterThanOrEqual(2);
	});

	it.each(index.courses.map((c) => [c.id, c.languages.map((l) => l.lang)] as const))(
		'%s exists in every interface language',
		(_, langs) => {
			expect([...langs].sort()).toEqual(LANGUAGES.map((l) => l.code).sort());
		}
	);
});
