/**
 * A fake Slack Web API on 127.0.0.1 for the real Bolt App: records every call (and every POST to a
 * response_url) with the token it carried, answers like Slack does (HTTP 200 with ok:true/false, 429 with
 * Retry-After), and keeps posted messages so conversations.replies can return a thread's root. For a
 * distributed app it plays Slack's OAuth too: an authorize page that installs into the workspace set with
 * `installAs` and redirects back with a code, `oauth.v2.access` trading the code for that workspace's bot
 * token, and `auth.test` answering per token.
 */
import { randomUUID } from 'node:crypto';

import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { types } from '@slack/bolt';
import { closeServer, listenLocal } from './local-server.ts';

/** The metadata paperboy puts on an alert message (`event_payload.key` finds it again after a crash). */
export interface AlertMetadata {
  event_type: string;
  event_payload: { key: string; part?: string; parts?: string };
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
  limit?: string;
  cursor?: string;
  response_type?: 'ephemeral' | 'in_channel';
  replace_original?: boolean;
  unfurls?: Record<string, { blocks: types.KnownBlock[] }>;
  unfurl_id?: string;
  source?: string;
  unfurl_links?: string;
  metadata?: AlertMetadata;
  /** files.getUploadURLExternal */
  filename?: string;
  length?: string;
  /** files.completeUploadExternal: the uploaded files, with their titles. */
  files?: { id: string; title?: string }[];
  /** files.getUploadURLExternal: an image's alt text. */
  alt_text?: string;
  /** views.publish / views.open / views.push */
  user_id?: string;
  trigger_id?: string;
  view?: { type?: string; title?: { text: string }; blocks?: types.KnownBlock[] };
  /** conversations.open */
  users?: string;
  channel_id?: string;
  initial_comment?: string;
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
  attachments?: { from_url?: string; original_url?: string; title_link?: string }[];
  /** An alert's metadata (kept from chat.postMessage; what conversations.history finds an alert by). */
  metadata?: AlertMetadata;
}

/**
 * A user as users.info returns it: the profile, and what says who may manage channels (Slack's own fields: the
 * workspace, guest, admin and bot flags, the Enterprise Grid organisation).
 */
export interface StoredUser {
  name?: string;
  real_name?: string;
  profile?: { display_name?: string; real_name?: string };
  team_id?: string;
  is_admin?: boolean;
  is_owner?: boolean;
  is_primary_owner?: boolean;
  /** A multi-channel guest. */
  is_restricted?: boolean;
  /** A single-channel guest. */
  is_ultra_restricted?: boolean;
  is_bot?: boolean;
  is_app_user?: boolean;
  deleted?: boolean;
  enterprise_user?: { enterprise_id: string };
}

export interface RecordedCall {
  /** Web API method (`chat.postMessage`), or `response_url` for POSTs to a response URL. */
  method: string;
  args: SlackArgs;
  /** For response_url calls: the URL's name (see responseUrl()). */
  target?: string;
  /** What the fake answered (e.g. the `ts` of a posted message). */
  result?: { ok: boolean; ts?: string; [field: string]: unknown };
  /** The token the call carried (Authorization: Bearer, or a `token` field). */
  token?: string;
}

/** A workspace the fake OAuth installs into, and the bot token it grants there. */
export interface FakeWorkspace {
  teamId: string;
  teamName: string;
  botToken: string;
  botUserId: string;
  botId: string;
  /** Who clicks Allow. */
  installerId: string;
}

/** The app as registered at Slack: what oauth.v2.access checks and where the authorize page sends installers. */
export interface FakeOAuthApp {
  clientId: string;
  clientSecret: string;
  redirectUrl: string;
}

type Failure =
  | { kind: 'pass' }
  | { kind: 'drop' }
  | { kind: 'delay'; ms: number }
  | { kind: 'error'; error: string; extra?: Record<string, unknown> }
  | { kind: 'ratelimit'; retryAfter: number }
  | { kind: 'status'; status: number };

export interface FakeSlackApiOptions {
  botUserId?: string;
  botId?: string;
  teamId?: string;
  /** The time (ms) posted messages are stamped with (their `ts`); default a fixed day in 2023. */
  now?: () => number;
}

export class FakeSlackApi {
  readonly calls: RecordedCall[] = [];
  /** URL returned by apps.connections.open (set by the Socket Mode fake). */
  socketUrl = '';
  private server: Server | undefined;
  private port = 0;
  private readonly events = new EventEmitter();
  private readonly failures = new Map<string, Failure[]>();
  /** Failures every call to a method gets (after any queued ones), until recovered. */
  private readonly always = new Map<string, Failure>();
  private readonly messages = new Map<string, StoredMessage>();
  private readonly users = new Map<string, StoredUser>();
  private readonly memberships = new Map<string, { id: string; name: string }[]>();
  private nextTs = 1;
  private nextFile = 1;
  /** Files uploaded the files.uploadV2 way: file id → the bytes POSTed to its upload URL (UTF-8). */
  readonly uploads = new Map<string, string>();
  /** The same uploads as bytes (an image). */
  readonly uploadedBytes = new Map<string, Buffer>();
  /** The registered app, for the OAuth endpoints. */
  oauthApp: FakeOAuthApp | undefined;
  private installing: FakeWorkspace | undefined;
  private readonly codes = new Map<string, FakeWorkspace>();
  /** Workspaces by the bot token granted there. */
  private readonly granted = new Map<string, FakeWorkspace>();
  private readonly revoked = new Set<string>();
  /** Ends each answer held by delayNext: close() ends them, so a held answer cannot keep the test process alive. */
  private readonly held = new Set<() => void>();

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

  /** Waits `ms`, or until close(), whichever comes first. */
  private hold(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const release = () => {
        clearTimeout(timer);
        this.held.delete(release);
        resolve();
      };
      const timer = setTimeout(release, ms);
      this.held.add(release);
    });
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    for (const release of [...this.held]) release();
    await closeServer(this.server);
    this.server = undefined;
  }

  /** The App's `slackApiUrl`. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  /** Slack's authorize page on this fake (the installer's browser is sent here from the install page). */
  get authorizeUrl(): string {
    return `http://127.0.0.1:${this.port}/oauth/v2/authorize`;
  }

  /** The next visit to the authorize page installs the app into `workspace` (its admin clicks Allow). */
  installAs(workspace: FakeWorkspace): void {
    this.installing = workspace;
  }

  /** The workspace removed the app: its token is dead from now on (`token_revoked`). */
  revoke(token: string): void {
    this.revoked.add(token);
  }

  /** A response_url pointing at this fake; POSTs to it are recorded under `name`. */
  responseUrl(name = 'default'): string {
    return `http://127.0.0.1:${this.port}/response/${encodeURIComponent(name)}`;
  }

  /**
   * The next call to `method` (after `after` successful ones) answers `{ok:false, error}`, with `extra` fields where
   * Slack adds some (`missing_scope`: `needed`, `provided`).
   */
  failNext(method: string, error: string, after = 0, extra?: Record<string, unknown>): void {
    for (let i = 0; i < after; i++) this.queueFailure(method, { kind: 'pass' });
    this.queueFailure(method, { kind: 'error', error, ...(extra ? { extra } : {}) });
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

  /** Every call to `method` answers HTTP 429 with `Retry-After: seconds`, until `recover(method)`. */
  rateLimitAlways(method: string, retryAfter: number): void {
    this.always.set(method, { kind: 'ratelimit', retryAfter });
  }

  /** Every call to `method` answers `{ok:false, error}`, until `recover(method)`. */
  failAlways(method: string, error: string): void {
    this.always.set(method, { kind: 'error', error });
  }

  /** Ends `rateLimitAlways` / `failAlways` for `method`. */
  recover(method: string): void {
    this.always.delete(method);
  }

  /** The next POST to a response_url answers with this HTTP status (404 = expired). */
  failNextResponse(status: number): void {
    this.queueFailure('response_url', { kind: 'status', status });
  }

  /** A message the fake will return from conversations.replies / history. */
  putMessage(channel: string, message: StoredMessage): void {
    this.messages.set(`${channel}/${message.ts}`, message);
  }

  /** The channels `user` is in, as users.conversations lists them (id and name). */
  putMembership(user: string, channels: { id: string; name: string }[]): void {
    this.memberships.set(user, channels);
  }

  /** The views published (views.publish) for `user`, oldest first. */
  homeViews(user: string): { type?: string; blocks?: types.KnownBlock[] }[] {
    return this.callsTo('views.publish')
      .filter((call) => call.args.user_id === user)
      .map((call) => call.args.view ?? {});
  }

  /** A user users.info knows (others are `user_not_found`): a full member of `team_id` unless flags say otherwise. */
  putUser(id: string, user: StoredUser): void {
    this.users.set(id, user);
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
    const bytes = await readBody(req);
    const raw = bytes.toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/upload/')) {
      // files.uploadV2's second step: the file's bytes POSTed to the URL files.getUploadURLExternal gave.
      const fileId = decodeURIComponent(url.pathname.slice('/upload/'.length));
      const file = await uploadedBytes(bytes, req.headers['content-type'] ?? '');
      this.uploads.set(fileId, file.toString('utf8'));
      this.uploadedBytes.set(fileId, file);
      this.record({ method: 'upload', target: fileId, args: {} });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`OK - ${raw.length}`);
      return;
    }
    if (url.pathname.startsWith('/response/')) {
      const target = decodeURIComponent(url.pathname.slice('/response/'.length));
      const args: SlackArgs = raw ? JSON.parse(raw) : {};
      this.record({ method: 'response_url', target, args });
      const failure = this.failures.get('response_url')?.shift();
      res.writeHead(failure?.kind === 'status' ? failure.status : 200, { 'content-type': 'text/plain' });
      res.end(failure?.kind === 'status' ? 'expired_url' : 'ok');
      return;
    }
    if (url.pathname === '/oauth/v2/authorize') {
      this.authorizePage(url, res);
      return;
    }
    const method = url.pathname.replace(/^\/api\//, '');
    const args = parseArgs(raw, req.headers['content-type'] ?? '');
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ?? (args as { token?: string }).token;
    this.events.emit('arrival', method);
    const failure = this.failures.get(method)?.shift() ?? this.always.get(method);
    if (failure?.kind === 'ratelimit') {
      this.record({ method, args, token, result: { ok: false, error: 'ratelimited' } });
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(failure.retryAfter) });
      res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      return;
    }
    if (failure?.kind === 'delay') await this.hold(failure.ms);
    const body =
      failure?.kind === 'error'
        ? { ok: false, error: failure.error, ...failure.extra }
        : token && this.revoked.has(token)
          ? { ok: false, error: 'token_revoked' }
          : this.answer(method, args, token);
    this.record({ method, args, token, result: body });
    if (failure?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  /** The installer allowed the app: back to the app's redirect URL with a one-time code and the state it sent. */
  private authorizePage(url: URL, res: ServerResponse): void {
    const query = Object.fromEntries(url.searchParams) as SlackArgs & Record<string, string>;
    this.record({ method: 'oauth.v2.authorize', args: query });
    const app = this.oauthApp;
    const workspace = this.installing;
    if (!app || !workspace || query.client_id !== app.clientId) {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('invalid_client_id');
      return;
    }
    const code = randomUUID();
    this.codes.set(code, workspace);
    const back = new URL(query.redirect_uri ?? app.redirectUrl);
    back.searchParams.set('code', code);
    if (query.state) back.searchParams.set('state', query.state);
    res.writeHead(302, { location: back.toString() });
    res.end();
  }

  private oauthAccess(args: Record<string, string | undefined>): RecordedCall['result'] & {} {
    const app = this.oauthApp;
    if (!app || args.client_id !== app.clientId) return { ok: false, error: 'invalid_client_id' };
    if (args.client_secret !== app.clientSecret) return { ok: false, error: 'bad_client_secret' };
    const workspace = args.code ? this.codes.get(args.code) : undefined;
    if (!workspace) return { ok: false, error: 'invalid_code' };
    this.codes.delete(args.code!);
    this.granted.set(workspace.botToken, workspace);
    return {
      ok: true,
      app_id: 'A0PAPERBOY',
      authed_user: { id: workspace.installerId },
      scope: String(args.scope ?? BOT_SCOPE_GRANT),
      token_type: 'bot',
      access_token: workspace.botToken,
      bot_user_id: workspace.botUserId,
      team: { id: workspace.teamId, name: workspace.teamName },
      enterprise: null,
      is_enterprise_install: false,
    };
  }

  private answer(method: string, args: SlackArgs, token?: string): RecordedCall['result'] & {} {
    const botUserId = this.options.botUserId ?? 'UBOT';
    const workspace = token ? this.granted.get(token) : undefined;
    switch (method) {
      case 'oauth.v2.access':
        return this.oauthAccess(args as Record<string, string | undefined>);
      case 'auth.test':
        if (workspace)
          return {
            ok: true,
            user_id: workspace.botUserId,
            bot_id: workspace.botId,
            team_id: workspace.teamId,
            user: 'paperboy',
            team: workspace.teamName,
          };
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
        const seconds = this.options.now ? Math.floor(this.options.now() / 1000) : 1700000000;
        const ts = `${seconds}.${String(this.nextTs++).padStart(6, '0')}`;
        const message: StoredMessage = {
          type: 'message',
          ts,
          user: botUserId,
          bot_id: this.options.botId ?? 'BBOT',
          text: args.text,
          blocks: args.blocks,
          ...(args.thread_ts ? { thread_ts: args.thread_ts } : {}),
          ...(args.metadata ? { metadata: args.metadata } : {}),
        };
        this.putMessage(String(args.channel), message);
        return { ok: true, channel: args.channel, ts, message };
      }
      case 'files.getUploadURLExternal': {
        const fileId = `F${String(this.nextFile++).padStart(6, '0')}`;
        return { ok: true, file_id: fileId, upload_url: `http://127.0.0.1:${this.port}/upload/${fileId}` };
      }
      case 'files.completeUploadExternal': {
        const missing = (args.files ?? []).find((file) => !this.uploads.has(file.id));
        if (missing) return { ok: false, error: 'file_not_found' };
        return { ok: true, files: (args.files ?? []).map((file) => ({ id: file.id, title: file.title })) };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: `1700000000.${String(this.nextTs++).padStart(6, '0')}` };
      case 'conversations.replies':
        return this.replies(args);
      case 'conversations.history': {
        if (args.ts === undefined && args.latest === undefined) return this.history(args);
        const message = this.messages.get(`${args.channel}/${args.ts ?? args.latest}`);
        return message ? { ok: true, messages: [message], has_more: false } : { ok: false, error: 'thread_not_found' };
      }
      case 'users.conversations':
        return {
          ok: true,
          channels: (this.memberships.get(String(args.user)) ?? []).map((c) => ({ ...c, is_channel: true })),
          response_metadata: { next_cursor: '' },
        };
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(args.users ?? '').slice(1)}` } };
      case 'views.open':
      case 'views.push':
      case 'views.publish':
        return { ok: true, view: { id: `V${this.nextTs++}`, ...(args.view ?? {}) } };
      case 'users.info': {
        const user = this.users.get(String(args.user));
        return user ? { ok: true, user: { id: args.user, ...user } } : { ok: false, error: 'user_not_found' };
      }
      default:
        return { ok: true };
    }
  }

  /** A channel's messages (not thread replies) since `oldest`, newest first, in one page. */
  private history(args: SlackArgs): RecordedCall['result'] & {} {
    const oldest = Number(args.oldest ?? 0);
    const messages = [...this.messages.entries()]
      .filter(([key, m]) => key.startsWith(`${args.channel}/`) && !m.thread_ts && Number(m.ts) > oldest)
      .map(([, m]) => m)
      .sort((a, b) => Number(b.ts) - Number(a.ts));
    return { ok: true, messages, has_more: false };
  }

  /** A thread (its root, then its replies, oldest first), `limit` at a time, paged with an opaque cursor. */
  private replies(args: SlackArgs): RecordedCall['result'] & {} {
    if (!this.messages.has(`${args.channel}/${args.ts}`)) return { ok: false, error: 'thread_not_found' };
    const thread = [...this.messages.entries()]
      .filter(([key, m]) => key.startsWith(`${args.channel}/`) && (m.ts === args.ts || m.thread_ts === args.ts))
      .map(([, m]) => m)
      .sort((a, b) => Number(a.ts) - Number(b.ts));
    const start = args.cursor ? Number(Buffer.from(args.cursor, 'base64').toString('utf8')) : 0;
    const limit = Number(args.limit ?? 1000);
    const next = start + limit < thread.length ? Buffer.from(String(start + limit)).toString('base64') : '';
    return {
      ok: true,
      messages: thread.slice(start, start + limit),
      has_more: next !== '',
      response_metadata: { next_cursor: next },
    };
  }
}

/** The file in an upload: the WebClient sends it as multipart form data (one part), or as the raw body. */
async function uploadedBytes(raw: Buffer, contentType: string): Promise<Buffer> {
  if (!contentType.startsWith('multipart/form-data')) return raw;
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  const [part] = [...form.values()];
  if (part === undefined) return Buffer.alloc(0);
  return typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(await part.arrayBuffer());
}
/** The scopes oauth.v2.access says were granted (Slack answers with the app's configured bot scopes). */
const BOT_SCOPE_GRANT = 'commands,chat:write,chat:write.public,links:read,links:write,app_mentions:read';

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
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
