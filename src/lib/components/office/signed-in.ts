/**
 * The signed-in staff member, from the office layout to any page below it. Pages cannot read it
 * from their own data: the staff page's list of people is also called `staff` and hides it.
 */
import { getContext, setContext } from 'svelte';
import type { Role } from '$lib/domain/auth/roles';

export interface SignedIn {
	id: string;
	name: string;
	role: Role;
}

const KEY = Symbol('office signed-in');

export function provideSignedIn(current: () => SignedIn | null): void {
	setContext(KEY, current);
}

/** A getter: the person can change (sign-out) while the page stays. */
export function useSignedIn(): () => SignedIn | null {
	return getContext<() => SignedIn | null>(KEY) ?? (() => null);
}
