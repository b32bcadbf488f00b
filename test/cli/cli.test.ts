import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import { runCli } from '../../src/cli/main.ts';

let dir: string;
let db: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-cli-'));
  db = join(dir, 'pb.db');
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[], stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    [...args, '--db', db],
    { out: (l) => out.push(l), err: (l) => err.push(l) },
    Readable.from([stdin]),
  );
  return { code, out, err };
}

test('GIVEN search --json --limit THEN one JSON object per result with id, title, score', async () => {
  // The first command loads the built-in papers, which the tests below search.
  const { code, out, err } = await cli(['search', 'lora', '--json', '--limit', '3', '--with-builtin']);
  assert.match(err.join('\n'), /^built-in papers: 71 added/, 'reported on stderr, off the JSON lines');
  assert.equal(code, 0);
  assert.equal(out.length, 3);
  for (const line of out) {
    const row = JSON.parse(line) as Record<string, unknown>;
    assert.deepEqual(Object.keys(row).sort(), ['id', 'score', 'title']);
    assert.equal(typeof row.score, 'number');
  }
});

test('GIVEN search with no query THEN one JSON line per stdin query', async () => {
  const { code, out } = await cli(['search', '--limit', '2'], 'lora\n\nfoo:\ndiffusion\n');
  assert.equal(code, 0);
  const rows = out.map((l) => JSON.parse(l) as { query: string; results: unknown[] });
  assert.deepEqual(
    rows.map((r) => r.query),
    ['lora', 'foo:', 'diffusion'],
  );
  assert.equal(rows[0]!.results.length, 2);
});

test('GIVEN import, related, summary, stats and reindex THEN each works', async () => {
  const file = join(dir, 'more.jsonl');
  const paper = {
    id: '2503.20680',
    title: 'Low-Rank Adaptation for Diffusion Sampling',
    abstract: 'We propose a low-rank adaptation for diffusion sampling. It achieves 2x faster sampling.',
  };
  writeFileSync(file, `${JSON.stringify(paper)}\nnot json\n`);
  const imported = await cli(['import', file]);
  assert.equal(imported.code, 0);
  assert.match(imported.out.join('\n'), /1 added, 0 updated, 0 unchanged, 1 skipped/);
  assert.match(imported.out.join('\n'), /more\.jsonl:2: malformed JSON/);
  const related = await cli(['related', 'https://arxiv.org/abs/2503.20680v2', '--json', '--limit', '4']);
  assert.equal(related.code, 0);
  assert.equal(related.out.length, 4);
  assert.ok(related.out.every((l) => (JSON.parse(l) as { id: string }).id !== '2503.20680'));
  const summary = await cli(['summary', '2503.20680', '--json']);
  const parsed = JSON.parse(summary.out[0]!) as { tldr: string; links: { url: string }[] };
  assert.equal(parsed.tldr, 'We propose a low-rank adaptation for diffusion sampling.');
  assert.equal(parsed.links[0]!.url, 'https://arxiv.org/abs/2503.20680');
  const stats = await cli(['stats']);
  assert.deepEqual(JSON.parse(stats.out[0]!), { papers: 72, builtin: 71, indexed: 72, version: 72 });
  assert.match((await cli(['reindex'])).out[0]!, /reindexed 72 papers/);
});

test(
  'GIVEN a file with two papers under one title and one paper twice THEN import merges only the true duplicate, ' +
    'reports it with both ids, and --no-merge keeps every record',
  async () => {
    const file = join(dir, 'same-titles.jsonl');
    const title = 'A Theory of Adaptive Pattern Classifiers';
    const abstract = 'We study how pattern classifiers adapt their weights by gradient steps on each sample.';
    const records = [
      { id: 'c-1', title, authors: ['Amari, S.'], abstract },
      { id: 'c-2', title, authors: ['Nilsson, N. J.'], abstract: 'Linear machines and their training.' },
      { id: '10.1109/pgec.1967.264666', title: `${title}.`, authors: ['S. Amari'], abstract },
      { id: 'c-4', title: 'Introduction' },
      { id: 'c-5', title: 'Introduction' },
      { id: 'c-6', authors: ['Nobody'] },
    ];
    writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n'));
    const merging = join(dir, 'merging.db');
    const run = (args: string[], into: string) =>
      runCli([...args, '--db', into], { out: (l) => out.push(l), err: () => {} }, Readable.from(['']));
    let out: string[] = [];
    assert.equal(await run(['import', file], merging), 0);
    const report = out.join('\n');
    assert.match(report, /4 added, 1 updated, 0 unchanged, 1 skipped/);
    assert.match(report, /same-titles\.jsonl:6: no title and no abstract/);
    assert.match(report, /1 merged into a paper already stored \(1 by title\)/);
    assert.match(report, /merged 10\.1109\/pgec\.1967\.264666 into c-1 \(same title\)/);
    // Each of the two same-title papers is found by its own id; the DOI finds the one it merged with.
    out = [];
    await run(['search', 'adaptive pattern classifiers', '--json'], merging);
    assert.deepEqual(out.map((line) => (JSON.parse(line) as { id: string }).id).sort(), ['c-1', 'c-2']);
    out = [];
    await run(['summary', 'c-2', '--json'], merging);
    assert.match(out.join('\n'), /Linear machines/);
    out = [];
    await run(['summary', '10.1109/pgec.1967.264666', '--json'], merging);
    assert.match(out.join('\n'), /pattern classifiers adapt/);

    out = [];
    assert.equal(await run(['import', file, '--no-merge'], join(dir, 'apart.db')), 0);
    assert.match(out.join('\n'), /5 added, 0 updated, 0 unchanged, 1 skipped/);
    assert.doesNotMatch(out.join('\n'), /merged/);
  },
);

test('GIVEN bad arguments THEN a clear message and a non-zero status', async () => {
  const bogus = await cli(['bogus']);
  assert.equal(bogus.code, 2);
  assert.match(bogus.err.join('\n'), /^paperboy: unknown command "bogus"\n\nUsage: paperboy <command>/);
  const limit = await cli(['search', 'x', '--limit', 'many']);
  assert.equal(limit.code, 2);
  assert.deepEqual(limit.err, ['paperboy: --limit must be a whole number from 1 to 1000']);
  const missing = await cli(['import', join(dir, 'nope.jsonl')]);
  assert.equal(missing.code, 1);
  assert.match(missing.err.join('\n'), /cannot import .*nope\.jsonl/);
  const unknown = await cli(['related', '9999.99999']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.err.join('\n'), /9999\.99999/);
  const action = await cli(['alerts', 'resend']);
  assert.equal(action.code, 2);
  assert.deepEqual(action.err, [
    'usage: paperboy alerts dead|retry [--channel PLATFORM:WORKSPACE:CHANNEL (console:CHANNEL)]',
  ]);
  const channel = await cli(['alerts', 'retry', '--channel', 'irc:#papers']);
  assert.equal(channel.code, 2);
  assert.match(
    channel.err.join('\n'),
    /--channel must be PLATFORM:WORKSPACE:CHANNEL, PLATFORM one of slack, discord, console/,
  );
});

test("GIVEN import into a new database THEN only the file's papers are there, unless --with-builtin asks", async () => {
  const file = join(dir, 'own.jsonl');
  writeFileSync(file, `${JSON.stringify({ id: 'c_1', title: 'Quokka Burrows', abstract: 'Quokkas dig burrows.' })}\n`);
  const fresh = (name: string) => ['--db', join(dir, name)];
  const plain = await runCli(['import', file, ...fresh('plain.db')], sink(), Readable.from(['']));
  assert.equal(plain, 0);
  const stats = await captured(['stats', ...fresh('plain.db')]);
  assert.deepEqual(JSON.parse(stats.out[0]!), { papers: 1, builtin: 0, indexed: 1, version: 1 });
  const asked = await captured(['import', file, '--with-builtin', ...fresh('with.db')]);
  assert.match(asked.out[0]!, /^built-in papers: 71 added/);
  assert.match(asked.out[1]!, /own\.jsonl: 1 added/);
  const withStats = JSON.parse((await captured(['stats', ...fresh('with.db')])).out[0]!) as Record<string, number>;
  assert.equal(withStats.papers, 72);
  assert.equal(withStats.builtin, 71);
  // Asking again changes nothing.
  assert.match((await captured(['reindex', '--with-builtin', ...fresh('with.db')])).out[0]!, /71 unchanged/);
});

test('GIVEN an empty new database THEN search, related and summary say the corpus is empty, and nothing loads', async () => {
  const empty = join(dir, 'empty.db');
  for (const args of [['search', 'lora', '--json'], ['related', 'lora'], ['summary', 'lora'], ['search']]) {
    const result = await captured([...args, '--db', empty]);
    assert.equal(result.code, 1, args.join(' '));
    assert.deepEqual(result.out, [], 'nothing on standard output');
    assert.match(
      result.err.join('\n'),
      /^paperboy: the corpus in .*empty\.db is empty: import papers with `paperboy import <file> --db .*empty\.db`, or add --with-builtin/,
    );
  }
  const stats = await captured(['stats', '--db', empty]);
  assert.deepEqual(JSON.parse(stats.out[0]!), { papers: 0, builtin: 0, indexed: 0, version: 0 });
});

function sink() {
  return { out: () => undefined, err: () => undefined };
}

/** Runs the command line with exactly these arguments (its own --db). */
async function captured(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) }, Readable.from(['']));
  return { code, out, err };
}
