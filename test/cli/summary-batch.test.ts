/** `paperboy summary` with no paper: references on stdin, one JSON summary (or error) per line. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import { runCli } from '../../src/cli/main.ts';

let dir: string;
let db: string;

async function cli(args: string[], stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    [...args, '--db', db, '--no-builtin'],
    { out: (l) => out.push(l), err: (l) => err.push(l) },
    Readable.from([stdin]),
  );
  return { code, out, err };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-summary-batch-'));
  db = join(dir, 'pb.db');
  const papers = [
    {
      id: '2503.20680',
      title: 'Low-Rank Adaptation for Diffusion Sampling',
      abstract:
        'Diffusion models sample slowly. In this paper, we propose a low-rank adaptation for diffusion sampling. ' +
        'It achieves 2x faster sampling on ImageNet.',
    },
    {
      id: '2401.00001',
      title: 'Calibrated Dropout for Uncertainty',
      abstract: 'Dropout is a common regularizer. We introduce calibrated dropout for uncertainty estimates.',
    },
  ];
  const file = join(dir, 'papers.jsonl');
  writeFileSync(file, `${papers.map((p) => JSON.stringify(p)).join('\n')}\n`);
  assert.equal((await cli(['import', file])).code, 0);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('GIVEN ids, links and title words on stdin THEN one JSON summary per reference, in order', async () => {
  const input = [
    '2503.20680',
    '',
    'https://arxiv.org/abs/2401.00001v2',
    'https://huggingface.co/papers/2503.20680',
    'calibrated dropout',
  ].join('\n');
  const { code, out } = await cli(['summary', '--json'], `${input}\n`);
  assert.equal(code, 0);
  const rows = out.map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.deepEqual(
    rows.map((r) => r.id),
    ['2503.20680', '2401.00001', '2503.20680', '2401.00001'],
  );
  const first = rows[0]!;
  assert.deepEqual(Object.keys(first), ['id', 'title', 'tldr', 'contribution', 'results', 'keyTerms', 'links']);
  assert.equal(first.title, 'Low-Rank Adaptation for Diffusion Sampling');
  assert.equal(first.tldr, 'We propose a low-rank adaptation for diffusion sampling.');
  assert.equal(first.results, 'It achieves 2x faster sampling on ImageNet.');
  assert.equal(first.contribution, null, 'no other sentence states the contribution');
  assert.deepEqual((first.links as { label: string }[]).map((l) => l.label).slice(0, 2), ['arXiv', 'PDF']);
  assert.equal(rows[1]!.tldr, 'We introduce calibrated dropout for uncertainty estimates.');
});

test('GIVEN references that do not resolve THEN {input, error} lines between the others, and no crash', async () => {
  const { code, out, err } = await cli(['summary', '--json'], '2501.99999\nzzqx qqzv\n2401.00001\n');
  assert.equal(code, 0);
  assert.deepEqual(err, []);
  const rows = out.map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.deepEqual(rows[0], { input: '2501.99999', error: 'Paper 2501.99999 is not in the corpus yet.' });
  assert.equal(rows[1]!.input, 'zzqx qqzv');
  assert.match(String(rows[1]!.error), /No paper matches "zzqx qqzv"/);
  assert.equal(rows[2]!.id, '2401.00001');
});

test('GIVEN one paper with --json THEN the same line shape as in batch mode', async () => {
  const { code, out } = await cli(['summary', '2401.00001', '--json']);
  assert.equal(code, 0);
  const row = JSON.parse(out[0]!) as Record<string, unknown>;
  assert.deepEqual(Object.keys(row), ['id', 'title', 'tldr', 'contribution', 'results', 'keyTerms', 'links']);
});
