/**
 * The real courses, lesson by lesson and step by step, so the demo's progress events name
 * lessons and steps the app knows, in the order the app shows them. Read from the compiled
 * packs the server ships, or compiled from `content/` in memory when none were built yet.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CoursePack, PackIndex, Step } from '../../src/lib/domain/course/schema';
import { compileContent, formatProblem } from '../../src/lib/server/content/compile';

export interface DemoStep {
	id: string;
	kind: Step['kind'];
	/** Checkpoints a practice step passes on its way, in screen order. */
	checkpoints: string[];
}

export interface DemoLesson {
	id: string;
	steps: DemoStep[];
}

export interface DemoCourse {
	id: string;
	version: number;
	lessons: DemoLesson[];
}

const root = resolve(import.meta.dirname, '../..');

function fromPack(pack: CoursePack): DemoCourse {
	return {
		id: pack.id,
		version: pack.version,
		lessons: pack.lessons.map((lesson) => ({
			id: lesson.id,
			steps: lesson.steps.map((step) => ({
				id: step.id,
				kind: step.kind,
				checkpoints:
					step.kind === 'practice'
						? step.screens.flatMap((s) => (s.checkpoint ? [s.checkpoint] : []))
						: []
			}))
		}))
	};
}

function readPacks(dir: string): CoursePack[] {
	const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as PackIndex;
	return index.courses.map((course) => {
		const de = course.languages.find((l) => l.lang === 'de') ?? course.languages[0]!;
		return JSON.parse(
			readFileSync(join(dir, '..', de.url.replace(/^\//, '')), 'utf8')
		) as CoursePack;
	});
}

function compilePacks(): CoursePack[] {
	const { index, files, problems } = compileContent(join(root, 'content'));
	if (problems.length > 0) {
		throw new Error(`The course content has problems:\n${problems.map(formatProblem).join('\n')}`);
	}
	return index.courses.map((course) => {
		const de = course.languages.find((l) => l.lang === 'de') ?? course.languages[0]!;
		const file = files.find((f) => f.url === de.url)!;
		return JSON.parse(String(file.data)) as CoursePack;
	});
}

let cached: Map<string, DemoCourse> | null = null;

/** Every course by id, as the server's catalogue finds them (see server/content/catalogue.ts). */
export function demoCourses(): Map<string, DemoCourse> {
	if (cached) return cached;
	const dir = [
		process.env.PACKS_DIR,
		join(root, 'build/client/packs'),
		join(root, 'static/packs')
	].find((d) => d && existsSync(join(d, 'index.json')));
	const packs = dir ? readPacks(dir) : compilePacks();
	cached = new Map(packs.map((p) => [p.id, fromPack(p)]));
	return cached;
}
