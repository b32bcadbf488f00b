/**
 * The one way paper sources talk HTTP: Node's global fetch with a timeout, polite retries (exponential backoff with
 * jitter, Retry-After honoured), conditional requests (ETag / Last-Modified) whose validators are saved only when
 * the caller commits, a body size cap, and typed errors that carry no secrets. Sleep, clock and randomness are
 * injectable so tests assert on the waits instead of waiting.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { describeError, type Logger, silentLogger } from '../logger.ts';

export const DEFAULT_USER_AGENT = 'paperboy/0.1 (+https://github.com/paperboy; research paper chat bot)';

export type SourceErrorKind =
  | 'http' // an HTTP status the source could not use
  | 'timeout' // no (complete) answer in time
  | 'network' // refused, reset, dropped connection, DNS
  | 'too-large' // the body is over the size cap
  | 'format' // the body is not what the source speaks (malformed XML / JSON, wrong shape)
  | 'feed-error' // the service answered with its own error document
  | 'aborted'; // the caller cancelled

/** A source failure: what went wrong, whether trying again later may help, and never a secret. */
export class SourceError extends Error {
  override name = 'SourceError';
  readonly kind: SourceErrorKind;
  readonly status?: number;
  readonly retryable: boolean;
  /** The URL with credentials and secret-looking query values removed. */
  readonly url?: string;
  /** How long the server asked us to wait (Retry-After), when it did. */
  readonly retryAfterMs?: number;

  constructor(
    message: string,
    details: {
      kind: SourceErrorKind;
      retryable: boolean;
      status?: number;
      url?: string;
      retryAfterMs?: number;
      cause?: unknown;
    },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = details.kind;
    this.retryable = details.retryable;
    this.status = details.status;
    this.url = details.url;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** What a server told us to send back to learn "nothing changed" (HTTP 304). */
export interface Validators {
  etag?: string;
  lastModified?: string;
}

/** Where validators live between fetches, per URL. In memory by default; the store can persist them. */
export interface ValidatorCache {
  get(url: string): Validators | undefined | Promise<Validators | undefined>;
  set(url: string, validators: Validators): void | Promise<void>;
}

export function createMemoryValidatorCache(): ValidatorCache & { entries: Map<string, Validators> } {
  const entries = new Map<string, Validators>();
  return {
    entries,
    get: (url) => entries.get(url),
    set: (url, validators) => void entries.set(url, { ...validators }),
  };
}

/** Waits before a request, e.g. arXiv's one request per 3 seconds. */
export interface RequestGate {
  wait(signal?: AbortSignal): Promise<void>;
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface HttpClientOptions {
  userAgent?: string;
  /** Per attempt, including reading the body. */
  timeoutMs?: number;
  /** Retries after the first attempt, on 408/429/5xx, timeouts and network errors. */
  retries?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** A Retry-After longer than this is not waited out: the request fails (retryable) for the next round. */
  retryAfterMaxMs?: number;
  maxBodyBytes?: number;
  validatorCache?: ValidatorCache;
  /** Called before every attempt (retries included). */
  gate?: RequestGate;
  sleep?: Sleep;
  /** Clock for Retry-After HTTP dates. */
  now?: () => number;
  /** In [0, 1), for jitter. */
  random?: () => number;
  fetch?: typeof globalThis.fetch;
  logger?: Logger;
}

export interface GetOptions {
  signal?: AbortSignal;
  accept?: string;
  /** Send If-None-Match / If-Modified-Since when validators are known (default true). */
  conditional?: boolean;
  /** Statuses (besides 2xx and 304) whose body the caller wants, e.g. arXiv's 400 error feed. */
  acceptStatus?: (status: number) => boolean;
  /** Waited on before every attempt of this request (retries included), after the client's own gate. */
  gate?: RequestGate;
}

export interface HttpTextResponse {
  /** The safe (redacted) URL. */
  url: string;
  status: number;
  notModified: boolean;
  body: string;
  contentType?: string;
  /** Saves this response's validators, so the next request can be conditional. Call after storing the data. */
  commit(): Promise<void>;
}

export interface HttpClient {
  getText(url: string, options?: GetOptions): Promise<HttpTextResponse>;
}

const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

export const defaultSleep: Sleep = async (ms, signal) => {
  await delay(ms, undefined, signal ? { signal } : undefined);
};

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const retries = Math.max(0, options.retries ?? 3);
  const backoffBaseMs = options.backoffBaseMs ?? 1_000;
  const backoffMaxMs = options.backoffMaxMs ?? 30_000;
  const retryAfterMaxMs = options.retryAfterMaxMs ?? 120_000;
  const maxBodyBytes = options.maxBodyBytes ?? 20 * 1024 * 1024;
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const logger = options.logger ?? silentLogger;
  const cache = options.validatorCache;

  function backoff(attempt: number): number {
    const ceiling = Math.min(backoffMaxMs, backoffBaseMs * 2 ** attempt);
    return Math.round(ceiling * (0.5 + 0.5 * random()));
  }

  async function wait(ms: number, url: string, signal?: AbortSignal): Promise<void> {
    try {
      await sleep(ms, signal);
    } catch (error) {
      if (signal?.aborted) throw abortedError(url, signal);
      throw error;
    }
  }

  async function getText(rawUrl: string, getOptions: GetOptions = {}): Promise<HttpTextResponse> {
    const url = safeUrl(rawUrl);
    const signal = getOptions.signal;
    const known = cache && getOptions.conditional !== false ? await cache.get(rawUrl) : undefined;
    const headers: Record<string, string> = { 'user-agent': userAgent, accept: getOptions.accept ?? '*/*' };
    if (known?.etag) headers['if-none-match'] = known.etag;
    if (known?.lastModified) headers['if-modified-since'] = known.lastModified;

    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw abortedError(url, signal);
      try {
        await options.gate?.wait(signal);
        await getOptions.gate?.wait(signal);
      } catch (error) {
        if (signal?.aborted) throw abortedError(url, signal);
        throw error;
      }
      let failure: SourceError;
      try {
        const result = await attemptOnce(rawUrl, url, headers, signal, getOptions.acceptStatus);
        if ('response' in result) return result.response;
        failure = result.failure;
      } catch (error) {
        if (!(error instanceof SourceError)) throw error;
        failure = error;
      }
      if (!failure.retryable || attempt >= retries) throw failure;
      if (failure.retryAfterMs !== undefined && failure.retryAfterMs > retryAfterMaxMs) throw failure;
      const waitMs = failure.retryAfterMs ?? backoff(attempt);
      logger.warn('paper source request failed, retrying', {
        url,
        attempt: attempt + 1,
        waitMs,
        error: failure.message,
      });
      await wait(waitMs, url, signal);
    }
  }

  async function attemptOnce(
    rawUrl: string,
    url: string,
    headers: Record<string, string>,
    callerSignal: AbortSignal | undefined,
    acceptStatus: ((status: number) => boolean) | undefined,
  ): Promise<{ response: HttpTextResponse } | { failure: SourceError }> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
    const fail = (error: unknown): SourceError => {
      if (error instanceof SourceError) return error;
      if (callerSignal?.aborted) return abortedError(url, callerSignal);
      if (timeout.aborted) {
        return new SourceError(`no complete answer within ${timeoutMs} ms from ${url}`, {
          kind: 'timeout',
          retryable: true,
          url,
        });
      }
      return new SourceError(`network error (${networkCause(error)}) fetching ${url}`, {
        kind: 'network',
        retryable: true,
        url,
        cause: error,
      });
    };
    let res: Response;
    const target = splitCredentials(rawUrl);
    const requestHeaders = target.authorization ? { ...headers, authorization: target.authorization } : headers;
    try {
      res = await fetchImpl(target.url, { headers: requestHeaders, signal, redirect: 'follow' });
    } catch (error) {
      throw fail(error);
    }
    const status = res.status;
    if (status === 304) {
      await discard(res);
      return { response: { url, status, notModified: true, body: '', commit: async () => {} } };
    }
    const ok = status >= 200 && status < 300;
    if (!ok && !acceptStatus?.(status)) {
      await discard(res);
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), now());
      const statusText = res.statusText ? ` ${res.statusText}` : '';
      return {
        failure: new SourceError(`HTTP ${status}${statusText} from ${url}`, {
          kind: 'http',
          status,
          retryable: RETRYABLE_STATUS.has(status),
          url,
          retryAfterMs,
        }),
      };
    }
    let body: string;
    try {
      body = await readCapped(res, maxBodyBytes, url);
    } catch (error) {
      throw fail(error);
    }
    const validators: Validators = {};
    const etag = res.headers.get('etag');
    const lastModified = res.headers.get('last-modified');
    if (etag) validators.etag = etag;
    if (lastModified) validators.lastModified = lastModified;
    return {
      response: {
        url,
        status,
        notModified: false,
        body,
        contentType: res.headers.get('content-type') ?? undefined,
        commit: async () => {
          if (ok && cache) await cache.set(rawUrl, validators);
        },
      },
    };
  }

  return { getText };
}

/** Reads the body as UTF-8, refusing more than `maxBytes` (declared or actually sent). */
async function readCapped(res: Response, maxBytes: number, url: string): Promise<string> {
  const tooLarge = (size: string) =>
    new SourceError(`response from ${url} is larger than the ${maxBytes}-byte limit (${size})`, {
      kind: 'too-large',
      retryable: false,
      url,
    });
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await discard(res);
    throw tooLarge(`${declared} bytes declared`);
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(`over ${maxBytes} bytes received`);
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
}

async function discard(res: Response): Promise<void> {
  try {
    await res.body?.cancel();
  } catch {
    // the connection is gone already; nothing to free
  }
}

/** Retry-After as milliseconds from now: delta-seconds or an HTTP date. Undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]{3}/i.test(text)) return undefined; // an HTTP date names its day and month
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

const SECRET_PARAM = /key|token|secret|sig|pass|auth|session/i;

/** A URL fit for logs and errors: no user:password@, secret-looking query values replaced. */
export function safeUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return '[unparsable url]';
  }
  url.username = '';
  url.password = '';
  for (const name of [...url.searchParams.keys()]) if (SECRET_PARAM.test(name)) url.searchParams.set(name, 'redacted');
  return url.toString();
}

function networkCause(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const text =
    cause && typeof cause.code === 'string'
      ? cause.code
      : cause && typeof cause.message === 'string'
        ? cause.message
        : describeError(error);
  // Library messages may quote the URL, credentials included: never pass one on.
  return text.replace(/(?<![a-z0-9+.-])[a-z][a-z0-9+.-]*:\/\/\S*/gi, '[url]').slice(0, 100);
}

/** Node's fetch refuses URLs with user:password@; send them as Basic auth instead (e.g. a private mirror). */
function splitCredentials(raw: string): { url: string; authorization?: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { url: raw };
  }
  if (!url.username && !url.password) return { url: raw };
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  return { url: url.toString(), authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

function abortedError(url: string, signal: AbortSignal): SourceError {
  return new SourceError(`request to ${url} was cancelled`, {
    kind: 'aborted',
    retryable: false,
    url,
    cause: signal.reason,
  });
}
