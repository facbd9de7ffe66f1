/** Schema problems in words a log, a volunteer or a device can show: the first few, with where. */
import type * as v from 'valibot';

export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
	return issues
		.slice(0, 3)
		.map((issue) => {
			const path = (issue.path ?? []).map((p) => String(p.key)).join('.');
			return path ? `${path}: ${issue.message}` : issue.message;
		})
		.join('; ');
}
