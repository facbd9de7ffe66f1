/**
 * Whether the office knows this device: its credential, its place, and whether the office
 * revoked it. Without an enrolment nothing is sent; everything stays saved on the device.
 */
import type { LernlotseDatabase } from './database';

export interface Enrolment {
	credential: string;
	/** 'location': enrolled by staff with a code; 'personal': a learner's own device, via a card. */
	kind: 'location' | 'personal';
	location: { id: string; name: string } | null;
	enrolledAt: string;
	/** Set when the office said this device was revoked or does not know its credential. */
	refusedAt?: string;
	refusal?: 'device-revoked' | 'device-not-enrolled';
}

const ENROLMENT = 'enrolment';

export async function getEnrolment(db: LernlotseDatabase): Promise<Enrolment | null> {
	const value = (await db.meta.get(ENROLMENT))?.value as Enrolment | undefined;
	return value && typeof value.credential === 'string' ? value : null;
}

export async function saveEnrolment(db: LernlotseDatabase, enrolment: Enrolment): Promise<void> {
	await db.meta.put({ key: ENROLMENT, value: enrolment });
}

export async function noteRefusal(
	db: LernlotseDatabase,
	refusal: NonNullable<Enrolment['refusal']>
): Promise<void> {
	await db.transaction('rw', db.meta, async () => {
		const current = await getEnrolment(db);
		if (current)
			await saveEnrolment(db, { ...current, refusal, refusedAt: new Date().toISOString() });
	});
}

/** The credential to sync with, or null when this device may not sync. */
export async function usableCredential(db: LernlotseDatabase): Promise<string | null> {
	const enrolment = await getEnrolment(db);
	return enrolment && !enrolment.refusal ? enrolment.credential : null;
}
