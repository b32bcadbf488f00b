import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  backfillSearchQuery,
  createArxivApiClient,
  createArxivBackfillSource,
  createRateLimiter,
  parseArxivAtom,
} from '../../../src/core/sources/arxiv-api.ts';
import { createHttpClient, SourceError } from '../../../src/core/sources/http.ts';
import {
  FIXTURE,
  fixture,
  type PaperSourceServer,
  type RecordedRequest,
  startPaperSourceServer,
} from '../../fakes/paper-source-server.ts';

const single = fixture(FIXTURE.apiSingle);
const multi = fixture(FIXTURE.apiMulti);
const emptyResult = fixture(FIXTURE.apiEmpty);
const error400 = fixture(FIXTURE.apiError400);

/** A fake clock whose sleep advances it: rate limits and backoffs are asserted on, never waited. */
function fakeTime(start = 1_000_000) {
  let now = start;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
  };
}

/**
 * An Atom page of `count` real-shaped entries (the recorded single entry with its id changed), reporting `total`
 * results: what arXiv sends for one page of a back-fill.
 */
function atomPage(ids: string[], total: number, start: number): string {
  const [head, rest] = single.split('<entry>');
  const entry = `<entry>${rest!.split('</entry>')[0]}</entry>`;
  const header = head!
    .replace(/<opensearch:totalResults>\d+</, `<opensearch:totalResults>${total}<`)
    .replace(/<opensearch:startIndex>\d+</, `<opensearch:startIndex>${start}<`);
  return `${header + ids.map((id) => entry.replaceAll('1605.08386', id)).join('\n')}\n</feed>\n`;
}

let server: PaperSourceServer;
before(async () => {
  server = await startPaperSourceServer();
});
after(async () => {
  await server.close();
});

function apiClient(base: string, extra: { pageSize?: number; maxResults?: number; emptyPageRetries?: number } = {}) {
  const time = fakeTime();
  const http = createHttpClient({ sleep: time.sleep, now: time.now, random: () => 0, retries: 2 });
  const client = createArxivApiClient({
    baseUrl: base,
    http,
    rateLimiter: createRateLimiter({ now: time.now, sleep: time.sleep }),
    ...extra,
  });
  return { client, time };
}

test(
  'GIVEN the recorded id_list answer ' + 'THEN the entry becomes a paper without version, with dates and categories',
  () => {
    const { papers, problems, totalResults } = parseArxivAtom(single);
    assert.deepEqual(problems, []);
    assert.equal(totalResults, 1);
    assert.equal(papers.length, 1);
    const paper = papers[0]!;
    assert.equal(paper.arxivId, '1605.08386');
    assert.equal(paper.title, 'Heat-bath random walks with Markov bases');
    assert.match(paper.abstract ?? '', /^Graphs on lattice points are studied/);
    assert.deepEqual(paper.authors, ['Caprice Stanley', 'Tobias Windisch']);
    assert.deepEqual(paper.categories, ['math.CO', 'math.ST'], 'primary category first, no duplicates');
    assert.equal(paper.published, '2016-05-26');
    assert.equal(paper.updated, undefined, 'same day as published');
    assert.equal(paper.source, 'arxiv-api');
  },
);

test('GIVEN the recorded multi-entry search page THEN each entry parses and paging counts are read', () => {
  const { papers, problems, totalResults, startIndex, itemsPerPage, entryCount } = parseArxivAtom(multi);
  assert.deepEqual(problems, []);
  assert.equal(totalResults, 214881);
  assert.equal(startIndex, 0);
  assert.equal(itemsPerPage, 10);
  assert.equal(entryCount, 4);
  assert.equal(papers.length, 4);
  assert.equal(papers[0]!.arxivId, '2202.12139');
  assert.equal(
    papers[0]!.title,
    'Testing Deep Learning Models: A First Comparative Study of Multiple Testing Techniques',
  );
  assert.deepEqual(papers[0]!.authors, ['Mohit Kumar Ahuja', 'Arnaud Gotlieb', 'Helge Spieker']);
  assert.equal(papers[0]!.categories?.[0], 'cs.SE');
  for (const paper of papers) {
    assert.doesNotMatch(paper.arxivId ?? '', /v\d+$/);
    assert.match(paper.published ?? '', /^\d{4}-\d{2}-\d{2}$/);
    assert.ok((paper.authors?.length ?? 0) > 0);
  }
});

test('GIVEN the recorded empty result THEN no papers and no error', () => {
  const parsed = parseArxivAtom(emptyResult);
  assert.deepEqual(parsed.papers, []);
  assert.equal(parsed.totalResults, 0);
});

test('GIVEN the recorded error feed THEN a clear, non-retryable feed error', () => {
  assert.throws(
    () => parseArxivAtom(error400),
    (error: unknown) =>
      error instanceof SourceError &&
      error.kind === 'feed-error' &&
      !error.retryable &&
      error.message === 'arXiv API error: incorrect id format for abc',
  );
});

test('GIVEN malformed XML or another document THEN a format error', () => {
  assert.throws(
    () => parseArxivAtom(multi.slice(0, 2000)),
    (e: unknown) => e instanceof SourceError && e.kind === 'format',
  );
  assert.throws(
    () => parseArxivAtom('<rss><channel/></rss>'),
    (e: unknown) => e instanceof SourceError && /not an Atom feed/.test(e.message),
  );
});

test('GIVEN an entry without an abs id THEN it is skipped with a reason', () => {
  const broken = single.replace('<id>http://arxiv.org/abs/1605.08386v1</id>', '<id>urn:nothing</id>');
  const { papers, problems } = parseArxivAtom(broken);
  assert.deepEqual(papers, []);
  assert.match(problems[0] ?? '', /^entry 1: no arXiv id/);
});

test('backfillSearchQuery builds the category and submittedDate query, refusing bad input', () => {
  assert.equal(
    backfillSearchQuery({ categories: ['cs.CL'], from: '2024-11-27', to: '2024-11-27' }),
    'cat:cs.CL AND submittedDate:[202411270000 TO 202411272359]',
  );
  assert.equal(
    backfillSearchQuery({ categories: ['cs.CL', 'cs.LG'], from: '2024-11-25', to: '2024-11-27' }),
    '(cat:cs.CL OR cat:cs.LG) AND submittedDate:[202411250000 TO 202411272359]',
  );
  assert.throws(() => backfillSearchQuery({ categories: [], from: '2024-11-27', to: '2024-11-27' }), RangeError);
  assert.throws(
    () => backfillSearchQuery({ categories: ['cs.CL) OR (all:x'], from: '2024-11-27', to: '2024-11-27' }),
    RangeError,
  );
  assert.throws(() => backfillSearchQuery({ categories: ['cs.CL'], from: '2024-11-28', to: '2024-11-27' }), RangeError);
  assert.throws(() => backfillSearchQuery({ categories: ['cs.CL'], from: '20241127', to: '2024-11-27' }), RangeError);
});

test(
  'GIVEN a look-up by ids ' +
    'THEN versions and duplicates collapse into one request, bad and missing ids are reported',
  async () => {
    server.route('/lookup/api/query', (request) => ({
      body: request.query.get('id_list') === '1605.08386,2401.00001' ? single : emptyResult,
    }));
    const { client } = apiClient(`${server.url}/lookup`);
    const batch = await client.lookup([
      '1605.08386',
      'arXiv:1605.08386v2',
      'https://arxiv.org/abs/2401.00001',
      'garbage',
    ]);
    assert.deepEqual(
      batch.papers.map((p) => p.arxivId),
      ['1605.08386'],
    );
    assert.deepEqual(batch.problems, ['not an arXiv id: garbage', 'not found on arXiv: 2401.00001']);
    const requests = server.requestsTo('/lookup/api/query');
    assert.equal(requests.length, 1);
    assert.equal(requests[0]!.query.get('max_results'), '2');
    assert.match(String(requests[0]!.headers['user-agent']), /^paperboy\/0\.1 /);
  },
);

test('GIVEN 150 ids THEN two requests, the second one 3 seconds after the first', async () => {
  server.route('/many/api/query', { body: emptyResult });
  const { client, time } = apiClient(`${server.url}/many`);
  const ids = Array.from({ length: 150 }, (_, i) => `2401.${String(10000 + i)}`);
  const batch = await client.lookup(ids);
  const requests = server.requestsTo('/many/api/query');
  assert.equal(requests.length, 2);
  assert.equal(requests[0]!.query.get('id_list')!.split(',').length, 100);
  assert.equal(requests[1]!.query.get('id_list')!.split(',').length, 50);
  assert.deepEqual(time.sleeps, [3000]);
  assert.equal(batch.problems.length, 150);
});

test('GIVEN an HTTP 400 error feed THEN the query rejects with arXiv’s own message', async () => {
  server.route('/bad/api/query', { status: 400, body: error400 });
  const { client } = apiClient(`${server.url}/bad`);
  await assert.rejects(
    client.query({ id_list: 'abc' }),
    (error: unknown) => error instanceof SourceError && /incorrect id format for abc/.test(error.message),
  );
  server.route('/bad2/api/query', { status: 400, body: emptyResult });
  const other = apiClient(`${server.url}/bad2`).client;
  await assert.rejects(
    other.query({ id_list: 'x' }),
    (error: unknown) => error instanceof SourceError && error.status === 400 && !error.retryable,
  );
});

/** Serves a back-fill of `total` results page by page, like arXiv. */
function pagedRoute(path: string, total: number, options: { emptyAt?: Map<number, number> } = {}) {
  const ids = Array.from({ length: total }, (_, i) => `2411.${String(20000 + i)}`);
  server.route(path, (request: RecordedRequest) => {
    const start = Number(request.query.get('start'));
    const size = Number(request.query.get('max_results'));
    const empties = options.emptyAt?.get(start) ?? 0;
    if (empties > 0) {
      options.emptyAt!.set(start, empties - 1);
      return { body: atomPage([], total, start) };
    }
    return { body: atomPage(ids.slice(start, start + size), total, start) };
  });
  return ids;
}

test('GIVEN a back-fill of 5 results and pages of 2 THEN three paged requests, sorted by date, 3 s apart', async () => {
  const ids = pagedRoute('/fill/api/query', 5);
  const { client, time } = apiClient(`${server.url}/fill`, { pageSize: 2 });
  const batch = await client.backfill({ categories: ['cs.CL', 'cs.LG'], from: '2024-11-27', to: '2024-11-28' });
  assert.deepEqual(
    batch.papers.map((p) => p.arxivId),
    ids,
  );
  assert.deepEqual(batch.problems, []);
  const requests = server.requestsTo('/fill/api/query');
  assert.deepEqual(
    requests.map((r) => r.query.get('start')),
    ['0', '2', '4'],
  );
  assert.equal(
    requests[0]!.query.get('search_query'),
    '(cat:cs.CL OR cat:cs.LG) AND submittedDate:[202411270000 TO 202411282359]',
  );
  assert.equal(requests[0]!.query.get('sortBy'), 'submittedDate');
  assert.equal(requests[0]!.query.get('sortOrder'), 'ascending');
  assert.deepEqual(time.sleeps, [3000, 3000]);
});

test('GIVEN arXiv returns an empty page mid-way once THEN the page is asked again and nothing is missed', async () => {
  const ids = pagedRoute('/hiccup/api/query', 4, { emptyAt: new Map([[2, 1]]) });
  const { client } = apiClient(`${server.url}/hiccup`, { pageSize: 2 });
  const batch = await client.backfill({ categories: ['cs.CL'], from: '2024-11-27', to: '2024-11-27' });
  assert.deepEqual(
    batch.papers.map((p) => p.arxivId),
    ids,
  );
  assert.deepEqual(
    server.requestsTo('/hiccup/api/query').map((r) => r.query.get('start')),
    ['0', '2', '2'],
  );
});

test('GIVEN arXiv keeps returning empty pages THEN the back-fill stops and says what it could not fetch', async () => {
  pagedRoute('/stuck/api/query', 4, { emptyAt: new Map([[2, 99]]) });
  const { client } = apiClient(`${server.url}/stuck`, { pageSize: 2, emptyPageRetries: 2 });
  const batch = await client.backfill({ categories: ['cs.CL'], from: '2024-11-27', to: '2024-11-27' });
  assert.equal(batch.papers.length, 2);
  assert.deepEqual(batch.problems, ['arXiv API returned an empty page at 2 of 4 results; the rest was not fetched']);
  assert.equal(server.requestsTo('/stuck/api/query').length, 4);
});

test('GIVEN more results than maxResults THEN the back-fill stops there and says so', async () => {
  pagedRoute('/cap/api/query', 10);
  const { client } = apiClient(`${server.url}/cap`, { pageSize: 3, maxResults: 5 });
  const batch = await client.backfill({ categories: ['cs.CL'], from: '2024-11-27', to: '2024-11-27' });
  assert.equal(batch.papers.length, 5);
  assert.deepEqual(
    server.requestsTo('/cap/api/query').map((r) => r.query.get('max_results')),
    ['3', '2'],
  );
  assert.deepEqual(batch.problems, ['back-fill stopped at 5 of 10 results (maxResults)']);
});

test('GIVEN a 503 THEN the retry also waits for the rate limit: requests stay 3 s apart', async () => {
  server.route('/retry/api/query', { body: single }).enqueue('/retry/api/query', { status: 503 });
  const { client, time } = apiClient(`${server.url}/retry`);
  const result = await client.query({ id_list: '1605.08386' });
  assert.equal(result.papers.length, 1);
  // backoff 500 ms (base 1000, jitter at its floor), then the limiter waits out the rest of the 3 s.
  assert.deepEqual(time.sleeps, [500, 2500]);
});

test('the rate limiter spaces calls by the interval and lets the first one through at once', async () => {
  const time = fakeTime();
  const limiter = createRateLimiter({ intervalMs: 3000, now: time.now, sleep: time.sleep });
  await Promise.all([limiter.wait(), limiter.wait(), limiter.wait()]);
  assert.deepEqual(time.sleeps, [3000, 3000]);
  await time.sleep(10_000);
  await limiter.wait();
  assert.deepEqual(time.sleeps, [3000, 3000, 10_000], 'no wait after a long pause');
});

test('GIVEN a back-fill source THEN each fetch asks for its window, and no window means an empty batch', async () => {
  pagedRoute('/window/api/query', 3);
  const { client } = apiClient(`${server.url}/window`);
  let window: { from: string; to: string } | undefined = { from: '2024-11-27', to: '2024-11-27' };
  const source = createArxivBackfillSource(client, { categories: ['cs.CL'], window: () => window });
  assert.equal((await source.fetch()).papers.length, 3);
  window = undefined;
  const none = await source.fetch();
  assert.deepEqual(none.papers, []);
  assert.equal(server.requestsTo('/window/api/query').length, 1);
});
