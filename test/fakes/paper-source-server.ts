/**
 * A local stand-in for huggingface.co, rss.arxiv.org and export.arxiv.org: serves recorded payloads on 127.0.0.1 and
 * can be scripted (or seeded to misbehave at random) with the failures real sources have: 429 + Retry-After, 5xx,
 * hangs, dropped connections, 304s, malformed and oversized bodies. Point a source's base URL at `server.url`.
 */

import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { closeServer, listenLocal } from './local-server.ts';

export type Fault =
  | 'hang' // accept the request, never answer (until the server closes)
  | 'drop' // destroy the connection without answering
  | 'drop-mid-body'; // send the headers and half the body, then destroy the connection

export interface FakeResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Content type; defaults from the body (XML, JSON or text). */
  contentType?: string;
  /** Sent as ETag; a request with a matching If-None-Match gets 304. */
  etag?: string;
  /** Sent as Last-Modified; a request with If-Modified-Since at or after it gets 304. */
  lastModified?: string;
  fault?: Fault;
  /** Instead of `body`, stream this many bytes, chunked (no Content-Length), to test body size caps. */
  streamBytes?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Path and query as requested. */
  url: string;
  headers: IncomingHttpHeaders;
  /** The fault injected by the seeded fault plan, if any. */
  injected?: RandomFault;
}

export type Handler = (request: RecordedRequest) => FakeResponse | Promise<FakeResponse>;

export type RandomFault = '429' | '500' | '503' | 'hang' | 'drop' | 'drop-mid-body' | 'malformed';

export interface FaultPlan {
  /** Seed of the deterministic random generator. */
  seed: number;
  /** Probability in [0, 1] that a request gets a fault. */
  rate: number;
  kinds?: RandomFault[];
  /** Only requests to these paths (default: all). */
  paths?: string[];
  /** Retry-After seconds sent with injected 429s (default 1). */
  retryAfterSeconds?: number;
}

export class PaperSourceServer {
  readonly requests: RecordedRequest[] = [];
  private readonly routes = new Map<string, Handler>();
  private readonly queues = new Map<string, FakeResponse[]>();
  private faultPlan?: FaultPlan & { next: () => number };

  constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  /** The default answer for a path (query ignored; a handler can look at it). */
  route(path: string, response: FakeResponse | Handler): this {
    this.routes.set(path, typeof response === 'function' ? response : () => response);
    return this;
  }

  /** One-shot answers for a path, used in order before its route. */
  enqueue(path: string, ...responses: FakeResponse[]): this {
    this.queues.set(path, [...(this.queues.get(path) ?? []), ...responses]);
    return this;
  }

  /** Seeded random failures (same seed, same requests: same failures). `undefined` turns them off. */
  faults(plan: FaultPlan | undefined): this {
    this.faultPlan = plan ? { ...plan, next: mulberry32(plan.seed) } : undefined;
    return this;
  }

  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((request) => request.path === path);
  }

  /** Closes the server and every open connection (hung ones included). */
  async close(): Promise<void> {
    await closeServer(this.server);
  }

  /** @internal */
  async respond(request: RecordedRequest, res: ServerResponse): Promise<void> {
    this.requests.push(request);
    const queued = this.queues.get(request.path);
    const handler = this.routes.get(request.path);
    let response: FakeResponse = queued?.length
      ? queued.shift()!
      : handler
        ? await handler(request)
        : { status: 404, body: JSON.stringify({ error: 'Not Found' }) };
    const injected = this.pickFault(request.path);
    if (injected) {
      request.injected = injected;
      response = applyFault(injected, response, this.faultPlan?.retryAfterSeconds ?? 1);
    }
    send(request, res, response);
  }

  private pickFault(path: string): RandomFault | undefined {
    const plan = this.faultPlan;
    if (!plan || (plan.paths && !plan.paths.includes(path))) return undefined;
    const roll = plan.next();
    const pick = plan.next();
    if (roll >= plan.rate) return undefined;
    const kinds = plan.kinds ?? ['429', '500', '503', 'drop', 'malformed'];
    return kinds[Math.floor(pick * kinds.length)];
  }
}

export async function startPaperSourceServer(): Promise<PaperSourceServer> {
  let fake: PaperSourceServer | undefined;
  const server = createServer((req, res) => {
    const parsed = new URL(req.url ?? '/', 'http://127.0.0.1');
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path: parsed.pathname,
      query: parsed.searchParams,
      url: req.url ?? '/',
      headers: req.headers,
    };
    req.resume();
    fake!.respond(request, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`fake server error: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  const port = await listenLocal(server);
  fake = new PaperSourceServer(server, `http://127.0.0.1:${port}`);
  return fake;
}

function applyFault(fault: RandomFault, response: FakeResponse, retryAfterSeconds: number): FakeResponse {
  switch (fault) {
    case '429':
      return { status: 429, headers: { 'retry-after': String(retryAfterSeconds) }, body: 'Too Many Requests' };
    case '500':
      return { status: 500, body: 'Internal Server Error' };
    case '503':
      return { status: 503, body: 'Service Unavailable' };
    case 'malformed': {
      const body = String(response.body ?? '');
      return { ...response, etag: undefined, body: body.slice(0, Math.floor(body.length / 2)) };
    }
    default:
      return { ...response, fault };
  }
}

function send(request: RecordedRequest, res: ServerResponse, response: FakeResponse): void {
  if (response.fault === 'hang') return; // the socket stays open until close()
  if (response.fault === 'drop') {
    res.socket?.destroy();
    return;
  }
  const headers: Record<string, string> = { ...response.headers };
  if (response.etag) headers.etag = response.etag;
  if (response.lastModified) headers['last-modified'] = response.lastModified;
  if (isNotModified(request, response)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const status = response.status ?? 200;
  if (response.streamBytes !== undefined) {
    res.writeHead(status, { 'content-type': response.contentType ?? 'application/octet-stream', ...headers });
    streamFiller(res, response.streamBytes);
    return;
  }
  const body =
    typeof response.body === 'string' ? Buffer.from(response.body, 'utf8') : (response.body ?? Buffer.alloc(0));
  headers['content-type'] = response.contentType ?? headers['content-type'] ?? guessContentType(body);
  if (response.fault === 'drop-mid-body') {
    res.writeHead(status, { ...headers, 'content-length': String(body.length) });
    res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
    return;
  }
  res.writeHead(status, { ...headers, 'content-length': String(body.length) });
  res.end(body);
}

function isNotModified(request: RecordedRequest, response: FakeResponse): boolean {
  const ifNoneMatch = request.headers['if-none-match'];
  if (response.etag && typeof ifNoneMatch === 'string') {
    return ifNoneMatch.split(',').some((tag) => tag.trim() === response.etag || tag.trim() === '*');
  }
  const ifModifiedSince = request.headers['if-modified-since'];
  if (response.lastModified && typeof ifModifiedSince === 'string') {
    const since = Date.parse(ifModifiedSince);
    const modified = Date.parse(response.lastModified);
    return !Number.isNaN(since) && !Number.isNaN(modified) && modified <= since;
  }
  return false;
}

function streamFiller(res: ServerResponse, total: number): void {
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let sent = 0;
  const pump = (): void => {
    while (sent < total) {
      const size = Math.min(chunk.length, total - sent);
      sent += size;
      if (res.destroyed) return;
      if (!res.write(chunk.subarray(0, size))) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  res.on('error', () => {}); // the client hanging up mid-stream is the point of this response
  pump();
}

function guessContentType(body: Buffer): string {
  const start = body.subarray(0, 64).toString('utf8').trimStart();
  if (start.startsWith('<?xml') || start.startsWith('<rss') || start.startsWith('<feed'))
    return 'application/xml; charset=utf-8';
  if (start.startsWith('[') || start.startsWith('{')) return 'application/json; charset=utf-8';
  return 'text/plain; charset=utf-8';
}

/** A small deterministic PRNG, so a fault plan with the same seed fails the same requests. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** A recorded payload from test/fixtures (e.g. `arxiv/rss_feed_empty_no_items.xml`). */
export function fixture(relativePath: string): string {
  return readFileSync(FIXTURES + relativePath, 'utf8');
}

export const FIXTURE = {
  hfDailyPapers: 'hf/daily_papers_2024-10-25_first3_trimmed.json',
  rssFeed: 'arxiv/rss_feed_2024-11-28_all_archives_trimmed.xml',
  rssEmpty: 'arxiv/rss_feed_empty_no_items.xml',
  rssError: 'arxiv/rss_feed_error_bad_archive.xml',
  apiSingle: 'arxiv/api_query_id_list_single_entry.xml',
  apiMulti: 'arxiv/api_query_multi_entry_trimmed.xml',
  apiEmpty: 'arxiv/api_query_empty_result.xml',
  apiError400: 'arxiv/api_query_error_400_bad_id.xml',
} as const;

/**
 * Serves the recorded payloads where the real services live: `/api/daily_papers` (Hugging Face), every
 * `/rss/<categories>` path given (arXiv RSS), and `/api/query` (arXiv API: the single entry for `id_list`, the
 * multi-entry page otherwise). Routes set later replace these.
 */
export function serveRecordedPayloads(
  server: PaperSourceServer,
  rssPaths: string[] = ['/rss/cs.CL+cs.LG'],
): PaperSourceServer {
  server.route('/api/daily_papers', {
    body: fixture(FIXTURE.hfDailyPapers),
    contentType: 'application/json; charset=utf-8',
  });
  for (const path of rssPaths)
    server.route(path, { body: fixture(FIXTURE.rssFeed), contentType: 'application/rss+xml; charset=utf-8' });
  server.route('/api/query', (request) => ({
    body: fixture(request.query.get('id_list') ? FIXTURE.apiSingle : FIXTURE.apiMulti),
    contentType: 'application/atom+xml; charset=utf-8',
  }));
  return server;
}

// ---- rendering papers in the services' own formats (for poller replays of the shared corpus) ----

/** A paper as the shared corpus has it (`../shared/corpus/*.jsonl.gz` lines). */
export interface CorpusPaper {
  id: string;
  title: string;
  abstract: string;
  authors: string[];
  categories: string[];
  /** Listing day, YYYY-MM-DD. */
  published: string;
}

const KERNEL_RESULTS = 'Experiments show lower memory use and faster decoding.';

/**
 * Paper `i` of a synthetic alert stream (arXiv id 2503.<idBase + i>): `matching` ones are about quantized
 * attention kernels (what the fault and crash runs subscribe to), the others about protein folding.
 */
export function alertTestPaper(i: number, matching: boolean, idBase: number): CorpusPaper {
  return {
    id: `2503.${String(idBase + i)}`,
    title: matching ? `Quantized attention kernels, part ${i}` : `Protein folding with graph networks, study ${i}`,
    abstract: matching
      ? `We propose quantized attention kernel number ${i} for long sequences. ${KERNEL_RESULTS}`
      : `We study protein structure prediction number ${i} with message passing networks on residue graphs.`,
    authors: [`Author ${i}`],
    categories: ['cs.LG'],
    published: '2025-03-18',
  };
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Thu, 28 Nov 2024 00:00:00 -0500`, the way arXiv dates its listings. */
export function arxivRssDate(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  return (
    `${DAY_NAMES[date.getUTCDay()]}, ${String(date.getUTCDate()).padStart(2, '0')} ` +
    `${MONTH_NAMES[date.getUTCMonth()]} ${date.getUTCFullYear()} 00:00:00 -0500`
  );
}

/**
 * An arXiv RSS listing in the 2024+ format of the recorded feed: one `<item>` per paper, announced as `new` unless
 * `announce` says otherwise (replacements get version 2). No papers: the empty weekend channel.
 */
export function renderRssFeed(
  papers: CorpusPaper[],
  options: {
    day: string;
    categories?: string[];
    announce?: (paper: CorpusPaper) => 'new' | 'cross' | 'replace' | 'replace-cross';
  },
): string {
  const query = (options.categories ?? ['cs']).join('+');
  const items = papers.map((paper) => {
    const type = options.announce?.(paper) ?? 'new';
    const version = type.startsWith('replace') ? 2 : 1;
    return [
      '    <item>',
      `      <title>${escapeXml(paper.title)}</title>`,
      `      <link>https://arxiv.org/abs/${paper.id}</link>`,
      `      <description>arXiv:${paper.id}v${version} Announce Type: ` +
        `${type} \nAbstract: ${escapeXml(paper.abstract)}</description>`,
      `      <guid isPermaLink="false">oai:arXiv.org:${paper.id}v${version}</guid>`,
      ...paper.categories.map((category) => `      <category>${escapeXml(category)}</category>`),
      `      <pubDate>${arxivRssDate(options.day)}</pubDate>`,
      `      <arxiv:announce_type>${type}</arxiv:announce_type>`,
      '      <dc:rights>http://arxiv.org/licenses/nonexclusive-distrib/1.0/</dc:rights>',
      `      <dc:creator>${escapeXml(paper.authors.join(', '))}</dc:creator>`,
      '    </item>',
    ].join('\n');
  });
  const topics = escapeXml(query.replaceAll('+', ', '));
  return [
    "<?xml version='1.0' encoding='UTF-8'?>",
    '<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" ' +
      'xmlns:atom="http://www.w3.org/2005/Atom" ' +
      'xmlns:content="http://purl.org/rss/1.0/modules/content/" version="2.0">',
    '  <channel>',
    `    <title>${topics} updates on arXiv.org</title>`,
    `    <link>http://rss.arxiv.org/rss/${escapeXml(query)}</link>`,
    `    <description>${topics} updates on the arXiv.org e-print archive.</description>`,
    '    <language>en-us</language>',
    `    <pubDate>${arxivRssDate(options.day)}</pubDate>`,
    '    <skipDays>\n      <day>Saturday</day>\n      <day>Sunday</day>\n    </skipDays>',
    ...items,
    '  </channel>',
    '</rss>',
    '',
  ].join('\n');
}

/** A Hugging Face daily_papers answer in the recorded shape (paper.publishedAt = the arXiv day). */
export function renderDailyPapers(
  papers: (CorpusPaper & { upvotes?: number; ai_summary?: string; ai_keywords?: string[]; githubRepo?: string })[],
  options: { featuredDay?: string } = {},
): string {
  return JSON.stringify(
    papers.map((paper) => ({
      paper: {
        id: paper.id,
        authors: paper.authors.map((name) => ({ name, hidden: false })),
        publishedAt: `${paper.published}T17:59:30.000Z`,
        title: paper.title,
        summary: paper.abstract,
        upvotes: paper.upvotes ?? 0,
        ...(paper.ai_summary ? { ai_summary: paper.ai_summary } : {}),
        ...(paper.ai_keywords ? { ai_keywords: paper.ai_keywords } : {}),
        ...(paper.githubRepo ? { githubRepo: paper.githubRepo } : {}),
      },
      publishedAt: `${options.featuredDay ?? paper.published}T00:57:09.392Z`,
      title: paper.title,
      numComments: 0,
    })),
  );
}

/** One page of an arXiv API Atom answer in the recorded shape. */
export function renderAtomFeed(
  papers: CorpusPaper[],
  options: { totalResults?: number; startIndex?: number } = {},
): string {
  const entries = papers.map((paper) =>
    [
      '  <entry>',
      `    <id>http://arxiv.org/abs/${paper.id}v1</id>`,
      `    <title>${escapeXml(paper.title)}</title>`,
      `    <updated>${paper.published}T17:59:46Z</updated>`,
      `    <link href="https://arxiv.org/abs/${paper.id}v1" rel="alternate" type="text/html"/>`,
      `    <summary>${escapeXml(paper.abstract)}</summary>`,
      ...paper.categories.map((c) => `    <category term="${escapeXml(c)}" scheme="http://arxiv.org/schemas/atom"/>`),
      `    <published>${paper.published}T17:59:46Z</published>`,
      ...(paper.categories[0] ? [`    <arxiv:primary_category term="${escapeXml(paper.categories[0])}"/>`] : []),
      ...paper.authors.map((name) => `    <author>\n      <name>${escapeXml(name)}</name>\n    </author>`),
      '  </entry>',
    ].join('\n'),
  );
  return [
    "<?xml version='1.0' encoding='UTF-8'?>",
    '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" ' +
      'xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">',
    '  <id>https://arxiv.org/api/fake</id>',
    '  <title>arXiv Query</title>',
    `  <opensearch:itemsPerPage>${papers.length}</opensearch:itemsPerPage>`,
    `  <opensearch:totalResults>${options.totalResults ?? papers.length}</opensearch:totalResults>`,
    `  <opensearch:startIndex>${options.startIndex ?? 0}</opensearch:startIndex>`,
    ...entries,
    '</feed>',
    '',
  ].join('\n');
}
