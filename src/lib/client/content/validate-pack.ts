/**
 * Checks a course pack before it is stored. Loaded only when new packs arrive, so the schema
 * code stays out of the learner's everyday pages.
 */
import * as v from 'valibot';
import { checkCourse } from '../../domain/course/check';
import { describeIssues } from '../../domain/issues';
import { CoursePack, PackIndex, type CoursePack as Pack } from '../../domain/course/schema';

export type PackCheck = { ok: true; pack: Pack } | { ok: false; problem: string };

export function checkPack(data: unknown): PackCheck {
	const parsed = v.safeParse(CoursePack, data);
	if (!parsed.success) return { ok: false, problem: describeIssues(parsed.issues) };
	const issues = checkCourse(parsed.output);
	if (issues.length > 0) {
		const first = issues[0]!;
		return { ok: false, problem: `${first.path.join('.')}: ${first.message}` };
	}
	return { ok: true, pack: parsed.output };
}

export function parseIndex(data: unknown): PackIndex {
	const parsed = v.safeParse(PackIndex, data);
	if (!parsed.success) throw new Error(`course index unusable: ${describeIssues(parsed.issues)}`);
	return parsed.output;
}
