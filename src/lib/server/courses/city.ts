/**
 * The city the practice pages are dressed as: its settings and coat of arms, kept in
 * `server_meta` and sent to every tablet with the course index.
 */
import { createHash } from 'node:crypto';
import type { OfficeDatabase } from '../db/connection';
import { audit } from '../auth/audit';
import { ok, problem, type Outcome } from '../auth/outcome';
import { DEFAULT_CITY, type CityDressing, type CitySettings } from '../../domain/city';
import { cityProblems, CITY_FIELDS, normaliseCity } from '../../domain/city-rules';

const CITY_KEY = 'city';
const ARMS_KEY = 'city.arms';
export const ARMS_URL_BASE = '/api/courses/files/city';
export const MAX_ARMS_BYTES = 200 * 1024;

/** Raster images only: an SVG could carry script, and a coat of arms needs none. */
const ARMS_TYPES: Record<string, { ext: string; magic: (b: Buffer) => boolean }> = {
	'image/png': {
		ext: 'png',
		magic: (b) => b.subarray(0, 8).equals(Buffer.from('89504e470d0a1a0a', 'hex'))
	},
	'image/jpeg': { ext: 'jpg', magic: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
	'image/webp': {
		ext: 'webp',
		magic: (b) =>
			b.subarray(0, 4).toString('latin1') === 'RIFF' &&
			b.subarray(8, 12).toString('latin1') === 'WEBP'
	}
};

interface StoredArms {
	type: string;
	hash: string;
	data: string;
}

async function readMeta({ db }: OfficeDatabase, key: string): Promise<string | null> {
	const row = await db
		.selectFrom('server_meta')
		.select('value')
		.where('key', '=', key)
		.executeTakeFirst();
	return row?.value ?? null;
}

export async function citySettings(office: OfficeDatabase): Promise<CitySettings> {
	const stored = await readMeta(office, CITY_KEY);
	if (!stored) return DEFAULT_CITY;
	const parsed = JSON.parse(stored) as Partial<CitySettings>;
	return Object.fromEntries(
		CITY_FIELDS.map((f) => [f, parsed[f] ?? DEFAULT_CITY[f]])
	) as unknown as CitySettings;
}

async function storedArms(office: OfficeDatabase): Promise<StoredArms | null> {
	const stored = await readMeta(office, ARMS_KEY);
	return stored ? (JSON.parse(stored) as StoredArms) : null;
}

function armsUrl(arms: StoredArms): string {
	return `${ARMS_URL_BASE}/arms.${arms.hash}.${ARMS_TYPES[arms.type]?.ext ?? 'img'}`;
}

export async function cityDressing(office: OfficeDatabase): Promise<CityDressing> {
	const arms = await storedArms(office);
	return { ...(await citySettings(office)), arms: arms ? armsUrl(arms) : null };
}

/** The coat of arms for a URL the index named (any older URL answers nothing). */
export async function armsFile(
	office: OfficeDatabase,
	url: string
): Promise<{ type: string; data: Buffer } | null> {
	const arms = await storedArms(office);
	if (!arms || armsUrl(arms) !== url) return null;
	return { type: arms.type, data: Buffer.from(arms.data, 'base64') };
}

async function putMeta(office: OfficeDatabase['db'], key: string, value: string): Promise<void> {
	await office
		.insertInto('server_meta')
		.values({ key, value })
		.onConflict((oc) => oc.column('key').doUpdateSet({ value }))
		.execute();
}

export async function saveCity(
	office: OfficeDatabase,
	input: CitySettings,
	actor: { staffId: string }
): Promise<Outcome> {
	// What people paste ("https://www.…/") is read as they meant it, then checked.
	const settings = normaliseCity(input);
	const first = cityProblems(settings)[0];
	if (first) return problem(`office:city.${first.problem}`, first.field);
	await office.db.transaction().execute(async (tx) => {
		await putMeta(tx, CITY_KEY, JSON.stringify(settings));
		await audit(tx, {
			action: 'city.update',
			staffId: actor.staffId,
			details: { name: settings.name }
		});
	});
	return ok(undefined);
}

/** A new coat of arms (PNG, JPEG or WebP up to 200 KB, checked by content), or none. */
export async function saveArms(
	office: OfficeDatabase,
	file: { type: string; data: Buffer } | null,
	actor: { staffId: string }
): Promise<Outcome> {
	if (file) {
		const kind = ARMS_TYPES[file.type];
		if (!kind || !kind.magic(file.data)) return problem('office:city.armsType', 'arms');
		if (file.data.length > MAX_ARMS_BYTES) return problem('office:city.armsSize', 'arms');
	}
	await office.db.transaction().execute(async (tx) => {
		if (file) {
			const hash = createHash('sha256').update(file.data).digest('hex').slice(0, 10);
			const arms: StoredArms = { type: file.type, hash, data: file.data.toString('base64') };
			await putMeta(tx, ARMS_KEY, JSON.stringify(arms));
		} else {
			await tx.deleteFrom('server_meta').where('key', '=', ARMS_KEY).execute();
		}
		await audit(tx, { action: file ? 'city.arms' : 'city.arms-removed', staffId: actor.staffId });
	});
	return ok(undefined);
}
