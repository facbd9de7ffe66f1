import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import type { TestServer } from './support/server';

const ADMIN = {
	name: 'Rita Reger',
	email: 'rita.reger@stadt.example',
	password: 'Kaffee am Morgen 7'
};
const VOLUNTEER = {
	name: 'Emil Ehrenamt',
	email: 'emil@stadt.example',
	password: 'Erstes Passwort 2026',
	own: 'Mein eigenes Passwort'
};

function nav(page: Page) {
	return page.getByRole('navigation', { name: 'Bereiche des Büros' });
}

async function fillSetup(page: Page, setupCode: string): Promise<void> {
	await page.getByLabel('Einrichtungscode', { exact: true }).fill(setupCode);
	await page.getByLabel('Name', { exact: true }).fill(ADMIN.name);
	await page.getByLabel('E-Mail-Adresse').fill(ADMIN.email);
	await page.getByLabel('Passwort', { exact: true }).fill(ADMIN.password);
	await page.getByLabel('Name des Ortes').fill('Stadtbibliothek Mitte');
	await page.getByLabel('Art des Ortes').selectOption({ label: 'Bibliothek' });
	await page.getByRole('button', { name: 'Lernlotse einrichten' }).click();
}

/** First run as a person does it: the code from the server's log, then the admin and a place. */
async function setUpOffice(page: Page, server: TestServer): Promise<void> {
	await page.goto('/office');
	await expect(page.getByRole('heading', { name: 'Lernlotse einrichten', level: 1 })).toBeVisible();
	await fillSetup(page, await server.setupCode());
	await expect(page.getByRole('heading', { name: 'Übersicht', level: 1 })).toBeVisible();
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
	await page.getByLabel('E-Mail-Adresse').fill(email);
	await page.getByLabel('Passwort', { exact: true }).fill(password);
	await page.getByRole('button', { name: 'Anmelden' }).click();
}

test('first-run setup creates the admin and the first place, and lands signed in', async ({
	page,
	server
}) => {
	await setUpOffice(page, server);
	await expect(page.getByText(`Angemeldet: ${ADMIN.name}`)).toBeVisible();
	for (const link of ['Übersicht', 'Orte', 'Mitarbeitende', 'Geräte', 'Protokoll', 'Mein Konto']) {
		await expect(nav(page).getByRole('link', { name: link, exact: true })).toBeVisible();
	}
	await nav(page).getByRole('link', { name: 'Orte' }).click();
	await expect(page.getByRole('rowheader', { name: 'Stadtbibliothek Mitte' })).toBeVisible();

	// The setup page is gone once there is an admin.
	await page.goto('/office/setup');
	await expect(page.getByRole('heading', { name: 'Übersicht', level: 1 })).toBeVisible();
});

test('a wrong setup code is refused in words, beside the field, keeping what was typed', async ({
	page,
	server
}) => {
	await page.goto('/office/setup');
	await fillSetup(page, 'AAAA-AAAA');
	const code = page.getByLabel('Einrichtungscode', { exact: true });
	await expect(page.getByText('Dieser Einrichtungscode stimmt nicht.')).toBeVisible();
	await expect(code).toHaveAttribute('aria-invalid', 'true');
	await expect(code).toHaveAccessibleDescription(/Dieser Einrichtungscode stimmt nicht/);
	await expect(code).toBeFocused();
	await expect(page.getByLabel('Name', { exact: true })).toHaveValue(ADMIN.name);
	await expect(page.getByLabel('Passwort', { exact: true })).toHaveValue('');

	await fillSetup(page, await server.setupCode());
	await expect(page.getByRole('heading', { name: 'Übersicht', level: 1 })).toBeVisible();
});

test('the admin adds a place and a volunteer and makes an enrolment code; the volunteer must change the password and sees only what a volunteer may', async ({
	page,
	server
}) => {
	await setUpOffice(page, server);

	await nav(page).getByRole('link', { name: 'Orte' }).click();
	await page.getByLabel('Name des Ortes').fill('Seniorentreff Nord');
	await page.getByLabel('Art des Ortes').selectOption({ label: 'Seniorentreff' });
	await page.getByRole('button', { name: 'Ort anlegen' }).click();
	await expect(page.getByText('Der Ort ist angelegt.')).toBeVisible();
	await expect(page.getByRole('rowheader', { name: 'Seniorentreff Nord' })).toBeVisible();

	await nav(page).getByRole('link', { name: 'Mitarbeitende' }).click();
	await expect(page.getByRole('heading', { name: 'Mitarbeitende', level: 1 })).toBeVisible();
	const create = page.locator('form', { has: page.getByRole('button', { name: 'Konto anlegen' }) });
	await create.getByLabel('Name', { exact: true }).fill(VOLUNTEER.name);
	await create.getByLabel('E-Mail-Adresse').fill(VOLUNTEER.email);
	await create.getByLabel('Erstes Passwort').fill(VOLUNTEER.password);
	await create.getByLabel('Rolle').selectOption({ label: 'Ehrenamt' });
	// Forgetting the place: the form says so beside the places and keeps the rest.
	await page.getByRole('button', { name: 'Konto anlegen' }).click();
	await expect(create.getByText('Ehrenamtliche brauchen mindestens einen Ort.')).toBeVisible();
	await expect(create.getByLabel('Name', { exact: true })).toHaveValue(VOLUNTEER.name);
	await expect(create.getByLabel('Erstes Passwort')).toHaveValue('');
	await create.getByLabel('Erstes Passwort').fill(VOLUNTEER.password);
	await create.getByRole('checkbox', { name: 'Seniorentreff Nord' }).check();
	await page.getByRole('button', { name: 'Konto anlegen' }).click();
	await expect(page.getByText('Das Konto ist angelegt.')).toBeVisible();
	const row = page.getByRole('row', { name: new RegExp(VOLUNTEER.name) });
	await expect(row).toContainText('Ehrenamt');
	await expect(row).toContainText('Seniorentreff Nord');
	await expect(row).toContainText('Muss ein eigenes Passwort wählen');
	await expect(create.getByLabel('Name', { exact: true })).toHaveValue('');
	// The admin's own password changes under "Mein Konto", not by a reset that signs them out.
	await expect(row.getByRole('button', { name: /^Passwort zurücksetzen/ })).toBeVisible();
	await expect(
		page.getByRole('button', { name: `Passwort zurücksetzen: ${ADMIN.name}` })
	).toHaveCount(0);

	await nav(page).getByRole('link', { name: 'Geräte' }).click();
	await page.getByLabel('Ort des Tablets').selectOption({ label: 'Seniorentreff Nord' });
	await page.getByRole('button', { name: 'Code erstellen' }).click();
	await expect(page.getByRole('heading', { name: 'Code für Seniorentreff Nord' })).toBeFocused();
	await expect(page.getByText(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/)).toBeVisible();
	await expect(page.getByRole('img', { name: 'QR-Code zum Einrichten des Tablets' })).toBeVisible();
	await expect(page.locator('.qr svg')).toBeVisible();
	await expect(page.getByText(`${server.url}/device?code=`)).toBeVisible();

	await page.getByRole('button', { name: 'Abmelden' }).click();
	await expect(page.getByRole('heading', { name: 'Anmelden', level: 1 })).toBeVisible();
	await expect(nav(page)).toHaveCount(0);

	await signIn(page, VOLUNTEER.email, VOLUNTEER.password);
	await expect(page.getByRole('heading', { name: 'Mein Konto', level: 1 })).toBeVisible();
	await expect(page.getByText('Bitte wählen Sie zuerst ein eigenes Passwort.')).toBeVisible();
	// Nothing else opens before the password is the volunteer's own.
	await page.goto('/office/devices');
	await expect(page.getByRole('heading', { name: 'Mein Konto', level: 1 })).toBeVisible();
	await expect(page).toHaveURL(/\/office\/account\?required=1$/);
	await page.getByLabel('Bisheriges Passwort').fill(VOLUNTEER.password);
	await page.getByLabel('Neues Passwort').fill(VOLUNTEER.own);
	await page.getByRole('button', { name: 'Passwort ändern' }).click();
	await expect(page.getByText('Ihr Passwort ist geändert.')).toBeVisible();

	await nav(page).getByRole('link', { name: 'Geräte' }).click();
	await expect(page.getByRole('heading', { name: 'Geräte', level: 1 })).toBeVisible();
	await expect(page.getByText('Hier sehen Sie die Tablets an Ihren Orten')).toBeVisible();
	await expect(page.getByRole('button', { name: 'Code erstellen' })).toHaveCount(0);
	await expect(nav(page).getByRole('link', { name: 'Geräte' })).toHaveAttribute(
		'aria-current',
		'page'
	);
	for (const hidden of ['Mitarbeitende', 'Orte', 'Protokoll']) {
		await expect(nav(page).getByRole('link', { name: hidden })).toHaveCount(0);
	}

	await page.goto('/office/staff');
	await expect(
		page.getByRole('heading', { name: 'Das geht leider nicht', level: 1 })
	).toBeVisible();
	await expect(
		page.getByText('Diese Seite ist für Ihre Rolle nicht freigegeben.', { exact: false })
	).toBeVisible();
});

test('five wrong passwords lock the account for a while, and the page says until when', async ({
	page,
	server
}) => {
	await setUpOffice(page, server);
	await page.getByRole('button', { name: 'Abmelden' }).click();
	await expect(page.getByRole('heading', { name: 'Anmelden', level: 1 })).toBeVisible();

	const password = page.getByLabel('Passwort', { exact: true });
	for (let attempt = 1; attempt <= 4; attempt++) {
		await signIn(page, ADMIN.email, `falsch-falsch-${attempt}`);
		await expect(password).toHaveAccessibleDescription(
			'E-Mail-Adresse oder Passwort stimmen nicht. Bitte versuchen Sie es noch einmal.'
		);
		await expect(password).toHaveValue('');
		await expect(page.getByLabel('E-Mail-Adresse')).toHaveValue(ADMIN.email);
	}
	// The fifth wrong one locks the account, and says so at once.
	await signIn(page, ADMIN.email, 'falsch-falsch-5');
	await expect(password).toHaveAccessibleDescription(
		/^Zu viele falsche Versuche\. Die Anmeldung ist bis \d{1,2}:\d{2} Uhr gesperrt\./
	);
	// Even the right password waits now.
	await signIn(page, ADMIN.email, ADMIN.password);
	await expect(password).toHaveAccessibleDescription(
		/^Zu viele falsche Versuche\. Die Anmeldung ist bis \d{1,2}:\d{2} Uhr gesperrt\./
	);
	await expect(page.getByRole('heading', { name: 'Anmelden', level: 1 })).toBeVisible();
});
