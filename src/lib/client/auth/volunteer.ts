/**
 * Volunteer mode on an enrolled tablet. A volunteer signs in online once; the tablet then
 * keeps a PIN verifier (PBKDF2) that unlocks volunteer mode offline for 14 days. Five wrong
 * PINs in a row wipe it: then only an online sign-in opens volunteer mode again.
 */
import {
	VOLUNTEER_PIN_MAX_FAILURES,
	nextTryAt,
	offlineUnlockValidUntil,
	type PinAttempts
} from '../../domain/auth/pin';
import type { StaffSignInResponse } from '../../sync/accounts';
import type { LernlotseDatabase } from '../db/database';
import type { Device } from '../db/device';
import { usableCredential } from '../db/enrolment';
import type { PinVerifier } from '../db/records';
import { callOffice } from './office-call';
import { checkPin, makeVerifier } from './pin-check';

export interface VolunteerUnlock extends PinAttempts {
	staff: StaffSignInResponse['staff'];
	location: StaffSignInResponse['location'];
	colleagues?: StaffSignInResponse['colleagues'];
	verifier: PinVerifier;
	validUntil: number;
}

const UNLOCK = 'volunteerUnlock';

export async function storedUnlock(db: LernlotseDatabase): Promise<VolunteerUnlock | null> {
	const value = (await db.meta.get(UNLOCK))?.value as VolunteerUnlock | undefined;
	return value ?? null;
}

export async function forgetUnlock(db: LernlotseDatabase): Promise<void> {
	await db.meta.delete(UNLOCK);
}

export type SignInResult =
	{ ok: true; signedIn: StaffSignInResponse } | { ok: false; problem: string };

/** Checks the volunteer's password with the office (online) for this tablet's place. */
export async function signInOnline(
	db: LernlotseDatabase,
	device: Device,
	email: string,
	password: string,
	fetcher: typeof fetch = fetch
): Promise<SignInResult> {
	const credential = await usableCredential(db);
	if (!credential) return { ok: false, problem: 'device:volunteer.deviceNotEnrolled' };
	const answer = await callOffice<StaffSignInResponse>(
		'/api/staff/sign-in',
		{ email, password, deviceId: device.id },
		{ prefix: 'device:volunteer', credential, fetcher }
	);
	return answer.ok ? { ok: true, signedIn: answer.body } : answer;
}

/** After the online sign-in: the PIN that unlocks volunteer mode offline from now on. */
export async function rememberWithPin(
	db: LernlotseDatabase,
	signedIn: StaffSignInResponse,
	pin: string,
	now = Date.now()
): Promise<VolunteerUnlock> {
	const unlock: VolunteerUnlock = {
		...signedIn,
		verifier: await makeVerifier(pin),
		validUntil: offlineUnlockValidUntil(now),
		failures: 0,
		lastFailureAt: null
	};
	await db.meta.put({ key: UNLOCK, value: unlock });
	return unlock;
}

export type UnlockResult =
	| { ok: true; unlock: VolunteerUnlock }
	| { ok: false; reason: 'none' | 'expired' | 'wiped' }
	| { ok: false; reason: 'wrong' | 'wait'; waitUntil: number; triesLeft: number };

export async function unlockWithPin(
	db: LernlotseDatabase,
	pin: string,
	now = Date.now()
): Promise<UnlockResult> {
	const unlock = await storedUnlock(db);
	if (!unlock) return { ok: false, reason: 'none' };
	if (unlock.validUntil <= now) {
		await forgetUnlock(db);
		return { ok: false, reason: 'expired' };
	}
	const triesLeft = VOLUNTEER_PIN_MAX_FAILURES - unlock.failures;
	if (nextTryAt(unlock) > now)
		return { ok: false, reason: 'wait', waitUntil: nextTryAt(unlock), triesLeft };
	if (await checkPin(pin, unlock.verifier)) {
		await db.meta.put({ key: UNLOCK, value: { ...unlock, failures: 0, lastFailureAt: null } });
		return { ok: true, unlock };
	}
	const failed = { ...unlock, failures: unlock.failures + 1, lastFailureAt: now };
	if (failed.failures >= VOLUNTEER_PIN_MAX_FAILURES) {
		await forgetUnlock(db);
		return { ok: false, reason: 'wiped' };
	}
	await db.meta.put({ key: UNLOCK, value: failed });
	return {
		ok: false,
		reason: 'wrong',
		waitUntil: nextTryAt(failed),
		triesLeft: VOLUNTEER_PIN_MAX_FAILURES - failed.failures
	};
}
