import { courseCard, createProfile, expect, test, waitForServiceWorker } from './support/fixtures';
import {
	addVolunteer,
	enrolTablet,
	enrolmentCode,
	revokeAllDevices,
	seedPlace
} from './support/office';
import { finishLesson, loadPack } from './support/solver';

const SENT = /^(Gerade an das|An das) Büro gesendet/;

test('a learner card brings the learner and their progress to a second device, which keeps syncing', async ({
	page,
	browser,
	server
}) => {
	const pack = loadPack('tablet-basics');
	const status = page.getByRole('banner').getByRole('status');
	await enrolTablet(page, server);
	await createProfile(page, 'Erna');
	await courseCard(page, pack.title)
		.getByRole('link', { name: /Beginnen/ })
		.click();
	await finishLesson(page, pack, pack.lessons[0]!.id);

	await page.getByRole('link', { name: 'Erna' }).click();
	await page.getByRole('button', { name: 'Lernkarte erstellen' }).click();
	const card = page.getByRole('article', { name: 'Lernkarte von Erna' });
	await expect(card.getByRole('img', { name: 'QR-Code der Lernkarte' })).toBeVisible();
	const code = (await card.getByText(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/).textContent())!.trim();
	await expect(status).toHaveText(SENT, { timeout: 20_000 });

	// At home: another browser, never enrolled by anyone.
	const home = await browser.newContext({ baseURL: server.url });
	const other = await home.newPage();
	await other.goto('/');
	await other.getByRole('link', { name: 'Ich habe eine Lernkarte' }).click();
	await other.getByLabel('Code der Lernkarte').fill(code);
	await other.getByRole('button', { name: 'Weiterlernen' }).click();
	await expect(other.getByRole('heading', { name: 'Guten Tag, Erna' })).toBeVisible();
	await expect(
		courseCard(other, pack.title).getByText(`1 von ${pack.lessons.length} Lektionen geschafft`)
	).toBeVisible({ timeout: 20_000 });

	// Learning goes on at home and reaches the office.
	await courseCard(other, pack.title)
		.getByRole('link', { name: /Weiter/ })
		.click();
	await finishLesson(other, pack, pack.lessons[1]!.id);
	await expect(other.getByRole('banner').getByRole('status')).toHaveText(SENT, {
		timeout: 20_000
	});
	await home.close();
});

test('an old learner card stops working once a new one is made', async ({
	page,
	browser,
	server
}) => {
	await enrolTablet(page, server);
	await createProfile(page, 'Kurt');
	await page.getByRole('link', { name: 'Kurt' }).click();
	await page.getByRole('button', { name: 'Lernkarte erstellen' }).click();
	const codeText = page.getByRole('article').getByText(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
	const oldCode = (await codeText.textContent())!.trim();
	await page.getByRole('button', { name: 'Neue Lernkarte erstellen' }).click();
	await expect(codeText).not.toHaveText(oldCode);
	await expect(page.getByRole('banner').getByRole('status')).toHaveText(SENT, {
		timeout: 20_000
	});

	const elsewhere = await (await browser.newContext({ baseURL: server.url })).newPage();
	await elsewhere.goto('/card');
	await elsewhere.getByLabel('Code der Lernkarte').fill(oldCode);
	await elsewhere.getByRole('button', { name: 'Weiterlernen' }).click();
	await expect(elsewhere.getByRole('alert')).toHaveText(
		/gilt nicht mehr, weil es eine neuere gibt/
	);
	await elsewhere.getByLabel('Code der Lernkarte').fill('AAAA');
	await elsewhere.getByRole('button', { name: 'Weiterlernen' }).click();
	await expect(elsewhere.getByRole('alert')).toHaveText(/Dieser Code ist unvollständig/);
	await elsewhere.context().close();
});

test('a volunteer signs in online once, then unlocks volunteer mode offline with a PIN', async ({
	page,
	context,
	server
}) => {
	const place = await enrolTablet(page, server);
	await addVolunteer(server, place, 'vera@example.org', 'ein-langes-passwort');
	await waitForServiceWorker(page);

	await page.goto('/volunteer');
	await page.getByLabel('E-Mail-Adresse').fill('vera@example.org');
	await page.getByLabel('Passwort').fill('falsches-passwort');
	await page.getByRole('button', { name: 'Anmelden' }).click();
	await expect(page.getByRole('alert')).toHaveText('E-Mail-Adresse oder Passwort stimmen nicht.');
	await page.getByLabel('Passwort').fill('ein-langes-passwort');
	await page.getByRole('button', { name: 'Anmelden' }).click();

	await page.getByLabel('Neue PIN (6 Ziffern)').fill('123456');
	await expect(page.getByRole('alert')).toHaveText(/zu leicht zu erraten/);
	await page.getByLabel('Neue PIN (6 Ziffern)').fill('480317');
	await page.getByLabel('Bitte geben Sie die PIN noch einmal ein').fill('480317');
	await expect(
		page.getByText('Begleitmodus für Vera Volunteer · Stadtbibliothek Mitte')
	).toBeVisible();
	await page.getByRole('button', { name: 'Begleitmodus schließen' }).click();

	// The office is gone: no server, no network.
	await server.stop();
	await context.setOffline(true);
	await page.reload();
	await expect(page.getByText('Vera Volunteer, bitte geben Sie Ihre PIN ein.')).toBeVisible();
	for (const digit of '111111')
		await page.getByRole('button', { name: digit, exact: true }).click();
	await expect(page.getByRole('alert')).toHaveText(/Diese PIN stimmt nicht. Noch 4 Versuche./);
	for (const digit of '480317')
		await page.getByRole('button', { name: digit, exact: true }).click();
	await expect(
		page.getByText('Begleitmodus für Vera Volunteer · Stadtbibliothek Mitte')
	).toBeVisible();
});

test('a learner profile with a PIN opens only with it, and a tablet left alone returns to the pictures', async ({
	page
}) => {
	await page.clock.install();
	await createProfile(page, 'Hilde', 'Baum');
	await page.getByRole('link', { name: 'Hilde' }).click();
	await page.getByRole('button', { name: 'PIN festlegen' }).click();
	await page.getByLabel('Neue PIN (4 Ziffern)').fill('2580');
	await expect(page.getByText('Die PIN ist gespeichert.')).toBeVisible();
	await page.getByRole('button', { name: 'Person wechseln' }).click();

	await page.getByRole('button', { name: 'Hilde' }).click();
	const pin = page.getByLabel('PIN für Hilde');
	for (const wrong of ['1111', '2222', '3333']) await pin.fill(wrong);
	await expect(page.getByRole('alert')).toHaveText(/Bitte warten Sie bis/);
	await page.clock.fastForward('00:31');
	await pin.fill('2580');
	await expect(page.getByRole('heading', { name: 'Guten Tag, Hilde' })).toBeVisible();

	// Nobody touches the tablet for a quarter of an hour: the next person sees only pictures.
	await page.clock.fastForward('16:00');
	await expect(page.getByRole('heading', { name: 'Wer lernt heute?' })).toBeVisible();
});

test('a revoked tablet is told so, stops sending and keeps what waits', async ({
	page,
	server
}) => {
	const place = await enrolTablet(page, server);
	await createProfile(page, 'Otto');
	const status = page.getByRole('banner').getByRole('status');
	await expect(status).toHaveText(SENT, { timeout: 20_000 });
	await revokeAllDevices(server, place);

	await page.getByRole('link', { name: 'Otto' }).click();
	await page.getByRole('button', { name: 'Lernkarte erstellen' }).click();
	await expect(status).toHaveText(
		'Dieses Tablet ist nicht mehr beim Büro angemeldet. 1 Änderung bleibt hier gespeichert.',
		{ timeout: 20_000 }
	);
	await page.goto('/device');
	await expect(page.getByText(/Das Büro hat dieses Tablet abgemeldet/)).toBeVisible();

	// A new code from the office: the waiting change goes out after all.
	await page.getByLabel('Code vom Büro').fill(await enrolmentCode(server, place));
	await page.getByRole('button', { name: 'Tablet verbinden' }).click();
	await expect(page.getByRole('banner').getByRole('status')).toHaveText(SENT, { timeout: 20_000 });
});

test('wrong, used and malformed enrolment codes get a clear answer', async ({ page, server }) => {
	const place = await seedPlace(server);
	await page.goto('/device');
	const field = page.getByLabel('Code vom Büro');
	await field.fill('KMQ4-XR9T');
	await page.getByRole('button', { name: 'Tablet verbinden' }).click();
	await expect(page.getByRole('alert')).toHaveText(/Diesen Code kennt das Büro nicht/);
	await expect(field).toHaveAttribute('aria-invalid', 'true');
	await field.fill('12');
	await page.getByRole('button', { name: 'Tablet verbinden' }).click();
	await expect(page.getByRole('alert')).toHaveText(/Dieser Code ist unvollständig/);

	const code = await enrolmentCode(server, place);
	const other = await page.context().browser()!.newContext({ baseURL: server.url });
	const first = await other.newPage();
	await first.goto(`/device?code=${code}`);
	await first.getByRole('button', { name: 'Tablet verbinden' }).click();
	await expect(first.getByText('Dieses Tablet ist mit dem Büro verbunden.')).toBeVisible();
	await other.close();

	await field.fill(code);
	await page.getByRole('button', { name: 'Tablet verbinden' }).click();
	await expect(page.getByRole('alert')).toHaveText(/Dieser Code wurde schon benutzt/);
});

test('a volunteer deletes everything from a tablet that leaves service', async ({
	page,
	server
}) => {
	const place = await enrolTablet(page, server);
	await addVolunteer(server, place, 'vera@example.org', 'ein-langes-passwort');
	await createProfile(page, 'Otto');
	await page.getByRole('button', { name: 'Person wechseln' }).click();
	await page.getByRole('link', { name: 'Begleitmodus' }).click();
	await page.getByLabel('E-Mail-Adresse').fill('vera@example.org');
	await page.getByLabel('Passwort').fill('ein-langes-passwort');
	await page.getByRole('button', { name: 'Anmelden' }).click();
	await page.getByLabel('Neue PIN (6 Ziffern)').fill('480317');
	await page.getByLabel('Bitte geben Sie die PIN noch einmal ein').fill('480317');
	await expect(page.getByRole('listitem').filter({ hasText: 'Otto' })).toBeVisible();

	await page.getByRole('link', { name: 'Lernlotse' }).click();
	await page.getByRole('link', { name: 'Dieses Tablet' }).click();
	await page.getByRole('button', { name: 'Daten löschen …' }).click();
	await page.getByRole('button', { name: 'Ja, alles auf diesem Tablet löschen' }).click();
	await expect(page.getByText(/Legen Sie zuerst Ihr Profil an/)).toBeVisible();
	await expect(page.getByRole('button', { name: 'Otto' })).toHaveCount(0);
	await page.goto('/device');
	await expect(page.getByText(/noch nicht mit dem Büro verbunden/).first()).toBeVisible();
});
