/** This device's identity and clock, kept in `meta` so they survive reloads. */
import { v7 as uuidv7 } from 'uuid';
import { HybridClock, isHlc } from '../../domain/hlc';
import type { LernlotseDatabase } from './database';

export interface Device {
	id: string;
	clock: HybridClock;
}

const DEVICE_ID = 'deviceId';
export const LAST_STAMP = 'lastStamp';

export async function openDevice(db: LernlotseDatabase): Promise<Device> {
	return db.transaction('rw', db.meta, async () => {
		let id = (await db.meta.get(DEVICE_ID))?.value;
		if (typeof id !== 'string') {
			id = uuidv7();
			await db.meta.put({ key: DEVICE_ID, value: id });
		}
		const clock = new HybridClock(id as string);
		// A wall clock set back must never make new events sort before old ones.
		const last = (await db.meta.get(LAST_STAMP))?.value;
		if (isHlc(last)) clock.receive(last);
		return { id: id as string, clock };
	});
}
