/**
 * Hostile files and payloads: 1 MB lines, broken / truncated gzip, binary junk and malformed JSON in imports;
 * malformed and oversized responses from paper sources (through the real HTTP client and parsers against the fake
 * source server). Expected: every bad record skipped with a reason, the good ones kept, nothing thrown.
 */

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { parseArxivAtom } from '../../src/core/sources/arxiv-api.ts';
import { parseArxivRss } from '../../src/core/sources/arxiv-rss.ts';
import { createHttpClient, SourceError } from '../../src/core/sources/http.ts';
import { createHuggingFaceSource, parseDailyPapers } from '../../src/core/sources/huggingface.ts';
import type { Paperboy } from '../../src/paperboy.ts';
import { type PaperSourceServer, startPaperSourceServer } from '../fakes/paper-source-server.ts';
import { sqliteDb, testPaperboy } from '../support/paperboy.ts';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-hostile-'));
const line = (id: string, title: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    arxivId: id,
    title,
    abstract: 'An abstract.',
    authors: ['A. Author'],
    published: '2025-01-01',
    ...extra,
  });
const GOOD = [line('2598.00001', 'Good paper one'), line('2598.00002', 'Good paper two')];

let pb: Paperboy;
let server: PaperSourceServer;
before(async () => {
  pb = await testPaperboy({ builtin: false });
  server = await startPaperSourceServer();
});
after(async () => {
  await pb.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** Import cases: the file, and how many of its papers must survive. */
const IMPORT_CASES: Array<{ name: string; content: () => string | Buffer; kept: number; skippedAtLeast: number }> = [
  {
    name: 'mega-line.jsonl',
    content: () => [GOOD[0], 'x'.repeat(1024 * 1024), GOOD[1]].join('\n'),
    kept: 2,
    skippedAtLeast: 1,
  },
  {
    name: 'mega-title.jsonl',
    content: () => [GOOD[0], line('2598.00003', 'T'.repeat(1024 * 1024)), GOOD[1]].join('\n'),
    kept: 2,
    skippedAtLeast: 0,
  },
  {
    name: 'mega-json-line.jsonl',
    content: () =>
      [GOOD[0], JSON.stringify({ arxivId: '2598.00004', title: 'big', abstract: 'A '.repeat(600_000) }), GOOD[1]].join(
        '\n',
      ),
    kept: 2,
    skippedAtLeast: 0,
  },
  {
    name: 'truncated.jsonl.gz',
    content: () => {
      const gz = gzipSync(`${GOOD.join('\n')}\n${GOOD.map((l) => l.replace('Good', 'More')).join('\n')}`);
      return gz.subarray(0, Math.floor(gz.length * 0.7));
    },
    kept: 0,
    skippedAtLeast: 1,
  },
  {
    name: 'corrupt-middle.jsonl.gz',
    content: () => {
      const gz = gzipSync(GOOD.join('\n'));
      gz.fill(0x55, 20, 40);
      return gz;
    },
    kept: 0,
    skippedAtLeast: 1,
  },
  { name: 'gzip-magic-only.gz', content: () => Buffer.from([0x1f, 0x8b]), kept: 0, skippedAtLeast: 0 },
  {
    name: 'binary.jsonl',
    content: () => Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256)),
    kept: 0,
    skippedAtLeast: 0,
  },
  {
    name: 'malformed.jsonl',
    content: () =>
      [
        GOOD[0],
        '{',
        '{"arxivId": 1}',
        'null',
        '[]',
        '{"title": ""}',
        '{"arxivId":"2598.00009","title":{"nested":true}}',
        '"string"',
        GOOD[1],
      ].join('\n'),
    kept: 2,
    skippedAtLeast: 5,
  },
  { name: 'array.json', content: () => `[${GOOD.join(',')}, {"oops": 1}, 42]`, kept: 2, skippedAtLeast: 1 },
  { name: 'broken-array.json', content: () => `[${GOOD.join(',')}, {"oops"`, kept: 0, skippedAtLeast: 1 },
  {
    name: 'page.txt',
    content: () => `arXiv:2598.00010 <!channel> @everyone title\n${'y'.repeat(1024 * 1024)}\n\u0000\u202e`,
    kept: 0,
    skippedAtLeast: 0,
  },
  { name: 'empty.jsonl', content: () => '', kept: 0, skippedAtLeast: 0 },
  { name: 'bom-crlf.jsonl', content: () => `\uFEFF${GOOD.join('\r\n')}\r\n`, kept: 2, skippedAtLeast: 0 },
];

describe('GIVEN hostile import files', () => {
  for (const c of IMPORT_CASES) {
    const when = `WHEN ${c.name} is imported`;
    test(`${when} THEN it does not throw, keeps what is good and says why it skipped the rest`, async () => {
      const path = file(c.name, c.content());
      const summary = await pb.importer.importPath(path, { source: 'hostile' });
      assert.ok(
        summary.added + summary.updated + summary.unchanged >= c.kept,
        `${c.name}: kept ${summary.added + summary.updated + summary.unchanged}`,
      );
      assert.ok(summary.skipped >= c.skippedAtLeast, `${c.name}: skipped ${summary.skipped}`);
      for (const problem of summary.problems) {
        assert.ok(problem.reason.length > 0 && problem.reason.length < 2000, 'a short reason');
        assert.doesNotMatch(problem.reason, /\n\s+at /, 'no stack trace');
      }
    });
  }

  test('THEN the database is still consistent after all of them', () => {
    const db = sqliteDb(pb);
    assert.equal((db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check, 'ok');
  });
});

describe('GIVEN malformed and oversized source payloads', () => {
  const MALFORMED = [
    '',
    'null',
    '{}',
    '[',
    '[null, 1, "x", {}]',
    '<html>503</html>',
    '{"error":"x"}',
    '\u0000'.repeat(100),
    `[${'{"paper":'.repeat(5000)}]`,
  ];
  const when = `WHEN ${MALFORMED.length} malformed bodies are parsed as HF JSON, arXiv RSS and Atom`;
  test(`${when} THEN each yields a batch or a clear error`, () => {
    let handled = 0;
    for (const body of [
      ...MALFORMED,
      '<rss><channel><item><title>@everyone</title></item></channel></rss>',
      '<feed><entry><id>x</id></entry></feed>',
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY ' +
        'b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><rss>&b;</rss>',
    ]) {
      for (const parse of [parseDailyPapers, parseArxivRss, parseArxivAtom] as Array<
        (text: string) => { papers: unknown[] }
      >) {
        try {
          const parsed = parse(body);
          assert.ok(Array.isArray(parsed.papers));
        } catch (error) {
          assert.ok(error instanceof Error && error.message.length > 0, 'a clear error');
          assert.doesNotMatch(error.message, /\n\s+at /);
        }
        handled++;
      }
    }
    assert.equal(handled, (MALFORMED.length + 3) * 3);
  });

  test(
    'WHEN a source answers with a body over the size cap ' + 'THEN the fetch fails with a SourceError, not a crash',
    async () => {
      server.route('/api/daily_papers', {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: `[${'{"paper":{"id":"2501.00001"}},'.repeat(40_000)}{}]`,
      });
      const http = createHttpClient({ sleep: async () => {}, random: () => 0, retries: 0, maxBodyBytes: 256 * 1024 });
      const source = createHuggingFaceSource({ baseUrl: server.url, http });
      await assert.rejects(
        source.fetch(),
        (error: unknown) => error instanceof SourceError && !/\n\s+at /.test(error.message),
      );
    },
  );

  test('WHEN a source answers with malformed JSON THEN the fetch reports it (no papers, no crash)', async () => {
    server.route('/api/daily_papers', {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: '[{"paper": {"id": "2501.0',
    });
    const http = createHttpClient({ sleep: async () => {}, random: () => 0, retries: 0 });
    const source = createHuggingFaceSource({ baseUrl: server.url, http });
    try {
      const batch = await source.fetch();
      assert.equal(batch.papers.length, 0);
      assert.ok(batch.problems.length > 0, 'a problem is reported');
    } catch (error) {
      assert.ok(error instanceof Error && error.message.length > 0);
    }
  });
});
