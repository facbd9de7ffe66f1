/**
 * Volunteer mode on a tablet, as a volunteer opens it and plans a session: in German unless a
 * language is given (the tablet's language; the words come from the translation files).
 */
import { expect, type Page } from '@playwright/test';
import { words } from './checks';

/** Signs in online once and chooses a PIN: volunteer mode is then open in this tab. */
export async function openVolunteerMode(
	page: Page,
	email: string,
	password: string,
	pin = '480317',
	lang = 'de'
): Promise<void> {
	const device = words(lang, 'device');
	await page.goto('/volunteer');
	await page.getByLabel(device('volunteer.email')).fill(email);
	await page.getByLabel(device('volunteer.password')).fill(password);
	await page.getByRole('button', { name: device('volunteer.signInButton') }).click();
	await page.getByLabel(device('pin.choose', { length: '6' })).fill(pin);
	await page.getByLabel(device('pin.repeat')).fill(pin);
	await expect(
		page.getByRole('heading', { name: words(lang, 'sessions')('list.title') })
	).toBeVisible();
}

/**
 * After a reload (volunteer mode lives in the tab): the PIN on the pad, digit by digit, on
 * whichever volunteer page the tablet shows.
 */
export async function unlockWithPin(page: Page, pin = '480317', lang = 'de'): Promise<void> {
	for (const digit of pin) await page.getByRole('button', { name: digit, exact: true }).click();
	await expect(
		page.getByRole('button', { name: words(lang, 'device')('volunteer.lock') })
	).toBeVisible();
}

/** Today on the machine's calendar, as the tablet's date field takes it. */
export function today(): string {
	const now = new Date();
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export async function planSession(
	page: Page,
	input: {
		title: string;
		course: string;
		date?: string;
		start?: string;
		end?: string;
		weeks?: number;
		capacity?: number;
	},
	lang = 'de'
): Promise<void> {
	const t = words(lang, 'sessions');
	const field = (key: string) => page.getByLabel(t(key), { exact: true });
	await page.getByRole('link', { name: t('list.new') }).click();
	await field('form.title').fill(input.title);
	await page.getByRole('checkbox', { name: input.course, exact: true }).check();
	await field('form.date').fill(input.date ?? today());
	await field('form.start').fill(input.start ?? '10:00');
	await field('form.end').fill(input.end ?? '11:30');
	await field('form.room').fill('Lesesaal');
	await field('form.capacity').fill(String(input.capacity ?? 12));
	await field('form.weeks').fill(String(input.weeks ?? 1));
	await page.getByRole('button', { name: t('new.save') }).click();
	await expect(page.getByRole('heading', { name: input.title, level: 1 })).toBeVisible();
}
