/**
 * Builds `static/packs/` from `content/`; stops the build with every problem listed.
 *
 *   npm run content                      compile every course and write the packs
 *   npm run content -- --check [id ...]  only report problems (of the named courses), write nothing
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { compileContent, formatProblem } from '../src/lib/server/content/compile';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const checkOnly = args[0] === '--check';
const only = checkOnly ? args.slice(1) : [];
const contentDir = checkOnly ? join(root, 'content') : (args[0] ?? join(root, 'content'));
const outDir = join(root, 'static');

const { index, files, problems } = compileContent(contentDir);
const reported =
	only.length === 0
		? problems
		: problems.filter((p) => only.some((id) => p.file.startsWith(`${id}/`)));
if (reported.length > 0) {
	console.error(`The course content has ${reported.length} problem(s):`);
	for (const problem of reported) console.error(`  ${formatProblem(problem)}`);
	process.exit(1);
}
const courses = index.courses.filter((c) => only.length === 0 || only.includes(c.id));
const summary = courses.map(
	(c) => `${c.id} v${c.version} (${c.languages.map((l) => l.lang).join(', ')})`
);
if (checkOnly) {
	console.log(`Checked ${courses.length} course(s), no problem: ${summary.join('; ')}`);
	process.exit(0);
}
rmSync(join(outDir, 'packs'), { recursive: true, force: true });
for (const file of files) {
	const target = join(outDir, file.url);
	mkdirSync(dirname(target), { recursive: true });
	writeFileSync(target, file.data);
}
console.log(`Compiled ${index.courses.length} course(s): ${summary.join('; ')}`);
