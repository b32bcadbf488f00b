/**
 * A fake Discord on 127.0.0.1 for the real discord.js Client: the REST API (`rest: { api }`) and the
 * gateway on one port. It records every REST call, answers like Discord (JSON bodies with
 * content-type application/json, 204 without a body, error bodies `{code, message}`, 429 with
 * Retry-After), keeps the messages and threads it was asked to create so discord.js can fetch them back,
 * and lets a test inject failures (50013, 10062, rate limits) and dispatch gateway events.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { EventEmitter } from 'node:events';
import { WebSocketServer, type WebSocket } from 'ws';
import { readyFrame, guildCreatePayload, type FakeWorld } from './discord-payloads.ts';
import { closeServer, listenLocal } from './localServer.ts';

export interface RecordedRequest {
  method: string;
  /** Path after `/api/v10`, e.g. `/channels/123/messages` (`@original` decoded). */
  path: string;
  query: URLSearchParams;
  body: any;
}

export type Failure =
  | { status: number; code: number; message: string }
  | { rateLimitSeconds: number };

interface PendingFailure {
  method: string;
  path: RegExp;
  failure: Failure;
}

type Json = Record<string, any>;

export class FakeDiscord {
  readonly requests: RecordedRequest[] = [];
  /** Frames the client sent on the gateway (identify, heartbeats). */
  readonly gatewayFrames: Json[] = [];
  /** Registered commands per route (`/applications/{app}/commands` or the guild route). */
  readonly registered = new Map<string, Json[]>();
  readonly messages = new Map<string, Json>();
  readonly channels = new Map<string, Json>();
  private readonly originals = new Map<string, string>();
  private readonly events = new EventEmitter();
  private readonly failures: PendingFailure[] = [];
  private server: Server | undefined;
  private wss: WebSocketServer | undefined;
  private readonly sockets = new Set<WebSocket>();
  private port = 0;
  private seq = 0;
  /** How many gateway connections the client has opened (a reconnect adds one). */
  gatewayConnections = 0;
  private nextId = 1n;

  constructor(readonly world: FakeWorld) {
    for (const channel of world.channels) this.channels.set(channel.id, { ...channel });
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error) => this.json(res, 500, { code: 0, message: String(error) }));
    });
    this.wss = new WebSocketServer({ server: this.server, path: '/gateway' });
    this.wss.on('connection', (socket) => this.onGatewayConnection(socket));
    this.port = await listenLocal(this.server);
    return this;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    this.sockets.clear();
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
    if (this.server) {
      await closeServer(this.server);
    }
    this.server = undefined;
    this.events.removeAllListeners();
  }

  /** For `rest: { api }`. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  /** The next `method` request whose path matches fails with `failure`. */
  failNext(method: string, path: RegExp, failure: Failure): void {
    this.failures.push({ method: method.toUpperCase(), path, failure });
  }

  /** The message an interaction token's `@original` points at. */
  originalOf(token: string): Json | undefined {
    const id = this.originals.get(token);
    return id ? this.messages.get(id) : undefined;
  }

  /** Requests from index `from` on that match (waits for one if none yet). */
  next(from: number, predicate: (request: RecordedRequest) => boolean, ms = 5000): Promise<RecordedRequest> {
    return this.waitFor((request) => this.requests.indexOf(request) >= from && predicate(request), ms);
  }

  /** Sends a gateway dispatch (op 0) to every connected client. */
  dispatch(t: string, d: Json): void {
    // A component interaction's @original is the message the component is on.
    if (t === 'INTERACTION_CREATE' && d.message?.id) this.originals.set(d.token, d.message.id);
    const frame = JSON.stringify({ op: 0, t, s: ++this.seq, d });
    for (const socket of this.sockets) socket.send(frame);
  }

  /** Resolves with the first request (already made or coming) that matches; rejects after `ms` (a hang guard). */
  waitFor(predicate: (request: RecordedRequest) => boolean, ms = 5000): Promise<RecordedRequest> {
    const found = this.requests.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off('request', listener);
        reject(new Error(`no matching request within ${ms}ms; saw: ${this.requests.map((r) => `${r.method} ${r.path}`).join(', ')}`));
      }, ms);
      const listener = (request: RecordedRequest) => {
        if (!predicate(request)) return;
        clearTimeout(timer);
        this.events.off('request', listener);
        resolve(request);
      };
      this.events.on('request', listener);
    });
  }

  /** Requests made after `since` (an index into `requests`, e.g. `fake.requests.length` before an action). */
  since(index: number): RecordedRequest[] {
    return this.requests.slice(index);
  }

  /** Calls that create or edit a message (where `allowed_mentions` matters). */
  messageSends(requests: RecordedRequest[] = this.requests): RecordedRequest[] {
    return requests.filter((r) => {
      if (r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path)) return true;
      if (r.method === 'POST' && /^\/webhooks\/\d+\/[^/]+$/.test(r.path)) return true;
      if (r.method === 'PATCH' && /^\/webhooks\/\d+\/[^/]+\/messages\//.test(r.path)) return true;
      if (r.method === 'POST' && r.path.endsWith('/callback')) return [4, 7].includes(r.body?.type);
      return false;
    });
  }

  newId(): string {
    // Snowflakes after the fixtures' ids, increasing.
    return String(1500000000000000000n + this.nextId++);
  }

  // ---- gateway -------------------------------------------------------------------------------

  /**
   * Drops the gateway: closes every socket with `code` (4000 "unknown error" is one Discord lets a client
   * resume after), or with `reconnect`, asks the client to reconnect (op 7) as Discord does before a move.
   */
  dropGateway(how: { code: number } | 'reconnect'): void {
    for (const socket of this.sockets) {
      if (how === 'reconnect') socket.send(JSON.stringify({ op: 7, d: null, s: null, t: null }));
      else socket.close(how.code, 'fake Discord dropped the gateway');
    }
  }

  private onGatewayConnection(socket: WebSocket): void {
    this.gatewayConnections += 1;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41250 }, s: null, t: null }));
    socket.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as Json;
      this.gatewayFrames.push(frame);
      if (frame.op === 1) socket.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
      if (frame.op === 2) {
        socket.send(JSON.stringify({ op: 0, t: 'READY', s: ++this.seq, d: readyFrame(this.world, this.gatewayUrl) }));
        socket.send(JSON.stringify({ op: 0, t: 'GUILD_CREATE', s: ++this.seq, d: guildCreatePayload(this.world, [...this.channels.values()]) }));
      }
      // RESUME: the session goes on; Discord would replay missed dispatches, then RESUMED.
      if (frame.op === 6) socket.send(JSON.stringify({ op: 0, t: 'RESUMED', s: ++this.seq, d: {} }));
    });
  }

  // ---- REST ----------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    const path = decodeURIComponent(url.pathname.replace(/^\/api\/v10/, ''));
    const body = raw && String(req.headers['content-type']).includes('json') ? JSON.parse(raw) : raw || undefined;
    const request: RecordedRequest = { method: req.method ?? 'GET', path, query: url.searchParams, body };
    this.requests.push(request);
    try {
      const failure = this.takeFailure(request);
      if (failure) return this.fail(res, failure);
      return this.route(request, res);
    } finally {
      this.events.emit('request', request);
    }
  }

  private route(request: RecordedRequest, res: ServerResponse): void {
    const { method, path, body } = request;
    let m: RegExpExecArray | null;

    if (method === 'GET' && path === '/gateway/bot') {
      return this.json(res, 200, {
        url: this.gatewayUrl,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
      });
    }
    if ((m = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(path))) {
      if (method === 'GET') return this.json(res, 200, this.registered.get(path) ?? []);
      if (method === 'PUT') {
        const saved = (body as Json[]).map((command) => ({
          id: this.newId(),
          application_id: m![1],
          ...(m![2] ? { guild_id: m![2] } : {}),
          version: this.newId(),
          default_member_permissions: null,
          nsfw: false,
          ...stripFalseRequired(command),
        }));
        this.registered.set(path, saved);
        return this.json(res, 200, saved);
      }
    }
    if ((m = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path)) && method === 'POST') {
      return this.interactionCallback(m[1]!, m[2]!, request, res);
    }
    if ((m = /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(@original|\d+)$/.exec(path))) {
      const id = m[3] === '@original' ? this.originals.get(m[2]!) : m[3];
      const message = id ? this.messages.get(id) : undefined;
      if (!message) return this.json(res, 404, { code: 10008, message: 'Unknown Message' });
      if (method === 'GET') return this.json(res, 200, message);
      if (method === 'PATCH') {
        Object.assign(message, messageFields(body));
        return this.json(res, 200, message);
      }
      if (method === 'DELETE') {
        this.messages.delete(message.id);
        return this.empty(res);
      }
    }
    if ((m = /^\/webhooks\/(\d+)\/([^/]+)$/.exec(path)) && method === 'POST') {
      const message = this.storeMessage(this.world.channelId, body, true);
      return this.json(res, 200, message);
    }
    if ((m = /^\/channels\/(\d+)\/messages$/.exec(path)) && method === 'POST') {
      if (!this.channels.has(m[1]!)) return this.json(res, 404, { code: 10003, message: 'Unknown Channel' });
      return this.json(res, 200, this.storeMessage(m[1]!, body, false));
    }
    if ((m = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(path)) && method === 'GET') {
      const message = this.messages.get(m[2]!);
      if (!message || message.channel_id !== m[1]) return this.json(res, 404, { code: 10008, message: 'Unknown Message' });
      return this.json(res, 200, message);
    }
    if ((m = /^\/channels\/(\d+)\/messages\/(\d+)\/threads$/.exec(path)) && method === 'POST') {
      return this.startThread(m[1]!, m[2]!, body, res);
    }
    if ((m = /^\/channels\/(\d+)$/.exec(path)) && method === 'GET') {
      const channel = this.channels.get(m[1]!);
      if (!channel) return this.json(res, 404, { code: 10003, message: 'Unknown Channel' });
      return this.json(res, 200, channel);
    }
    return this.json(res, 404, { code: 0, message: `fake Discord: no route for ${method} ${path}` });
  }

  private interactionCallback(interactionId: string, token: string, request: RecordedRequest, res: ServerResponse): void {
    const { type, data } = request.body as Json;
    let message: Json | undefined;
    if (type === 4 || type === 5) {
      // A reply (or the "thinking…" placeholder of a deferred one) becomes the interaction's @original.
      message = this.storeMessage(this.world.channelId, { ...(data ?? {}), content: data?.content ?? '' }, true);
      this.originals.set(token, message.id);
    }
    if (request.query.get('with_response') !== 'true') return this.empty(res);
    return this.json(res, 200, {
      interaction: {
        id: interactionId,
        type: 2,
        activity_instance_id: null,
        response_message_id: message?.id ?? null,
        response_message_loading: type === 5,
        response_message_ephemeral: Boolean((data?.flags ?? 0) & 64),
      },
      resource: { type, ...(message ? { message } : {}) },
    });
  }

  private startThread(channelId: string, messageId: string, body: Json, res: ServerResponse): void {
    const parent = this.channels.get(channelId);
    if (!parent) return this.json(res, 404, { code: 10003, message: 'Unknown Channel' });
    const message = this.messages.get(messageId);
    if (!message) return this.json(res, 404, { code: 10008, message: 'Unknown Message' });
    if (this.channels.has(messageId)) {
      return this.json(res, 400, { code: 160004, message: 'A thread has already been created for this message' });
    }
    const thread = {
      id: messageId,
      type: 11,
      guild_id: this.world.guildId,
      parent_id: channelId,
      owner_id: this.world.botId,
      name: body.name,
      last_message_id: null,
      rate_limit_per_user: 0,
      message_count: 0,
      member_count: 1,
      total_message_sent: 0,
      flags: 0,
      thread_metadata: {
        archived: false,
        auto_archive_duration: body.auto_archive_duration ?? 1440,
        archive_timestamp: new Date().toISOString(),
        locked: false,
        create_timestamp: new Date().toISOString(),
      },
    };
    this.channels.set(thread.id, thread);
    message.thread = thread;
    return this.json(res, 201, thread);
  }

  storeMessage(channelId: string, body: Json, viaInteraction: boolean): Json {
    const id = this.newId();
    const message = {
      id,
      channel_id: channelId,
      guild_id: this.world.guildId,
      type: viaInteraction ? 20 : body?.message_reference ? 19 : 0,
      author: this.world.botUser,
      content: '',
      embeds: [],
      components: [],
      attachments: [],
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: false,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      flags: 0,
      ...messageFields(body),
    };
    this.messages.set(id, message);
    return message;
  }

  private takeFailure(request: RecordedRequest): Failure | undefined {
    const index = this.failures.findIndex((f) => f.method === request.method && f.path.test(request.path));
    if (index < 0) return undefined;
    return this.failures.splice(index, 1)[0]!.failure;
  }

  private fail(res: ServerResponse, failure: Failure): void {
    if ('rateLimitSeconds' in failure) {
      res.writeHead(429, {
        'content-type': 'application/json',
        'retry-after': String(failure.rateLimitSeconds),
        'x-ratelimit-limit': '5',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset-after': String(failure.rateLimitSeconds),
        'x-ratelimit-bucket': 'fakebucket',
        'x-ratelimit-scope': 'user',
      });
      res.end(JSON.stringify({ message: 'You are being rate limited.', retry_after: failure.rateLimitSeconds, global: false }));
      return;
    }
    this.json(res, failure.status, { code: failure.code, message: failure.message });
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  /** 204: no body, so no JSON content-type (a JSON parser would choke on the empty body). */
  private empty(res: ServerResponse): void {
    res.writeHead(204);
    res.end();
  }
}

/** The message fields a create/edit body sets (what Discord would store). */
function messageFields(body: Json | undefined): Json {
  if (!body || typeof body !== 'object') return {};
  const out: Json = {};
  for (const key of ['content', 'embeds', 'components', 'flags', 'message_reference'] as const) {
    if (key in body && body[key] !== undefined) out[key] = body[key];
  }
  return out;
}

/** Discord leaves `required: false` out of what it returns. */
function stripFalseRequired(command: Json): Json {
  const strip = (options: Json[] | undefined): Json[] | undefined =>
    options?.map(({ required, options: nested, ...rest }) => ({
      ...rest,
      ...(required ? { required } : {}),
      ...(nested ? { options: strip(nested) } : {}),
    }));
  return { ...command, ...(command.options ? { options: strip(command.options) } : {}) };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (data += chunk));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}
