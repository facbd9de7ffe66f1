import { courseCard, createProfile, expect, test, waitForServiceWorker } from './support/fixtures';
import { addVolunteer, enrolTablet, seedPlace, withOffice } from './support/office';
import { openVolunteerMode, planSession, today, unlockWithPin } from './support/volunteer';

const SHOTS = process.env.SCREENSHOTS_DIR;

test('a volunteer plans a weekly series, welcomes a walk-in, checks people in and closes the session', async ({
	page,
	server
}) => {
	const place = await enrolTablet(page, server, await seedPlace(server));
	await addVolunteer(server, place, 'vera@example.org', 'ein-langes-passwort');
	await createProfile(page, 'Hilde', 'Baum');
	await page.getByRole('button', { name: 'Person wechseln' }).click();
	await openVolunteerMode(page, 'vera@example.org', 'ein-langes-passwort');

	// A form with mistakes says what is wrong, beside the field, and saves nothing.
	await page.getByRole('link', { name: 'Neuen Termin anlegen' }).click();
	await page.getByLabel('Beginn', { exact: true }).fill('11:00');
	await page.getByLabel('Ende', { exact: true }).fill('10:00');
	await page.getByRole('button', { name: 'Termin anlegen' }).click();
	await expect(page.getByText('Bitte geben Sie einen Titel ein.')).toBeVisible();
	await expect(page.getByText('Das Ende muss nach dem Beginn liegen.')).toBeVisible();
	await expect(page.getByText('Bitte wählen Sie mindestens einen Kurs.')).toBeVisible();
	await expect(page.getByLabel('Titel', { exact: true })).toBeFocused();
	if (SHOTS) await page.screenshot({ path: `${SHOTS}/session-form-errors.png`, fullPage: true });
	await page.getByRole('link', { name: 'Zurück zum Begleitmodus' }).click();

	await planSession(page, {
		title: 'Termin im Bürgerbüro buchen',
		course: 'Einen Termin im Bürgerbüro online buchen',
		weeks: 3,
		capacity: 2
	});
	await page.getByRole('link', { name: 'Zurück zum Begleitmodus' }).click();
	// The series: today, and two more weeks.
	await expect(
		page.getByRole('link', { name: /Termin im Bürgerbüro buchen/ }).first()
	).toBeVisible();
	await withOffice(server, async () => undefined);
	await page
		.getByRole('link', { name: /Termin im Bürgerbüro buchen/ })
		.first()
		.click();

	// Sign up a learner of this tablet.
	await page.getByRole('button', { name: 'Person anmelden' }).click();
	await page.getByLabel('Name suchen').fill('hil');
	await page.getByRole('button', { name: 'Hilde anmelden' }).click();
	await expect(page.getByText('Hilde ist angemeldet.')).toBeVisible();
	// Signed up by mistake: taken off the list again, then signed up after all.
	await page.getByRole('button', { name: 'Von der Liste nehmen' }).click();
	await expect(page.getByText('Hilde steht nicht mehr auf der Liste.')).toBeVisible();
	await expect(page.getByRole('group', { name: 'Hilde' })).toHaveCount(0);
	await page.getByRole('button', { name: 'Hilde anmelden' }).click();
	await expect(page.getByText('Hilde ist angemeldet.')).toBeVisible();

	// A walk-in: a new profile right here, present at once, with a card to print.
	await page.getByRole('link', { name: 'Neu dazu' }).click();
	await page.getByLabel('Ihr Vorname oder ein Spitzname').fill('Erna');
	await page.getByRole('radio', { name: 'Sonne' }).check();
	await page.getByRole('button', { name: 'Aufnehmen und Karte erstellen' }).click();
	await expect(page.getByText('Erna ist aufgenommen und als anwesend eingetragen.')).toBeVisible();
	await expect(page.getByRole('article', { name: 'Lernkarte von Erna' })).toBeVisible();
	await page.getByRole('link', { name: 'Zurück zur Liste' }).click();

	// The same name again: asked first, and the same person is not made twice.
	await page.getByRole('link', { name: 'Neu dazu' }).click();
	await page.getByLabel('Ihr Vorname oder ein Spitzname').fill(' erna ');
	await page.getByRole('button', { name: 'Aufnehmen und Karte erstellen' }).click();
	await expect(page.getByRole('alert')).toContainText('Es gibt schon eine Person mit dem Namen');
	await page.getByRole('button', { name: 'Ja, das ist Erna' }).click();
	await expect(page.getByText('Erna ist als anwesend eingetragen.')).toBeVisible();
	await page.getByRole('link', { name: 'Zurück zur Liste' }).click();

	await expect(page.getByRole('heading', { name: 'Teilnehmende: 1 von 2 da' })).toBeVisible();
	const hilde = page.getByRole('group', { name: 'Hilde' });
	await hilde.getByRole('button', { name: 'Verspätet' }).click();
	await expect(hilde.getByRole('button', { name: 'Verspätet' })).toHaveAttribute(
		'aria-pressed',
		'true'
	);
	await expect(page.getByRole('heading', { name: 'Teilnehmende: 2 von 2 da' })).toBeVisible();

	// Fewer places than people here: refused with the reason.
	await page.getByRole('link', { name: 'Termin ändern' }).click();
	await page.getByLabel('Plätze').fill('1');
	await page.getByRole('button', { name: 'Änderungen speichern' }).click();
	await expect(
		page.getByText('Es sind schon 2 Personen da. Es muss mindestens 2 Plätze geben.')
	).toBeVisible();
	await page.getByLabel('Plätze').fill('10');
	await page.getByLabel('Raum', { exact: true }).fill('Raum 2');
	await page
		.getByRole('radio', { name: 'Für diesen und alle folgenden Termine der Reihe' })
		.check();
	await page.getByRole('button', { name: 'Änderungen speichern' }).click();
	await expect(page.getByText(/Raum 2/).first()).toBeVisible();

	// A note for staff.
	await page.getByRole('button', { name: 'Notiz schreiben' }).first().click();
	await page.getByLabel('Notiz zu Erna (nur für Begleitpersonen)').fill('Braucht große Schrift');
	await page.getByRole('button', { name: 'Notiz speichern' }).click();
	await expect(page.getByText('Braucht große Schrift')).toBeVisible();
	if (SHOTS) await page.screenshot({ path: `${SHOTS}/session-roster.png`, fullPage: true });

	await page.getByRole('button', { name: 'Termin abschließen' }).click();
	await page.getByRole('button', { name: 'Ja, abschließen' }).click();
	await expect(page.getByText('Dieser Termin ist abgeschlossen.')).toBeVisible();
	const summary = page.getByRole('region', { name: 'Zusammenfassung' });
	await expect(summary.getByText('Gekommen')).toBeVisible();
	if (SHOTS) await page.screenshot({ path: `${SHOTS}/session-summary.png`, fullPage: true });

	// Everything reached the office.
	await expect(page.getByRole('banner').getByRole('status')).toHaveText(
		/^(Gerade an das|An das) Büro gesendet/,
		{ timeout: 20_000 }
	);
	await withOffice(server, async (office) => {
		const sessions = await office.db
			.selectFrom('training_sessions')
			.select(['date', 'room', 'capacity', 'status'])
			.orderBy('date')
			.execute();
		expect(sessions.map((s) => s.room)).toEqual(['Raum 2', 'Raum 2', 'Raum 2']);
		expect(sessions[0]).toMatchObject({ date: today(), capacity: 10, status: 'closed' });
		const marks = await office.db
			.selectFrom('attendance')
			.innerJoin('learners', 'learners.id', 'attendance.learner_id')
			.select(['learners.name', 'attendance.status', 'attendance.roster', 'attendance.note'])
			.orderBy('learners.name')
			.execute();
		expect(marks).toEqual([
			{ name: 'Erna', status: 'present', roster: 'walk-in', note: 'Braucht große Schrift' },
			{ name: 'Hilde', status: 'late', roster: 'signed-up', note: '' }
		]);
	});
	await waitForServiceWorker(page);
});

test('two tablets check people in offline, one closes the session, and both agree with the office once online', async ({
	browser,
	server
}) => {
	// Two tablets, each set up as a person would: slow on a busy two-core machine.
	test.setTimeout(180_000);
	const place = await seedPlace(server);
	await addVolunteer(server, place, 'vera@example.org', 'ein-langes-passwort', 'Vera');
	await addVolunteer(server, place, 'bernd@example.org', 'noch-ein-passwort', 'Bernd');
	const contextA = await browser.newContext({ baseURL: server.url });
	const contextB = await browser.newContext({ baseURL: server.url });
	const a = await contextA.newPage();
	const b = await contextB.newPage();
	const sent = /^(Gerade an das|An das) Büro gesendet/;

	// Tablet A: three learners, a session, all of them signed up, synced.
	await enrolTablet(a, server, place);
	for (const [name, picture] of [
		['Erna', 'Sonne'],
		['Hilde', 'Baum'],
		['Karl', 'Haus']
	] as const) {
		await createProfile(a, name, picture);
		await a.getByRole('button', { name: 'Person wechseln' }).click();
	}
	await openVolunteerMode(a, 'vera@example.org', 'ein-langes-passwort');
	await planSession(a, { title: 'Dienstagsrunde', course: 'Das Tablet kennenlernen' });
	await a.getByRole('button', { name: 'Person anmelden' }).click();
	for (const name of ['Erna', 'Hilde', 'Karl']) {
		await a.getByRole('button', { name: `${name} anmelden` }).click();
		await expect(a.getByText(`${name} ist angemeldet.`)).toBeVisible();
	}
	await expect(a.getByRole('banner').getByRole('status')).toHaveText(sent, { timeout: 20_000 });

	// Tablet B, same place: it gets the session and its roster from the office.
	await enrolTablet(b, server, place);
	await waitForServiceWorker(b);
	await openVolunteerMode(b, 'bernd@example.org', 'noch-ein-passwort', '735190');
	await b.getByRole('link', { name: /Dienstagsrunde/ }).click({ timeout: 30_000 });
	await expect(b.getByRole('heading', { name: 'Teilnehmende: 0 von 3 da' })).toBeVisible({
		timeout: 30_000
	});
	await waitForServiceWorker(a);

	// The Wi-Fi goes, and the office with it.
	await server.stop();
	await contextA.setOffline(true);
	await contextB.setOffline(true);

	await a.getByRole('group', { name: 'Erna' }).getByRole('button', { name: 'Anwesend' }).click();
	await a.getByRole('group', { name: 'Hilde' }).getByRole('button', { name: 'Anwesend' }).click();
	// Bernd saw Erna come in late; he marks her after Vera did, not knowing of her mark.
	await b.getByRole('group', { name: 'Erna' }).getByRole('button', { name: 'Verspätet' }).click();
	await b.getByRole('group', { name: 'Karl' }).getByRole('button', { name: 'Anwesend' }).click();
	// The button shows the mark once it is stored on the tablet, as Bernd sees it.
	await expect(
		b.getByRole('group', { name: 'Karl' }).getByRole('button', { name: 'Anwesend' })
	).toHaveAttribute('aria-pressed', 'true');

	// A reload offline: volunteer mode asks for the PIN again, the marks are still there.
	await b.reload();
	await expect(b.getByRole('heading', { name: 'Begleitmodus ist gesperrt' })).toBeVisible();
	await unlockWithPin(b, '735190');
	await expect(
		b.getByRole('group', { name: 'Karl' }).getByRole('button', { name: 'Anwesend' })
	).toHaveAttribute('aria-pressed', 'true');

	await a.getByRole('button', { name: 'Termin abschließen' }).click();
	await a.getByRole('button', { name: 'Ja, abschließen' }).click();
	await expect(a.getByText('Dieser Termin ist abgeschlossen.')).toBeVisible();

	// Back online.
	await server.startFrom();
	await contextA.setOffline(false);
	await contextB.setOffline(false);

	for (const tablet of [a, b]) {
		const erna = tablet.getByRole('group', { name: 'Erna' });
		await expect(erna.getByRole('button', { name: 'Verspätet' })).toHaveAttribute(
			'aria-pressed',
			'true',
			{ timeout: 60_000 }
		);
		await expect(tablet.getByText(/Zwei Tablets haben Unterschiedliches erfasst/)).toContainText(
			'„Verspätet“',
			{ timeout: 60_000 }
		);
		await expect(
			tablet.getByRole('group', { name: 'Hilde' }).getByRole('button', { name: 'Anwesend' })
		).toHaveAttribute('aria-pressed', 'true', { timeout: 60_000 });
		await expect(
			tablet.getByRole('group', { name: 'Karl' }).getByRole('button', { name: 'Anwesend' })
		).toHaveAttribute('aria-pressed', 'true', { timeout: 60_000 });
		await expect(tablet.getByText('Dieser Termin ist abgeschlossen.')).toBeVisible({
			timeout: 60_000
		});
	}
	if (SHOTS) await b.screenshot({ path: `${SHOTS}/session-conflict.png`, fullPage: true });

	await withOffice(server, async (office) => {
		const marks = await office.db
			.selectFrom('attendance')
			.innerJoin('learners', 'learners.id', 'attendance.learner_id')
			.select(['learners.name', 'attendance.status'])
			.orderBy('learners.name')
			.execute();
		expect(marks).toEqual([
			{ name: 'Erna', status: 'late' },
			{ name: 'Hilde', status: 'present' },
			{ name: 'Karl', status: 'present' }
		]);
		const conflicts = await office.db
			.selectFrom('conflicts')
			.select(['field', 'kept', 'other'])
			.where('entity', '=', 'attendance')
			.execute();
		expect(conflicts).toHaveLength(1);
		expect(JSON.parse(conflicts[0]!.kept).value).toBe('late');
		expect(JSON.parse(conflicts[0]!.other).value).toBe('present');
		// Both edits of Erna's mark are kept in the history.
		const history = await office.db
			.selectFrom('session_history')
			.select('fields')
			.where('entity', '=', 'attendance')
			.execute();
		const statuses = history.map((h) => JSON.parse(h.fields).status).filter(Boolean);
		expect(statuses.sort()).toEqual(['late', 'present', 'present', 'present']);
		const session = await office.db
			.selectFrom('training_sessions')
			.select('status')
			.executeTakeFirstOrThrow();
		expect(session.status).toBe('closed');
	});
	await contextA.close();
	await contextB.close();
});

test('a call for help reaches the volunteer, from the same tablet and from another one once synced', async ({
	browser,
	server
}) => {
	// Two tablets, each set up as a person would: slow on a busy two-core machine.
	test.setTimeout(180_000);
	const place = await seedPlace(server);
	await addVolunteer(server, place, 'vera@example.org', 'ein-langes-passwort', 'Vera');
	await addVolunteer(server, place, 'bernd@example.org', 'noch-ein-passwort', 'Bernd');
	const tablet = await browser.newContext({ baseURL: server.url });
	const volunteer = await tablet.newPage();
	await enrolTablet(volunteer, server, place);
	await createProfile(volunteer, 'Erna');
	await volunteer.getByRole('button', { name: 'Person wechseln' }).click();
	await openVolunteerMode(volunteer, 'vera@example.org', 'ein-langes-passwort');
	// A call counts from the session's start: the session runs now, whatever the hour the test
	// runs at (at 10:00 every day it failed in the night).
	const hour = new Date().getHours();
	const at = (h: number) => `${String(h).padStart(2, '0')}:00`;
	await planSession(volunteer, {
		title: 'Dienstagsrunde',
		course: 'Das Tablet kennenlernen',
		start: at(Math.max(0, hour - 1)),
		end: hour < 23 ? at(hour + 1) : '23:59'
	});
	await volunteer.getByRole('button', { name: 'Person anmelden' }).click();
	await volunteer.getByRole('button', { name: 'Erna anmelden' }).click();
	await volunteer
		.getByRole('group', { name: 'Erna' })
		.getByRole('button', { name: 'Anwesend' })
		.click();

	// Another volunteer's tablet at the same place follows the session.
	const other = await browser.newContext({ baseURL: server.url });
	const bernd = await other.newPage();
	await enrolTablet(bernd, server, place);
	await openVolunteerMode(bernd, 'bernd@example.org', 'noch-ein-passwort', '735190');
	await bernd.getByRole('link', { name: /Dienstagsrunde/ }).click({ timeout: 30_000 });

	// Erna learns in another tab of the same tablet and asks for help.
	const learner = await tablet.newPage();
	await learner.goto('/');
	await learner.getByRole('button', { name: 'Erna' }).click();
	await courseCard(learner, 'Das Tablet kennenlernen')
		.getByRole('link', { name: /Beginnen/ })
		.click();
	await learner.getByRole('button', { name: 'Ich brauche Hilfe' }).click();

	const call = /Bittet um Hilfe seit \d{1,2}:\d{2} Uhr \(.+\)/;
	const ernaHere = volunteer.getByRole('listitem').filter({ hasText: 'Erna' });
	await expect(ernaHere.getByText(call)).toBeVisible({ timeout: 30_000 });
	await expect(
		ernaHere.getByText(/Jetzt: Das Tablet kennenlernen · .+ · Schritt 1 von \d+/)
	).toBeVisible();
	const ernaThere = bernd.getByRole('listitem').filter({ hasText: 'Erna' });
	await expect(ernaThere.getByText(call)).toBeVisible({ timeout: 45_000 });

	// Vera helps; both tablets stop showing the call once they have synced.
	await ernaHere.getByRole('button', { name: 'Geholfen' }).click();
	await expect(ernaHere.getByText(call)).toHaveCount(0);
	await expect(ernaThere.getByText(call)).toHaveCount(0, { timeout: 45_000 });
	await tablet.close();
	await other.close();
});
