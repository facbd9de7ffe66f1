/**
 * Checks a course pack before it is stored. Loaded only when new packs arrive, so the schema
 * code stays out of the learner's everyday pages.
 */
import * as v from 'valibot';
import { checkCourse } from '../../domain/course/check';
import { CoursePack, PackIndex, type CoursePack as Pack } from '../../domain/course/schema';

export type PackCheck = { ok: true; pack: Pack } | { ok: false; problem: string };

function describe(issues: readonly v.BaseIssue<unknown>[]): string {
	return issues
		.slice(0, 3)
		.map((issue) => {
			const path = (issue.path ?? []).map((p) => String(p.key)).join('.');
			return path ? `${path}: ${issue.message}` : issue.message;
		})
		.join('; ');
}

export function checkPack(data: unknown): PackCheck {
	const parsed = v.safeParse(CoursePack, data);
	if (!parsed.success) return { ok: false, problem: describe(parsed.issues) };
	const issues = checkCourse(parsed.output);
	if (issues.length > 0) {
		const first = issues[0]!;
		return { ok: false, problem: `${first.path.join('.')}: ${first.message}` };
	}
	return { ok: true, pack: parsed.output };
}

export function parseIndex(data: unknown): PackIndex {
	const parsed = v.safeParse(PackIndex, data);
	if (!parsed.success) throw new Error(`course index unusable: ${describe(parsed.issues)}`);
	return parsed.output;
}
