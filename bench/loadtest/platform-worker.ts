/**
 * "The platforms" for the load harness, in a worker thread with its own event loop: the fake Slack Web API and the
 * fake Discord (REST + gateway), and the load generator that fires the requests and times the acknowledgements.
 * Kept off the bot's thread so a busy bot cannot slow the clock that measures it (or the fakes that answer it).
 */

import type { EventEmitter } from 'node:events';
import { parentPort } from 'node:worker_threads';
import { FakeDiscord, type RecordedRequest } from '../../test/fakes/discord-api.ts';
import { chatInput, defaultWorld } from '../../test/fakes/discord-payloads.ts';
import { FakeSlackApi, type RecordedCall } from '../../test/fakes/slack-api.ts';
import { postSigned, slashCommandBody } from '../../test/fakes/slack-requests.ts';

export type WorkerRequest =
  | { cmd: 'start-slack' }
  | { cmd: 'fire-slack'; url: string; secret: string; queries: string[]; concurrency: number; timeoutMs: number }
  | { cmd: 'start-discord' }
  | { cmd: 'fire-discord'; queries: string[]; concurrency: number; timeoutMs: number }
  | { cmd: 'close' };

export interface FireResult {
  acks: number[];
  answers: number[];
  errors: string[];
  wallMs: number;
}

let slack: FakeSlackApi | undefined;
let discord: FakeDiscord | undefined;
const world = defaultWorld();

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<T>(
      (_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms)),
    ),
  ]).finally(() => clearTimeout(timer));
}

async function fireSlack(request: Extract<WorkerRequest, { cmd: 'fire-slack' }>): Promise<FireResult> {
  const api = slack!;
  const sentAt = new Map<string, number>();
  const answers: number[] = [];
  const errors: string[] = [];
  const acks: number[] = [];
  const events = (api as unknown as { events: EventEmitter }).events;
  events.setMaxListeners(0);
  let answered = 0;
  let allAnswered: () => void = () => {};
  const done = new Promise<void>((resolve) => (allAnswered = resolve));
  const onCall = (call: RecordedCall) => {
    const t0 = call.method === 'response_url' && call.target ? sentAt.get(call.target) : undefined;
    if (t0 === undefined) return;
    sentAt.delete(call.target!);
    answers.push(performance.now() - t0);
    if (++answered === request.concurrency) allAnswered();
  };
  events.on('call', onCall);
  const tag = Math.random().toString(36).slice(2, 8);
  const bodies = Array.from({ length: request.concurrency }, (_, i) => ({
    name: `${tag}-${i}`,
    body: slashCommandBody(request.queries[i % request.queries.length]!, api.responseUrl(`${tag}-${i}`)),
  }));
  const started = performance.now();
  await Promise.all(
    bodies.map(async ({ name, body }) => {
      const t0 = performance.now();
      sentAt.set(name, t0);
      try {
        const response = await withTimeout(
          postSigned(request.url, request.secret, body, 'application/x-www-form-urlencoded'),
          request.timeoutMs,
          name,
        );
        if (response.status !== 200) errors.push(`${name}: HTTP ${response.status}`);
        else acks.push(performance.now() - t0);
      } catch (error) {
        errors.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }),
  );
  if (answered < request.concurrency)
    await withTimeout(done, request.timeoutMs, 'answers').catch((error: Error) => errors.push(error.message));
  events.off('call', onCall);
  return { acks, answers, errors, wallMs: performance.now() - started };
}

async function fireDiscord(request: Extract<WorkerRequest, { cmd: 'fire-discord' }>): Promise<FireResult> {
  const fake = discord!;
  (fake as unknown as { events: EventEmitter }).events.setMaxListeners(0);
  const errors: string[] = [];
  const acks: number[] = [];
  const answers: number[] = [];
  const payloads = Array.from({ length: request.concurrency }, (_, i) =>
    chatInput(world, { name: 'paper', options: { query: request.queries[i % request.queries.length]! } }),
  );
  const started = performance.now();
  const waits = payloads.map((payload) => {
    const path = `/interactions/${payload.id}/${payload.token}/callback`;
    return {
      payload,
      t0: 0,
      acked: withTimeout(
        fake.waitFor((r: RecordedRequest) => r.path === path, request.timeoutMs),
        request.timeoutMs,
        payload.id,
      ),
    };
  });
  for (const wait of waits) {
    wait.t0 = performance.now();
    fake.dispatch('INTERACTION_CREATE', wait.payload);
  }
  await Promise.all(
    waits.map(async (wait) => {
      try {
        const callback = await wait.acked;
        const ms = performance.now() - wait.t0;
        acks.push(ms);
        // Type 5 is a deferral ("thinking…"): the answer is the later edit of @original.
        if (callback.body?.type === 5) {
          await withTimeout(
            fake.waitFor((r) => r.method === 'PATCH' && r.path.includes(wait.payload.token), request.timeoutMs),
            request.timeoutMs,
            `${wait.payload.id} edit`,
          );
          answers.push(performance.now() - wait.t0);
        } else answers.push(ms);
      } catch (error) {
        errors.push(error instanceof Error ? error.message.slice(0, 200) : String(error));
      }
    }),
  );
  return { acks, answers, errors, wallMs: performance.now() - started };
}

parentPort!.on('message', async (request: WorkerRequest) => {
  try {
    switch (request.cmd) {
      case 'start-slack':
        slack = await new FakeSlackApi({ botUserId: 'UBOT', botId: 'BBOT' }).start();
        return parentPort!.postMessage({ apiUrl: slack.apiUrl });
      case 'fire-slack':
        return parentPort!.postMessage(await fireSlack(request));
      case 'start-discord':
        discord = await new FakeDiscord(world).start();
        return parentPort!.postMessage({ apiUrl: discord.apiUrl, appId: world.appId });
      case 'fire-discord':
        return parentPort!.postMessage(await fireDiscord(request));
      case 'close':
        await slack?.close();
        await discord?.close();
        slack = discord = undefined;
        parentPort!.postMessage({ closed: true });
        parentPort!.close();
        return;
    }
  } catch (error) {
    parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
});
