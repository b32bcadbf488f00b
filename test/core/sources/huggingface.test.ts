import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createHttpClient, createMemoryValidatorCache, SourceError } from '../../../src/core/sources/http.ts';
import { createHuggingFaceSource, dailyPapersUrl, parseDailyPapers } from '../../../src/core/sources/huggingface.ts';
import { alertablePapers } from '../../../src/core/sources/types.ts';
import { FIXTURE, fixture, type PaperSourceServer, startPaperSourceServer } from '../../fakes/paper-source-server.ts';

const recorded = fixture(FIXTURE.hfDailyPapers);

let server: PaperSourceServer;
before(async () => {
  server = await startPaperSourceServer();
});
after(async () => {
  await server.close();
});

const noWait = createHttpClient({ sleep: async () => {}, random: () => 0, retries: 1 });

test(
  'GIVEN the recorded daily_papers payload ' + 'THEN every paper is parsed with the arXiv date, not the featured day',
  () => {
    const { papers, problems } = parseDailyPapers(recorded);
    assert.deepEqual(problems, []);
    assert.equal(papers.length, 3);
    const first = papers[0]!;
    assert.equal(first.arxivId, '2410.17243');
    assert.equal(first.title, 'Breaking the Memory Barrier: Near Infinite Batch Size Scaling for Contrastive Loss');
    assert.equal(first.published, '2024-10-22', 'paper.publishedAt, not the top-level 2024-10-25');
    assert.equal(first.upvotes, 74);
    assert.equal(first.source, 'huggingface');
    assert.equal(first.authors?.[0], 'Zesen Cheng');
    assert.equal(first.authors?.length, 9);
    assert.match(
      first.abstract ?? '',
      /^Contrastive loss is a powerful approach for representation learning, where larger batch/,
    );
    assert.doesNotMatch(first.abstract ?? '', /\n/);
    assert.equal(first.aiSummary, undefined, 'the Oct-2024 payload has no ai_summary');
    for (const paper of papers) {
      assert.match(paper.arxivId ?? '', /^\d{4}\.\d{5}$/);
      assert.ok(paper.title.length > 0);
    }
  },
);

test('GIVEN the recorded payload THEN each paper has its upvotes, comments and the day Hugging Face featured it', () => {
  const { signals } = parseDailyPapers(recorded);
  assert.deepEqual(Object.fromEntries(signals), {
    '2410.17243': { upvotes: 74, comments: 3, featuredOn: '2024-10-25' },
    '2410.16251': { upvotes: 45, comments: 2, featuredOn: '2024-10-25' },
    '2410.18533': { upvotes: 40, comments: 2, featuredOn: '2024-10-25' },
  });
  // Today's API says when a paper was featured in submittedOnDailyAt; a bad count is left out, not guessed.
  const items = JSON.parse(recorded) as Record<string, unknown>[];
  items[0]!.submittedOnDailyAt = '2024-10-24T23:01:00.000Z';
  items[1]!.numComments = -1;
  delete items[2]!.publishedAt;
  const newer = parseDailyPapers(JSON.stringify(items), 'huggingface', '2024-10-23').signals;
  assert.deepEqual(newer.get('2410.17243'), { upvotes: 74, comments: 3, featuredOn: '2024-10-24' });
  assert.deepEqual(newer.get('2410.16251'), { upvotes: 45, featuredOn: '2024-10-25' });
  assert.deepEqual(
    newer.get('2410.18533'),
    { upvotes: 40, comments: 2, featuredOn: '2024-10-23' },
    'the day asked for',
  );
});

test('GIVEN the newer fields (ai_summary, ai_keywords, githubRepo) THEN they are kept', () => {
  const items = JSON.parse(recorded) as { paper: Record<string, unknown> }[];
  items[0]!.paper.ai_summary = 'A tile-based method\n scales contrastive batch sizes.';
  items[0]!.paper.ai_keywords = ['contrastive loss', 'tiling', 42];
  items[0]!.paper.githubRepo = 'https://github.com/DAMO-NLP-SG/Inf-CLIP';
  const [paper] = parseDailyPapers(JSON.stringify(items)).papers;
  assert.equal(paper!.aiSummary, 'A tile-based method scales contrastive batch sizes.');
  assert.deepEqual(paper!.keywords, ['contrastive loss', 'tiling']);
  assert.equal(paper!.githubRepo, 'https://github.com/DAMO-NLP-SG/Inf-CLIP');
});

test('GIVEN malformed items THEN each is skipped with a reason and the rest of the batch survives', () => {
  const items = JSON.parse(recorded) as unknown[];
  const batch = [
    null,
    { title: 'no paper object' },
    { paper: { id: 'not-an-id', title: 'x' } },
    { paper: { id: '2410.99999', title: '   ' } },
    { paper: { id: 2410.1 } },
    items[0],
    items[0],
    {
      paper: {
        id: '2410.18888',
        title: 'Hostile <!channel> @everyone',
        githubRepo: 'javascript:alert(1)',
        upvotes: -3,
        publishedAt: 'yesterday',
      },
    },
    ...items.slice(1),
  ];
  const { papers, problems } = parseDailyPapers(JSON.stringify(batch));
  assert.deepEqual(
    papers.map((p) => p.arxivId),
    [
      '2410.17243',
      '2410.18888',
      ...parseDailyPapers(recorded)
        .papers.slice(1)
        .map((p) => p.arxivId),
    ],
  );
  const hostile = papers[1]!;
  assert.equal(hostile.title, 'Hostile <!channel> @everyone', 'kept verbatim: escaping is the renderer’s job');
  assert.equal(hostile.githubRepo, undefined);
  assert.equal(hostile.upvotes, undefined);
  assert.equal(hostile.published, undefined);
  assert.ok(problems.some((p) => p.startsWith('item 1: not an object')));
  assert.ok(problems.some((p) => p.startsWith('item 2: no "paper" object')));
  assert.ok(problems.some((p) => p.startsWith('item 3: paper.id is not an arXiv id')));
  assert.ok(problems.some((p) => p.startsWith('item 4: no title')));
  assert.ok(problems.some((p) => p.startsWith('item 7: duplicate of 2410.17243')));
  assert.ok(problems.some((p) => /unreadable paper.publishedAt/.test(p)));
});

test('GIVEN a body that is not a JSON array THEN the whole fetch fails with a clear format error', () => {
  assert.throws(
    () => parseDailyPapers('{"papers": []}'),
    (error: unknown) =>
      error instanceof SourceError &&
      error.kind === 'format' &&
      /expected a JSON array, got an object/.test(error.message),
  );
  assert.throws(
    () => parseDailyPapers('[{"paper": {"id": "2410.'),
    (error: unknown) => error instanceof SourceError && error.kind === 'format' && /malformed JSON/.test(error.message),
  );
  assert.throws(
    () => parseDailyPapers('{"error":"Invalid date"}'),
    (error: unknown) =>
      error instanceof SourceError && error.kind === 'feed-error' && /Invalid date/.test(error.message),
  );
  assert.deepEqual(parseDailyPapers('[]').papers, []);
});

test('dailyPapersUrl adds a valid date and refuses anything else', () => {
  assert.equal(dailyPapersUrl('https://huggingface.co/'), 'https://huggingface.co/api/daily_papers');
  assert.equal(
    dailyPapersUrl('https://huggingface.co', '2024-10-25'),
    'https://huggingface.co/api/daily_papers?date=2024-10-25',
  );
  assert.throws(() => dailyPapersUrl('https://huggingface.co', '2024-02-30'), RangeError);
  assert.throws(() => dailyPapersUrl('https://huggingface.co', '2024-10-25&x=1'), RangeError);
});

test(
  'GIVEN the fake Hugging Face server ' +
    'THEN fetch returns the batch, every paper alertable, and fetchDay asks for the date',
  async () => {
    server.route('/api/daily_papers', (request) => ({
      body: request.query.get('date') === '2024-10-25' || !request.query.has('date') ? recorded : '[]',
      contentType: 'application/json',
    }));
    const source = createHuggingFaceSource({ baseUrl: server.url, http: noWait });
    const batch = await source.fetch();
    assert.equal(batch.notModified, false);
    assert.equal(batch.papers.length, 3);
    assert.equal(alertablePapers(batch).length, 3);
    assert.equal(server.requestsTo('/api/daily_papers').at(-1)!.headers.accept, 'application/json');

    const day = await source.fetchDay('2024-10-24');
    assert.equal(day.papers.length, 0);
    assert.equal(server.requestsTo('/api/daily_papers').at(-1)!.query.get('date'), '2024-10-24');
  },
);

test('GIVEN an ETag and a committed batch THEN the next fetch is notModified with no papers', async () => {
  server.route('/hf-etag/api/daily_papers', { body: recorded, etag: 'W/"abc"' });
  const source = createHuggingFaceSource({
    baseUrl: `${server.url}/hf-etag`,
    http: createHttpClient({ validatorCache: createMemoryValidatorCache(), sleep: async () => {} }),
  });
  const first = await source.fetch();
  assert.equal(first.papers.length, 3);
  await first.commit();
  const second = await source.fetch();
  assert.equal(second.notModified, true);
  assert.deepEqual(second.papers, []);
});

test('GIVEN a truncated (malformed) JSON body from the server THEN fetch rejects with a format error', async () => {
  server.route('/hf-bad/api/daily_papers', { body: recorded.slice(0, 500), contentType: 'application/json' });
  const source = createHuggingFaceSource({ baseUrl: `${server.url}/hf-bad`, http: noWait });
  await assert.rejects(source.fetch(), (error: unknown) => error instanceof SourceError && error.kind === 'format');
});

test('GIVEN 429 with Retry-After, then the payload THEN the source waits as told and delivers', async () => {
  const waits: number[] = [];
  server
    .route('/hf-429/api/daily_papers', { body: recorded })
    .enqueue('/hf-429/api/daily_papers', { status: 429, headers: { 'retry-after': '2' } });
  const http = createHttpClient({ sleep: async (ms) => void waits.push(ms) });
  const batch = await createHuggingFaceSource({ baseUrl: `${server.url}/hf-429`, http }).fetch();
  assert.equal(batch.papers.length, 3);
  assert.deepEqual(waits, [2000]);
});
