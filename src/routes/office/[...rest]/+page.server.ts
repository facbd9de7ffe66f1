// An office address that does not exist gets the office's own translated answer.
import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

export const load = (() => {
	error(404, 'office:errors.notFound');
}) satisfies PageServerLoad;
