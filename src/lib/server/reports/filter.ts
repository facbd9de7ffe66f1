/**
 * Reads a report's filter from the address (so a report can be bookmarked, shared with a
 * colleague and exported with the same figures): period, place, course. The places are always
 * limited to what the signed-in person may see; a place outside that is refused like a missing
 * one. A bad period is a named problem, shown beside the filter, with an empty report.
 */
import { error } from '@sveltejs/kit';
import {
	PERIOD_KINDS,
	quarterOf,
	resolvePeriod,
	type PeriodKind,
	type PeriodProblem
} from '../../domain/reports/period';
import type { SignedInStaff } from '../auth/sessions';
import { requireLocation } from '../auth/guard';
import { courseCatalogue } from '../content/catalogue';
import type { ReportFilter } from './figures';

export interface FilterForm {
	kind: PeriodKind;
	value: string;
	from: string;
	to: string;
	location: string;
	course: string;
}

export interface ParsedFilter {
	form: FilterForm;
	filter: ReportFilter | null;
	problem: PeriodProblem | null;
}

export function localToday(now = new Date()): string {
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function parseFilter(
	params: URLSearchParams,
	staff: SignedInStaff,
	places: { id: string }[],
	now = new Date()
): ParsedFilter {
	const today = localToday(now);
	const kindParam = params.get('period') ?? 'quarter';
	const kind = (PERIOD_KINDS as readonly string[]).includes(kindParam)
		? (kindParam as PeriodKind)
		: 'quarter';
	const defaults: Record<PeriodKind, string> = {
		month: today.slice(0, 7),
		quarter: quarterOf(today),
		year: today.slice(0, 4),
		range: ''
	};
	const form: FilterForm = {
		kind,
		value: (params.get('value') ?? defaults[kind]).slice(0, 20),
		from: (params.get('from') ?? '').slice(0, 20),
		to: (params.get('to') ?? '').slice(0, 20),
		location: (params.get('location') ?? '').slice(0, 60),
		course: (params.get('course') ?? '').slice(0, 80)
	};
	const visible = places.map((p) => p.id);
	if (form.location) requireLocation(staff, form.location);
	if (form.location && !visible.includes(form.location)) error(404, 'office:errors.notFound');
	if (form.course && !courseCatalogue().some((c) => c.id === form.course)) {
		error(404, 'office:errors.notFound');
	}
	const resolved = resolvePeriod({ kind, value: form.value, from: form.from, to: form.to });
	if ('problem' in resolved) return { form, filter: null, problem: resolved.problem };
	return {
		form,
		problem: null,
		filter: {
			period: resolved.period,
			locationIds: form.location ? [form.location] : visible,
			courseId: form.course || null,
			today
		}
	};
}

/** The same filter as query parameters, for links to exports and drill-downs. */
export function filterQuery(form: FilterForm, extra: Record<string, string> = {}): string {
	const params = new URLSearchParams({ period: form.kind });
	if (form.kind === 'range') {
		params.set('from', form.from);
		params.set('to', form.to);
	} else params.set('value', form.value);
	if (form.location) params.set('location', form.location);
	if (form.course) params.set('course', form.course);
	for (const [k, v] of Object.entries(extra)) params.set(k, v);
	return params.toString();
}
