/**
 * A fake OpenAI-compatible server on 127.0.0.1 (`POST /v1/chat/completions`, as OpenAI, Ollama, vLLM and llama.cpp
 * serve it): records every request and answers with what the test scripted: a completion, an HTTP error, a body
 * that is not a completion, or nothing at all (a hang, until the server closes).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { closeServer, listenLocal } from './local-server.ts';

export interface ChatRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: {
    model?: string;
    messages?: { role: string; content: string }[];
    max_tokens?: number;
    [field: string]: unknown;
  };
}

export type FakeAnswer =
  | { text: string }
  | { status: number; body?: string; contentType?: string; headers?: Record<string, string> }
  | { json: unknown }
  | 'hang';

/** A chat completion in OpenAI's shape, with `text` as the first choice's message. */
export function completion(text: string): unknown {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'fake',
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
  };
}

export class FakeOpenAi {
  readonly requests: ChatRequest[] = [];
  private answer: FakeAnswer = { text: 'A fake TL;DR.' };

  private constructor(
    private readonly server: Server,
    private readonly port: number,
  ) {}

  static async start(): Promise<FakeOpenAi> {
    let fake: FakeOpenAi | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        fake!.requests.push({ path: req.url ?? '', headers: req.headers, body: raw ? JSON.parse(raw) : {} });
        const answer = fake!.answer;
        if (answer === 'hang') return;
        if ('text' in answer || 'json' in answer) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify('text' in answer ? completion(answer.text) : answer.json));
          return;
        }
        res.writeHead(answer.status, {
          'content-type': answer.contentType ?? 'application/json',
          ...answer.headers,
        });
        res.end(answer.body ?? '');
      });
    });
    fake = new FakeOpenAi(server, await listenLocal(server));
    return fake;
  }

  /** LLM_BASE_URL for this server. */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  /** How every following request is answered. */
  answerWith(answer: FakeAnswer): void {
    this.answer = answer;
  }

  async close(): Promise<void> {
    await closeServer(this.server);
  }
}
