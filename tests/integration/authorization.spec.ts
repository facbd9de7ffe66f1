/**
 * Who may do what, over HTTP against the built server (`node build`), once on SQLite and once
 * on PostgreSQL. The office is set up through its own flows (setup code from the log, form
 * actions, enrolment and card endpoints); then every actor calls every office page, office
 * action and API endpoint, and the answer is compared with the table below. A refused answer
 * must carry none of the office's data, and a refused action must change nothing.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { digest, newCode } from '../../src/lib/server/auth/tokens';
import { openDatabase, type OfficeDatabase } from '../../src/lib/server/db/connection';
import { PROTOCOL_VERSION } from '../../src/lib/sync/protocol';
import { BUILD_DIR, TestServer } from '../e2e/support/server';
import { DIALECTS, createPostgresDatabase } from './support/databases';
import { FakeDevice, newLearnerId } from './support/factories';

// ---------------------------------------------------------------------------------------------
// The matrix
// ---------------------------------------------------------------------------------------------

/**
 * OK    allowed: the page's data, the action done, the endpoint's answer (HTTP 200)
 * NO    forbidden: HTTP 403, or a page whose data is an error with status 403
 * IN    sent to the sign-in page
 * HOME  sent to the office start page (already signed in, already set up)
 * BAD   refused with a reason: a form action's failure, or HTTP 400 from an endpoint
 * WHO   HTTP 401: the device is not enrolled (no credential, or not its own)
 *
 * Actors: three staff with a session cookie (a volunteer works at place A), somebody without
 * one, and three devices with their credential: one revoked, an enrolled tablet of place A,
 * and a learner's own tablet made personal with a learner card. Whoever has no device
 * credential names tablet A's id in API calls, without its credential.
 */
const MATRIX = `
| endpoint                                  | admin | coordinator | volunteer | nobody | revoked | tablet | personal |
| GET  /office                              | OK    | OK          | OK        | IN     | IN      | IN     | IN       |
| GET  /office/account                      | OK    | OK          | OK        | IN     | IN      | IN     | IN       |
| GET  /office/audit                        | OK    | NO          | NO        | IN     | IN      | IN     | IN       |
| GET  /office/devices                      | OK    | OK          | OK        | IN     | IN      | IN     | IN       |
| GET  /office/locations                    | OK    | NO          | NO        | IN     | IN      | IN     | IN       |
| GET  /office/staff                        | OK    | NO          | NO        | IN     | IN      | IN     | IN       |
| GET  /office/setup                        | HOME  | HOME        | HOME      | HOME   | HOME    | HOME   | HOME     |
| GET  /office/sign-in                      | HOME  | HOME        | HOME      | OK     | OK      | OK     | OK       |
| GET  /office/sign-out                     | OK    | OK          | OK        | OK     | OK      | OK     | OK       |
| POST /office/devices?/code place A        | OK    | OK          | NO        | IN     | IN      | IN     | IN       |
| POST /office/devices?/code place B        | OK    | OK          | NO        | IN     | IN      | IN     | IN       |
| POST /office/devices?/revoke device of A  | OK    | OK          | NO        | IN     | IN      | IN     | IN       |
| POST /office/devices?/revoke device of B  | OK    | OK          | NO        | IN     | IN      | IN     | IN       |
| POST /office/locations?/create            | OK    | NO          | NO        | IN     | IN      | IN     | IN       |
| POST /office/locations?/update place B    | OK    | NO          | NO        | IN     | IN      | IN     | IN       |
| POST /office/staff?/create                | OK    | NO          | NO        | IN     | IN      | IN     | IN       |
| POST /office/staff?/update                | OK    | NO          | NO        | IN     | IN      | IN     | IN       |
| POST /office/staff?/reset                 | OK    | NO          | NO        | IN     | IN      | IN     | IN       |
| POST /office/staff?/delete                | OK    | NO          | NO        | IN     | IN      | IN     | IN       |
| POST /office/privacy?/saveAudit           | OK    | NO          | NO        | IN     | IN      | IN     | IN       |
| POST /office/account?/password wrong      | BAD   | BAD         | BAD       | IN     | IN      | IN     | IN       |
| POST /office/setup again                  | BAD   | BAD         | BAD       | BAD    | BAD     | BAD    | BAD      |
| POST /office/sign-in wrong password       | BAD   | BAD         | BAD       | BAD    | BAD     | BAD    | BAD      |
| GET  /api/health                          | OK    | OK          | OK        | OK     | OK      | OK     | OK       |
| POST /api/sync/push                       | WHO   | WHO         | WHO       | WHO    | NO      | OK     | OK       |
| POST /api/sync/pull                       | WHO   | WHO         | WHO       | WHO    | NO      | OK     | OK       |
| POST /api/cards/redeem                    | BAD   | BAD         | BAD       | BAD    | NO      | OK     | OK       |
| POST /api/staff/sign-in volunteer         | BAD   | BAD         | BAD       | BAD    | NO      | OK     | BAD      |
`;

const ACTORS = [
	'admin',
	'coordinator',
	'volunteer',
	'nobody',
	'revoked',
	'tablet',
	'personal'
] as const;
type ActorName = (typeof ACTORS)[number];
type Verdict = 'OK' | 'NO' | 'IN' | 'HOME' | 'BAD' | 'WHO';

interface Row {
	endpoint: string;
	expected: Record<ActorName, Verdict>;
}

function parseMatrix(table: string): Row[] {
	const [header, ...lines] = table
		.trim()
		.split('\n')
		.map((line) =>
			line
				.split('|')
				.slice(1, -1)
				.map((cell) => cell.trim())
		);
	expect(header!.slice(1)).toEqual([...ACTORS]);
	return lines.map(([endpoint, ...cells]) => ({
		endpoint: endpoint!.replace(/\s+/g, ' '),
		expected: Object.fromEntries(ACTORS.map((a, i) => [a, cells[i] as Verdict])) as Row['expected']
	}));
}

const ROWS = parseMatrix(MATRIX);

// ---------------------------------------------------------------------------------------------
// Talking to the server
// ---------------------------------------------------------------------------------------------

interface Device {
	id: string;
	credential: string | null;
}

interface Actor {
	name: ActorName;
	cookie: string | null;
	/** The device this actor speaks as in API calls. */
	device: Device;
	/** Its own e-mail, which may appear in its own answers. */
	email: string | null;
}

interface Answer {
	status: number;
	text: string;
	verdict: string;
}

function parse(text: string): Record<string, unknown> | null {
	try {
		return JSON.parse(text) as Record<string, unknown>;
	} catch {
		return null;
	}
}

function redirectVerdict(location: unknown): string {
	if (typeof location !== 'string') return 'redirect without location';
	if (location.startsWith('/office/sign-in')) return 'IN';
	if (location === '/office') return 'HOME';
	return `redirect to ${location}`;
}

/** What a page's `__data.json` says: its data, an error node, or a redirect. */
function pageVerdict(status: number, text: string): string {
	const body = parse(text);
	if (status !== 200 || !body) return `HTTP ${status}`;
	if (body.type === 'redirect') return redirectVerdict(body.location);
	const errors = ((body.nodes as { type?: string; status?: number }[] | undefined) ?? []).filter(
		(n) => n?.type === 'error'
	);
	if (errors.length === 0) return 'OK';
	return errors[0]!.status === 403 ? 'NO' : `error ${errors[0]!.status}`;
}

/** What a form action answered, in SvelteKit's JSON for enhanced forms. */
function actionVerdict(status: number, text: string): string {
	const body = parse(text);
	if (!body) return status === 403 ? 'NO' : `HTTP ${status}`;
	if (body.type === 'success' && status === 200) return 'OK';
	if (body.type === 'failure' && body.status === 400) return 'BAD';
	if (body.type === 'redirect') return redirectVerdict(body.location);
	if (body.type === 'error' && status === 403) return 'NO';
	return `${String(body.type)} ${status}`;
}

function apiVerdict(status: number): string {
	const verdicts: Record<number, string> = { 200: 'OK', 400: 'BAD', 401: 'WHO', 403: 'NO' };
	return verdicts[status] ?? `HTTP ${status}`;
}

/**
 * A form action's data comes serialised by SvelteKit: an array whose first entry maps each
 * key to the index of its value. Enough for the flat objects the office actions return.
 */
function actionData(text: string): Record<string, unknown> {
	const body = parse(text);
	const flat = JSON.parse(String(body?.data)) as unknown[];
	const root = flat[0] as Record<string, number>;
	return Object.fromEntries(Object.entries(root).map(([key, at]) => [key, flat[at]]));
}

class Client {
	constructor(readonly origin: string) {}

	async send(path: string, init: RequestInit & { headers: Record<string, string> }) {
		const response = await fetch(this.origin + path, {
			redirect: 'manual',
			signal: AbortSignal.timeout(10_000),
			...init
		});
		return { response, text: await response.text() };
	}

	private auth(as: Actor): Record<string, string> {
		return {
			...(as.cookie ? { cookie: as.cookie } : {}),
			...(as.device.credential ? { authorization: `Bearer ${as.device.credential}` } : {})
		};
	}

	async page(as: Actor, path: string): Promise<Answer> {
		const { response, text } = await this.send(`${path}/__data.json`, { headers: this.auth(as) });
		return { status: response.status, text, verdict: pageVerdict(response.status, text) };
	}

	async action(
		as: Actor,
		path: string,
		fields: Record<string, string | string[]>,
		headers: Record<string, string> = {}
	): Promise<Answer & { response: Response }> {
		const form = new URLSearchParams();
		for (const [key, value] of Object.entries(fields)) {
			for (const v of [value].flat()) form.append(key, v);
		}
		const { response, text } = await this.send(path, {
			method: 'POST',
			headers: {
				...this.auth(as),
				origin: this.origin,
				accept: 'application/json',
				'x-sveltekit-action': 'true',
				'content-type': 'application/x-www-form-urlencoded',
				...headers
			},
			body: form.toString()
		});
		return {
			response,
			status: response.status,
			text,
			verdict: actionVerdict(response.status, text)
		};
	}

	async api(as: Actor, path: string, body?: unknown): Promise<Answer> {
		const { response, text } = await this.send(path, {
			method: body === undefined ? 'GET' : 'POST',
			headers: { ...this.auth(as), origin: this.origin, 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body)
		});
		return { status: response.status, text, verdict: apiVerdict(response.status) };
	}
}

function sessionCookie(response: Response): string {
	const cookie = response.headers.getSetCookie().find((c) => c.startsWith('lernlotse_session='));
	if (!cookie) throw new Error(`no session cookie in the answer (HTTP ${response.status})`);
	return cookie.split(';')[0]!;
}

// ---------------------------------------------------------------------------------------------
// The office under test, set up through its own flows
// ---------------------------------------------------------------------------------------------

const ADMIN = { email: 'admin@stadt.example', password: 'admin stays in charge' };
const FIRST_PASSWORD = 'given by the admin 1';

interface World {
	dialect: (typeof DIALECTS)[number];
	server: TestServer;
	client: Client;
	/** The server's database, opened beside it to check what the requests did. */
	db: OfficeDatabase;
	actors: Record<ActorName, Actor>;
	placeA: string;
	placeB: string;
	volunteer: { id: string; email: string; password: string };
	coordinator: { email: string; password: string };
	spareStaffId: string;
	leavingStaffId: string;
	tabletB: Device;
	card: string;
	learnerA: string;
	learnerB: string;
	/** Enrolled devices handed out one per cell to the revoke rows, and to whom. */
	spares: Record<'A' | 'B', Device[]>;
	revokedBy: Map<string, ActorName>;
	/** Everything a refused answer must not contain. */
	secrets: string[];
	setupCookie: string;
	dispose(): Promise<void>;
}

async function startServer(dialect: World['dialect']) {
	if (!existsSync(join(BUILD_DIR, 'index.js'))) {
		throw new Error(`${BUILD_DIR} holds no built server: run \`npm run build\` first`);
	}
	const database = dialect === 'postgres' ? await createPostgresDatabase() : null;
	// The server takes its configuration from the environment it inherits.
	const previous = process.env.DATABASE_URL;
	process.env.DATABASE_URL = database?.url ?? '';
	try {
		const server = await TestServer.start();
		const db = openDatabase(
			database ? { databaseUrl: database.url, dataDir: '' } : { dataDir: server.dataDir }
		);
		return {
			server,
			db,
			async dispose() {
				await db.close();
				await server.dispose();
				await database?.drop();
			}
		};
	} catch (error) {
		await database?.drop();
		throw error;
	} finally {
		if (previous === undefined) delete process.env.DATABASE_URL;
		else process.env.DATABASE_URL = previous;
	}
}

async function setUp(dialect: World['dialect']): Promise<World> {
	const started = await startServer(dialect);
	try {
		return await seed(dialect, started);
	} catch (error) {
		// What the server said is the first thing to read when setting up fails.
		const log = started.server.log.split('\n').slice(-20).join('\n');
		await started.dispose();
		throw new Error(`${(error as Error).message}\n--- server log ---\n${log}`, { cause: error });
	}
}

async function seed(
	dialect: World['dialect'],
	{ server, db, dispose }: Awaited<ReturnType<typeof startServer>>
): Promise<World> {
	const client = new Client(server.url);
	const nobody: Actor = {
		name: 'nobody',
		cookie: null,
		device: { id: '', credential: null },
		email: null
	};
	const expectOk = (answer: Answer, what: string) =>
		expect(answer.verdict, `${what}: ${answer.text.slice(0, 300)}`).toBe('OK');

	const health = await client.api(nobody, '/api/health');
	expect(JSON.parse(health.text)).toEqual({ status: 'ok', database: dialect });

	const setup = await client.action(nobody, '/office/setup', {
		setupCode: (await server.setupCode()).toLowerCase(),
		email: ADMIN.email,
		name: 'Office Admin',
		password: ADMIN.password,
		locationName: 'Library North',
		locationKind: 'library'
	});
	expect(setup.verdict).toBe('HOME');
	const setupCookie = setup.response.headers.getSetCookie().join('\n');
	const admin: Actor = {
		...nobody,
		name: 'admin',
		cookie: sessionCookie(setup.response),
		email: ADMIN.email
	};

	const { id: placeA } = await db.db.selectFrom('locations').select('id').executeTakeFirstOrThrow();
	const madePlace = await client.action(admin, '/office/locations?/create', {
		name: 'Library South',
		kind: 'library',
		address: 'Market Square 1'
	});
	expectOk(madePlace, 'a second place');
	const placeB = actionData(madePlace.text).created as string;

	const addStaff = async (email: string, role: string, locationIds: string[]) => {
		const made = await client.action(admin, '/office/staff?/create', {
			email,
			name: `Staff ${role}`,
			role,
			locationIds,
			password: FIRST_PASSWORD
		});
		expectOk(made, `staff ${email}`);
		return actionData(made.text).created as string;
	};
	/** Signs in with the password the admin gave, which must be changed first. */
	const firstSignIn = async (name: ActorName, email: string, password: string): Promise<Actor> => {
		const signedIn = await client.action(nobody, '/office/sign-in', {
			email,
			password: FIRST_PASSWORD
		});
		expect(signedIn.verdict).toBe('redirect to /office/account?required=1');
		const actor: Actor = { ...nobody, name, cookie: sessionCookie(signedIn.response), email };
		expect((await client.page(actor, '/office/devices')).verdict).toBe(
			'redirect to /office/account?required=1'
		);
		expectOk(
			await client.action(actor, '/office/account?/password', {
				current: FIRST_PASSWORD,
				next: password
			}),
			`${email} chooses a password`
		);
		return actor;
	};
	const volunteer = { email: 'volunteer@stadt.example', password: 'reads aloud on tuesdays' };
	const coordinator = { email: 'coordinator@stadt.example', password: 'plans every course' };
	const volunteerId = await addStaff(volunteer.email, 'volunteer', [placeA]);
	await addStaff(coordinator.email, 'coordinator', []);
	const spareStaffId = await addStaff('spare@stadt.example', 'volunteer', [placeB]);
	const leavingStaffId = await addStaff('leaving@stadt.example', 'volunteer', [placeB]);
	const volunteerActor = await firstSignIn('volunteer', volunteer.email, volunteer.password);
	const coordinatorActor = await firstSignIn(
		'coordinator',
		coordinator.email,
		coordinator.password
	);

	const enrol = async (locationId: string, id = uuidv7()): Promise<Device> => {
		const code = await client.action(admin, '/office/devices?/code', { locationId });
		expectOk(code, 'an enrolment code');
		const enrolled = await client.api(nobody, '/api/devices/enrol', {
			code: actionData(code.text).code,
			deviceId: id,
			name: 'Tablet'
		});
		expectOk(enrolled, 'enrolment');
		return { id, credential: (JSON.parse(enrolled.text) as { credential: string }).credential };
	};
	const fakeA = new FakeDevice();
	const fakeB = new FakeDevice();
	const tabletA = await enrol(placeA, fakeA.id);
	const tabletB = await enrol(placeB, fakeB.id);
	const revoked = await enrol(placeA);
	expectOk(await client.action(admin, '/office/devices?/revoke', { id: revoked.id }), 'revoking');
	const spares = { A: [] as Device[], B: [] as Device[] };
	for (let i = 0; i < ACTORS.length; i++) {
		spares.A.push(await enrol(placeA));
		spares.B.push(await enrol(placeB));
	}

	// Each tablet brings a learner; tablet A prints her a card.
	const deviceOf = (device: Device, name: ActorName): Actor => ({ ...nobody, name, device });
	const tabletAActor = deviceOf(tabletA, 'tablet');
	const learnerA = newLearnerId();
	const learnerB = newLearnerId();
	const card = newCode();
	const cardMutation = {
		...fakeA.mutation('learner', uuidv7(), fakeA.clock.tick(), {
			learnerId: learnerA,
			codeHash: digest(card)
		}),
		kind: 'card'
	};
	const pushed = await client.api(
		tabletAActor,
		'/api/sync/push',
		fakeA.push([fakeA.learner({ id: learnerA }), fakeA.progress(learnerA), cardMutation])
	);
	expect(JSON.parse(pushed.text)).toMatchObject({
		results: [{ status: 'accepted' }, { status: 'accepted' }, { status: 'accepted' }]
	});
	expectOk(
		await client.api(
			deviceOf(tabletB, 'tablet'),
			'/api/sync/push',
			fakeB.push([
				fakeB.learner({ id: learnerB, fields: { name: 'Gisela', avatar: 'moon', lang: 'de' } })
			])
		),
		'tablet B pushes'
	);

	// At home, the learner enters her card on her own tablet, which the office did not know.
	const personalId = uuidv7();
	const redeemed = await client.api(nobody, '/api/cards/redeem', {
		code: card,
		deviceId: personalId
	});
	expectOk(redeemed, 'redeeming the card at home');
	const personal = {
		id: personalId,
		credential: (JSON.parse(redeemed.text) as { credential: string }).credential
	};
	expect(personal.credential).toMatch(/^[A-Za-z0-9_-]{43}$/);

	const noDevice = { id: tabletA.id, credential: null };
	const actors: Record<ActorName, Actor> = {
		admin: { ...admin, device: noDevice },
		coordinator: { ...coordinatorActor, device: noDevice },
		volunteer: { ...volunteerActor, device: noDevice },
		nobody: { ...nobody, device: noDevice },
		revoked: deviceOf(revoked, 'revoked'),
		tablet: tabletAActor,
		personal: deviceOf(personal, 'personal')
	};
	const devices = [tabletA, tabletB, revoked, personal, ...spares.A, ...spares.B];
	return {
		dialect,
		server,
		client,
		db,
		actors,
		placeA,
		placeB,
		volunteer: { id: volunteerId, ...volunteer },
		coordinator,
		spareStaffId,
		leavingStaffId,
		tabletB,
		card,
		learnerA,
		learnerB,
		spares,
		revokedBy: new Map(),
		secrets: [
			placeB,
			learnerA,
			learnerB,
			card,
			'Gisela',
			'spare@stadt.example',
			...devices.flatMap((d) => [d.id, d.credential!])
		],
		setupCookie,
		dispose
	};
}

/** Each endpoint of the table: the request an actor sends to it. */
const ENDPOINTS: Record<string, (w: World, as: Actor) => Promise<Answer>> = {
	'GET /office': (w, as) => w.client.page(as, '/office'),
	'GET /office/account': (w, as) => w.client.page(as, '/office/account'),
	'GET /office/audit': (w, as) => w.client.page(as, '/office/audit'),
	'GET /office/devices': (w, as) => w.client.page(as, '/office/devices'),
	'GET /office/locations': (w, as) => w.client.page(as, '/office/locations'),
	'GET /office/staff': (w, as) => w.client.page(as, '/office/staff'),
	'GET /office/setup': (w, as) => w.client.page(as, '/office/setup'),
	'GET /office/sign-in': (w, as) => w.client.page(as, '/office/sign-in'),
	'GET /office/sign-out': (w, as) => w.client.page(as, '/office/sign-out'),
	'POST /office/devices?/code place A': (w, as) =>
		w.client.action(as, '/office/devices?/code', { locationId: w.placeA }),
	'POST /office/devices?/code place B': (w, as) =>
		w.client.action(as, '/office/devices?/code', { locationId: w.placeB }),
	'POST /office/devices?/revoke device of A': (w, as) => revokeSpare(w, as, 'A'),
	'POST /office/devices?/revoke device of B': (w, as) => revokeSpare(w, as, 'B'),
	'POST /office/locations?/create': (w, as) =>
		w.client.action(as, '/office/locations?/create', {
			name: `Place made by ${as.name}`,
			kind: 'senior-centre',
			address: ''
		}),
	'POST /office/locations?/update place B': (w, as) =>
		w.client.action(as, '/office/locations?/update', {
			id: w.placeB,
			name: 'Library South',
			kind: 'library',
			address: 'Market Square 1'
		}),
	'POST /office/staff?/create': (w, as) =>
		w.client.action(as, '/office/staff?/create', {
			email: `made-by-${as.name}@stadt.example`,
			name: 'New Person',
			role: 'coordinator',
			password: 'a long first password'
		}),
	'POST /office/staff?/update': (w, as) =>
		w.client.action(as, '/office/staff?/update', {
			id: w.volunteer.id,
			email: w.volunteer.email,
			name: 'Staff volunteer',
			role: 'volunteer',
			locationIds: [w.placeA]
		}),
	'POST /office/staff?/reset': (w, as) =>
		w.client.action(as, '/office/staff?/reset', { id: w.spareStaffId }),
	'POST /office/staff?/delete': (w, as) =>
		w.client.action(as, '/office/staff?/delete', { id: w.leavingStaffId }),
	'POST /office/privacy?/saveAudit': (w, as) =>
		w.client.action(as, '/office/privacy?/saveAudit', { auditMonths: '24' }),
	'POST /office/account?/password wrong': (w, as) =>
		w.client.action(as, '/office/account?/password', {
			current: 'not the password',
			next: 'something new and long'
		}),
	'POST /office/setup again': async (w, as) =>
		w.client.action(as, '/office/setup', {
			setupCode: newCode(),
			email: `setup-${as.name}@stadt.example`,
			name: 'Intruder',
			password: 'takes over the office',
			locationName: `Place of ${as.name}`,
			locationKind: 'other'
		}),
	'POST /office/sign-in wrong password': (w, as) =>
		w.client.action(as, '/office/sign-in', { email: 'nobody@stadt.example', password: 'guess' }),
	'GET /api/health': (w, as) => w.client.api(as, '/api/health'),
	'POST /api/sync/push': (w, as) =>
		w.client.api(as, '/api/sync/push', {
			protocol: PROTOCOL_VERSION,
			deviceId: as.device.id,
			mutations: []
		}),
	'POST /api/sync/pull': (w, as) =>
		w.client.api(as, '/api/sync/pull', {
			protocol: PROTOCOL_VERSION,
			deviceId: as.device.id,
			cursor: null
		}),
	'POST /api/cards/redeem': (w, as) =>
		w.client.api(as, '/api/cards/redeem', { code: w.card, deviceId: as.device.id }),
	'POST /api/staff/sign-in volunteer': (w, as) =>
		w.client.api(as, '/api/staff/sign-in', {
			email: w.volunteer.email,
			password: w.volunteer.password,
			deviceId: as.device.id
		})
};

async function revokeSpare(w: World, as: Actor, place: 'A' | 'B'): Promise<Answer> {
	const device = w.spares[place].pop()!;
	w.revokedBy.set(device.id, as.name);
	return w.client.action(as, '/office/devices?/revoke', { id: device.id });
}

/** Whatever of the office's data a refused answer to `as` carries (its own e-mail may show). */
function leaked(w: World, as: Actor, text: string): string[] {
	return w.secrets.filter((secret) => secret !== as.email && text.includes(secret));
}

// ---------------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------------

describe.each(DIALECTS)(
	'authorisation on the built server with %s',
	{ timeout: 30_000 },
	(dialect) => {
		let world: World;
		beforeAll(async () => {
			world = await setUp(dialect);
		}, 120_000);
		afterAll(async () => {
			await world?.dispose();
		}, 60_000);

		it('covers every endpoint in the table, and nothing the table does not name', () => {
			expect(ROWS.map((r) => r.endpoint).sort()).toEqual(Object.keys(ENDPOINTS).sort());
		});

		it.each(ROWS)('$endpoint', async ({ endpoint, expected }) => {
			const actual = {} as Record<ActorName, string>;
			for (const name of ACTORS) {
				const as = world.actors[name];
				const answer = await ENDPOINTS[endpoint]!(world, as);
				actual[name] = answer.verdict;
				if (answer.verdict !== 'OK') {
					expect(leaked(world, as, answer.text), `${endpoint} as ${name} leaks`).toEqual([]);
				}
			}
			expect(actual).toEqual(expected);
		});

		it('changed nothing where it refused', async () => {
			const allowed = (endpoint: string) =>
				ACTORS.filter((a) => ROWS.find((r) => r.endpoint === endpoint)!.expected[a] === 'OK');
			const revoked = await world.db.db
				.selectFrom('devices')
				.select('id')
				.where('id', 'in', [...world.revokedBy.keys()])
				.where('revoked_at', 'is not', null)
				.execute();
			expect(revoked.map((d) => world.revokedBy.get(d.id)).sort()).toEqual(
				[
					...allowed('POST /office/devices?/revoke device of A'),
					...allowed('POST /office/devices?/revoke device of B')
				].sort()
			);
			const places = await world.db.db.selectFrom('locations').select('name').execute();
			expect(places.map((p) => p.name).sort()).toEqual(
				[
					'Library North',
					'Library South',
					...allowed('POST /office/locations?/create').map((a) => `Place made by ${a}`)
				].sort()
			);
			const staff = await world.db.db.selectFrom('staff').select('email').execute();
			expect(staff.filter((s) => /^(made-by|setup)-/.test(s.email)).map((s) => s.email)).toEqual(
				allowed('POST /office/staff?/create').map((a) => `made-by-${a}@stadt.example`)
			);
			const codes = await world.db.db
				.selectFrom('enrolment_codes')
				.innerJoin('staff', 'staff.id', 'enrolment_codes.created_by')
				.select('staff.email')
				.where('staff.role', '!=', 'admin')
				.execute();
			expect(codes.map((c) => c.email)).toEqual([world.coordinator.email, world.coordinator.email]);
		});

		it('wrote every office request it forbade into the audit log', async () => {
			const forbidden = ROWS.filter((r) => r.endpoint.includes(' /office')).flatMap((r) =>
				ACTORS.filter((a) => r.expected[a] === 'NO').map((a) => world.actors[a].email)
			);
			const emails = new Map(
				(await world.db.db.selectFrom('staff').select(['id', 'email']).execute()).map((s) => [
					s.id,
					s.email
				])
			);
			// The office writes these down after answering.
			await vi.waitFor(async () => {
				const denied = await world.db.db
					.selectFrom('audit_log')
					.select(['staff_id', 'target'])
					.where('action', '=', 'access')
					.where('outcome', '=', 'denied')
					.execute();
				expect(denied.map((d) => emails.get(d.staff_id!)).sort()).toEqual(forbidden.sort());
				for (const entry of denied) expect(entry.target).toMatch(/^\/office\//);
			});
		});

		it('shows a volunteer the devices of their own place only', async () => {
			const answer = await world.client.page(world.actors.volunteer, '/office/devices');
			expect(answer.verdict).toBe('OK');
			expect(answer.text).toContain(world.actors.tablet.device.id);
			for (const hidden of [world.placeB, world.tabletB.id, ...world.spares.B.map((d) => d.id)]) {
				expect(answer.text).not.toContain(hidden);
			}
			const coordinator = await world.client.page(world.actors.coordinator, '/office/devices');
			expect(coordinator.text).toContain(world.tabletB.id);
		});

		it('gives a device the learners it works with only', async () => {
			const pull = async (as: Actor) => {
				const answer = await world.client.api(as, '/api/sync/pull', {
					protocol: PROTOCOL_VERSION,
					deviceId: as.device.id,
					cursor: null
				});
				expect(answer.status).toBe(200);
				return answer.text;
			};
			for (const as of [world.actors.tablet, world.actors.personal]) {
				const text = await pull(as);
				expect(text).toContain(world.learnerA);
				expect(text).not.toContain(world.learnerB);
				expect(text).not.toContain('Gisela');
			}
		});

		it('lets a volunteer unlock tablets of their own place only; a coordinator anywhere', async () => {
			const tabletB = { ...world.actors.tablet, device: world.tabletB };
			const signIn = (who: { email: string; password: string }) =>
				world.client.api(tabletB, '/api/staff/sign-in', { ...who, deviceId: world.tabletB.id });
			const volunteer = await signIn({
				email: world.volunteer.email,
				password: world.volunteer.password
			});
			expect(volunteer.status).toBe(400);
			expect(JSON.parse(volunteer.text)).toEqual({
				error: 'refused',
				problem: 'device:volunteer.notHere'
			});
			const coordinator = await signIn(world.coordinator);
			expect(coordinator.status).toBe(200);
			expect(JSON.parse(coordinator.text)).toMatchObject({
				staff: { email: world.coordinator.email, role: 'coordinator' },
				location: { id: world.placeB, name: 'Library South' }
			});
		});

		it('refuses cross-site writes, with or without a session', async () => {
			const admin = world.actors.admin;
			const before = await world.db.db.selectFrom('enrolment_codes').select('code_hash').execute();
			const evil = { origin: 'http://evil.example' };
			const form = await world.client.action(
				admin,
				'/office/devices?/code',
				{ locationId: world.placeA },
				evil
			);
			expect(form.status).toBe(403);
			const staff = await world.client.action(
				admin,
				'/office/staff?/reset',
				{ id: world.spareStaffId },
				{ ...evil, 'content-type': 'text/plain' }
			);
			expect(staff.status).toBe(403);
			const noOrigin = await world.client.send('/office/devices?/code', {
				method: 'POST',
				headers: {
					cookie: admin.cookie!,
					'sec-fetch-site': 'cross-site',
					'content-type': 'text/plain'
				},
				body: `locationId=${world.placeA}`
			});
			expect(noOrigin.response.status).toBe(403);
			const tablet = world.actors.tablet;
			const push = await world.client.send('/api/sync/push', {
				method: 'POST',
				headers: {
					...evil,
					authorization: `Bearer ${tablet.device.credential}`,
					'content-type': 'application/json'
				},
				body: JSON.stringify({
					protocol: PROTOCOL_VERSION,
					deviceId: tablet.device.id,
					mutations: []
				})
			});
			expect(push.response.status).toBe(403);
			expect(JSON.parse(push.text)).toMatchObject({ error: 'cross-site' });
			const after = await world.db.db.selectFrom('enrolment_codes').select('code_hash').execute();
			expect(after).toHaveLength(before.length);
		});

		it('sends security headers with the app and the office pages', async () => {
			for (const path of ['/', '/office/devices']) {
				const { response } = await world.client.send(path, {
					headers: { cookie: world.actors.admin.cookie! }
				});
				expect(response.status, path).toBe(200);
				const csp = response.headers.get('content-security-policy') ?? '';
				expect(csp, path).toMatch(/script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')+(;|$)/);
				expect(csp, path).toContain("frame-ancestors 'none'");
				expect(csp, path).not.toMatch(/script-src[^;]*'unsafe-inline'/);
				expect(response.headers.get('x-frame-options'), path).toBe('DENY');
				expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
			}
			const data = await world.client.send('/office/devices/__data.json', {
				headers: { cookie: world.actors.admin.cookie! }
			});
			expect(data.response.headers.get('cache-control')).toMatch(/no-store/);
		});

		it('keeps the session in an HttpOnly, SameSite=Strict cookie, and ends it at sign-out', async () => {
			expect(world.setupCookie).toMatch(/lernlotse_session=[\w-]{43};/);
			const signedIn = await world.client.action(world.actors.nobody, '/office/sign-in', ADMIN);
			expect(signedIn.verdict).toBe('HOME');
			for (const cookie of [
				world.setupCookie,
				signedIn.response.headers.getSetCookie().join('\n')
			]) {
				expect(cookie).toMatch(/; HttpOnly/i);
				expect(cookie).toMatch(/; SameSite=Strict/i);
				expect(cookie).toMatch(/; Path=\//i);
			}
			const session: Actor = { ...world.actors.admin, cookie: sessionCookie(signedIn.response) };
			expect((await world.client.page(session, '/office/audit')).verdict).toBe('OK');
			const out = await world.client.action(session, '/office/sign-out', {});
			expect(out.verdict).toBe('IN');
			expect((await world.client.page(session, '/office/audit')).verdict).toBe('IN');
			// The other session of the same person goes on.
			expect((await world.client.page(world.actors.admin, '/office/audit')).verdict).toBe('OK');
		});

		// Last: on a server that mishandles a refused code, nothing after this could be trusted.
		it('enrols a device with a valid code only, once, and keeps answering', async () => {
			const nobody = world.actors.nobody;
			const code = await world.client.action(world.actors.admin, '/office/devices?/code', {
				locationId: world.placeA
			});
			const body = { code: actionData(code.text).code, deviceId: uuidv7(), name: 'Tablet 9' };
			const first = await world.client.api(nobody, '/api/devices/enrol', body);
			expect(first.status).toBe(200);
			expect(JSON.parse(first.text)).toMatchObject({
				credential: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
				location: { id: world.placeA, name: 'Library North' }
			});
			const refusals = [
				{ ...body, deviceId: uuidv7() },
				{ ...body, code: newCode(), deviceId: uuidv7() }
			];
			for (const refused of refusals) {
				const answer = await world.client
					.api(nobody, '/api/devices/enrol', refused)
					.catch((error: Error) => ({
						status: 0,
						text: `the server did not answer: ${error.message}`
					}));
				expect(answer.status, answer.text).toBe(400);
				expect(answer.text).not.toContain(world.placeA);
			}
			const health = await world.client.api(nobody, '/api/health').catch((error: Error) => ({
				status: 0,
				text: `the server did not answer: ${error.message}`
			}));
			expect(health.status, health.text).toBe(200);
		});
	}
);
