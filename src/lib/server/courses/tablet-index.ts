/**
 * The course index tablets install from: every live course that is not withdrawn, and the
 * city the practice pages are dressed as. Its digest travels with every sync pull, so a
 * tablet notices a new version or new settings without downloading the index each time.
 */
import { createHash } from 'node:crypto';
import type { OfficeDatabase } from '../db/connection';
import { PACK_FORMAT, type PackIndex } from '../../domain/course/schema';
import { cityDressing } from './city';
import { liveCourses } from './releases';

export interface TabletIndex {
	text: string;
	/** SHA-256 of `text`, hex: the same digest the tablet computes of what it downloaded. */
	digest: string;
}

export async function tabletIndex(office: OfficeDatabase): Promise<TabletIndex> {
	const courses = (await liveCourses(office))
		.filter((c) => !c.withdrawn)
		.map((c) => c.entry)
		.sort((a, b) => a.id.localeCompare(b.id));
	const index: PackIndex = { format: PACK_FORMAT, courses, city: await cityDressing(office) };
	const text = JSON.stringify(index);
	return { text, digest: createHash('sha256').update(text).digest('hex') };
}
