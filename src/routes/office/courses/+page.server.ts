import { fail, redirect } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guard';
import { archiveLimit, readCourseArchive } from '$lib/server/courses/archive';
import { courseOverview } from '$lib/server/courses/overview';
import { createRelease, setWithdrawn } from '$lib/server/courses/releases';
import { field, refused } from '$lib/server/forms';
import { office } from '$lib/server/office';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	requireStaff(event, 'courses.manage');
	return {
		courses: await courseOverview(await office()),
		maxArchiveKb: Math.floor(archiveLimit() / 1024)
	};
}) satisfies PageServerLoad;

export const actions = {
	upload: async (event) => {
		const staff = requireStaff(event, 'courses.manage');
		const data = await event.request.formData();
		const file = data.get('archive');
		if (!(file instanceof File) || file.size === 0) {
			return fail(400, { problem: 'office:courses.archive.empty', field: 'archive', typed: {} });
		}
		const folder = readCourseArchive(new Uint8Array(await file.arrayBuffer()));
		if (!folder.ok) return refused(folder);
		const done = await createRelease(await office(), folder.value, 'upload', { staffId: staff.id });
		if (!done.ok) return refused(done);
		redirect(303, `/office/courses/${done.value.courseId}?draft=${done.value.id}`);
	},
	withdraw: async (event) => {
		const staff = requireStaff(event, 'courses.manage');
		const data = await event.request.formData();
		const course = field(data, 'course', 100);
		const done = await setWithdrawn(await office(), course, data.get('withdrawn') === 'true', {
			staffId: staff.id
		});
		return done.ok ? { changed: course } : refused(done);
	}
} satisfies Actions;
