/** Volunteer mode on a tablet, as a volunteer opens it and plans a session. */
import { expect, type Page } from '@playwright/test';

/** Signs in online once and chooses a PIN: volunteer mode is then open in this tab. */
export async function openVolunteerMode(
	page: Page,
	email: string,
	password: string,
	pin = '480317'
): Promise<void> {
	await page.goto('/volunteer');
	await page.getByLabel('E-Mail-Adresse').fill(email);
	await page.getByLabel('Passwort').fill(password);
	await page.getByRole('button', { name: 'Anmelden' }).click();
	await page.getByLabel('Neue PIN (6 Ziffern)').fill(pin);
	await page.getByLabel('Bitte geben Sie die PIN noch einmal ein').fill(pin);
	await expect(page.getByRole('heading', { name: 'Kurstermine' })).toBeVisible();
}

/**
 * After a reload (volunteer mode lives in the tab): the PIN on the pad, digit by digit, on
 * whichever volunteer page the tablet shows.
 */
export async function unlockWithPin(page: Page, pin = '480317'): Promise<void> {
	for (const digit of pin) await page.getByRole('button', { name: digit, exact: true }).click();
	await expect(page.getByRole('button', { name: 'Begleitmodus schließen' })).toBeVisible();
}

/** Today on the machine's calendar, as the tablet's date field takes it. */
export function today(): string {
	const now = new Date();
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export async function planSession(
	page: Page,
	input: { title: string; course: string; date?: string; weeks?: number; capacity?: number }
): Promise<void> {
	await page.getByRole('link', { name: 'Neuen Termin anlegen' }).click();
	await page.getByLabel('Titel', { exact: true }).fill(input.title);
	await page.getByRole('checkbox', { name: input.course, exact: true }).check();
	await page.getByLabel('Datum', { exact: true }).fill(input.date ?? today());
	await page.getByLabel('Beginn', { exact: true }).fill('10:00');
	await page.getByLabel('Ende', { exact: true }).fill('11:30');
	await page.getByLabel('Raum', { exact: true }).fill('Lesesaal');
	await page.getByLabel('Plätze', { exact: true }).fill(String(input.capacity ?? 12));
	await page.getByLabel('Wie viele Wochen?', { exact: true }).fill(String(input.weeks ?? 1));
	await page.getByRole('button', { name: 'Termin anlegen' }).click();
	await expect(page.getByRole('heading', { name: input.title, level: 1 })).toBeVisible();
}
