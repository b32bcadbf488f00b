import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { Importer } from '../../../src/core/importing/importer.ts';
import { parseTextPage } from '../../../src/core/sources/text-page.ts';
import { SqliteStore } from '../../../src/core/store/sqlite/store.ts';
import { BUILTIN_CORPUS } from '../../../src/paperboy.ts';

const SEED = join(import.meta.dirname, '../../../../shared/seed/hf-papers-page.txt');
let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-import-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function fresh() {
  const store = SqliteStore.open(':memory:');
  return { papers: store.papers, importer: new Importer(store) };
}

test('GIVEN the real Hugging Face page THEN exactly 71 papers with titles and abstracts intact', () => {
  const text = readFileSync(SEED, 'utf8');
  const parsed = parseTextPage(text);
  assert.equal(parsed.papers.length, 71);
  assert.equal(parsed.problems.length, 0);
  const first = parsed.papers[0]!.input;
  assert.equal(first.title, 'The Surprising Effectiveness of Skip-Tuning in Diffusion Sampling');
  assert.ok(
    first.abstract!.startsWith('With the incorporation of the UNet architecture, diffusion probabilistic models'),
  );
  assert.ok(first.abstract!.endsWith('accounting for image quality improvement.'));
  const last = parsed.papers[70]!.input;
  assert.ok(last.title.startsWith('Arbitrary Few Parameters are Good Enough'));
  // Every abstract is the whole paragraph: no header line leaked into a title.
  for (const { input } of parsed.papers) {
    assert.ok(input.title.length < 200 && !/Subscribe|trending/.test(input.title), input.title);
    assert.ok(input.abstract!.length > 300, input.title);
  }
});

test('GIVEN the built-in corpus file THEN it is the seed page (71 papers)', async () => {
  const { papers, importer } = fresh();
  const summary = await importer.importPath(BUILTIN_CORPUS);
  assert.equal(summary.added, 71);
  assert.equal(await papers.count(), 71);
});

test(
  'GIVEN JSON Lines with broken records ' + 'THEN each is reported with its line number and the rest imports',
  async () => {
    const file = join(dir, 'broken.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({ id: '2503.11731', title: 'Good One', abstract: 'A', authors: ['X'], published: '2025-03-18' }),
        '{"id": "2503.11742", "title": "Broken',
        JSON.stringify({ id: '2503.11743', abstract: 'An untitled record is kept.' }),
        JSON.stringify({ id: '2503.11745', authors: ['Nobody'] }),
        '',
        '[1,2]',
        JSON.stringify({ id: '2503.11744', title: 'Good Two', categories: ['cs.CL'] }),
      ].join('\n'),
    );
    const { papers, importer } = fresh();
    const summary = await importer.importPath(file);
    assert.equal(summary.added, 3);
    assert.equal(summary.skipped, 3);
    assert.deepEqual(
      summary.problems.map((p) => [p.line, p.reason.split(' (')[0]]),
      [
        [2, 'malformed JSON'],
        [4, 'no title and no abstract'],
        [6, 'not a JSON object'],
      ],
    );
    assert.equal((await papers.get('2503.11743'))?.title, '');
    assert.equal((await papers.get('2503.11744'))?.categories[0], 'cs.CL');
  },
);

test('GIVEN the same file imported twice THEN the second import changes nothing', async () => {
  const file = join(dir, 'twice.jsonl');
  writeFileSync(file, `${JSON.stringify({ id: '2501.00001', title: 'Once', abstract: 'x' })}\n`);
  const { papers, importer } = fresh();
  await importer.importPath(file);
  const version = await papers.version();
  const again = await importer.importPath(file);
  assert.deepEqual([again.added, again.updated, again.unchanged], [0, 0, 1]);
  assert.equal(await papers.version(), version);
});

test('GIVEN a gzip file with a misleading name, and a JSON array THEN both are detected by content', async () => {
  const gz = join(dir, 'papers.data');
  writeFileSync(gz, gzipSync(`${JSON.stringify({ id: '2501.00002', title: 'Zipped' })}\n`));
  const array = join(dir, 'papers.json');
  writeFileSync(array, JSON.stringify([{ id: '2501.00003', title: 'In an array' }, { title: '' }]));
  const { papers, importer } = fresh();
  assert.equal((await importer.importPath(gz)).added, 1);
  const summary = await importer.importPath(array);
  assert.equal(summary.added, 1);
  assert.deepEqual(
    summary.problems.map((p) => p.line),
    [2],
  );
  assert.equal(await papers.count(), 2);
});

test('GIVEN a truncated gzip stream THEN what was readable is kept and the break is reported', async () => {
  const lines = Array.from({ length: 3000 }, (_, i) =>
    JSON.stringify({ id: `2501.${String(10000 + i)}`, title: `Paper number ${i}`, abstract: 'text '.repeat(40) }),
  ).join('\n');
  const full = gzipSync(lines);
  const file = join(dir, 'truncated.jsonl.gz');
  writeFileSync(file, full.subarray(0, Math.floor(full.length * 0.6)));
  const { importer } = fresh();
  const summary = await importer.importPath(file);
  assert.ok(summary.added > 0 && summary.added < 3000, `added ${summary.added}`);
  assert.ok(summary.problems.some((p) => /stopped reading/.test(p.reason)));
});

test('GIVEN a 1 MB line THEN it is skipped with a reason and the next line imports', async () => {
  const file = join(dir, 'huge-line.jsonl');
  writeFileSync(
    file,
    `${JSON.stringify({ title: 'x'.repeat(1_100_000) })}\n${JSON.stringify({ id: '2501.00009', title: 'After' })}\n`,
  );
  const { papers, importer } = fresh();
  const summary = await importer.importPath(file);
  assert.equal(summary.added, 1);
  assert.match(summary.problems[0]!.reason, /longer than/);
  assert.ok(await papers.get('2501.00009'));
});

test('GIVEN a folder THEN every importable file in it is imported', async () => {
  const folder = mkdtempSync(join(dir, 'folder-'));
  writeFileSync(join(folder, 'a.jsonl'), JSON.stringify({ id: '2501.00011', title: 'A' }));
  writeFileSync(join(folder, 'b.json'), JSON.stringify([{ id: '2501.00012', title: 'B' }]));
  writeFileSync(join(folder, 'notes.md'), '# not papers');
  const { papers, importer } = fresh();
  await importer.importPath(folder);
  assert.equal(await papers.count(), 2);
});

test(
  'GIVEN a batch imported gently ' +
    'THEN every paper is stored, other work runs in between, and bad records keep their position',
  async () => {
    const { papers, importer } = fresh();
    const inputs = Array.from({ length: 120 }, (_, i) => ({
      id: `2502.${String(10000 + i)}`,
      title: i === 70 ? '' : `Gentle paper ${i}`,
    }));
    let turns = 0;
    const ticker = setInterval(() => turns++, 0);
    const summary = await importer.importInputsGently(inputs, 'test', 25);
    clearInterval(ticker);
    assert.equal(summary.added, 119);
    assert.deepEqual(
      summary.problems.map((p) => [p.line, p.reason]),
      [[71, 'no title and no abstract']],
    );
    assert.equal(await papers.count(), 119);
    assert.ok(turns > 0, 'the event loop turned during the import');
  },
);
