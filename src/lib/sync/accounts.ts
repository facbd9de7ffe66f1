/**
 * The wire contract of enrolment, learner cards and a volunteer's sign-in on a tablet. A
 * refusal is `{ error: 'refused', problem }` where `problem` is a translation key.
 */
import * as v from 'valibot';
import type { LearnerSnapshot } from './protocol';

const Uuid = v.pipe(v.string(), v.uuid('not a UUID'));
const Code = v.pipe(v.string(), v.maxLength(40));

export const EnrolRequest = v.strictObject({
	code: Code,
	deviceId: Uuid,
	/** What the staff list shows, e.g. "Tablet 3, Stadtbibliothek". */
	name: v.optional(v.pipe(v.string(), v.maxLength(80)), '')
});

export interface EnrolResponse {
	credential: string;
	location: { id: string; name: string };
}

export const RedeemRequest = v.strictObject({ code: Code, deviceId: Uuid });

export interface RedeemResponse {
	learner: LearnerSnapshot;
	credential: string | null;
}

export const StaffSignInRequest = v.strictObject({
	email: v.pipe(v.string(), v.maxLength(200)),
	password: v.pipe(v.string(), v.maxLength(1000)),
	deviceId: Uuid
});

export interface StaffSignInResponse {
	staff: { id: string; name: string; email: string; role: 'admin' | 'coordinator' | 'volunteer' };
	location: { id: string; name: string };
	/** The volunteers of the place (older servers leave it out). */
	colleagues?: { id: string; name: string }[];
}

export interface RefusedResponse {
	error: 'refused';
	problem: string;
}
