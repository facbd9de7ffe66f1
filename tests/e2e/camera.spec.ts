import { CHROMIUM_ARGS, CHROMIUM_PATH } from './support/chromium';
import { FAKE_CAMERA_ARGS, showToCamera } from './support/camera';
import { expect, test } from './support/fixtures';
import { enrolmentCode, seedPlace } from './support/office';

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
