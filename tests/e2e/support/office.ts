/**
 * The office side of an end-to-end test, set up through the server's own code on the test
 * server's database (the same file the running server uses): places, staff, enrolment codes.
 * The office pages themselves are tested click by click in office.spec.ts.
 */
import { openDatabase, type OfficeDatabase } from '../../../src/lib/server/db/connection';
import { createEnrolmentCode, revokeDevice } from '../../../src/lib/server/auth/devices';
import { createLocation } from '../../../src/lib/server/auth/locations';
import { createStaff } from '../../../src/lib/server/auth/staff';
import { expect, type Page } from '@playwright/test';
import type { TestServer } from './server';

export async function withOffice<T>(
	server: TestServer,
	work: (office: OfficeDatabase) => Promise<T>
): Promise<T> {
	const office = openDatabase({ dataDir: server.dataDir });
	try {
		return await work(office);
	} finally {
		await office.close();
	}
}

function unwrap<T>(outcome: { ok: true; value: T } | { ok: false; problem: string }): T {
	if (!outcome.ok) throw new Error(`office refused: ${outcome.problem}`);
	return outcome.value;
}

export interface Place {
	locationId: string;
	adminId: string;
}

export async function seedPlace(
	server: TestServer,
	name = 'Stadtbibliothek Mitte'
): Promise<Place> {
	return withOffice(server, async (office) => {
		const admin = unwrap(
			await createStaff(
				office,
				{
					email: `admin-${Date.now()}@example.org`,
					name: 'Ada Admin',
					role: 'admin',
					locationIds: [],
					password: 'lange-sichere-passphrase'
				},
				{ staffId: null }
			)
		);
		const place = unwrap(
			await createLocation(office, { name, kind: 'library', address: '' }, { staffId: admin.id })
		);
		return { locationId: place.id, adminId: admin.id };
	});
}

export async function enrolmentCode(server: TestServer, place: Place): Promise<string> {
	return withOffice(
		server,
		async (office) =>
			unwrap(await createEnrolmentCode(office, place.locationId, { staffId: place.adminId })).code
	);
}

export async function addVolunteer(
	server: TestServer,
	place: Place,
	email: string,
	password: string,
	name = 'Vera Volunteer'
): Promise<void> {
	await withOffice(server, async (office) =>
		unwrap(
			await createStaff(
				office,
				{
					email,
					name,
					role: 'volunteer',
					locationIds: [place.locationId],
					password
				},
				{ staffId: null }
			)
		)
	);
}

export async function revokeAllDevices(server: TestServer, place: Place): Promise<void> {
	await withOffice(server, async (office) => {
		const devices = await office.db.selectFrom('devices').select('id').execute();
		for (const d of devices) unwrap(await revokeDevice(office, d.id, { staffId: place.adminId }));
	});
}

/** A staff member enrols the tablet in the browser with a short code, as on the paper slip. */
export async function enrolTablet(page: Page, server: TestServer, place?: Place): Promise<Place> {
	const at = place ?? (await seedPlace(server));
	const code = await enrolmentCode(server, at);
	await page.goto('/device');
	await page.getByLabel('Code vom Büro').fill(code.toLowerCase());
	await page.getByLabel('Name für dieses Tablet (freiwillig)').fill('Tablet 1');
	await page.getByRole('button', { name: 'Tablet verbinden' }).click();
	await expect(page.getByText('Dieses Tablet ist mit dem Büro verbunden.')).toBeVisible();
	return at;
}

/** A coordinator of the education department (who keeps the courses current), or an admin. */
export async function addCoordinator(
	server: TestServer,
	email: string,
	password: string,
	name = 'Clara Koordination',
	role: 'coordinator' | 'admin' = 'coordinator'
): Promise<void> {
	await withOffice(server, async (office) =>
		unwrap(
			await createStaff(office, { email, name, role, locationIds: [], password }, { staffId: null })
		)
	);
}

/** Signs in on the office's sign-in page, as staff do. */
export async function signInToOffice(page: Page, email: string, password: string): Promise<void> {
	await page.goto('/office/sign-in');
	await page.getByLabel('E-Mail-Adresse').fill(email);
	await page.getByLabel('Passwort', { exact: true }).fill(password);
	await page.getByRole('button', { name: 'Anmelden' }).click();
	await expect(page.getByRole('heading', { name: 'Übersicht', level: 1 })).toBeVisible();
}
