/** Builds `static/packs/` from `content/`; stops the build with every problem listed. */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { compileContent, formatProblem } from '../src/lib/server/content/compile';

const root = resolve(import.meta.dirname, '..');
const contentDir = process.argv[2] ?? join(root, 'content');
const outDir = join(root, 'static');

const { index, files, problems } = compileContent(contentDir);
if (problems.length > 0) {
	console.error(`The course content has ${problems.length} problem(s):`);
	for (const problem of problems) console.error(`  ${formatProblem(problem)}`);
	process.exit(1);
}
rmSync(join(outDir, 'packs'), { recursive: true, force: true });
for (const file of files) {
	const target = join(outDir, file.url);
	mkdirSync(dirname(target), { recursive: true });
	writeFileSync(target, file.data);
}
const summary = index.courses.map(
	(c) => `${c.id} v${c.version} (${c.languages.map((l) => l.lang).join(', ')})`
);
console.log(`Compiled ${index.courses.length} course(s): ${summary.join('; ')}`);
