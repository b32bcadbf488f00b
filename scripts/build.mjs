// `npm run build [-- --outDir DIR] [-- --skip-check] [-- --project tsconfig.bench.json]`: compiles src/ and commands/
// to JavaScript (tsconfig.build.json; relative `.ts` imports rewritten to `.js`) and copies what the compiler does not:
// the plain-JS worker threads, the built-in corpus and the known-words list. The result runs with plain node:
// `node dist/src/main.js` (npm run start:prod). tsconfig.bench.json adds the scale bench's engine processes, so the
// bench measures the code as it runs in production (bench/bench.ts does this in its work folder).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    outDir: { type: 'string', default: 'dist' },
    // Emit without type-checking again (npm test has just run tsc --noEmit over the same sources).
    'skip-check': { type: 'boolean', default: false },
    project: { type: 'string', default: 'tsconfig.build.json' },
  },
});
const outDir = resolve(root, values.outDir);

rmSync(outDir, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const tscArgs = ['-p', join(root, values.project), '--outDir', outDir];
if (values['skip-check']) tscArgs.push('--noCheck');
const compiled = spawnSync(process.execPath, [tsc, ...tscArgs], { stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

/** Every file under `dir` (relative to the root) whose name passes `keep`. */
function files(dir, keep) {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && keep(entry.name))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
}

// Plain-JS workers run as they are; ts-worker-boot.mjs only boots tsx in development (src/core/typescript-worker.ts).
const assets = [
  ...files('src', (name) => name.endsWith('.mjs') && name !== 'ts-worker-boot.mjs'),
  'data/builtin-papers.txt',
  // The words typo correction treats as spelled right (src/core/search/typos.ts reads it beside src/).
  'data/known-words.txt.gz',
];
for (const file of assets) {
  mkdirSync(dirname(join(outDir, file)), { recursive: true });
  cpSync(join(root, file), join(outDir, file));
}
process.stdout.write(`built ${outDir}: run it with node ${join(outDir, 'src/main.js')}\n`);
