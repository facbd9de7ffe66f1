/**
 * Deleting a staff account. The row and its id stay: sessions, attendance marks, report
 * figures and the audit log refer to it, and the city's figures must not change. What named
 * the person goes, and what let them in is made unusable.
 */

/**
 * The sign-in name of a deleted account: unique (the column is), and no address, so nobody can
 * create an account with it or type it at the sign-in and get anywhere.
 */
export function deletedEmail(staffId: string): string {
	return `deleted:${staffId}`;
}

/** Not a hash any password can match: the password check refuses what it cannot read. */
export const UNUSABLE_PASSWORD_HASH = '!deleted';

export interface DeletionCase {
	/** Who asks. */
	actorId: string;
	/** The account to delete, or null when there is none with that id. */
	target: { id: string; role: string; disabled: boolean; deleted: boolean } | null;
	/** Admins who are neither disabled nor deleted, the target included if it is one. */
	activeAdmins: number;
}

export type DeletionRefusal = 'not-found' | 'already-deleted' | 'self' | 'last-admin';

/** Why this account may not be deleted by this person (null: it may). */
export function deletionRefusal({
	actorId,
	target,
	activeAdmins
}: DeletionCase): DeletionRefusal | null {
	if (!target) return 'not-found';
	if (target.deleted) return 'already-deleted';
	// One's own deletion would end the session it is asked from; another admin does it.
	if (target.id === actorId) return 'self';
	// The office must keep someone who can manage accounts.
	if (target.role === 'admin' && !target.disabled && activeAdmins <= 1) return 'last-admin';
	return null;
}
