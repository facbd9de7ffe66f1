/**
 * Enrols simulated devices with the office through its own code (a code per device, as a
 * coordinator would make them), for tests and benchmarks that talk to a running server.
 */
import { v7 as uuidv7 } from 'uuid';
import { createEnrolmentCode, enrolDevice } from '../../../src/lib/server/auth/devices';
import { createLocation } from '../../../src/lib/server/auth/locations';
import { openDatabase, type DatabaseConfig } from '../../../src/lib/server/db/connection';

/** Each device id with its credential, for the `Authorization: Bearer` header. */
export async function enrolDevices(
	config: DatabaseConfig,
	deviceIds: string[]
): Promise<Map<string, string>> {
	const office = openDatabase(config);
	const staffId = uuidv7();
	try {
		const place = await createLocation(
			office,
			{ name: `Testbibliothek ${uuidv7().slice(-6)}`, kind: 'library', address: '' },
			{ staffId }
		);
		if (!place.ok) throw new Error(place.problem);
		const credentials = new Map<string, string>();
		for (const deviceId of deviceIds) {
			const code = await createEnrolmentCode(office, place.value.id, { staffId });
			if (!code.ok) throw new Error(code.problem);
			const enrolled = await enrolDevice(office, {
				code: code.value.code,
				deviceId,
				name: '',
				address: 'test'
			});
			if (!enrolled.ok) throw new Error(enrolled.problem);
			credentials.set(deviceId, enrolled.value.credential);
		}
		return credentials;
	} finally {
		await office.close();
	}
}
