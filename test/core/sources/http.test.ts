import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import {
  createHttpClient,
  createMemoryValidatorCache,
  DEFAULT_USER_AGENT,
  type HttpClientOptions,
  parseRetryAfter,
  SourceError,
  safeUrl,
} from '../../../src/core/sources/http.ts';
import { type PaperSourceServer, startPaperSourceServer } from '../../fakes/paper-source-server.ts';

let server: PaperSourceServer;
before(async () => {
  server = await startPaperSourceServer();
});
after(async () => {
  await server.close();
});

let path = '';
let counter = 0;
beforeEach(() => {
  // A fresh path per test, so routes and queues of one test never leak into another.
  path = `/t${++counter}`;
});

/** A client whose sleeps are recorded, not waited; jitter pinned to its lower bound. */
function client(extra: Partial<HttpClientOptions> = {}) {
  const waits: number[] = [];
  const http = createHttpClient({
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 0,
    backoffBaseMs: 1000,
    ...extra,
  });
  return { http, waits };
}

async function rejection(promise: Promise<unknown>): Promise<SourceError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof SourceError, `expected a SourceError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the request to fail');
}

test('GIVEN a healthy source THEN the body arrives and the request names paperboy in its User-Agent', async () => {
  server.route(path, { body: '{"ok":true}' });
  const { http, waits } = client();
  const response = await http.getText(server.url + path);
  assert.equal(response.status, 200);
  assert.equal(response.body, '{"ok":true}');
  assert.equal(response.notModified, false);
  assert.equal(server.requestsTo(path)[0]!.headers['user-agent'], DEFAULT_USER_AGENT);
  assert.deepEqual(waits, []);
});

test('GIVEN 503 twice THEN it retries with exponential backoff and succeeds', async () => {
  server.enqueue(path, { status: 503 }, { status: 503 }).route(path, { body: 'fine' });
  const { http, waits } = client();
  const response = await http.getText(server.url + path);
  assert.equal(response.body, 'fine');
  assert.deepEqual(waits, [500, 1000]); // base 1000 * 2^attempt, equal jitter at random()=0 → half
  assert.equal(server.requestsTo(path).length, 3);
});

test('GIVEN jitter THEN each wait stays within [half, full] of the exponential step and under the cap', async () => {
  server.enqueue(path, { status: 500 }, { status: 502 }, { status: 504 }).route(path, { body: 'ok' });
  const { http, waits } = client({ random: () => 0.999, backoffMaxMs: 3000 });
  await http.getText(server.url + path);
  assert.equal(waits.length, 3);
  assert.ok(waits[0]! >= 500 && waits[0]! <= 1000);
  assert.ok(waits[1]! >= 1000 && waits[1]! <= 2000);
  assert.ok(waits[2]! >= 1500 && waits[2]! <= 3000, 'capped at backoffMaxMs');
});

test('GIVEN 429 with Retry-After in seconds THEN it waits exactly that long', async () => {
  server.enqueue(path, { status: 429, headers: { 'retry-after': '7' } }).route(path, { body: 'ok' });
  const { http, waits } = client();
  await http.getText(server.url + path);
  assert.deepEqual(waits, [7000]);
});

test('GIVEN 503 with Retry-After as an HTTP date THEN it waits until that date by the injected clock', async () => {
  const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
  server
    .enqueue(path, { status: 503, headers: { 'retry-after': 'Wed, 21 Oct 2015 07:28:30 GMT' } })
    .route(path, { body: 'ok' });
  const { http, waits } = client({ now: () => now });
  await http.getText(server.url + path);
  assert.deepEqual(waits, [30_000]);
});

test(
  'GIVEN a Retry-After beyond the cap ' + 'THEN it gives up at once with a retryable error carrying the wait',
  async () => {
    server.route(path, { status: 429, headers: { 'retry-after': '3600' } });
    const { http, waits } = client({ retryAfterMaxMs: 120_000 });
    const error = await rejection(http.getText(server.url + path));
    assert.equal(error.status, 429);
    assert.equal(error.retryable, true);
    assert.equal(error.retryAfterMs, 3_600_000);
    assert.deepEqual(waits, []);
    assert.equal(server.requestsTo(path).length, 1);
  },
);

test(
  'GIVEN a source that keeps failing ' + 'THEN it stops after the configured retries with a retryable error',
  async () => {
    server.route(path, { status: 500 });
    const { http, waits } = client({ retries: 2 });
    const error = await rejection(http.getText(server.url + path));
    assert.equal(error.kind, 'http');
    assert.equal(error.status, 500);
    assert.equal(error.retryable, true);
    assert.equal(server.requestsTo(path).length, 3);
    assert.deepEqual(waits, [500, 1000]);
  },
);

test('GIVEN 404 THEN it is not retried and the error is not retryable', async () => {
  server.route(path, { status: 404, body: 'no' });
  const { http, waits } = client();
  const error = await rejection(http.getText(server.url + path));
  assert.equal(error.status, 404);
  assert.equal(error.retryable, false);
  assert.equal(server.requestsTo(path).length, 1);
  assert.deepEqual(waits, []);
});

test('GIVEN a source that hangs THEN each attempt times out and the error says timeout', async () => {
  server.route(path, { fault: 'hang' });
  const { http, waits } = client({ timeoutMs: 150, retries: 1 });
  const error = await rejection(http.getText(server.url + path));
  assert.equal(error.kind, 'timeout');
  assert.equal(error.retryable, true);
  assert.equal(server.requestsTo(path).length, 2);
  assert.equal(waits.length, 1);
});

test('GIVEN a dropped connection THEN it is retried as a network error and then succeeds', async () => {
  server.enqueue(path, { fault: 'drop' }).route(path, { body: 'back' });
  const { http, waits } = client();
  const response = await http.getText(server.url + path);
  assert.equal(response.body, 'back');
  assert.equal(waits.length, 1);
});

test('GIVEN a connection dropped in the middle of the body THEN it fails as a retryable network error', async () => {
  server.route(path, { body: 'x'.repeat(200_000), fault: 'drop-mid-body' });
  const { http } = client({ retries: 1 });
  const error = await rejection(http.getText(server.url + path));
  assert.equal(error.kind, 'network');
  assert.equal(error.retryable, true);
  assert.equal(server.requestsTo(path).length, 2);
});

test('GIVEN nothing listens on the port THEN the error is a network error naming the cause', async () => {
  const gone = await startPaperSourceServer();
  const url = `${gone.url}/x`;
  await gone.close();
  const { http } = client({ retries: 0 });
  const error = await rejection(http.getText(url));
  assert.equal(error.kind, 'network');
  assert.match(error.message, /ECONNREFUSED/);
});

test('GIVEN an ETag THEN validators are sent only after commit, and a match gives notModified', async () => {
  server.route(path, { body: 'feed v1', etag: '"v1"' });
  const cache = createMemoryValidatorCache();
  const { http } = client({ validatorCache: cache });
  const url = server.url + path;

  const first = await http.getText(url);
  assert.equal(first.body, 'feed v1');
  const uncommitted = await http.getText(url);
  assert.equal(uncommitted.notModified, false, 'not committed yet: fetch everything again');
  assert.equal(server.requestsTo(path)[1]!.headers['if-none-match'], undefined);

  await uncommitted.commit();
  const third = await http.getText(url);
  assert.equal(server.requestsTo(path)[2]!.headers['if-none-match'], '"v1"');
  assert.equal(third.notModified, true);
  assert.equal(third.status, 304);
  assert.equal(third.body, '');

  server.route(path, { body: 'feed v2', etag: '"v2"' });
  const fourth = await http.getText(url);
  assert.equal(fourth.notModified, false);
  assert.equal(fourth.body, 'feed v2');
});

test('GIVEN Last-Modified THEN If-Modified-Since is sent and an unchanged resource is notModified', async () => {
  const lastModified = 'Thu, 28 Nov 2024 17:23:08 GMT';
  server.route(path, { body: 'feed', lastModified });
  const cache = createMemoryValidatorCache();
  const { http } = client({ validatorCache: cache });
  await (await http.getText(server.url + path)).commit();
  assert.deepEqual(cache.entries.get(server.url + path), { lastModified });
  const again = await http.getText(server.url + path);
  assert.equal(server.requestsTo(path)[1]!.headers['if-modified-since'], lastModified);
  assert.equal(again.notModified, true);
});

test('GIVEN conditional: false THEN no validators are sent even when known', async () => {
  server.route(path, { body: 'feed', etag: '"e"' });
  const cache = createMemoryValidatorCache();
  const { http } = client({ validatorCache: cache });
  await (await http.getText(server.url + path)).commit();
  const response = await http.getText(server.url + path, { conditional: false });
  assert.equal(response.body, 'feed');
  assert.equal(server.requestsTo(path)[1]!.headers['if-none-match'], undefined);
});

test('GIVEN a body larger than the cap with Content-Length THEN it is refused without retrying', async () => {
  server.route(path, { body: 'y'.repeat(5000) });
  const { http, waits } = client({ maxBodyBytes: 1000 });
  const error = await rejection(http.getText(server.url + path));
  assert.equal(error.kind, 'too-large');
  assert.equal(error.retryable, false);
  assert.match(error.message, /1000-byte limit/);
  assert.deepEqual(waits, []);
});

test(
  'GIVEN a streamed body without Content-Length that grows past the cap ' + 'THEN reading stops with too-large',
  async () => {
    server.route(path, { streamBytes: 8 * 1024 * 1024 });
    const { http } = client({ maxBodyBytes: 256 * 1024 });
    const error = await rejection(http.getText(server.url + path));
    assert.equal(error.kind, 'too-large');
    assert.equal(server.requestsTo(path).length, 1);
  },
);

test('GIVEN the caller aborts during a backoff THEN the request ends as aborted, not retried further', async () => {
  server.route(path, { status: 503 });
  const controller = new AbortController();
  const http = createHttpClient({
    random: () => 0,
    sleep: async (_ms, signal) => {
      controller.abort();
      assert.equal(signal?.aborted, true);
      throw signal?.reason;
    },
  });
  const error = await rejection(http.getText(server.url + path, { signal: controller.signal }));
  assert.equal(error.kind, 'aborted');
  assert.equal(error.retryable, false);
  assert.equal(server.requestsTo(path).length, 1);
});

test('GIVEN a hanging source and a caller abort THEN the error is aborted, not a timeout', async () => {
  server.route(path, { fault: 'hang' });
  const controller = new AbortController();
  const { http } = client({ timeoutMs: 60_000 });
  const pending = http.getText(server.url + path, { signal: controller.signal });
  setImmediate(() => controller.abort());
  const error = await rejection(pending);
  assert.equal(error.kind, 'aborted');
});

test('GIVEN a gate THEN it is passed before every attempt, retries included', async () => {
  server.enqueue(path, { status: 503 }).route(path, { body: 'ok' });
  let clientGate = 0;
  let requestGate = 0;
  const { http } = client({ gate: { wait: async () => void clientGate++ } });
  await http.getText(server.url + path, { gate: { wait: async () => void requestGate++ } });
  assert.equal(clientGate, 2);
  assert.equal(requestGate, 2);
});

test('GIVEN a URL with credentials or a key THEN errors never contain them', async () => {
  server.route(path, { status: 404 });
  const { http } = client();
  const url = new URL(`${server.url + path}?api_key=hunter2secret&date=2024-10-25`);
  url.username = 'alice';
  url.password = 's3cretpass';
  const error = await rejection(http.getText(url.toString()));
  assert.doesNotMatch(error.message, /hunter2secret|s3cretpass|alice/);
  assert.match(error.message, /date=2024-10-25/);
  assert.doesNotMatch(error.url ?? '', /hunter2secret|s3cretpass/);
});

test('parseRetryAfter reads seconds and HTTP dates, and ignores junk', () => {
  const now = Date.parse('2024-11-28T00:00:00Z');
  assert.equal(parseRetryAfter('120', now), 120_000);
  assert.equal(parseRetryAfter('Thu, 28 Nov 2024 00:01:00 GMT', now), 60_000);
  assert.equal(parseRetryAfter('Wed, 27 Nov 2024 00:00:00 GMT', now), 0, 'a past date means now');
  assert.equal(parseRetryAfter('soon', now), undefined);
  assert.equal(parseRetryAfter(null, now), undefined);
  assert.equal(parseRetryAfter('-5', now), undefined);
});

test('safeUrl removes user info and secret-looking query values', () => {
  assert.equal(safeUrl('https://u:p@example.org/a?token=abc&q=x'), 'https://example.org/a?token=redacted&q=x');
  assert.equal(safeUrl('not a url'), '[unparsable url]');
});
