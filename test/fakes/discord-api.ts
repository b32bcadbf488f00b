/**
 * A fake Discord on 127.0.0.1 for the real discord.js Client: the REST API (`rest: { api }`) and the
 * gateway on one port. It records every REST call, answers like Discord (JSON bodies with
 * content-type application/json, 204 without a body, error bodies `{code, message}`, 429 with
 * Retry-After), keeps the messages and threads it was asked to create so discord.js can fetch them back,
 * and lets a test inject failures (50013, 10062, rate limits) and dispatch gateway events.
 */

import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  type APIActionRowComponent,
  type APIAllowedMentions,
  type APIApplicationCommandOptionChoice,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  type APIMessage,
  type APIMessageReference,
  type APIMessageTopLevelComponent,
  type APIThreadChannel,
  type ChannelFlags,
  ChannelType,
  ComponentType,
  type GatewaySendPayload,
  type InteractionResponseType,
  MessageType,
  type ThreadAutoArchiveDuration,
} from 'discord.js';
import { type WebSocket, WebSocketServer } from 'ws';
import {
  type DispatchData,
  type FakeChannel,
  type FakeWorld,
  guildCreatePayload,
  readyFrame,
} from './discord-payloads.ts';
import { closeServer, listenLocal } from './local-server.ts';

/** Discord snowflakes count milliseconds from 2015-01-01. */
const DISCORD_EPOCH_MS = 1420070400000n;

/** The fields of a message the bot creates or edits: a channel post, a follow-up, an interaction reply's data. */
export interface MessageBody {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIButtonComponentWithCustomId>[];
  flags?: number;
  allowed_mentions?: APIAllowedMentions;
  message_reference?: APIMessageReference;
  nonce?: string | number;
  enforce_nonce?: boolean;
}

/**
 * A request's JSON body, with the fields of every route the bot calls (which ones are present depends on the
 * route): a message, an interaction callback (`type` and its `data`), a thread start (`name`). An empty
 * object when the request had no JSON body; a command list (PUT) is an array, read by the route itself.
 */
export interface RequestBody extends MessageBody {
  type?: InteractionResponseType;
  data?: MessageBody & { choices?: APIApplicationCommandOptionChoice[] };
  name?: string;
  auto_archive_duration?: ThreadAutoArchiveDuration;
}

/** The buttons (with custom ids) in the action rows of a message or an interaction reply. */
export function buttonsIn(
  message: { components?: readonly APIMessageTopLevelComponent[] } | undefined,
): APIButtonComponentWithCustomId[] {
  return (message?.components ?? []).flatMap((row) =>
    row.type === ComponentType.ActionRow
      ? row.components.filter(
          (component): component is APIButtonComponentWithCustomId =>
            component.type === ComponentType.Button && 'custom_id' in component,
        )
      : [],
  );
}

/** A message the fake keeps (REST messages carry no guild id; the fake adds it as the gateway would). */
export type StoredMessage = APIMessage & { guild_id?: string };

/** A command definition as JSON: what PUT sends, what GET returns (with ids and defaults added). */
interface CommandJson {
  options?: CommandJson[];
  required?: boolean;
  [field: string]: unknown;
}

export interface RecordedRequest {
  method: string;
  /** Path after `/api/v10`, e.g. `/channels/123/messages` (`@original` decoded). */
  path: string;
  query: URLSearchParams;
  body: RequestBody;
  /** Files of a multipart request (discord.js sends attachments as `files[n]` beside `payload_json`). */
  files?: { name: string; content: string; bytes: Buffer }[];
}

export type Failure = { status: number; code: number; message: string } | { rateLimitSeconds: number };

interface PendingFailure {
  method: string;
  path: RegExp;
  failure: Failure;
}

export class FakeDiscord {
  readonly requests: RecordedRequest[] = [];
  /** Frames the client sent on the gateway (identify, heartbeats). */
  readonly gatewayFrames: GatewaySendPayload[] = [];
  /** Registered commands per route (`/applications/{app}/commands` or the guild route). */
  readonly registered = new Map<string, CommandJson[]>();
  readonly messages = new Map<string, StoredMessage>();
  readonly channels = new Map<string, FakeChannel>();
  private readonly originals = new Map<string, string>();
  private readonly events = new EventEmitter();
  private readonly failures: PendingFailure[] = [];
  /**
   * Called with each request after the fake acted on it, before it answers; resolving true sends no answer (a crash
   * test kills the client there: Discord created the message, the client never heard so).
   */
  holdAnswer: (request: RecordedRequest) => Promise<boolean> = async () => false;
  private server: Server | undefined;
  private wss: WebSocketServer | undefined;
  private readonly sockets = new Set<WebSocket>();
  private port = 0;
  private seq = 0;
  /** How many gateway connections the client has opened (a reconnect adds one). */
  gatewayConnections = 0;
  /** What GET /gateway/bot recommends (what `DISCORD_SHARDS=auto` follows). */
  recommendedShards = 1;
  /** How many shards may identify at once (Discord's `max_concurrency`; above 1, a client waits less between them). */
  maxConcurrency = 1;
  /** Each identified socket's shard, `[id, count]` (IDENTIFY without one is shard [0, 1]). */
  private readonly shardOf = new Map<WebSocket, [number, number]>();
  private nextId = 1n;

  constructor(readonly world: FakeWorld) {
    for (const channel of world.channels) this.channels.set(channel.id, { ...channel });
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error) => respond(res, json(500, { code: 0, message: String(error) })));
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
  originalOf(token: string): StoredMessage | undefined {
    const id = this.originals.get(token);
    return id ? this.messages.get(id) : undefined;
  }

  /** Requests from index `from` on that match (waits for one if none yet). */
  next(from: number, predicate: (request: RecordedRequest) => boolean, ms = 5000): Promise<RecordedRequest> {
    return this.waitFor((request) => this.requests.indexOf(request) >= from && predicate(request), ms);
  }

  /**
   * Sends a gateway dispatch (op 0) to every connected client; one about a guild goes only to the shard that guild
   * belongs to, as Discord does.
   */
  dispatch(t: string, d: DispatchData): void {
    // A component interaction's @original is the message the component is on.
    if (t === 'INTERACTION_CREATE' && d.token && d.message?.id) this.originals.set(d.token, d.message.id);
    const frame = JSON.stringify({ op: 0, t, s: ++this.seq, d });
    // GUILD_CREATE / GUILD_DELETE name their guild by `id`.
    const guildId =
      typeof d.guild_id === 'string' ? d.guild_id : /^GUILD_(CREATE|DELETE)$/.test(t) ? String(d.id) : undefined;
    for (const socket of this.sockets) if (!guildId || this.onShard(socket, guildId)) socket.send(frame);
  }

  /**
   * The bot leaves the world's guild, as Discord tells it: GUILD_DELETE. Kicked, or the guild deleted; with
   * `unavailable`, an outage instead (the guild is still there, and so is the bot).
   */
  leaveGuild(options: { unavailable?: boolean } = {}): void {
    this.dispatch('GUILD_DELETE', { id: this.world.guildId, ...(options.unavailable ? { unavailable: true } : {}) });
  }

  /** The bot is added to the world's guild (again): GUILD_CREATE with the whole guild, as on a join. */
  joinGuild(): void {
    this.dispatch('GUILD_CREATE', guildCreatePayload(this.world, [...this.channels.values()]));
  }

  /** The shards identified so far, as `[id, count]` (one per live gateway connection). */
  get identifiedShards(): [number, number][] {
    return [...this.shardOf.values()];
  }

  /** Discord's rule: a guild belongs to shard `(guild_id >> 22) % shard_count`. */
  static shardForGuild(guildId: string, count: number): number {
    return Number((BigInt(guildId) >> 22n) % BigInt(count));
  }

  private onShard(socket: WebSocket, guildId: string): boolean {
    const [id, count] = this.shardOf.get(socket) ?? [0, 1];
    return FakeDiscord.shardForGuild(guildId, count) === id;
  }

  /** Resolves with the first request (already made or coming) that matches; rejects after `ms` (a hang guard). */
  waitFor(predicate: (request: RecordedRequest) => boolean, ms = 5000): Promise<RecordedRequest> {
    const found = this.requests.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off('request', listener);
        reject(
          new Error(
            `no matching request within ${ms}ms; saw: ${this.requests.map((r) => `${r.method} ${r.path}`).join(', ')}`,
          ),
        );
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
      if (r.method === 'POST' && r.path.endsWith('/callback')) return r.body.type === 4 || r.body.type === 7;
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
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.shardOf.delete(socket);
    });
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41250 }, s: null, t: null }));
    socket.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as GatewaySendPayload;
      this.gatewayFrames.push(frame);
      if (frame.op === 1) socket.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
      if (frame.op === 2) {
        const shard = frame.d.shard ?? [0, 1];
        this.shardOf.set(socket, [shard[0], shard[1]]);
        const ours = this.onShard(socket, this.world.guildId);
        const ready = {
          ...readyFrame(this.world, this.gatewayUrl),
          shard: [shard[0], shard[1]],
          ...(ours ? {} : { guilds: [] }),
        };
        socket.send(JSON.stringify({ op: 0, t: 'READY', s: ++this.seq, d: ready }));
        if (ours)
          socket.send(
            JSON.stringify({
              op: 0,
              t: 'GUILD_CREATE',
              s: ++this.seq,
              d: guildCreatePayload(this.world, [...this.channels.values()]),
            }),
          );
      }
      // RESUME: the session goes on; Discord would replay missed dispatches, then RESUMED.
      if (frame.op === 6) socket.send(JSON.stringify({ op: 0, t: 'RESUMED', s: ++this.seq, d: {} }));
    });
  }

  // ---- REST ----------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const bytes = await readBody(req);
    const raw = bytes.toString('utf8');
    const path = decodeURIComponent(url.pathname.replace(/^\/api\/v10/, ''));
    const contentType = String(req.headers['content-type']);
    const multipart = contentType.startsWith('multipart/form-data') ? await formParts(bytes, contentType) : undefined;
    const body: RequestBody = multipart ? multipart.body : raw && contentType.includes('json') ? JSON.parse(raw) : {};
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      query: url.searchParams,
      body,
      ...(multipart ? { files: multipart.files } : {}),
    };
    this.requests.push(request);
    try {
      const failure = this.takeFailure(request);
      if (failure) this.fail(res, failure);
      else {
        const answer = this.route(request);
        if (!(await this.holdAnswer(request))) respond(res, answer);
      }
    } finally {
      this.events.emit('request', request);
    }
  }

  private route(request: RecordedRequest): Answer {
    const { method, path, body } = request;
    if (method === 'GET' && path === '/gateway/bot') {
      return json(200, {
        url: this.gatewayUrl,
        shards: this.recommendedShards,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: this.maxConcurrency },
      });
    }
    const commands = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(path);
    if (commands) {
      if (method === 'GET') return json(200, this.registered.get(path) ?? []);
      if (method === 'PUT' && Array.isArray(body)) {
        const saved = body.map((command: CommandJson) => ({
          id: this.newId(),
          application_id: commands[1],
          ...(commands[2] ? { guild_id: commands[2] } : {}),
          version: this.newId(),
          default_member_permissions: null,
          nsfw: false,
          ...stripFalseRequired(command),
        }));
        this.registered.set(path, saved);
        return json(200, saved);
      }
    }
    const callback = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path);
    if (callback && method === 'POST') return this.interactionCallback(callback[1]!, callback[2]!, request);
    const webhookMessage = /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(@original|\d+)$/.exec(path);
    if (webhookMessage) {
      const id = webhookMessage[3] === '@original' ? this.originals.get(webhookMessage[2]!) : webhookMessage[3];
      const message = id ? this.messages.get(id) : undefined;
      if (!message) return json(404, { code: 10008, message: 'Unknown Message' });
      if (method === 'GET') return json(200, message);
      if (method === 'PATCH') {
        Object.assign(message, messageFields(body));
        return json(200, message);
      }
      if (method === 'DELETE') {
        this.messages.delete(message.id);
        return EMPTY;
      }
    }
    if (/^\/webhooks\/(\d+)\/([^/]+)$/.test(path) && method === 'POST') {
      return json(200, this.storeMessage(this.world.channelId, body, true));
    }
    const channelMessages = /^\/channels\/(\d+)\/messages$/.exec(path);
    if (channelMessages && method === 'POST') {
      const channelId = channelMessages[1]!;
      if (!this.channels.has(channelId)) return json(404, { code: 10003, message: 'Unknown Channel' });
      return json(200, this.storeMessage(channelId, body, false));
    }
    if (method === 'GET' && path === '/users/@me') return json(200, this.world.botUser);
    if (channelMessages && method === 'GET') return this.listMessages(channelMessages[1]!, request.query);
    const channelMessage = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(path);
    if (channelMessage && method === 'GET') {
      const message = this.messages.get(channelMessage[2]!);
      if (!message || message.channel_id !== channelMessage[1]) {
        return json(404, { code: 10008, message: 'Unknown Message' });
      }
      return json(200, message);
    }
    const threadStart = /^\/channels\/(\d+)\/messages\/(\d+)\/threads$/.exec(path);
    if (threadStart && method === 'POST') return this.startThread(threadStart[1]!, threadStart[2]!, body);
    const channel = /^\/channels\/(\d+)$/.exec(path);
    if (channel && method === 'GET') {
      const found = this.channels.get(channel[1]!);
      if (!found) return json(404, { code: 10003, message: 'Unknown Channel' });
      return json(200, found);
    }
    return json(404, { code: 0, message: `fake Discord: no route for ${method} ${path}` });
  }

  private interactionCallback(interactionId: string, token: string, request: RecordedRequest): Answer {
    const { type, data } = request.body;
    let message: StoredMessage | undefined;
    if (type === 4 || type === 5) {
      // A reply (or the "thinking…" placeholder of a deferred one) becomes the interaction's @original.
      message = this.storeMessage(this.world.channelId, { ...(data ?? {}), content: data?.content ?? '' }, true);
      this.originals.set(token, message.id);
    }
    if (request.query.get('with_response') !== 'true') return EMPTY;
    return json(200, {
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

  /**
   * GET /channels/{id}/messages: newest first, `limit` (at most 100) at a time; older than the `before` message, and
   * created after the instant of the `after` snowflake (the fake's own ids are not time-based: timestamps are compared).
   */
  private listMessages(channelId: string, query: URLSearchParams): Answer {
    if (!this.channels.has(channelId)) return json(404, { code: 10003, message: 'Unknown Channel' });
    const before = query.get('before');
    const after = query.get('after');
    const since = after === null ? undefined : Number((BigInt(after) >> 22n) + DISCORD_EPOCH_MS);
    const limit = Math.min(100, Number(query.get('limit') ?? 50));
    const list = [...this.messages.values()]
      .filter(
        (m) =>
          m.channel_id === channelId &&
          (!before || BigInt(m.id) < BigInt(before)) &&
          (since === undefined || Date.parse(m.timestamp) > since),
      )
      .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1))
      .slice(0, limit);
    return json(200, list);
  }

  private startThread(channelId: string, messageId: string, body: RequestBody): Answer {
    const parent = this.channels.get(channelId);
    if (!parent) return json(404, { code: 10003, message: 'Unknown Channel' });
    const message = this.messages.get(messageId);
    if (!message) return json(404, { code: 10008, message: 'Unknown Message' });
    if (this.channels.has(messageId)) {
      return json(400, { code: 160004, message: 'A thread has already been created for this message' });
    }
    const thread: APIThreadChannel = {
      id: messageId,
      type: ChannelType.PublicThread,
      guild_id: this.world.guildId,
      parent_id: channelId,
      owner_id: this.world.botId,
      name: body.name!,
      last_message_id: null,
      rate_limit_per_user: 0,
      message_count: 0,
      member_count: 1,
      total_message_sent: 0,
      flags: 0 as ChannelFlags, // none
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
    return json(201, thread);
  }

  storeMessage(channelId: string, body: MessageBody, viaInteraction: boolean): StoredMessage {
    const id = this.newId();
    const type = viaInteraction
      ? MessageType.ChatInputCommand
      : body?.message_reference
        ? MessageType.Reply
        : MessageType.Default;
    const message: StoredMessage = {
      id,
      channel_id: channelId,
      guild_id: this.world.guildId,
      type,
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
      res.end(
        JSON.stringify({
          message: 'You are being rate limited.',
          retry_after: failure.rateLimitSeconds,
          global: false,
        }),
      );
      return;
    }
    respond(res, json(failure.status, { code: failure.code, message: failure.message }));
  }
}

/** What a route answers: a JSON body with a status, or 204 without a body. */
type Answer = { status: number; body: unknown } | { status: 204 };

const EMPTY: Answer = { status: 204 };

function json(status: number, body: unknown): Answer {
  return { status, body };
}

function respond(res: ServerResponse, answer: Answer): void {
  if (!('body' in answer)) {
    // No body, so no JSON content-type (a JSON parser would choke on the empty body).
    res.writeHead(204);
    res.end();
    return;
  }
  res.writeHead(answer.status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(answer.body));
}

/** The message fields a create/edit body sets (what Discord would store). */
function messageFields(body: MessageBody | undefined): MessageBody {
  if (!body || typeof body !== 'object') return {};
  const { content, embeds, components, flags, message_reference } = body;
  return {
    ...(content !== undefined ? { content } : {}),
    ...(embeds !== undefined ? { embeds } : {}),
    ...(components !== undefined ? { components } : {}),
    ...(flags !== undefined ? { flags } : {}),
    ...(message_reference !== undefined ? { message_reference } : {}),
  };
}

/** Discord leaves `required: false` out of what it returns. */
function stripFalseRequired(command: CommandJson): CommandJson {
  const strip = (options: CommandJson[] | undefined): CommandJson[] | undefined =>
    options?.map(({ required, options: nested, ...rest }) => ({
      ...rest,
      ...(required ? { required } : {}),
      ...(nested ? { options: strip(nested) } : {}),
    }));
  return { ...command, ...(command.options ? { options: strip(command.options) } : {}) };
}

/** A multipart body as Discord reads it: the JSON of `payload_json`, and the attached files. */
async function formParts(
  raw: Buffer,
  contentType: string,
): Promise<{ body: RequestBody; files: { name: string; content: string; bytes: Buffer }[] }> {
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  const files: { name: string; content: string; bytes: Buffer }[] = [];
  let body: RequestBody = {};
  for (const [key, value] of form.entries()) {
    if (key === 'payload_json' && typeof value === 'string') body = JSON.parse(value);
    else if (typeof value !== 'string') {
      const bytes = Buffer.from(await value.arrayBuffer());
      files.push({ name: value.name, content: bytes.toString('utf8'), bytes });
    }
  }
  return { body, files };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
