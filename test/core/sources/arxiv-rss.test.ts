import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  announceTypeAlerts,
  createArxivRssSource,
  parseArxivRss,
  rssUrl,
  splitAuthors,
} from '../../../src/core/sources/arxiv-rss.ts';
import { createHttpClient, createMemoryValidatorCache, SourceError } from '../../../src/core/sources/http.ts';
import { alertablePapers } from '../../../src/core/sources/types.ts';
import {
  FIXTURE,
  fixture,
  type PaperSourceServer,
  serveRecordedPayloads,
  startPaperSourceServer,
} from '../../fakes/paper-source-server.ts';

const feed = fixture(FIXTURE.rssFeed);
const empty = fixture(FIXTURE.rssEmpty);
const errorFeed = fixture(FIXTURE.rssError);

let server: PaperSourceServer;
before(async () => {
  server = serveRecordedPayloads(await startPaperSourceServer(), ['/rss/cs.CL+cs.LG']);
});
after(async () => {
  await server.close();
});

const http = createHttpClient({ sleep: async () => {}, random: () => 0, retries: 1 });

test(
  'GIVEN the recorded RSS listing ' + 'THEN every item is parsed with its id, abstract, authors, categories and type',
  () => {
    const { papers, announce, problems, day } = parseArxivRss(feed);
    assert.deepEqual(problems, []);
    assert.equal(day, '2024-11-28');
    assert.equal(papers.length, 9);
    assert.deepEqual(
      papers.map((p) => [p.arxivId, announce.get(p.arxivId!)]),
      [
        ['2411.17700', 'new'],
        ['2411.17701', 'new'],
        ['2411.17702', 'new'],
        ['2411.17758', 'new'],
        ['2202.06515', 'cross'],
        ['2405.12090', 'cross'],
        ['1401.3665', 'replace'],
        ['1708.06999', 'replace'],
        ['1712.07645', 'replace'],
      ],
    );
    const ecg = papers[2]!;
    assert.equal(
      ecg.title,
      'Finding "Good Views" of Electrocardiogram Signals for Inferring Abnormalities in Cardiac Condition',
    );
    assert.match(ecg.abstract ?? '', /^Electrocardiograms \(ECGs\) are an established technique/);
    assert.doesNotMatch(ecg.abstract ?? '', /Announce Type|arXiv:2411/);
    assert.deepEqual(ecg.authors, ['Hyewon Jeong', 'Suyeol Yun', 'Hammaad Adam']);
    assert.deepEqual(ecg.categories, ['eess.SP', 'cs.LG']);
    assert.equal(ecg.published, '2024-11-28');
    assert.equal(ecg.source, 'arxiv-rss');
    const first = papers[0]!;
    assert.equal(
      first.title,
      'Exploring the Impact of Generative AI on Cross-Border E-Commerce ' +
        "Brand Building in Chinese Tianjin's Manufacturing Sector",
    );
    const replaced = papers[6]!;
    assert.equal(replaced.published, undefined, 'a v4 replacement was not first published today');
    assert.equal(replaced.updated, '2024-11-28');
  },
);

test('GIVEN the listing THEN only new items alert by default, new + cross when configured, replacements never', () => {
  const { papers, announce } = parseArxivRss(feed);
  const batch = { source: 'arxiv-rss', papers, announce, notModified: false, problems: [], commit: async () => {} };
  assert.deepEqual(
    alertablePapers(batch).map((p) => p.arxivId),
    ['2411.17700', '2411.17701', '2411.17702', '2411.17758'],
  );
  assert.deepEqual(
    alertablePapers(batch, { includeCross: true }).map((p) => p.arxivId),
    ['2411.17700', '2411.17701', '2411.17702', '2411.17758', '2202.06515', '2405.12090'],
  );
  for (const type of ['replace', 'replace-cross'] as const) {
    assert.equal(announceTypeAlerts(type), false);
    assert.equal(announceTypeAlerts(type, { includeCross: true }), false);
  }
  assert.equal(announceTypeAlerts('new'), true);
  assert.equal(announceTypeAlerts('cross'), false);
  assert.equal(announceTypeAlerts('cross', { includeCross: true }), true);
  assert.equal(announceTypeAlerts(undefined, { includeCross: true }), false);
});

test('GIVEN a replace-cross item and an unknown announce type THEN both are stored but neither alerts', () => {
  // The recorded feed has no replace-cross item (none that day); derive one from a real replace item.
  const variant = feed
    .replace(
      '<arxiv:announce_type>replace</arxiv:announce_type>',
      '<arxiv:announce_type>replace-cross</arxiv:announce_type>',
    )
    .replace('<arxiv:announce_type>new</arxiv:announce_type>', '<arxiv:announce_type>brand-new</arxiv:announce_type>');
  const { papers, announce, problems } = parseArxivRss(variant);
  assert.equal(papers.length, 9);
  assert.equal(announce.get('1401.3665'), 'replace-cross');
  assert.equal(announce.has('2411.17700'), false);
  assert.ok(problems.some((p) => /2411\.17700.*unknown announce type "brand-new"/.test(p)));
  const batch = { source: 'arxiv-rss', papers, announce, notModified: false, problems, commit: async () => {} };
  const alerting = alertablePapers(batch, { includeCross: true }).map((p) => p.arxivId);
  assert.ok(!alerting.includes('1401.3665'));
  assert.ok(!alerting.includes('2411.17700'));
});

test('GIVEN an empty channel (weekend, holiday) THEN the batch is empty and not an error', () => {
  const result = parseArxivRss(empty);
  assert.deepEqual(result.papers, []);
  assert.deepEqual(result.problems, []);
  assert.equal(result.announce.size, 0);
});

test('GIVEN arXiv’s error feed THEN parsing fails with a clear, non-retryable feed error', () => {
  assert.throws(
    () => parseArxivRss(errorFeed),
    (error: unknown) =>
      error instanceof SourceError &&
      error.kind === 'feed-error' &&
      !error.retryable &&
      /Bad archive 'astroph'/.test(error.message),
  );
});

test('GIVEN malformed XML or a non-RSS document THEN a format error', () => {
  assert.throws(
    () => parseArxivRss(feed.slice(0, feed.length / 2)),
    (e: unknown) => e instanceof SourceError && e.kind === 'format',
  );
  assert.throws(
    () => parseArxivRss('<html><body>Service down</body></html>'),
    (e: unknown) => e instanceof SourceError && /not an RSS feed/.test(e.message),
  );
  assert.throws(
    () => parseArxivRss(''),
    (e: unknown) => e instanceof SourceError && e.kind === 'format',
  );
});

test(
  'GIVEN an item without an id, entities in text and hostile titles ' + 'THEN the bad item is skipped, text decoded',
  () => {
    const items = `
    <item><title>No id here</title><description>nothing</description></item>
    <item><title>Caf&#233; &amp; &lt;!channel&gt; @everyone</title><link>https://arxiv.org/abs/2411.00001</link>
      <description>arXiv:2411.00001v1 Announce Type: new
Abstract: A  wrapped
 abstract.</description><guid isPermaLink="false">oai:arXiv.org:2411.00001v1</guid>
      <arxiv:announce_type>new</arxiv:announce_type>
      <dc:creator>Ada Lovelace, Alan Turing, and Grace Hopper</dc:creator></item>`;
    const xml = empty.replace('</channel>', `${items}</channel>`);
    const { papers, problems } = parseArxivRss(xml);
    assert.equal(papers.length, 1);
    assert.equal(papers[0]!.title, 'Café & <!channel> @everyone');
    assert.equal(papers[0]!.abstract, 'A wrapped abstract.');
    assert.deepEqual(papers[0]!.authors, ['Ada Lovelace', 'Alan Turing', 'Grace Hopper']);
    assert.equal(papers[0]!.published, '2024-11-28', 'the channel date stands in for a missing item pubDate');
    assert.ok(problems.some((p) => p.startsWith('item 1: no arXiv id')));
  },
);

test('splitAuthors handles commas, "and", Oxford commas and markup', () => {
  assert.deepEqual(splitAuthors('Jun Cui'), ['Jun Cui']);
  assert.deepEqual(splitAuthors('A. Smith and B. Jones'), ['A. Smith', 'B. Jones']);
  assert.deepEqual(splitAuthors('A, B, and C'), ['A', 'B', 'C']);
  assert.deepEqual(splitAuthors('Sandra Anderson, Rand Paulson'), ['Sandra Anderson', 'Rand Paulson']);
  assert.deepEqual(splitAuthors('<a href="https://arxiv.org/a/x">X Y</a>, <a href="#">Z W</a>'), ['X Y', 'Z W']);
  assert.deepEqual(splitAuthors('  '), []);
});

test('rssUrl joins categories with + and refuses anything that is not a category', () => {
  assert.equal(rssUrl('https://rss.arxiv.org/', ['cs.CL', 'cs.LG']), 'https://rss.arxiv.org/rss/cs.CL+cs.LG');
  assert.equal(rssUrl('https://rss.arxiv.org', ['astro-ph', 'math.CO']), 'https://rss.arxiv.org/rss/astro-ph+math.CO');
  assert.throws(() => rssUrl('https://rss.arxiv.org', []), RangeError);
  assert.throws(() => rssUrl('https://rss.arxiv.org', ['cs.CL/../x']), RangeError);
  assert.throws(() => rssUrl('https://rss.arxiv.org', ['cs.CL?x=1']), RangeError);
});

test('GIVEN the fake RSS server THEN the source fetches the category feed and reports alert settings', async () => {
  const source = createArxivRssSource({
    baseUrl: server.url,
    categories: ['cs.CL', 'cs.LG'],
    http,
    includeCross: true,
  });
  const batch = await source.fetch();
  assert.equal(batch.papers.length, 9);
  assert.equal(batch.announce?.get('2202.06515'), 'cross');
  assert.equal(source.includeCross, true);
  assert.equal(alertablePapers(batch, source).length, 6);
  assert.match(String(server.requestsTo('/rss/cs.CL+cs.LG')[0]!.headers.accept), /application\/rss\+xml/);
});

test(
  'GIVEN the server serves an empty feed, then the error feed ' +
    'THEN the first is an empty batch, the second rejects',
  async () => {
    server.route('/rss/cs.AI', { body: empty }).route('/rss/astroph', { body: errorFeed });
    const emptyBatch = await createArxivRssSource({ baseUrl: server.url, categories: ['cs.AI'], http }).fetch();
    assert.deepEqual(emptyBatch.papers, []);
    assert.equal(emptyBatch.notModified, false);
    await assert.rejects(
      createArxivRssSource({ baseUrl: server.url, categories: ['astroph'], http }).fetch(),
      (error: unknown) => error instanceof SourceError && error.kind === 'feed-error',
    );
  },
);

test('GIVEN an unchanged feed behind an ETag THEN the committed second fetch is notModified', async () => {
  server.route('/rss/cs.CV', { body: feed, etag: '"rss-2024-11-28"' });
  const source = createArxivRssSource({
    baseUrl: server.url,
    categories: ['cs.CV'],
    http: createHttpClient({ validatorCache: createMemoryValidatorCache(), sleep: async () => {} }),
  });
  const first = await source.fetch();
  await first.commit();
  const second = await source.fetch();
  assert.equal(second.notModified, true);
  assert.deepEqual(second.papers, []);
  assert.equal(server.requestsTo('/rss/cs.CV')[1]!.headers['if-none-match'], '"rss-2024-11-28"');
});

test('GIVEN a 503 then malformed XML THEN the 503 is retried and the malformed body fails as format', async () => {
  server.route('/rss/cs.RO', { body: feed.slice(0, 3000) }).enqueue('/rss/cs.RO', { status: 503 });
  await assert.rejects(
    createArxivRssSource({ baseUrl: server.url, categories: ['cs.RO'], http }).fetch(),
    (error: unknown) => error instanceof SourceError && error.kind === 'format' && /malformed XML/.test(error.message),
  );
  assert.equal(server.requestsTo('/rss/cs.RO').length, 2);
});
