import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PackIndex } from '../../domain/course/schema';
import {
	buildPack,
	courseWithSteps,
	explainStep,
	packInput,
	type CourseInput
} from '../../domain/course/test-factory';
import { freshDatabase } from '../db/test-databases';
import { BUILT_INDEX_URL, CITY, INDEX_HASH, INDEX_URL, installPacks } from './install-packs';

/** A stand-in for `fetch` that serves fixed bodies and remembers what was asked for. */
function fakeServer(routes: Record<string, unknown>) {
	const requests: string[] = [];
	const fetcher = (async (input: RequestInfo | URL) => {
		const url = String(input);
		requests.push(url);
		if (!(url in routes)) return new Response('not found', { status: 404 });
		const body = routes[url];
		return new Response(typeof body === 'string' ? body : JSON.stringify(body), {
			status: 200,
			headers: { 'content-type': 'application/json' }
		});
	}) as typeof fetch;
	return { fetcher, requests };
}

interface Served {
	id: string;
	version: number;
	lang?: string;
	hash: string;
	/** The pack body; a valid pack of this id, version and language when left out. */
	body?: unknown;
	title?: string;
}

/** An index plus the packs it points to, as the build would serve them. */
function site(...courses: Served[]): Record<string, unknown> {
	const routes: Record<string, unknown> = {};
	const index: PackIndex = { format: 1, courses: [] };
	for (const c of courses) {
		const lang = c.lang ?? 'de';
		const url = `/packs/${c.id}/${lang}.${c.hash}.json`;
		const title = c.title ?? `Kurs ${c.id} v${c.version}`;
		routes[url] =
			c.body ?? packInput({ id: c.id, version: c.version, lang, title }, { hash: c.hash });
		const entry = index.courses.find((e) => e.id === c.id);
		const language = { lang, url, hash: c.hash, title };
		if (entry) entry.languages.push(language);
		else index.courses.push({ id: c.id, version: c.version, languages: [language], media: [] });
	}
	routes[INDEX_URL] = index;
	return routes;
}

function brokenPack(overrides: Partial<CourseInput>, hash: string): unknown {
	const course = courseWithSteps(
		[explainStep(), { ...explainStep({ id: 'film' }), kind: 'video' }],
		overrides
	);
	return { ...course, format: 1, hash, media: [] };
}

describe('installPacks', () => {
	it('installs a valid pack', async () => {
		const db = await freshDatabase();
		const { fetcher } = fakeServer(site({ id: 'tablet-basics', version: 1, hash: 'h1' }));

		expect(await installPacks(db, fetcher)).toEqual({ changed: 1, unavailable: 0, removed: 0 });

		const record = await db.courses.get(['tablet-basics', 'de']);
		expect(record).toMatchObject({
			id: 'tablet-basics',
			lang: 'de',
			version: 1,
			hash: 'h1',
			title: 'Kurs tablet-basics v1',
			problem: null
		});
		expect(record?.pack).toEqual(
			buildPack(
				{ id: 'tablet-basics', version: 1, lang: 'de', title: 'Kurs tablet-basics v1' },
				{ hash: 'h1' }
			)
		);
		expect(new Date(record!.installedAt).toString()).not.toBe('Invalid Date');
	});

	it('installs every language of a course', async () => {
		const db = await freshDatabase();
		const { fetcher } = fakeServer(
			site(
				{ id: 'tablet-basics', version: 1, lang: 'de', hash: 'de1' },
				{ id: 'tablet-basics', version: 1, lang: 'en', hash: 'en1' }
			)
		);
		expect(await installPacks(db, fetcher)).toEqual({ changed: 2, unavailable: 0, removed: 0 });
		expect((await db.courses.toArray()).map((r) => `${r.id}/${r.lang}`).sort()).toEqual([
			'tablet-basics/de',
			'tablet-basics/en'
		]);
	});

	it('stores a pack with an unknown step kind as unavailable, and installs the other course', async () => {
		const db = await freshDatabase();
		const { fetcher } = fakeServer(
			site(
				{ id: 'good-course', version: 1, hash: 'g1' },
				{ id: 'bad-course', version: 1, hash: 'b1', body: brokenPack({ id: 'bad-course' }, 'b1') }
			)
		);

		expect(await installPacks(db, fetcher)).toEqual({ changed: 2, unavailable: 1, removed: 0 });

		const bad = await db.courses.get(['bad-course', 'de']);
		expect(bad?.pack).toBeNull();
		expect(bad?.problem).toBe(
			'lessons.0.steps.1.kind: unknown step kind: use one of explain, choice, tap, input, order, practice'
		);
		const good = await db.courses.get(['good-course', 'de']);
		expect(good?.problem).toBeNull();
		expect(good?.pack?.id).toBe('good-course');
	});

	it('stores a pack that fails the cross checks as unavailable, with the reason', async () => {
		const db = await freshDatabase();
		const twice = courseWithSteps([explainStep({ id: 'same' }), explainStep({ id: 'same' })], {
			id: 'twice'
		});
		const { fetcher } = fakeServer(
			site({
				id: 'twice',
				version: 1,
				hash: 't1',
				body: { ...twice, format: 1, hash: 't1', media: [] }
			})
		);
		await installPacks(db, fetcher);
		expect(await db.courses.get(['twice', 'de'])).toMatchObject({
			pack: null,
			problem: 'lessons.0.steps: step id "same" is used twice'
		});
	});

	it('refuses a pack that does not match its index entry', async () => {
		const db = await freshDatabase();
		const { fetcher } = fakeServer(
			site({
				id: 'one',
				version: 1,
				hash: 'o1',
				body: packInput({ id: 'another' }, { hash: 'o1' })
			})
		);
		expect(await installPacks(db, fetcher)).toEqual({ changed: 1, unavailable: 1, removed: 0 });
		expect((await db.courses.get(['one', 'de']))?.problem).toBe(
			'pack does not match the course index'
		);
	});

	it('stores a pack that cannot be downloaded as unavailable, and installs the others', async () => {
		const db = await freshDatabase();
		const routes = site(
			{ id: 'gone', version: 1, hash: 'x1' },
			{ id: 'here', version: 1, hash: 'y1' }
		);
		delete routes['/packs/gone/de.x1.json'];
		const { fetcher } = fakeServer(routes);
		expect(await installPacks(db, fetcher)).toEqual({ changed: 2, unavailable: 1, removed: 0 });
		expect(await db.courses.get(['gone', 'de'])).toMatchObject({ pack: null, problem: 'HTTP 404' });
		expect((await db.courses.get(['here', 'de']))?.pack).not.toBeNull();
	});

	it('keeps a working version when the newer one cannot be downloaded, and retries next start', async () => {
		const db = await freshDatabase();
		await installPacks(db, fakeServer(site({ id: 'a', version: 1, hash: 'v1' })).fetcher);

		const newer = site({ id: 'a', version: 2, hash: 'v2' });
		const withoutPack = { ...newer };
		delete withoutPack['/packs/a/de.v2.json'];
		expect(await installPacks(db, fakeServer(withoutPack).fetcher)).toEqual({
			changed: 0,
			unavailable: 0,
			removed: 0
		});
		expect(await db.courses.get(['a', 'de'])).toMatchObject({ version: 1, hash: 'v1' });

		const retry = fakeServer(newer);
		expect(await installPacks(db, retry.fetcher)).toEqual({
			changed: 1,
			unavailable: 0,
			removed: 0
		});
		expect(retry.requests).toEqual([INDEX_URL, '/packs/a/de.v2.json']);
		expect((await db.courses.get(['a', 'de']))?.pack?.version).toBe(2);
	});

	it('keeps a working version when the newer pack is broken', async () => {
		const db = await freshDatabase();
		await installPacks(db, fakeServer(site({ id: 'a', version: 1, hash: 'v1' })).fetcher);
		const broken = site({
			id: 'a',
			version: 2,
			hash: 'v2',
			body: brokenPack({ id: 'a', version: 2 }, 'v2')
		});
		await installPacks(db, fakeServer(broken).fetcher);
		const record = await db.courses.get(['a', 'de']);
		expect(record?.pack?.version).toBe(1);
		expect(record?.problem).toBeNull();
	});

	it('changes nothing when run again with the same index', async () => {
		const db = await freshDatabase();
		const routes = site(
			{ id: 'tablet-basics', version: 1, hash: 'h1' },
			{ id: 'b', version: 2, hash: 'h2' }
		);
		await installPacks(db, fakeServer(routes).fetcher);
		const before = await db.courses.toArray();

		const second = fakeServer(routes);
		expect(await installPacks(db, second.fetcher)).toEqual({
			changed: 0,
			unavailable: 0,
			removed: 0
		});
		expect(second.requests).toEqual([INDEX_URL]);
		expect(await db.courses.toArray()).toEqual(before);
	});

	it('does not fetch again a pack whose hash is already installed', async () => {
		const db = await freshDatabase();
		await installPacks(db, fakeServer(site({ id: 'a', version: 1, hash: 'a1' })).fetcher);
		const before = await db.courses.get(['a', 'de']);

		const grown = fakeServer(
			site({ id: 'a', version: 1, hash: 'a1' }, { id: 'b', version: 1, hash: 'b1' })
		);
		expect(await installPacks(db, grown.fetcher)).toEqual({
			changed: 1,
			unavailable: 0,
			removed: 0
		});
		expect(grown.requests).toEqual([INDEX_URL, '/packs/b/de.b1.json']);
		expect(await db.courses.get(['a', 'de'])).toEqual(before);
	});

	it('replaces an older version with a newer one', async () => {
		const db = await freshDatabase();
		await installPacks(
			db,
			fakeServer(site({ id: 'tablet-basics', version: 1, hash: 'v1' })).fetcher
		);

		const result = await installPacks(
			db,
			fakeServer(site({ id: 'tablet-basics', version: 2, hash: 'v2' })).fetcher
		);

		expect(result).toEqual({ changed: 1, unavailable: 0, removed: 0 });
		const record = await db.courses.get(['tablet-basics', 'de']);
		expect(record).toMatchObject({ version: 2, hash: 'v2', title: 'Kurs tablet-basics v2' });
		expect(record?.pack?.version).toBe(2);
		expect(await db.courses.count()).toBe(1);
	});

	it('replaces a rebuilt pack of the same version', async () => {
		const db = await freshDatabase();
		await installPacks(db, fakeServer(site({ id: 'a', version: 1, hash: 'first' })).fetcher);
		await installPacks(db, fakeServer(site({ id: 'a', version: 1, hash: 'rebuilt' })).fetcher);
		expect((await db.courses.get(['a', 'de']))?.hash).toBe('rebuilt');
	});

	it('does not replace a newer version with an older one', async () => {
		const db = await freshDatabase();
		await installPacks(
			db,
			fakeServer(site({ id: 'tablet-basics', version: 3, hash: 'v3' })).fetcher
		);
		const before = await db.courses.get(['tablet-basics', 'de']);

		const older = fakeServer(site({ id: 'tablet-basics', version: 2, hash: 'v2' }));
		expect(await installPacks(db, older.fetcher)).toEqual({
			changed: 0,
			unavailable: 0,
			removed: 0
		});
		expect(older.requests).toEqual([INDEX_URL]);
		expect(await db.courses.get(['tablet-basics', 'de'])).toEqual(before);
	});

	it('fails, storing nothing, when the index cannot be loaded', async () => {
		const db = await freshDatabase();
		await expect(installPacks(db, fakeServer({}).fetcher)).rejects.toThrow(
			'course index: HTTP 404'
		);
		expect(await db.courses.count()).toBe(0);
	});

	it('fails, storing nothing, when the index is unusable', async () => {
		const db = await freshDatabase();
		const { fetcher } = fakeServer({ [INDEX_URL]: { format: 2, courses: [] } });
		await expect(installPacks(db, fetcher)).rejects.toThrow(/course index unusable/);
		expect(await db.courses.count()).toBe(0);
		expect(await db.meta.count()).toBe(0);
	});

	it('installs from the built index when the office cannot be asked, and withdraws nothing', async () => {
		const db = await freshDatabase();
		const office = fakeServer(
			site({ id: 'a', version: 1, hash: 'a1' }, { id: 'b', version: 1, hash: 'b1' })
		);
		await installPacks(db, office.fetcher);

		const built = site({ id: 'a', version: 1, hash: 'a1' });
		const offline = fakeServer({
			[BUILT_INDEX_URL]: built[INDEX_URL],
			...built,
			[INDEX_URL]: undefined
		});
		const failing = (async (input: RequestInfo | URL) => {
			if (String(input) === INDEX_URL) throw new TypeError('Failed to fetch');
			return offline.fetcher(input);
		}) as typeof fetch;
		expect(await installPacks(db, failing)).toEqual({ changed: 0, unavailable: 0, removed: 0 });
		expect((await db.courses.toArray()).map((c) => c.id).sort()).toEqual(['a', 'b']);
	});

	it('takes a course the office withdrew off the device, and installs again once it is back', async () => {
		const db = await freshDatabase();
		await installPacks(
			db,
			fakeServer(site({ id: 'a', version: 1, hash: 'a1' }, { id: 'b', version: 1, hash: 'b1' }))
				.fetcher
		);
		const withdrawn = fakeServer(site({ id: 'a', version: 1, hash: 'a1' }));
		expect(await installPacks(db, withdrawn.fetcher)).toEqual({
			changed: 0,
			unavailable: 0,
			removed: 1
		});
		expect((await db.courses.toArray()).map((c) => c.id)).toEqual(['a']);
		const back = fakeServer(
			site({ id: 'a', version: 1, hash: 'a1' }, { id: 'b', version: 2, hash: 'b2' })
		);
		expect(await installPacks(db, back.fetcher)).toEqual({
			changed: 1,
			unavailable: 0,
			removed: 0
		});
	});

	it('keeps the city the office dresses the practice pages with, and the digest the sync compares', async () => {
		const db = await freshDatabase();
		const routes = site({ id: 'a', version: 1, hash: 'a1' });
		const city = {
			name: 'Beispielstadt',
			domain: 'beispielstadt.de',
			officeAddress: 'Rathaus',
			officeHours: 'Mo 8-12',
			libraryName: 'Stadtbücherei',
			libraryHours: 'Di 10-18',
			arms: null
		};
		const text = JSON.stringify({ ...(routes[INDEX_URL] as object), city });
		await installPacks(db, fakeServer({ ...routes, [INDEX_URL]: text }).fetcher);
		expect((await db.meta.get(CITY))?.value).toEqual(city);
		const digest = createHash('sha256').update(text).digest('hex');
		expect((await db.meta.get(INDEX_HASH))?.value).toBe(digest);
	});
});
