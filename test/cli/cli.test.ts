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
  const { code, out } = await cli(['search', 'lora', '--json', '--limit', '3']);
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
  assert.equal((JSON.parse(stats.out[0]!) as { papers: number }).papers, 72);
  assert.match((await cli(['reindex'])).out[0]!, /reindexed 72 papers/);
});

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
});
