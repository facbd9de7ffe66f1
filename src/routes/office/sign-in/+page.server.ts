import { redirect } from '@sveltejs/kit';
import { SESSION_COOKIE, cookieOptions } from '$lib/server/auth/sessions';
import { signIn } from '$lib/server/auth/staff';
import { field } from '$lib/server/forms';
import { office } from '$lib/server/office';
import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';

/** Only a path inside this site: `next` must not send anyone elsewhere. */
function safeNext(next: string | null): string {
	return next && /^\/(?!\/)[\w\-/?=&%.]*$/.test(next) ? next : '/office';
}

export const load = (({ locals, url }) => {
	if (locals.staff) redirect(303, safeNext(url.searchParams.get('next')));
}) satisfies PageServerLoad;

export const actions = {
	default: async ({ request, cookies, getClientAddress, url }) => {
		const data = await request.formData();
		const email = field(data, 'email', 200);
		const result = await signIn(await office(), {
			email,
			password: field(data, 'password', 1000),
			address: getClientAddress()
		});
		if (!result.ok) {
			return fail(400, {
				problem: result.problem,
				until: result.until?.toISOString() ?? null,
				typed: { email }
			});
		}
		cookies.set(
			SESSION_COOKIE,
			result.token!,
			cookieOptions(url.protocol === 'https:', result.expires!)
		);
		redirect(
			303,
			result.mustChangePassword
				? '/office/account?required=1'
				: safeNext(url.searchParams.get('next'))
		);
	}
} satisfies Actions;
