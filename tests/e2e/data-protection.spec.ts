/**
 * What the city's data protection officer asked for, as an admin does it: deleting a staff
 * account after confirming on the page (the name goes everywhere, the sessions stay), and
 * setting how long the log is kept, beside the learners' retention on the same page. The
 * words added for this are read from the German translation file.
 */
import type { Page } from '@playwright/test';
import { sql } from 'kysely';
import { words } from './support/checks';
import { expect, test } from './support/fixtures';
import {
	addCoordinator,
	addVolunteer,
	seedPlace,
	signInToOffice,
	withOffice
} from './support/office';

const office = words('de', 'office');

const ADMIN = {
	name: 'Rita Reger',
	email: 'rita.reger@stadt.example',
	password: 'Kaffee am Morgen 7'
};
const VOLUNTEER = {
	name: 'Vera Volunteer',
	email: 'vera@stadt.example',
	password: 'Dienstags in der Bibliothek'
};

async function signOut(page: Page): Promise<void> {
	await page.getByRole('button', { name: 'Abmelden' }).click();
	await expect(page.getByRole('heading', { name: 'Anmelden', level: 1 })).toBeVisible();
}

test('an admin deletes a volunteer’s account after confirming it on the page; her name is gone, her session stays', async ({
	page,
	server
}) => {
	const place = await seedPlace(server);
	await addCoordinator(server, ADMIN.email, ADMIN.password, ADMIN.name, 'admin');
	await addVolunteer(server, place, VOLUNTEER.email, VOLUNTEER.password, VOLUNTEER.name);
	// A session she ran, as a tablet would have sent it.
	await withOffice(server, async (db) => {
		await sql`
			insert into training_sessions (id, location_id, series_id, series_index, title, course_ids,
				date, start_time, end_time, room, volunteer_ids, capacity, status, stamps, created_by,
				created_at, updated_at)
			select 'session-vera', ${place.locationId}, null, null, 'Tablet kennenlernen',
				'tablet-basics', '2026-03-04', '10:00', '11:00', 'Raum 1', id, 8, 'closed', '{}', id,
				'2026-03-01T09:00:00.000Z', '2026-03-04T11:00:00.000Z'
			from staff where email = ${VOLUNTEER.email}
		`.execute(db.db);
	});
	// She signs in once, so the log knows her.
	await signInToOffice(page, VOLUNTEER.email, VOLUNTEER.password);
	await signOut(page);

	await signInToOffice(page, ADMIN.email, ADMIN.password);
	await page.goto('/office/reports/sessions/session-vera');
	await expect(page.getByText(VOLUNTEER.name)).toBeVisible();

	await page.goto('/office/staff');
	await expect(page.getByRole('heading', { name: 'Mitarbeitende', level: 1 })).toBeVisible();
	const deleteVera = page.getByRole('button', {
		name: `${office('staff.delete')}: ${VOLUNTEER.name}`
	});
	// One's own account is not offered for deletion.
	await expect(
		page.getByRole('button', { name: `${office('staff.delete')}: ${ADMIN.name}` })
	).toHaveCount(0);

	// Asking first, on the page; cancelling keeps her.
	await deleteVera.click();
	await expect(
		page.getByText(office('staff.deleteQuestion', { name: VOLUNTEER.name }))
	).toBeFocused();
	await page.getByRole('button', { name: 'Abbrechen' }).click();
	await expect(deleteVera).toBeFocused();
	await expect(page.getByRole('rowheader', { name: new RegExp(VOLUNTEER.name) })).toBeVisible();

	await deleteVera.click();
	await page
		.getByRole('button', { name: office('staff.deleteConfirm', { name: VOLUNTEER.name }) })
		.click();
	await expect(page.getByText(office('staff.deleteDone'))).toBeVisible();
	await expect(page.getByRole('rowheader', { name: new RegExp(VOLUNTEER.name) })).toHaveCount(0);
	await expect(page.getByRole('heading', { name: 'Alle Konten', level: 2 })).toBeFocused();
	await expect(page.getByText(VOLUNTEER.email)).toHaveCount(0);

	// The log: the deletion by the admin, and her own entries under "deleted account".
	await page.getByRole('navigation').getByRole('link', { name: 'Protokoll' }).click();
	await expect(
		page.getByRole('row').filter({ hasText: office('audit.actions.staff.delete') })
	).toContainText(ADMIN.name);
	const hers = page.getByRole('row').filter({ hasText: office('staff.deletedAccount') });
	await expect(hers.filter({ hasText: 'Anmeldung' })).toHaveCount(1);
	await expect(hers.filter({ hasText: 'Abmeldung' })).toHaveCount(1);
	await expect(page.getByText(VOLUNTEER.name)).toHaveCount(0);

	// Her session is still there, run by a deleted account.
	await page.goto('/office/reports/sessions/session-vera');
	await expect(page.getByText('Tablet kennenlernen')).toBeVisible();
	await expect(page.getByText(office('staff.deletedAccount'))).toBeVisible();
	await expect(page.getByText(VOLUNTEER.name)).toHaveCount(0);

	// And she cannot sign in any more.
	await signOut(page);
	await page.getByLabel('E-Mail-Adresse').fill(VOLUNTEER.email);
	await page.getByLabel('Passwort', { exact: true }).fill(VOLUNTEER.password);
	await page.getByRole('button', { name: 'Anmelden' }).click();
	await expect(page.getByText('E-Mail-Adresse oder Passwort stimmen nicht.')).toBeVisible();
});

test('an admin sets how long the log is kept; each form on the privacy page answers for itself', async ({
	page,
	server
}) => {
	await addCoordinator(server, ADMIN.email, ADMIN.password, ADMIN.name, 'admin');
	await signInToOffice(page, ADMIN.email, ADMIN.password);
	await page.getByRole('navigation').getByRole('link', { name: 'Datenschutz' }).click();
	await expect(page.getByRole('heading', { name: office('privacy.auditTitle') })).toBeVisible();

	const log = page.getByLabel(office('privacy.auditMonths'));
	const learners = page.getByLabel(office('privacy.months'), { exact: true });
	const saveLog = page.getByRole('button', { name: office('privacy.auditSave') });
	const saveLearners = page.getByRole('button', { name: office('privacy.save'), exact: true });
	await expect(log).toHaveValue('24');

	// A wrong entry is refused beside the log's field only, keeping what was typed.
	await log.fill('zwei Jahre');
	await saveLog.click();
	await expect(log).toHaveAttribute('aria-invalid', 'true');
	await expect(log).toHaveAccessibleDescription(
		`${office('privacy.auditMonthsHint')} ${office('privacy.invalid')}`
	);
	await expect(log).toHaveValue('zwei Jahre');
	await expect(learners).not.toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByText(office('privacy.invalid'))).toHaveCount(1);

	await log.fill('36');
	await saveLog.click();
	await expect(page.getByText(office('privacy.auditSaved_other', { count: '36' }))).toBeVisible();
	await expect(log).not.toHaveAttribute('aria-invalid', 'true');
	await page.reload();
	await expect(log).toHaveValue('36');

	// The learners' form answers beside its own field, and leaves the log's alone.
	await learners.fill('500');
	await saveLearners.click();
	await expect(learners).toHaveAttribute('aria-invalid', 'true');
	await expect(log).not.toHaveAttribute('aria-invalid', 'true');
	await expect(log).toHaveValue('36');
	await expect(page.getByText(office('privacy.invalid'))).toHaveCount(1);

	// 0 keeps the log for ever.
	await log.fill('0');
	await saveLog.click();
	await expect(page.getByText(office('privacy.auditSavedForever'))).toBeVisible();
	await expect(page.getByText(office('privacy.invalid'))).toHaveCount(0);

	await page.getByRole('navigation').getByRole('link', { name: 'Protokoll' }).click();
	await expect(
		page.getByRole('row').filter({ hasText: office('audit.actions.audit-retention.set') })
	).toHaveCount(2);
});
