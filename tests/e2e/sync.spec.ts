import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { createProfile, expect, test, waitForServiceWorker } from './support/fixtures';
import { enrolTablet } from './support/office';
import { finishLesson, loadPack } from './support/solver';

// Sent, not "being sent" ("Wird an das Büro gesendet …").
const SENT = /^(Gerade an das|An das) Büro gesendet/;

test('a lesson finished offline reaches the office once the network is back, and the status line says so', async ({
	page,
	context,
	server
}) => {
	const pack = loadPack('tablet-basics');
	const lesson = pack.lessons[0]!;
	const status = page.getByRole('banner').getByRole('status');

	await enrolTablet(page, server);
	await createProfile(page, 'Erna');
	await waitForServiceWorker(page);
	await expect(status).toHaveText(SENT);

	await server.stop();
	await context.setOffline(true);
	await page.goto(`/learn/${pack.id}/${lesson.id}`);
	await finishLesson(page, pack, lesson.id);
	await expect(status).toContainText(
		/Auf diesem Tablet gespeichert · \d+ Änderungen warten auf das Senden/
	);

	await server.startFrom();
	await context.setOffline(false);
	await expect(status).toHaveText(SENT, { timeout: 20_000 });

	const onTablet = await page.evaluate(async () => {
		const open = indexedDB.open('lernlotse');
		const db = await new Promise<IDBDatabase>((r) => (open.onsuccess = () => r(open.result)));
		const all = db.transaction('progress').objectStore('progress').getAll();
		const rows = await new Promise<{ id: string }[]>((r) => (all.onsuccess = () => r(all.result)));
		return rows.map((e) => e.id).sort();
	});
	const office = new SQLite(join(server.dataDir, 'lernlotse.sqlite'), { readonly: true });
	const atOffice = (
		office.prepare('select id from progress_events order by id').all() as { id: string }[]
	).map((r) => r.id);
	const lessonsDone = office
		.prepare(`select count(*) as n from progress_events where type = 'lesson-completed'`)
		.get() as { n: number };
	office.close();
	expect(onTablet.length).toBeGreaterThan(lesson.steps.length);
	expect(atOffice).toEqual(onTablet);
	expect(lessonsDone.n).toBe(1);
});
