/** The office's list of courses: what each one is on the tablets now, and its open drafts. */
import type { OfficeDatabase } from '../db/connection';
import { listReleases, liveCourses, type ReleaseSummary } from './releases';

export interface CourseOverview {
	id: string;
	titles: Record<string, string>;
	version: number;
	languages: string[];
	origin: 'shipped' | 'office';
	withdrawn: boolean;
	/** Drafts made after the live version was published, newest first. */
	drafts: ReleaseSummary[];
}

export async function courseOverview(office: OfficeDatabase): Promise<CourseOverview[]> {
	const [live, releases] = await Promise.all([liveCourses(office), listReleases(office)]);
	const ids = new Set([...live.map((c) => c.entry.id), ...releases.map((r) => r.courseId)]);
	return [...ids]
		.map((id) => {
			const current = live.find((c) => c.entry.id === id);
			const latestPublished = releases.find((r) => r.courseId === id && r.state === 'published');
			return {
				id,
				titles: Object.fromEntries((current?.entry.languages ?? []).map((l) => [l.lang, l.title])),
				version: current?.entry.version ?? 0,
				languages: (current?.entry.languages ?? []).map((l) => l.lang),
				origin: current?.origin ?? 'office',
				withdrawn: current?.withdrawn ?? false,
				drafts: releases.filter(
					(r) =>
						r.courseId === id &&
						r.state === 'draft' &&
						(!latestPublished || r.createdAt > (latestPublished.publishedAt ?? ''))
				)
			};
		})
		.sort((a, b) => a.id.localeCompare(b.id));
}
