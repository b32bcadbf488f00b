/**
 * Reliability: the Slack Socket Mode connection and the Discord gateway drop and come back without
 * losing an interaction that was already acknowledged. The real Bolt App and the real discord.js Client
 * run against the local fakes; the fake drops the socket right after the first interaction, the client
 * reconnects (Slack: apps.connections.open again; Discord: RESUME on resume_gateway_url), a second
 * interaction arrives on the new connection, and each one is answered exactly once.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type SlackHandle, startSlack } from '../../src/adapters/slack/app.ts';
import { createTestDispatcher } from '../fakes/discord-dispatcher.ts';
import { type DiscordHarness, startHarness } from '../fakes/discord-harness.ts';
import { chatInput, defaultWorld, type InteractionPayload } from '../fakes/discord-payloads.ts';
import { FakeSlackApi } from '../fakes/slack-api.ts';
import { testDispatcher } from '../fakes/slack-commands.ts';
import { CaptureLogger } from '../fakes/slack-logger.ts';
import { slashCommandFields } from '../fakes/slack-requests.ts';
import { FakeSlackSocket } from '../fakes/slack-socket.ts';

/** Polls `check` until it holds; fails after `ms` (a hang guard, not a timing assertion). */
async function eventually(what: string, check: () => boolean, ms = 10000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('GIVEN Slack in Socket Mode and a connection that drops', () => {
  const BOT = 'U00FAKEBOT01';
  let api: FakeSlackApi;
  let socket: FakeSlackSocket;
  let handle: SlackHandle | undefined;

  before(async () => {
    api = await new FakeSlackApi({ botUserId: BOT }).start();
    socket = await new FakeSlackSocket().start();
    api.socketUrl = socket.url;
    handle = await startSlack(
      {
        botToken: 'xoxb-reconnect-test',
        appToken: 'xapp-1-reconnect-test',
        port: 0,
        apiUrl: api.apiUrl,
        botUserId: BOT,
        botId: 'B00FAKEBOT01',
        retries: 0,
      },
      { dispatcher: testDispatcher(), logger: new CaptureLogger() },
    );
    await socket.waitForConnections(1);
  });

  after(async () => {
    await handle?.stop();
    await socket?.close();
    await api?.close();
  });

  const slash = (name: string) => ({
    ...slashCommandFields(),
    command: '/paper',
    text: 'lora',
    response_url: api.responseUrl(name),
  });
  const answersTo = (name: string) => api.callsTo('response_url').filter((call) => call.target === name);

  for (const [label, reason] of [
    ['cut (terminate)', undefined],
    ['closed after a disconnect refresh_requested', 'refresh_requested'],
  ] as const) {
    const when = `WHEN the socket is ${label} right after an ack`;
    test(`${when} THEN the app reconnects and both commands are answered once`, async () => {
      const before = socket.connections;
      const opensBefore = api.callsTo('apps.connections.open').length;
      const first = `before-drop-${reason ?? 'cut'}`;
      const second = `after-reconnect-${reason ?? 'cut'}`;

      const ack = await socket.send('slash_commands', slash(first));
      assert.ok(ack.envelope_id, 'the first command was acked');
      socket.drop(reason); // between the ack and (most likely) the answer

      await socket.waitForConnections(before + 1);
      assert.equal(
        api.callsTo('apps.connections.open').length,
        opensBefore + 1,
        'a fresh apps.connections.open per reconnect',
      );

      const secondAck = await socket.send('slash_commands', slash(second));
      assert.ok(secondAck.envelope_id, 'the second command was acked on the new connection');

      await eventually('both answers', () => answersTo(first).length >= 1 && answersTo(second).length >= 1);
      // Let anything duplicated arrive before counting: one more round trip through the app.
      await socket.send('slash_commands', slash(`probe-${reason ?? 'cut'}`));
      await eventually('the probe answer', () => answersTo(`probe-${reason ?? 'cut'}`).length >= 1);
      assert.equal(answersTo(first).length, 1, 'the acked command before the drop was answered exactly once');
      assert.equal(answersTo(second).length, 1, 'the command after the reconnect was answered exactly once');
      assert.equal(answersTo(first)[0]!.args.response_type, 'ephemeral');
    });
  }
});

describe('GIVEN the Discord gateway and a connection that drops', () => {
  const world = defaultWorld();
  let harness: DiscordHarness | undefined;

  before(async () => {
    harness = await startHarness({ world, dispatcher: createTestDispatcher() });
  });

  after(async () => {
    await harness?.close();
  });

  const callbacksFor = (payload: InteractionPayload) =>
    harness!.fake.requests.filter(
      (r) => r.method === 'POST' && r.path === `/interactions/${payload.id}/${payload.token}/callback`,
    );

  for (const [label, how] of [
    ['closed with 4000 (resumable)', { code: 4000 }],
    ['asked to reconnect (op 7)', 'reconnect'],
  ] as const) {
    const when = `WHEN the gateway is ${label} right after an interaction`;
    test(`${when} THEN the client resumes and both are answered once`, async () => {
      const { fake, bot } = harness!;
      const connectionsBefore = fake.gatewayConnections;
      const resumesBefore = fake.gatewayFrames.filter((frame) => frame.op === 6).length;

      const first = chatInput(world, { name: 'paperboy', subcommand: 'help' });
      const firstAnswer = harness!.interact(first);
      fake.dropGateway(how); // the interaction is in the client's hands; its answer is still to come

      await eventually(
        'a RESUME on a new gateway connection',
        () =>
          fake.gatewayConnections > connectionsBefore &&
          fake.gatewayFrames.filter((frame) => frame.op === 6).length > resumesBefore,
      );
      const resume = fake.gatewayFrames.filter((frame) => frame.op === 6).at(-1)!;
      assert.ok(
        typeof resume.d.session_id === 'string' && resume.d.session_id.length > 0,
        'RESUME carries the session id',
      );
      assert.ok(Number.isInteger(resume.d.seq) && resume.d.seq > 0, 'RESUME carries the last sequence number');
      assert.equal(fake.gatewayFrames.filter((frame) => frame.op === 2).length, 1, 'resumed, not identified again');

      const callback = await firstAnswer;
      assert.equal(callback.body.data?.content, 'Try /paper lora.', 'the first interaction was answered');

      assert.ok(bot.client.isReady(), 'the client is still ready after the resume');
      const second = chatInput(world, { name: 'paperboy', subcommand: 'help' });
      const secondCallback = await harness!.interact(second);
      assert.equal(
        secondCallback.body.data?.content,
        'Try /paper lora.',
        'the interaction after the resume was answered',
      );

      // One more round trip before counting, so a duplicated answer would have arrived.
      await harness!.interact(chatInput(world, { name: 'paperboy', subcommand: 'help' }));
      assert.equal(callbacksFor(first).length, 1, 'the interaction before the drop was answered exactly once');
      assert.equal(callbacksFor(second).length, 1, 'the interaction after the resume was answered exactly once');
    });
  }
});
