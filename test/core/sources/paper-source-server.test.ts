import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { createGunzip } from 'node:zlib';
import { createArxivApiClient, createRateLimiter, parseArxivAtom } from '../../../src/core/sources/arxiv-api.ts';
import { createArxivRssSource, parseArxivRss } from '../../../src/core/sources/arxiv-rss.ts';
import { createHttpClient, SourceError } from '../../../src/core/sources/http.ts';
import { createHuggingFaceSource, parseDailyPapers } from '../../../src/core/sources/huggingface.ts';
import { alertablePapers, collapseWhitespace } from '../../../src/core/sources/types.ts';
import {
  type CorpusPaper,
  mulberry32,
  type PaperSourceServer,
  renderAtomFeed,
  renderDailyPapers,
  renderRssFeed,
  serveRecordedPayloads,
  startPaperSourceServer,
} from '../../fakes/paper-source-server.ts';

const CORPUS = new URL('../../../../shared/corpus/arxiv-cs-2025-26.jsonl.gz', import.meta.url);

async function corpusHead(count: number): Promise<CorpusPaper[]> {
  const stream = createReadStream(CORPUS).pipe(createGunzip());
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  const papers: CorpusPaper[] = [];
  for await (const line of lines) {
    if (line.trim()) papers.push(JSON.parse(line) as CorpusPaper);
    if (papers.length >= count) break;
  }
  lines.close();
  stream.destroy();
  return papers;
}

/** What a parser should give back for a corpus paper. */
function expected(paper: CorpusPaper) {
  return {
    arxivId: paper.id,
    title: collapseWhitespace(paper.title),
    abstract: collapseWhitespace(paper.abstract),
    authors: paper.authors.map(collapseWhitespace),
    published: paper.published,
  };
}

let server: PaperSourceServer;
before(async () => {
  server = serveRecordedPayloads(await startPaperSourceServer(), ['/rss/cs.CL+cs.LG']);
});
after(async () => {
  await server.close();
});

test('mulberry32 is deterministic per seed and stays in [0, 1)', () => {
  const a = mulberry32(42);
  const b = mulberry32(42);
  const c = mulberry32(43);
  const seqA = Array.from({ length: 20 }, a);
  assert.deepEqual(seqA, Array.from({ length: 20 }, b));
  assert.notDeepEqual(seqA, Array.from({ length: 20 }, c));
  assert.ok(seqA.every((x) => x >= 0 && x < 1));
});

test('GIVEN recorded payloads THEN all three services answer where the real ones live', async () => {
  const http = createHttpClient({ sleep: async () => {} });
  const hf = await createHuggingFaceSource({ baseUrl: server.url, http }).fetch();
  const rss = await createArxivRssSource({ baseUrl: server.url, categories: ['cs.CL', 'cs.LG'], http }).fetch();
  const api = createArxivApiClient({ baseUrl: server.url, http, rateLimiter: createRateLimiter({ intervalMs: 0 }) });
  const lookup = await api.lookup(['1605.08386']);
  assert.equal(hf.papers.length, 3);
  assert.equal(rss.papers.length, 9);
  assert.deepEqual(
    lookup.papers.map((p) => p.arxivId),
    ['1605.08386'],
  );
});

/** Runs `rounds` fetches against a seeded fault plan; returns what was injected and how each fetch ended. */
async function runWithFaults(seed: number, rounds: number, retries: number) {
  server.requests.length = 0;
  server.faults({ seed, rate: 0.4, kinds: ['429', '500', '503', 'drop', 'malformed'], paths: ['/api/daily_papers'] });
  const waits: number[] = [];
  const http = createHttpClient({ sleep: async (ms) => void waits.push(ms), random: () => 0, retries });
  const source = createHuggingFaceSource({ baseUrl: server.url, http });
  const outcomes: string[] = [];
  for (let i = 0; i < rounds; i++) {
    try {
      outcomes.push(`ok:${(await source.fetch()).papers.length}`);
    } catch (error) {
      assert.ok(error instanceof SourceError, 'every failure is a typed SourceError');
      outcomes.push(`error:${error.kind}`);
    }
  }
  server.faults(undefined);
  return { injected: server.requests.map((r) => r.injected ?? '-'), outcomes, waits };
}

test(
  'GIVEN a seeded fault plan ' + 'THEN the same seed injects the same faults, and retries carry most fetches through',
  async () => {
    const first = await runWithFaults(7, 12, 3);
    const second = await runWithFaults(7, 12, 3);
    assert.deepEqual(first.injected, second.injected, 'reproducible');
    assert.deepEqual(first.outcomes, second.outcomes);
    assert.ok(
      first.injected.some((kind) => kind !== '-'),
      'some faults were injected',
    );
    // Transport faults are retried; a malformed body is a format error for the poller to retry next round.
    for (const outcome of first.outcomes) assert.match(outcome, /^(ok:3|error:format)$/);
    assert.ok(first.outcomes.filter((o) => o === 'ok:3').length >= 6);
  },
);

test('GIVEN hung requests THEN close() still ends the server promptly', async () => {
  const own = await startPaperSourceServer();
  own.route('/hang', { fault: 'hang' });
  const controller = new AbortController();
  const pending = fetch(`${own.url}/hang`, { signal: controller.signal }).catch((error: unknown) => error);
  while (own.requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
  await own.close();
  controller.abort();
  assert.ok((await pending) instanceof Error);
});

test('GIVEN an unknown path THEN 404, and requests are recorded with headers and query', async () => {
  const response = await fetch(`${server.url}/nowhere?x=1`, { headers: { 'user-agent': 'probe' } });
  assert.equal(response.status, 404);
  await response.arrayBuffer();
  const recorded = server.requestsTo('/nowhere')[0]!;
  assert.equal(recorded.query.get('x'), '1');
  assert.equal(recorded.headers['user-agent'], 'probe');
});

test('GIVEN real corpus papers rendered as RSS, daily_papers and Atom THEN each parser gives them back', async () => {
  const papers = await corpusHead(60);
  assert.equal(papers.length, 60);
  const day = papers[0]!.published;

  const rss = parseArxivRss(renderRssFeed(papers, { day, categories: ['cs.CL', 'cs.LG'] }));
  assert.deepEqual(rss.problems, []);
  const hf = parseDailyPapers(renderDailyPapers(papers));
  assert.deepEqual(hf.problems, []);
  const atom = parseArxivAtom(renderAtomFeed(papers, { totalResults: 60 }));
  assert.deepEqual(atom.problems, []);
  assert.equal(atom.totalResults, 60);

  papers.forEach((paper, i) => {
    const want = expected(paper);
    for (const [name, got] of [
      ['rss', rss.papers[i]!],
      ['hf', hf.papers[i]!],
      ['atom', atom.papers[i]!],
    ] as const) {
      assert.equal(got.arxivId, want.arxivId, `${name} id`);
      assert.equal(got.title, want.title, `${name} title of ${paper.id}`);
      assert.equal(got.abstract, want.abstract, `${name} abstract of ${paper.id}`);
      assert.deepEqual(got.authors, want.authors, `${name} authors of ${paper.id}`);
    }
    assert.equal(rss.papers[i]!.published, day);
    assert.equal(hf.papers[i]!.published, paper.published);
    assert.deepEqual(rss.papers[i]!.categories, paper.categories);
    assert.deepEqual(new Set(atom.papers[i]!.categories), new Set(paper.categories));
  });
});

test('GIVEN a rendered listing with replacements THEN only the new items alert', async () => {
  const papers = await corpusHead(6);
  const xml = renderRssFeed(papers, {
    day: '2025-03-18',
    announce: (p) => (papers.indexOf(p) % 2 ? 'replace' : 'new'),
  });
  const { papers: parsed, announce } = parseArxivRss(xml);
  const batch = {
    source: 'arxiv-rss',
    papers: parsed,
    announce,
    notModified: false,
    problems: [],
    commit: async () => {},
  };
  assert.deepEqual(
    alertablePapers(batch, { includeCross: true }).map((p) => p.arxivId),
    [papers[0]!.id, papers[2]!.id, papers[4]!.id],
  );
  assert.equal(renderRssFeed([], { day: '2025-03-22' }).includes('<item>'), false);
  assert.deepEqual(parseArxivRss(renderRssFeed([], { day: '2025-03-22' })).papers, []);
});
