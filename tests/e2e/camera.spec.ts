import { CHROMIUM_ARGS, CHROMIUM_PATH } from './support/chromium';
import { FAKE_CAMERA_ARGS, showToCamera } from './support/camera';
import { readFileSync } from 'node:fs';
import { createProfile, expect, test } from './support/fixtures';
import { addVolunteer, enrolTablet, enrolmentCode, seedPlace } from './support/office';
import { finishCourse, loadPack } from './support/solver';
import { openVolunteerMode, planSession } from './support/volunteer';

// A fake camera that shows whatever the test puts in front of it (see support/camera.ts).
test.use({
	launchOptions: { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...FAKE_CAMERA_ARGS] }
});

test('a tablet is enrolled by reading the QR code from the office with its camera', async ({
	page,
	server
}) => {
	const place = await seedPlace(server);
	const code = await enrolmentCode(server, place);
	showToCamera(`${server.url}/device?code=${code}`);
	await page.goto('/device');
	await page.getByRole('button', { name: 'QR-Code mit der Kamera lesen' }).click();
	await expect(page.getByLabel('Code vom Büro')).toHaveValue(code, { timeout: 15_000 });
	await page.getByRole('button', { name: 'Tablet verbinden' }).click();
	await expect(page.getByText('Dieses Tablet ist mit dem Büro verbunden.')).toBeVisible();
});

test('a volunteer checks a learner in by her card, and prints her certificate as a PDF', async ({
	page,
	server
}) => {
	test.setTimeout(180_000);
	const pack = loadPack('tablet-basics');
	const place = await enrolTablet(page, server);
	await addVolunteer(server, place, 'vera@example.org', 'ein-langes-passwort');
	await createProfile(page, 'Şükrü');
	await finishCourse(page, pack);
	await page.goto('/');
	await openVolunteerMode(page, 'vera@example.org', 'ein-langes-passwort');
	await page.getByRole('button', { name: 'Lernkarte erstellen' }).click();
	const card = page.getByRole('article', { name: 'Lernkarte von Şükrü' });
	const code = (await card.getByText(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/).textContent())!.trim();
	await page.getByRole('button', { name: 'Karte schließen' }).click();

	await planSession(page, { title: 'Tablet-Sprechstunde', course: pack.title });
	await page.getByRole('button', { name: 'Person anmelden' }).click();
	await page.getByRole('button', { name: 'Şükrü anmelden' }).click();

	// A card that is not from here: said plainly, nobody marked.
	showToCamera(`${server.url}/card?code=ACDE-FGHJ`);
	await page.getByRole('button', { name: 'Lernkarte scannen' }).click();
	await expect(page.getByText(/Dieses Tablet kennt diese Karte nicht/)).toBeVisible({
		timeout: 15_000
	});

	showToCamera(`${server.url}/card?code=${code}`);
	await page.getByRole('button', { name: 'Lernkarte scannen' }).click();
	await expect(page.getByText('Şükrü ist da. Willkommen!')).toBeVisible({ timeout: 15_000 });
	await expect(
		page.getByRole('group', { name: 'Şükrü' }).getByRole('button', { name: 'Anwesend' })
	).toHaveAttribute('aria-pressed', 'true');

	await page.getByRole('button', { name: 'Termin abschließen' }).click();
	await page.getByRole('button', { name: 'Ja, abschließen' }).click();
	await page.getByRole('link', { name: `Bescheinigung für Şükrü: ${pack.title}` }).click();
	const certificate = page.getByRole('article', { name: 'Teilnahmebescheinigung' });
	await expect(certificate).toContainText('Şükrü');
	await expect(certificate).toContainText(pack.title);
	if (process.env.SCREENSHOTS_DIR) {
		await page.screenshot({
			path: `${process.env.SCREENSHOTS_DIR}/certificate.png`,
			fullPage: true
		});
	}

	const download = page.waitForEvent('download');
	await page.getByRole('button', { name: 'Als PDF speichern' }).click();
	const file = await (await download).path();
	const text = await pdfText(readFileSync(file));
	expect(text).toContain('Teilnahmebescheinigung');
	expect(text).toContain('Şükrü');
	expect(text).toContain(pack.title);
	expect(text).toContain('4 Lektionen abgeschlossen');
	expect(text).toContain('Stadtbibliothek Mitte');
});

/** The text of a PDF as a reader programme extracts it. */
async function pdfText(data: Buffer): Promise<string> {
	const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
	const pdf = await getDocument({ data: new Uint8Array(data), disableFontFace: true }).promise;
	const page = await pdf.getPage(1);
	const content = await page.getTextContent();
	return content.items.map((item) => ('str' in item ? item.str : '')).join(' ');
}
