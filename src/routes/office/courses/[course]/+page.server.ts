import { error, redirect } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guard';
import { courseOverview } from '$lib/server/courses/overview';
import {
	editLanguageFile,
	listReleases,
	publishRelease,
	workingSources
} from '$lib/server/courses/releases';
import { field, refused } from '$lib/server/forms';
import { office } from '$lib/server/office';
import type { Actions, PageServerLoad } from './$types';

/** Language files are edited one at a time; a course file is well under this. */
const MAX_EDIT_CHARS = 500_000;

export const load = (async (event) => {
	requireStaff(event, 'courses.manage');
	const db = await office();
	const courseId = event.params.course;
	const course = (await courseOverview(db)).find((c) => c.id === courseId);
	const sources = await workingSources(db, courseId);
	if (!course && !sources) error(404, 'not found');
	const files = sources
		? [...sources.files.keys()].filter((f) => /^[^/]+\.yaml$/.test(f)).map((f) => f.slice(0, -5))
		: [];
	const editing = event.url.searchParams.get('edit');
	const editLang = editing && files.includes(editing) ? editing : null;
	return {
		courseId,
		course: course ?? null,
		releases: await listReleases(db, courseId),
		languages: files.sort(),
		editLang,
		editText: editLang ? sources!.files.get(`${editLang}.yaml`)!.toString('utf8') : null,
		newDraft: event.url.searchParams.get('draft')
	};
}) satisfies PageServerLoad;

export const actions = {
	edit: async (event) => {
		const staff = requireStaff(event, 'courses.manage');
		const data = await event.request.formData();
		const lang = field(data, 'lang', 40);
		const text = field(data, 'text', MAX_EDIT_CHARS);
		const done = await editLanguageFile(await office(), event.params.course, lang, text, {
			staffId: staff.id
		});
		// What was typed goes back with the problems, so nothing is lost.
		if (!done.ok) return refused(done, { text, lang });
		redirect(303, `/office/courses/${event.params.course}?draft=${done.value.id}`);
	},
	publish: async (event) => {
		const staff = requireStaff(event, 'courses.manage');
		const data = await event.request.formData();
		const done = await publishRelease(await office(), field(data, 'release', 60), {
			staffId: staff.id
		});
		return done.ok ? { published: done.value.version } : refused(done);
	}
} satisfies Actions;
