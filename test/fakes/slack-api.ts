/**
 * A fake Slack Web API on 127.0.0.1 for the real Bolt App: records every call (and every POST to a
 * response_url), answers like Slack does (HTTP 200 with ok:true/false, 429 with Retry-After), and keeps
 * posted messages so conversations.replies can return a thread's root.
 */

import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { types } from '@slack/bolt';
import { closeServer, listenLocal } from './local-server.ts';

/** The metadata paperboy puts on an alert message (`event_payload.key` finds it again after a crash). */
export interface AlertMetadata {
  event_type: string;
  event_payload: { key: string };
}

/**
 * The arguments of a Web API call or a response_url POST, as the fake parsed them. Which are set depends on
 * the method; form-encoded fields stay strings (`unfurl_links: 'false'`), JSON-valued ones are parsed.
 */
export interface SlackArgs {
  channel?: string;
  user?: string;
  text?: string;
  blocks?: types.KnownBlock[];
  thread_ts?: string;
  ts?: string;
  latest?: string;
  oldest?: string;
  response_type?: 'ephemeral' | 'in_channel';
  replace_original?: boolean;
  unfurls?: Record<string, { blocks: types.KnownBlock[] }>;
  unfurl_id?: string;
  source?: string;
  unfurl_links?: string;
  metadata?: AlertMetadata;
}

/** A message as conversations.replies / history return it. */
export interface StoredMessage {
  ts: string;
  type?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  blocks?: types.KnownBlock[];
  thread_ts?: string;
}

export interface RecordedCall {
  /** Web API method (`chat.postMessage`), or `response_url` for POSTs to a response URL. */
  method: string;
  args: SlackArgs;
  /** For response_url calls: the URL's name (see responseUrl()). */
  target?: string;
  /** What the fake answered (e.g. the `ts` of a posted message). */
  result?: { ok: boolean; ts?: string; [field: string]: unknown };
}

type Failure =
  | { kind: 'pass' }
  | { kind: 'drop' }
  | { kind: 'delay'; ms: number }
  | { kind: 'error'; error: string }
  | { kind: 'ratelimit'; retryAfter: number }
  | { kind: 'status'; status: number };

export interface FakeSlackApiOptions {
  botUserId?: string;
  botId?: string;
  teamId?: string;
}

export class FakeSlackApi {
  readonly calls: RecordedCall[] = [];
  /** URL returned by apps.connections.open (set by the Socket Mode fake). */
  socketUrl = '';
  private server: Server | undefined;
  private port = 0;
  private readonly events = new EventEmitter();
  private readonly failures = new Map<string, Failure[]>();
  private readonly messages = new Map<string, StoredMessage>();
  private nextTs = 1;

  constructor(readonly options: FakeSlackApiOptions = {}) {}

  /** Starts on a free port, or on `port` (a test where Slack comes up late at a known address). */
  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: false, error: String(error) }));
      });
    });
    this.port = await listenLocal(this.server, port);
    return this;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    await closeServer(this.server);
    this.server = undefined;
  }

  /** The App's `slackApiUrl`. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  /** A response_url pointing at this fake; POSTs to it are recorded under `name`. */
  responseUrl(name = 'default'): string {
    return `http://127.0.0.1:${this.port}/response/${encodeURIComponent(name)}`;
  }

  /** The next call to `method` (after `after` successful ones) answers `{ok:false, error}`. */
  failNext(method: string, error: string, after = 0): void {
    for (let i = 0; i < after; i++) this.queueFailure(method, { kind: 'pass' });
    this.queueFailure(method, { kind: 'error', error });
  }

  /** The next call to `method` is carried out (a message is posted) but the connection drops before the answer. */
  dropAnswerNext(method: string): void {
    this.queueFailure(method, { kind: 'drop' });
  }

  /** The next call to `method` is answered (normally) only after `ms`: a slow Slack, a request kept in flight. */
  delayNext(method: string, ms: number): void {
    this.queueFailure(method, { kind: 'delay', ms });
  }

  /** The next call to `method` answers HTTP 429 with `Retry-After: seconds`. */
  rateLimitNext(method: string, retryAfter: number): void {
    this.queueFailure(method, { kind: 'ratelimit', retryAfter });
  }

  /** The next POST to a response_url answers with this HTTP status (404 = expired). */
  failNextResponse(status: number): void {
    this.queueFailure('response_url', { kind: 'status', status });
  }

  /** A message the fake will return from conversations.replies / history. */
  putMessage(channel: string, message: StoredMessage): void {
    this.messages.set(`${channel}/${message.ts}`, message);
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Resolves when the next call to `method` arrives, before it is answered (e.g. one held by delayNext). */
  arrival(method: string): Promise<void> {
    return new Promise((resolve) => {
      const listener = (arrived: string) => {
        if (arrived !== method) return;
        this.events.off('arrival', listener);
        resolve();
      };
      this.events.on('arrival', listener);
    });
  }

  /** Resolves once `count` calls to `method` were recorded; rejects (listing what came) after 5 s. */
  waitFor(method: string, count = 1, timeoutMs = 5000): Promise<RecordedCall[]> {
    const done = () => this.callsTo(method).length >= count;
    if (done()) return Promise.resolve(this.callsTo(method));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off('call', check);
        reject(
          new Error(
            `timed out waiting for ${count} × ${method}; ` +
              `got: ${this.calls.map((c) => c.method).join(', ') || 'nothing'}`,
          ),
        );
      }, timeoutMs);
      const check = () => {
        if (!done()) return;
        clearTimeout(timer);
        this.events.off('call', check);
        resolve(this.callsTo(method));
      };
      this.events.on('call', check);
    });
  }

  private queueFailure(method: string, failure: Failure): void {
    const queue = this.failures.get(method) ?? [];
    queue.push(failure);
    this.failures.set(method, queue);
  }

  private record(call: RecordedCall): void {
    this.calls.push(call);
    this.events.emit('call', call);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/response/')) {
      const target = decodeURIComponent(url.pathname.slice('/response/'.length));
      const args: SlackArgs = raw ? JSON.parse(raw) : {};
      this.record({ method: 'response_url', target, args });
      const failure = this.failures.get('response_url')?.shift();
      res.writeHead(failure?.kind === 'status' ? failure.status : 200, { 'content-type': 'text/plain' });
      res.end(failure?.kind === 'status' ? 'expired_url' : 'ok');
      return;
    }
    const method = url.pathname.replace(/^\/api\//, '');
    const args = parseArgs(raw, req.headers['content-type'] ?? '');
    this.events.emit('arrival', method);
    const failure = this.failures.get(method)?.shift();
    if (failure?.kind === 'ratelimit') {
      this.record({ method, args, result: { ok: false, error: 'ratelimited' } });
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(failure.retryAfter) });
      res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      return;
    }
    if (failure?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, failure.ms));
    const body = failure?.kind === 'error' ? { ok: false, error: failure.error } : this.answer(method, args);
    this.record({ method, args, result: body });
    if (failure?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private answer(method: string, args: SlackArgs): RecordedCall['result'] & {} {
    const botUserId = this.options.botUserId ?? 'UBOT';
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          user_id: botUserId,
          bot_id: this.options.botId ?? 'BBOT',
          team_id: this.options.teamId ?? 'T1',
          user: 'paperboy',
          team: 'Test',
        };
      case 'apps.connections.open':
        return { ok: true, url: this.socketUrl };
      case 'chat.postMessage': {
        const ts = `1700000000.${String(this.nextTs++).padStart(6, '0')}`;
        const message: StoredMessage = {
          type: 'message',
          ts,
          user: botUserId,
          bot_id: this.options.botId ?? 'BBOT',
          text: args.text,
          blocks: args.blocks,
          ...(args.thread_ts ? { thread_ts: args.thread_ts } : {}),
        };
        this.putMessage(String(args.channel), message);
        return { ok: true, channel: args.channel, ts, message };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: `1700000000.${String(this.nextTs++).padStart(6, '0')}` };
      case 'conversations.replies':
      case 'conversations.history': {
        const ts = args.ts ?? args.latest;
        const message = this.messages.get(`${args.channel}/${ts}`);
        return message ? { ok: true, messages: [message], has_more: false } : { ok: false, error: 'thread_not_found' };
      }
      default:
        return { ok: true };
    }
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The WebClient sends form fields, with objects and arrays (blocks, unfurls) as JSON strings. */
function parseArgs(raw: string, contentType: string): SlackArgs {
  if (contentType.includes('application/json')) return raw ? JSON.parse(raw) : {};
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    args[key] = /^[[{]/.test(value) ? safeJson(value) : value;
  }
  return args as SlackArgs;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
