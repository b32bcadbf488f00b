/**
 * Just enough of Slack for the alert outbox (chat.postMessage, conversations.history / replies with message
 * metadata), with a hook that can hold back the answer to an accepted post: how crash tests kill the poster
 * between "Slack accepted it" and "paperboy heard so".
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeServer, listenLocal } from './local-server.ts';
import type { AlertMetadata, SlackArgs } from './slack-api.ts';

export interface Posted {
  channel: string;
  ts: string;
  thread_ts?: string;
  text: string;
  metadata?: AlertMetadata;
}

/**
 * A Web API call as the Slack client sends it (form-encoded, JSON-valued fields, or JSON): its method and arguments.
 */
export async function readSlackCall(req: IncomingMessage): Promise<{ method: string; args: SlackArgs }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  const args: Record<string, unknown> = {};
  if (String(req.headers['content-type']).includes('json')) Object.assign(args, JSON.parse(raw || '{}'));
  else for (const [k, v] of new URLSearchParams(raw)) args[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
  return { method: new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/api\//, ''), args: args as SlackArgs };
}

export class MiniSlack {
  readonly posted: Posted[] = [];
  /** POSTs to response URLs (`/response/<name>`): a slash command's answers, by name, with `performance.now()`. */
  readonly responses: { target: string; body: unknown; receivedAt: number }[] = [];
  /** Called with each accepted post before answering; may kill the poster (then no answer is sent). */
  onPost: (post: Posted, res: ServerResponse) => Promise<boolean> = async () => false;
  private server: Server | undefined;
  private next = 1;
  url = '';

  /** `realClock`: message timestamps from the real clock (bots that search history by time), not a fixed day. */
  constructor(private readonly options: { realClock?: boolean } = {}) {}

  /** A response_url pointing at this fake; its POSTs are recorded under `name`. */
  responseUrl(name: string): string {
    return this.url.replace(/\/api\/$/, `/response/${encodeURIComponent(name)}`);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.url = `http://127.0.0.1:${await listenLocal(this.server)}/api/`;
    return this;
  }

  async close(): Promise<void> {
    if (this.server) await closeServer(this.server);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.url?.startsWith('/response/')) {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const receivedAt = performance.now();
      const target = decodeURIComponent(req.url.slice('/response/'.length));
      this.responses.push({ target, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'), receivedAt });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
      return;
    }
    const { method, args } = await readSlackCall(req);
    const answer = (body: object) => {
      if (res.destroyed) return;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (method === 'chat.postMessage') {
      const seconds = this.options.realClock ? Math.floor(Date.now() / 1000) : 1742299200;
      const ts = `${seconds}.${String(this.next++).padStart(6, '0')}`;
      const post = postedMessage(args, ts);
      this.posted.push(post);
      if (await this.onPost(post, res)) return;
      return answer({ ok: true, channel: args.channel, ts, message: post });
    }
    if (method === 'conversations.history')
      return answer({ ok: true, messages: channelHistory(this.posted, args), has_more: false });
    if (method === 'conversations.replies')
      return answer({ ok: true, messages: threadReplies(this.posted, args), has_more: false });
    if (method === 'auth.test') return answer({ ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' });
    return answer({ ok: true });
  }
}

/** What a chat.postMessage call posts, as message `ts`. */
export function postedMessage(args: SlackArgs, ts: string): Posted {
  return {
    channel: args.channel ?? '',
    ts,
    text: args.text ?? '',
    ...(args.thread_ts ? { thread_ts: args.thread_ts } : {}),
    ...(args.metadata ? { metadata: args.metadata } : {}),
  };
}

/** conversations.history over recorded posts: the channel's top-level messages since `oldest`, newest first. */
export function channelHistory(
  posted: readonly Posted[],
  args: { channel?: string; oldest?: string | number },
): Posted[] {
  const oldest = Number(args.oldest ?? 0);
  return posted.filter((p) => p.channel === args.channel && !p.thread_ts && Number(p.ts) >= oldest).reverse();
}

/** conversations.replies over recorded posts: a thread's root and its replies. */
export function threadReplies(posted: readonly Posted[], args: { channel?: string; ts?: string }): Posted[] {
  return posted.filter((p) => p.channel === args.channel && (p.ts === args.ts || p.thread_ts === args.ts));
}
