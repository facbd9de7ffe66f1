/**
 * Several instances of the built server (`node build`) on one PostgreSQL database:
 * - two started at the same moment on an empty database run each migration once;
 * - behind nginx (Debian's package, run by the test on loopback with the repository's proxy
 *   settings), 200 simulated tablets sync while one instance is killed and started again:
 *   every event arrives exactly once and no tablet meets an error it cannot recover from;
 * - a staff session made on one instance holds on the other, and so does a rate limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import pg from 'pg';
import { createStaff } from '../../src/lib/server/auth/staff';
import { openDatabase } from '../../src/lib/server/db/connection';
import { migrations } from '../../src/lib/server/db/migrations';
import { createPostgresDatabase } from './support/databases';
import { enrolDevices } from './support/enrol';
import { HttpTablet } from './support/http-tablet';
import { Instance, pause } from './support/instance';
import { Nginx } from './support/nginx';

const dropped: (() => Promise<void>)[] = [];
afterAll(async () => {
	for (const drop of dropped.splice(0).reverse()) await drop();
});

/** Instances as the operations guide sets them up behind a proxy. */
function behindProxy(databaseUrl: string, origin = 'http://127.0.0.1') {
	return {
		DATABASE_URL: databaseUrl,
		DATABASE_POOL_SIZE: '8',
		ORIGIN: origin,
		ADDRESS_HEADER: 'x-forwarded-for',
		XFF_DEPTH: '1'
	};
}

describe('two instances started at once on an empty PostgreSQL database', () => {
	it('run every migration once, and both serve', { timeout: 60_000 }, async () => {
		const database = await createPostgresDatabase();
		dropped.push(database.drop);
		const env = behindProxy(database.url);
		// Both processes are spawned before either is awaited: they migrate at the same moment.
		const instances = await Promise.all([Instance.spawn(env), Instance.spawn(env)]);
		try {
			await Promise.all(instances.map((i) => i.ready()));
			const applied = instances.map((i) => {
				const ready = i.logged('database ready');
				expect(ready, i.log).toHaveLength(1);
				return ready[0]!.migrationsApplied as string[];
			});
			const client = new pg.Client({ connectionString: database.url });
			await client.connect();
			const { rows } = await client.query<{ name: string }>(
				'select name from kysely_migration order by name'
			);
			await client.end();
			const recorded = rows.map((r) => r.name);
			expect(recorded).toContain(Object.keys(migrations('postgres'))[0]);
			// Each migration the database records ran in exactly one of the two instances,
			// whichever took the lock first; the other found nothing left to do.
			expect(applied.flat().sort()).toEqual(recorded);
		} finally {
			await Promise.all(instances.map((i) => i.stop()));
		}
	});
});

describe('two instances on one PostgreSQL database behind nginx', () => {
	let databaseUrl: string;
	let instances: Instance[];
	let proxy: Nginx;

	beforeAll(async () => {
		const database = await createPostgresDatabase();
		dropped.push(database.drop);
		databaseUrl = database.url;
		// The instances' public origin is the proxy's; its port is known once nginx has one.
		const first = await Instance.spawn(behindProxy(databaseUrl));
		await first.ready();
		const second = await Instance.spawn(behindProxy(databaseUrl));
		await second.ready();
		instances = [first, second];
		proxy = await Nginx.start(instances.map((i) => i.port));
	}, 60_000);

	afterAll(async () => {
		await proxy?.stop();
		await Promise.all((instances ?? []).map((i) => i.stop()));
	});

	it(
		'200 tablets sync through the proxy while one instance is killed and restarted: every event once',
		{ timeout: 90_000 },
		async () => {
			// A city of 40 places with 5 tablets each; a place's tablets share its learners.
			const places = Array.from({ length: 40 }, () =>
				Array.from({ length: 5 }, () => new HttpTablet(() => proxy.url))
			);
			const tablets = places.flat();
			for (const place of places) {
				const credentials = await enrolDevices(
					{ databaseUrl, dataDir: '' },
					place.map((t) => t.device.id)
				);
				for (const t of place) t.credential = credentials.get(t.device.id)!;
			}

			const ROUNDS = 3;
			const EVENTS_PER_ROUND = 10;
			let roundsDone = 0;
			const work = tablets.map(async (tablet) => {
				for (let round = 0; round < ROUNDS; round++) {
					tablet.record(EVENTS_PER_ROUND);
					await tablet.push();
					await tablet.pull();
					roundsDone++;
					await pause(Math.random() * 100);
				}
			});

			// A server dies during Tuesday's sessions: kill one instance hard once a quarter of the
			// work is done, and start it again a second later.
			const victim = instances[0]!;
			const fault = (async () => {
				while (roundsDone < (tablets.length * ROUNDS) / 4) await pause(20);
				await victim.stop('SIGKILL');
				const killedAt = roundsDone;
				await pause(1000);
				victim.start();
				await victim.ready();
				return killedAt;
			})();
			await Promise.all(work);
			const killedAt = await fault;
			// The kill happened while tablets were still syncing, not after.
			expect(killedAt).toBeLessThan(tablets.length * ROUNDS);

			const fatal = tablets.flatMap((t) => t.fatal.map((f) => `${t.device.id}: ${f}`));
			expect(fatal).toEqual([]);
			for (const t of tablets) expect(t.outbox).toEqual([]);

			// Every tablet ends with every event of its place. A change another transaction on the
			// server still holds back is delayed, never skipped: pull again until it comes.
			const expected = (t: HttpTablet) =>
				places.find((p) => p.includes(t))!.flatMap((other) => [...other.made]);
			const deadline = Date.now() + 30_000;
			for (const t of tablets) {
				while (t.pulled.size < expected(t).length && Date.now() < deadline) {
					await t.pull();
					if (t.pulled.size < expected(t).length) await pause(200);
				}
				expect([...t.pulled].sort()).toEqual(expected(t).sort());
			}

			const office = openDatabase({ databaseUrl, dataDir: '' });
			try {
				const events = await office.db.selectFrom('progress_events').select('id').execute();
				const made = tablets.flatMap((t) => [...t.made]);
				expect(made).toHaveLength(tablets.length * ROUNDS * EVENTS_PER_ROUND);
				expect(events.map((e) => e.id).sort()).toEqual(made.sort());
				// Logged for pulls once each too: the batches of the change log add up to the events.
				const logged = await office.db
					.selectFrom('change_log')
					.select((eb) => eb.fn.sum<number>('size').as('n'))
					.where('entity', '=', 'progress-batch')
					.executeTakeFirstOrThrow();
				expect(Number(logged.n)).toBe(made.length);
				const learners = await office.db.selectFrom('learners').select('id').execute();
				expect(learners).toHaveLength(200);
			} finally {
				await office.close();
			}
			// nginx did meet the dead instance (and passed those requests to the other one).
			expect(proxy.log).toMatch(/upstream/);
			// The killed instance serves again.
			expect((await fetch(`${victim.url}/api/health/ready`)).status).toBe(200);
			const retries = tablets.reduce((sum, t) => sum + t.retries, 0);
			console.info(`tablets retried ${retries} requests; killed after ${killedAt} rounds`);
		}
	);

	it('keeps a staff session made on one instance on the other, until it ends there', async () => {
		const [a, b] = instances;
		const office = openDatabase({ databaseUrl, dataDir: '' });
		const email = `coordinator-${uuidv7().slice(-8)}@stadt.example`;
		const password = 'plans the sessions';
		try {
			const made = await createStaff(
				office,
				{ email, name: 'Coordinator', role: 'coordinator', locationIds: [], password },
				{ staffId: null }
			);
			expect(made.ok).toBe(true);
		} finally {
			await office.close();
		}
		// Signed in on instance A, through its form, from the proxy's origin.
		const signIn = await fetch(`${a!.url}/office/sign-in`, {
			method: 'POST',
			headers: {
				origin: 'http://127.0.0.1',
				'x-forwarded-for': '192.0.2.1',
				'content-type': 'application/x-www-form-urlencoded',
				'x-sveltekit-action': 'true'
			},
			body: new URLSearchParams({ email, password }).toString()
		});
		expect(signIn.status, a!.log.slice(-3000)).toBe(200);
		const cookie = signIn.headers.get('set-cookie')?.split(';')[0];
		expect(cookie).toMatch(/^lernlotse_session=/);
		// The sign-in page sends whoever is signed in on to the office.
		const signedIn = async (instance: Instance) => {
			const page = await fetch(`${instance.url}/office/sign-in/__data.json`, {
				headers: { cookie: cookie! }
			});
			const data = (await page.json()) as { type: string; location?: string };
			return data.type === 'redirect' && data.location === '/office';
		};
		expect(await signedIn(b!)).toBe(true);
		expect(await signedIn(a!)).toBe(true);
		// Signed out on B: A no longer knows the session either.
		const signOut = await fetch(`${b!.url}/office/sign-out`, {
			method: 'POST',
			headers: { cookie: cookie!, origin: 'http://127.0.0.1', 'x-sveltekit-action': 'true' },
			body: new URLSearchParams()
		});
		expect(signOut.status).toBe(200);
		expect(await signedIn(a!)).toBe(false);
	});

	it('keeps the metrics off the public site, and passes health checks through', async () => {
		const closed = await fetch(`${proxy.url}/api/metrics`, {
			headers: { authorization: 'Bearer any-token-at-all' }
		});
		expect(closed.status).toBe(404);
		expect(await closed.text()).not.toContain('lernlotse_');
		expect((await fetch(`${proxy.url}/api/health/ready`)).status).toBe(200);
	});

	it('counts wrong enrolment codes from one address across both instances', async () => {
		const [a, b] = instances;
		const enrol = (instance: Instance, address: string) =>
			fetch(`${instance.url}/api/devices/enrol`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
				body: JSON.stringify({ code: 'ABCD-EFGH', deviceId: uuidv7(), name: 'Tablet' })
			});
		// Ten wrong codes, alternating between the instances as a proxy would spread them.
		for (let i = 0; i < 10; i++) {
			const answer = await enrol(i % 2 === 0 ? a! : b!, '203.0.113.9');
			expect(answer.status).toBe(400);
		}
		for (const instance of [a!, b!]) {
			const locked = await enrol(instance, '203.0.113.9');
			expect(locked.status).toBe(429);
			expect(await locked.json()).toMatchObject({ problem: 'device:enrol.locked' });
		}
		// Another address behind the same proxy is not locked out with it.
		expect((await enrol(a!, '198.51.100.4')).status).toBe(400);
	});
});
