import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deletedEmail, deletionRefusal, type DeletionCase } from './staff-deletion';

const person = (over: Partial<NonNullable<DeletionCase['target']>> = {}) => ({
	id: 'staff-b',
	role: 'volunteer',
	disabled: false,
	deleted: false,
	...over
});

describe('deletionRefusal', () => {
	it('lets an admin delete someone else', () => {
		expect(deletionRefusal({ actorId: 'staff-a', target: person(), activeAdmins: 1 })).toBeNull();
		expect(
			deletionRefusal({ actorId: 'staff-a', target: person({ role: 'admin' }), activeAdmins: 2 })
		).toBeNull();
	});

	it('refuses an unknown account, an account already deleted, and one’s own', () => {
		expect(deletionRefusal({ actorId: 'staff-a', target: null, activeAdmins: 2 })).toBe(
			'not-found'
		);
		expect(
			deletionRefusal({ actorId: 'staff-a', target: person({ deleted: true }), activeAdmins: 2 })
		).toBe('already-deleted');
		expect(
			deletionRefusal({ actorId: 'staff-b', target: person({ role: 'admin' }), activeAdmins: 2 })
		).toBe('self');
	});

	it('keeps the last active admin, but not a disabled admin', () => {
		expect(
			deletionRefusal({ actorId: 'staff-a', target: person({ role: 'admin' }), activeAdmins: 1 })
		).toBe('last-admin');
		expect(
			deletionRefusal({
				actorId: 'staff-a',
				target: person({ role: 'admin', disabled: true }),
				activeAdmins: 1
			})
		).toBeNull();
	});

	it('never leaves the office without an active admin', () => {
		fc.assert(
			fc.property(
				fc.constantFrom('admin', 'coordinator', 'volunteer'),
				fc.boolean(),
				fc.nat(3),
				(role, disabled, activeAdmins) => {
					const target = person({ role, disabled });
					const refusal = deletionRefusal({ actorId: 'staff-a', target, activeAdmins });
					const activeAdmin = role === 'admin' && !disabled;
					// Allowed only when another active admin is left afterwards, or no admin was touched.
					if (refusal === null && activeAdmin) expect(activeAdmins - 1).toBeGreaterThanOrEqual(1);
					expect(refusal === 'last-admin').toBe(activeAdmin && activeAdmins <= 1);
				}
			)
		);
	});
});

describe('deletedEmail', () => {
	it('is unique per account and no e-mail address', () => {
		const a = deletedEmail('0190a1b2-0000-7000-8000-000000000001');
		const b = deletedEmail('0190a1b2-0000-7000-8000-000000000002');
		expect(a).not.toBe(b);
		expect(a).not.toContain('@');
		expect(a).toContain('0190a1b2-0000-7000-8000-000000000001');
	});
});
