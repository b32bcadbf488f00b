/**
 * Hostile files and payloads: 1 MB lines, broken / truncated gzip, binary junk and malformed JSON in imports;
 * malformed and oversized responses from paper sources (through the real HTTP client and parsers against the fake
 * source server). Expected: every bad record (or unreadable file) skipped with its line and a reason the user can
 * read, the good ones kept, nothing thrown; a source payload that cannot be used fails the fetch with a SourceError
 * naming the source and the problem.
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

const TOO_LONG = /^line longer than 1,000,000 characters$/;
const NO_PAPERS = /^no papers found \(expected JSON Lines, a JSON array or a Hugging Face papers page\)$/;

/**
 * Import cases: the file, how many of its papers are kept (stored, or already there from an earlier case), and
 * every problem reported, in order: the line (0 for the whole file) and the reason the user reads.
 */
const IMPORT_CASES: Array<{
  name: string;
  content: () => string | Buffer;
  kept: number;
  problems: [number, RegExp][];
}> = [
  {
    name: 'mega-line.jsonl',
    content: () => [GOOD[0], 'x'.repeat(1024 * 1024), GOOD[1]].join('\n'),
    kept: 2,
    problems: [[2, TOO_LONG]],
  },
  {
    name: 'mega-title.jsonl',
    content: () => [GOOD[0], line('2598.00003', 'T'.repeat(1024 * 1024)), GOOD[1]].join('\n'),
    kept: 2,
    problems: [[2, TOO_LONG]],
  },
  {
    name: 'mega-json-line.jsonl',
    content: () =>
      [GOOD[0], JSON.stringify({ arxivId: '2598.00004', title: 'big', abstract: 'A '.repeat(600_000) }), GOOD[1]].join(
        '\n',
      ),
    kept: 2,
    problems: [[2, TOO_LONG]],
  },
  {
    name: 'truncated.jsonl.gz',
    content: () => {
      const gz = gzipSync(`${GOOD.join('\n')}\n${GOOD.map((l) => l.replace('Good', 'More')).join('\n')}`);
      return gz.subarray(0, Math.floor(gz.length * 0.7));
    },
    kept: 0,
    problems: [[1, /^stopped reading: unexpected end of file$/]],
  },
  {
    name: 'corrupt-middle.jsonl.gz',
    content: () => {
      const gz = gzipSync(GOOD.join('\n'));
      gz.fill(0x55, 20, 40);
      return gz;
    },
    kept: 0,
    // zlib's own words for the damage, e.g. "invalid code -- missing end-of-block".
    problems: [[0, /^cannot read \(invalid [^)]+\)$/]],
  },
  {
    name: 'gzip-magic-only.gz',
    content: () => Buffer.from([0x1f, 0x8b]),
    kept: 0,
    problems: [[0, /^cannot read \(unexpected end of file\)$/]],
  },
  {
    name: 'binary.jsonl',
    content: () => Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256)),
    kept: 0,
    problems: [[0, NO_PAPERS]],
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
    problems: [
      [2, /^malformed JSON \(.+\)$/],
      [3, /^no title and no abstract$/],
      [4, /^not a JSON object$/],
      [5, /^not a JSON object$/],
      [6, /^no title and no abstract$/],
      [7, /^no title and no abstract$/],
      [8, /^not a JSON object$/],
    ],
  },
  {
    name: 'array.json',
    content: () => `[${GOOD.join(',')}, {"oops": 1}, 42]`,
    kept: 2,
    problems: [
      [3, /^no title and no abstract$/],
      [4, /^not a JSON object$/],
    ],
  },
  {
    name: 'broken-array.json',
    content: () => `[${GOOD.join(',')}, {"oops"`,
    kept: 0,
    problems: [[1, /^malformed JSON array \(.+\)$/]],
  },
  {
    name: 'page.txt',
    content: () => `arXiv:2598.00010 <!channel> @everyone title\n${'y'.repeat(1024 * 1024)}\n\u0000\u202e`,
    kept: 0,
    problems: [[0, NO_PAPERS]],
  },
  { name: 'empty.jsonl', content: () => '', kept: 0, problems: [[0, /^empty file$/]] },
  { name: 'bom-crlf.jsonl', content: () => `\uFEFF${GOOD.join('\r\n')}\r\n`, kept: 2, problems: [] },
];

describe('GIVEN hostile import files', () => {
  for (const c of IMPORT_CASES) {
    const when = `WHEN ${c.name} is imported`;
    test(`${when} THEN it does not throw, keeps what is good and says why it skipped the rest`, async () => {
      const path = file(c.name, c.content());
      const summary = await pb.importer.importPath(path, { source: 'hostile' });
      assert.equal(summary.added + summary.updated + summary.unchanged, c.kept, `${c.name}: papers kept`);
      assert.equal(summary.skipped, c.problems.length, `${c.name}: skipped`);
      assert.deepEqual(
        summary.problems.map((p) => [p.file, p.line]),
        c.problems.map(([line]) => [c.name, line]),
        `${c.name}: where the problems are`,
      );
      for (const [i, problem] of summary.problems.entries()) assert.match(problem.reason, c.problems[i]![1], c.name);
    });
  }

  test('THEN the database is still consistent after all of them', () => {
    const db = sqliteDb(pb);
    assert.equal((db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check, 'ok');
  });
});

describe('GIVEN malformed and oversized source payloads', () => {
  const RSS_ITEM_WITHOUT_ID = '<rss><channel><item><title>@everyone</title></item></channel></rss>';
  const ATOM_ENTRY_WITHOUT_ID = '<feed><entry><id>x</id></entry></feed>';
  const ENTITY_BOMB =
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY ' +
    'b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><rss>&b;</rss>';
  const JSON_ERROR = /malformed JSON \(.+\)/;
  const XML_ERROR = /malformed XML \(.+\)/;
  /**
   * What each parser makes of each body (Hugging Face JSON, arXiv RSS, arXiv Atom): a format error whose message
   * names the source and the problem, or a batch without papers that lists what it skipped.
   */
  const CASES: Array<[string, RegExp | string[], RegExp | string[], RegExp | string[]]> = [
    ['', JSON_ERROR, XML_ERROR, XML_ERROR],
    ['null', /expected a JSON array, got null/, XML_ERROR, XML_ERROR],
    ['{}', /expected a JSON array, got an object/, XML_ERROR, XML_ERROR],
    ['[', JSON_ERROR, XML_ERROR, XML_ERROR],
    [
      '[null, 1, "x", {}]',
      [
        'item 1: not an object (null)',
        'item 2: not an object (a number)',
        'item 3: not an object (a string)',
        'item 4: no "paper" object',
      ],
      XML_ERROR,
      XML_ERROR,
    ],
    ['<html>503</html>', JSON_ERROR, /not an RSS feed \(no <rss><channel>\)/, /not an Atom feed \(no <feed>\)/],
    ['{"error":"x"}', /API error: x/, XML_ERROR, XML_ERROR],
    ['\u0000'.repeat(100), JSON_ERROR, XML_ERROR, XML_ERROR],
    [`[${'{"paper":'.repeat(5000)}]`, JSON_ERROR, XML_ERROR, XML_ERROR],
    [RSS_ITEM_WITHOUT_ID, JSON_ERROR, ['item 1: no arXiv id (guid missing)'], /not an Atom feed/],
    [ATOM_ENTRY_WITHOUT_ID, JSON_ERROR, /not an RSS feed/, ['entry 1: no arXiv id (x)']],
    [ENTITY_BOMB, JSON_ERROR, /not an RSS feed/, /not an Atom feed/],
  ];
  const PARSERS = [
    ['Hugging Face daily papers', parseDailyPapers],
    ['arXiv RSS', parseArxivRss],
    ['arXiv API', parseArxivAtom],
  ] as Array<[string, (text: string) => { papers: unknown[]; problems: string[] }]>;

  const when = `WHEN ${CASES.length} malformed bodies are parsed as HF JSON, arXiv RSS and Atom`;
  test(`${when} THEN each gives the format error or the batch expected`, () => {
    for (const [body, ...expected] of CASES) {
      PARSERS.forEach(([source, parse], i) => {
        const want = expected[i]!;
        const where = `${source} on ${JSON.stringify(body.slice(0, 30))}`;
        if (Array.isArray(want)) {
          const batch = parse(body);
          assert.deepEqual([batch.papers, batch.problems], [[], want], where);
          return;
        }
        assert.throws(
          () => parse(body),
          (error: unknown) =>
            error instanceof SourceError &&
            ['format', 'feed-error'].includes(error.kind) &&
            error.message.startsWith(`${source}: `) &&
            want.test(error.message) &&
            !error.message.includes('\n'),
          where,
        );
      });
    }
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
        (error: unknown) =>
          error instanceof SourceError &&
          error.kind === 'too-large' &&
          !error.retryable &&
          /262144-byte limit/.test(error.message),
      );
    },
  );

  test('WHEN a source answers with malformed JSON THEN the fetch fails with a format error saying so', async () => {
    server.route('/api/daily_papers', {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: '[{"paper": {"id": "2501.0',
    });
    const http = createHttpClient({ sleep: async () => {}, random: () => 0, retries: 0 });
    const source = createHuggingFaceSource({ baseUrl: server.url, http });
    await assert.rejects(
      source.fetch(),
      (error: unknown) =>
        error instanceof SourceError &&
        error.kind === 'format' &&
        /^Hugging Face daily papers: malformed JSON \(/.test(error.message),
    );
  });
});
