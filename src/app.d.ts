import type { SignedInStaff } from '$lib/server/auth/sessions';

declare global {
	namespace App {
		interface Locals {
			/** The staff member signed in with this request's session cookie, if any. */
			staff: SignedInStaff | null;
			sessionToken: string | null;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
