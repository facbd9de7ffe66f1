/**
 * The office report as a coordinator uses it, on the demo city: a quarter and a place, the
 * chart and the tables, the CSV file as a spreadsheet would open it, the sessions behind a
 * figure and one session's attendance list, checked against the database itself.
 */
import { readFileSync } from 'node:fs';
import type { Download, Page } from '@playwright/test';
import { sql } from 'kysely';
import { fillDemoCity, type DemoSummary } from '../../scripts/demo';
import { expect, test } from './support/fixtures';
import { withOffice } from './support/office';
import type { TestServer } from './support/server';

/** The demo city ends here: in the real current quarter, so its last quarter is complete. */
const NOW = new Date(2026, 9, 10, 12, 0);
const QUARTER = { value: '2026-Q3', from: '2026-07-01', to: '2026-09-30' };
const PLACE = 'Stadtbibliothek Mitte';
const PASSWORD = 'Demo-Passwort-2026';

function localToday(): string {
	const now = new Date();
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

async function demoCity(server: TestServer): Promise<DemoSummary> {
	return withOffice(server, (office) => fillDemoCity(office, { now: NOW, seed: 'e2e' }));
}

async function placeId(server: TestServer, name: string): Promise<string> {
	return withOffice(server, async (office) => {
		const { rows } = await sql<{ id: string }>`
			select id from locations where name = ${name}
		`.execute(office.db);
		return rows[0]!.id;
	});
}

/** Held sessions of a place in a period: not cancelled, and not after today. */
async function heldSessions(
	server: TestServer,
	locationId: string,
	from: string,
	to: string
): Promise<number> {
	const today = localToday();
	const until = to < today ? to : today;
	return withOffice(server, async (office) => {
		const { rows } = await sql<{ n: number }>`
			select count(*) as n from training_sessions
			where location_id = ${locationId} and date >= ${from} and date <= ${until}
				and status <> 'cancelled'
		`.execute(office.db);
		return Number(rows[0]!.n);
	});
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
	await page.goto('/office/sign-in');
	await page.getByLabel('E-Mail-Adresse').fill(email);
	await page.getByLabel('Passwort', { exact: true }).fill(password);
	await page.getByRole('button', { name: 'Anmelden' }).click();
	await expect(page.getByRole('heading', { name: 'Übersicht', level: 1 })).toBeVisible();
}

/** A downloaded CSV as bytes and as rows of cells (semicolons, CRLF). */
function readCsv(bytes: Buffer): string[][] {
	const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
	return text
		.split('\r\n')
		.filter((line) => line !== '')
		.map((line) => line.split(';'));
}

async function download(page: Page, link: string): Promise<{ file: Download; bytes: Buffer }> {
	const [file] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: link }).click()
	]);
	return { file, bytes: readFileSync((await file.path())!) };
}

test('a coordinator filters by quarter and place, sees the chart and the table, and downloads the CSV', async ({
	page,
	server,
	browser
}) => {
	test.setTimeout(120_000);
	const city = await demoCity(server);
	expect(city.coordinator).toBe('katrin.vogel@demo.lernlotse.example');
	const place = await placeId(server, PLACE);
	const held = await heldSessions(server, place, QUARTER.from, QUARTER.to);
	expect(held, 'the demo city holds sessions in the chosen quarter').toBeGreaterThan(10);

	await signIn(page, city.coordinator, PASSWORD);
	await page
		.getByRole('navigation', { name: 'Bereiche des Büros' })
		.getByRole('link', { name: 'Berichte' })
		.click();
	await expect(
		page.getByRole('heading', { name: 'Teilnahme und Reichweite', level: 1 })
	).toBeVisible();

	await page.getByLabel('Zeitraum').selectOption({ label: 'Quartal' });
	await page.getByLabel('Quartal', { exact: true }).fill(QUARTER.value);
	await page.getByLabel('Ort', { exact: true }).selectOption({ label: PLACE });
	await page.getByRole('button', { name: 'Bericht anzeigen' }).click();
	await expect(page).toHaveURL(/period=quarter&value=2026-Q3&location=/);
	await expect(
		page.getByRole('heading', { name: '1. Juli 2026 bis 30. September 2026' })
	).toBeVisible();

	// Observable Plot names its svg with aria-label; Chromium gives an svg the role img.
	const chart = page.getByRole('img', { name: 'Teilnahmen und Lernende nach Monaten' });
	// Drawn when it comes near the screen, as the coordinator scrolls down to it.
	await page.getByRole('figure').scrollIntoViewIfNeeded();
	await expect(chart).toBeVisible();
	expect(await chart.evaluate((el) => el.tagName.toLowerCase())).toBe('svg');
	await expect(chart).toHaveAttribute('aria-description', /Balken zeigen die Teilnahmen/);

	const months = page.getByRole('table', { name: 'Nach Monaten' });
	await expect(months.locator('tbody tr')).toHaveCount(3);
	await expect(months.getByRole('rowheader')).toHaveText([/^Juli 2026$/, /^Aug/, /^Sep/]);

	const summary = page.locator('dl.summary > div', {
		has: page.getByRole('term').getByText('Termine', { exact: true })
	});
	await expect(summary.getByRole('definition')).toHaveText(String(held));

	const places = page.getByRole('table', { name: 'Nach Orten' });
	await expect(places.getByRole('rowheader')).toHaveText([PLACE]);

	// The CSV of the places, as a spreadsheet in a German office opens it.
	const { file, bytes } = await download(page, 'CSV herunterladen: Nach Orten');
	expect(file.suggestedFilename()).toBe('bericht-locations-2026-07-01_2026-09-30.csv');
	expect([...bytes.subarray(0, 3)], 'starts with the UTF-8 byte order mark').toEqual([
		0xef, 0xbb, 0xbf
	]);
	const rows = readCsv(bytes);
	const [header, ...body] = rows;
	expect(header).toEqual([
		'Ort',
		'Termine',
		'Teilnahmen',
		'Lernende',
		'Neue Lernende',
		'Wiederkommende',
		'Stunden Training',
		'Lektionen abgeschlossen',
		'Kurse abgeschlossen',
		'Aktive Ehrenamtliche',
		'Ehrenamtsstunden'
	]);
	const sessionsColumn = header!.indexOf('Termine');
	expect(body.map((row) => row[0])).toEqual([PLACE, 'Gesamt']);
	expect(body[0]![sessionsColumn]).toBe(String(held));
	expect(body[1]![sessionsColumn]).toBe(String(held));
	for (const row of body) expect(row, 'a cell per column').toHaveLength(header!.length);

	// The places have no umlauts; the courses do, and must arrive intact.
	const courses = await download(page, 'CSV herunterladen: Nach Kursen');
	expect([...courses.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	const courseNames = readCsv(courses.bytes).map((row) => row[0]);
	expect(courseNames).toContain('Einen Termin im Bürgerbüro online buchen');
	expect(courses.bytes.includes(Buffer.from('Bürgerbüro', 'utf8'))).toBe(true);

	// The sessions behind the place's figure, then one session's attendance list.
	await places.getByRole('link', { name: `${held} Termine: ${PLACE}` }).click();
	await expect(page.getByRole('heading', { name: 'Termine im Bericht', level: 1 })).toBeVisible();
	const list = page.getByRole('table', { name: `${held} Termine` });
	await expect(list.locator('tbody tr')).toHaveCount(held);
	await expect(list.locator('tbody tr td:nth-child(2)')).toHaveText(
		Array.from({ length: held }, () => PLACE)
	);
	const first = list.locator('tbody tr').first().getByRole('link');
	const href = (await first.getAttribute('href'))!;
	const sessionId = href.split('/').at(-1)!;
	await first.click();
	await expect(page.getByRole('heading', { name: 'Anwesenheitsliste', level: 1 })).toBeVisible();

	const expected = await withOffice(server, async (office) => {
		const session = await sql<{ title: string; date: string; location_id: string }>`
			select title, date, location_id from training_sessions where id = ${sessionId}
		`.execute(office.db);
		const people = await sql<{ name: string; status: string }>`
			select l.name, a.status from attendance a join learners l on l.id = a.learner_id
			where a.session_id = ${sessionId}
				and (a.roster in ('signed-up', 'walk-in') or a.status <> '')
			order by l.name
		`.execute(office.db);
		return { session: session.rows[0]!, people: people.rows };
	});
	expect(expected.session.location_id).toBe(place);
	expect(expected.session.date >= QUARTER.from && expected.session.date <= QUARTER.to).toBe(true);
	expect(expected.people.length, 'someone came to the first session').toBeGreaterThan(0);
	await expect(
		page.getByRole('definition').filter({ hasText: expected.session.title })
	).toBeVisible();
	const attendance = page.getByRole('table', { name: /Person/ });
	await expect(attendance.locator('tbody tr td:first-child')).toHaveText(
		expected.people.map((p) => p.name)
	);
	const statusWord: Record<string, string> = {
		present: 'Anwesend',
		late: 'Verspätet',
		excused: 'Entschuldigt',
		absent: 'Abwesend',
		'': 'Abwesend' // unmarked in a closed session
	};
	await expect(attendance.locator('tbody tr td:nth-child(2)')).toHaveText(
		expected.people.map((p) => statusWord[p.status]!)
	);

	// A reversed range is named beside the form, not an error page.
	await page.goto('/office/reports');
	await page.getByLabel('Zeitraum').selectOption({ label: 'Von … bis' });
	await page.getByLabel('Von', { exact: true }).fill('2026-09-30');
	await page.getByLabel('Bis', { exact: true }).fill('2026-07-01');
	await page.getByRole('button', { name: 'Bericht anzeigen' }).click();
	await expect(page.getByRole('alert')).toHaveText(
		'Das Ende des Zeitraums liegt vor dem Anfang. Bitte tauschen Sie die beiden Daten.'
	);
	await expect(
		page.getByRole('heading', { name: 'Teilnahme und Reichweite', level: 1 })
	).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Das geht leider nicht' })).toHaveCount(0);
	await expect(page.getByRole('table', { name: 'Nach Monaten' })).toHaveCount(0);

	// A volunteer of one place may not read reports at all: not theirs, not another place's.
	const volunteer = city.volunteers.find((v) => v.places.length === 1 && v.places[0] === PLACE)!;
	const other = await placeId(server, 'Seniorentreff Nord');
	const context = await browser.newContext({ baseURL: server.url, locale: 'de-DE' });
	try {
		const second = await context.newPage();
		await signIn(second, volunteer.email, PASSWORD);
		await expect(
			second.getByRole('navigation', { name: 'Bereiche des Büros' }).getByRole('link', {
				name: 'Berichte'
			})
		).toHaveCount(0);
		for (const path of [
			'/office/reports',
			`/office/reports?period=quarter&value=2026-Q3&location=${other}`,
			`/office/reports/sessions/${sessionId}`
		]) {
			// The office pages render in the browser (ssr = false): the document itself is always
			// the app shell, and the refusal comes with the page's data.
			await second.goto(path);
			await expect(
				second.getByRole('heading', { name: 'Das geht leider nicht', level: 1 })
			).toBeVisible();
			await expect(
				second.getByText('Diese Seite ist für Ihre Rolle nicht freigegeben.')
			).toBeVisible();
		}
		// The files are refused with the status itself.
		for (const path of [
			`/office/reports/export?period=quarter&value=2026-Q3&location=${other}&table=locations`,
			`/office/reports/export?period=quarter&value=2026-Q3&location=${place}&table=locations`,
			`/office/reports/sessions/${sessionId}/csv`
		]) {
			const file = await second.request.get(path);
			expect(file.status(), path).toBe(403);
			expect(await file.text(), path).not.toContain('Termine');
		}
		// Written down without holding up the answer, so it may land a moment later.
		const denied = () =>
			withOffice(server, async (office) => {
				const { rows } = await sql<{ target: string }>`
					select a.target from audit_log a join staff s on s.id = a.staff_id
					where s.email = ${volunteer.email} and a.outcome = 'denied'
				`.execute(office.db);
				return rows.map((r) => r.target);
			});
		await expect
			.poll(denied, { message: 'each refusal is written down for the admins' })
			.toEqual(
				expect.arrayContaining([
					'/office/reports',
					`/office/reports/sessions/${sessionId}`,
					'/office/reports/export',
					`/office/reports/sessions/${sessionId}/csv`
				])
			);
	} finally {
		await context.close();
	}
});

test('an admin answers a learner’s request: finds her, downloads her data, erases it, and sets the retention', async ({
	page,
	server
}) => {
	await demoCity(server);
	const learner = await withOffice(server, async (office) => {
		const { rows } = await sql<{ id: string; name: string }>`
			select id, name from learners order by name limit 1
		`.execute(office.db);
		return rows[0]!;
	});
	await signIn(page, 'admin@demo.lernlotse.example', PASSWORD);
	await page.getByRole('navigation').getByRole('link', { name: 'Lernende' }).click();
	await page.getByLabel('Name (mindestens 2 Buchstaben)').fill(learner.name.slice(0, 4));
	await page.getByRole('button', { name: 'Suchen' }).click();
	await page.getByRole('link', { name: learner.name }).click();
	await expect(page.getByRole('heading', { name: learner.name, level: 1 })).toBeVisible();

	const [file] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('link', { name: 'Alle Daten herunterladen (JSON)' }).click()
	]);
	const data = JSON.parse(readFileSync(await file.path(), 'utf8')) as {
		learner: { id: string; name: string };
		attendance: unknown[];
	};
	expect(data.learner).toMatchObject({ id: learner.id, name: learner.name });
	expect(data.attendance.length).toBeGreaterThan(0);

	// Erasing needs a confirmation first.
	await page.getByRole('button', { name: 'Endgültig löschen' }).click();
	await expect(page.getByRole('alert')).toHaveText(
		'Bitte bestätigen Sie zuerst, dass die Person die Löschung verlangt hat.'
	);
	await page.getByRole('checkbox', { name: /hat die Löschung verlangt/ }).check();
	await page.getByRole('button', { name: 'Endgültig löschen' }).click();
	await expect(page.getByText(/Die persönlichen Daten sind gelöscht/)).toBeVisible();
	const row = await withOffice(server, async (office) => {
		const { rows } = await sql<{ name: string; erased_at: string | null }>`
			select name, erased_at from learners where id = ${learner.id}
		`.execute(office.db);
		return rows[0]!;
	});
	expect(row.name).toBe('');
	expect(row.erased_at).not.toBeNull();

	await page.getByRole('navigation').getByRole('link', { name: 'Datenschutz' }).click();
	await page.getByLabel('Aufbewahren für (Monate)').fill('abc');
	await page.getByRole('button', { name: 'Speichern', exact: true }).click();
	await expect(page.getByText('Bitte geben Sie eine ganze Zahl von 0 bis 120 ein.')).toBeVisible();
	await page.getByLabel('Aufbewahren für (Monate)').fill('18');
	await page.getByRole('button', { name: 'Speichern', exact: true }).click();
	await expect(page.getByText('Gespeichert: 18 Monate.')).toBeVisible();
});
