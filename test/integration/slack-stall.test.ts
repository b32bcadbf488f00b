/**
 * No input can stall the bot, seen as Slack sees it: the bot as operators run it (src/main.ts in a child process,
 * Socket Mode, the real Bolt App) against the fake Slack, whose Socket Mode server gives each envelope Slack's 3
 * seconds to be acknowledged. While one person asks for the digest of a thread of eight 39,000-character hostile
 * messages (the arXiv link followed by `)` to the end, then a letter, among them), another person's slash
 * commands keep arriving, one after another from before the digest is asked for until it is posted: every one is
 * acknowledged in time and answered, and the digest is answered too. The bot runs in its own process so that a
 * stalled event loop there cannot stall the fake's clock here.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { tempDir } from '../core/alerts/support.ts';
import { type PaperSourceServer, startPaperSourceServer } from '../fakes/paper-source-server.ts';
import { FakeSlackApi, type RecordedCall } from '../fakes/slack-api.ts';
import { appMentionEvent, slashCommandFields } from '../fakes/slack-requests.ts';
import { FakeSlackSocket } from '../fakes/slack-socket.ts';
import { repeatTo } from '../hostile/support.ts';
import { type BotProcess, startBot } from '../support/bot-process.ts';

const BOT = 'U0STALLBOT';
const CHANNEL = 'C0STALL01';
const ROOT_TS = '1767100000.000000';
/** Slack's deadline for an acknowledgement. */
const ACK_DEADLINE_MS = 3000;
const LENGTH = 39_000;

/** Eight messages of 39,000 characters, each made to make a backtracking expression or a careless loop slow. */
const HOSTILE_MESSAGES = [
  `https://arxiv.org/abs/2501.00001${repeatTo(')', 'a', LENGTH - 32)}`,
  `look at 2502.00002 ${repeatTo(' ', 'x', LENGTH - 19)}`,
  repeatTo('<!channel> @everyone <@U0ADA> ', '', LENGTH),
  `${'('.repeat(LENGTH / 2 - 1)}x${')'.repeat(LENGTH / 2)}`,
  repeatTo('a1_', '!', LENGTH),
  repeatTo(`.,;:!?'"]`, 'z', LENGTH),
  `<https://x.example/${repeatTo('a/', '|click>', LENGTH - 19)}`,
  repeatTo('😀 arXiv:2503.00003 é\u200b\u202e ', '', LENGTH),
];

const temp = tempDir('paperboy-stall-');
let api: FakeSlackApi;
let socket: FakeSlackSocket;
let sources: PaperSourceServer;
let bot: BotProcess;

before(async () => {
  api = await new FakeSlackApi({ botUserId: BOT }).start();
  socket = await new FakeSlackSocket({ ackDeadlineMs: ACK_DEADLINE_MS }).start();
  api.socketUrl = socket.url;
  // The digest looks the papers it does not hold up on the arXiv API: here, locally (it answers 404).
  sources = await startPaperSourceServer();
  api.putUser('U0EVE', { profile: { display_name: 'Eve' } });
  api.putMessage(CHANNEL, { ts: ROOT_TS, type: 'message', user: 'U0EVE', text: 'a reading list' });
  HOSTILE_MESSAGES.forEach((text, i) => {
    assert.equal(text.length, LENGTH);
    api.putMessage(CHANNEL, {
      ts: `${1767100001 + i}.000000`,
      type: 'message',
      user: 'U0EVE',
      text,
      thread_ts: ROOT_TS,
    });
  });
  bot = startBot({
    PAPERBOY_DB: join(temp.dir, 'stall.db'),
    PAPERBOY_INDEX_DIR: '',
    SLACK_BOT_TOKEN: 'xoxb-stall-test',
    SLACK_APP_TOKEN: 'xapp-1-stall-test',
    SLACK_API_URL: api.apiUrl,
    POLL_INTERVAL_MINUTES: '0',
    ARXIV_API_URL: sources.url,
  });
  await bot.waitForLog('paperboy is running');
  await socket.waitForConnections(1);
});

after(async () => {
  bot?.child.kill('SIGKILL');
  await socket?.close();
  await api?.close();
  await sources?.close();
  temp.cleanup();
});

/** Bob's `/paper lora`: resolves once Slack has its ack (within 3 s, or the fake rejects) and its answer. */
async function bobsCommand(n: number): Promise<RecordedCall> {
  await socket.send('slash_commands', {
    ...slashCommandFields(),
    command: '/paper',
    text: 'lora',
    user_id: 'U0BOB',
    channel_id: CHANNEL,
    response_url: api.responseUrl(`bob-${n}`),
  });
  const answers = await api.waitFor('response_url', n, 30_000);
  return answers.find((call) => call.target === `bob-${n}`) ?? assert.fail(`no answer to command ${n}`);
}

test(
  'GIVEN a thread of eight 39,000-character hostile messages WHEN one person asks for its digest ' +
    "THEN another person's commands are acknowledged within Slack's 3 seconds and answered all along, and the " +
    'digest is answered',
  async () => {
    const first = await bobsCommand(1);
    assert.ok(first.args.blocks?.length, 'the command was answered');

    const mention = appMentionEvent('<@BOT> digest', {
      threadTs: ROOT_TS,
      eventId: 'EvSTALL1',
      botUserId: BOT,
      channel: CHANNEL,
    });
    let digested: RecordedCall | undefined;
    const digest = api.waitFor('chat.postMessage', 1, 60_000).then(([post]) => {
      digested = post;
    });
    await socket.send('events_api', mention);
    // Until the digest is posted, one command after another: any stall of the bot shows as a late ack.
    let commands = 1;
    while (!digested) await bobsCommand(++commands);
    await digest;

    assert.ok(commands >= 2, `${commands} commands were sent while the digest was being made`);
    const post = digested!;
    assert.equal(post.args.thread_ts, ROOT_TS, 'the digest is posted in the thread');
    const text = JSON.stringify(post.args.blocks);
    assert.match(text, /Thread digest: \d+ papers?/);
    assert.match(text, /2501\.00001/, 'the paper of the link followed by 39,000 `)` and a letter is found');
    // Seven: the run of spaces of the second collapses to one.
    assert.match(text, /7 messages were long: I read the first 10,000 characters of each\./);
    assert.ok(!/<!channel>|<@U0ADA>/.test(JSON.stringify(post.args.blocks)), 'nothing pings');
    assert.deepEqual(
      bot.logs.filter((line) => line.level === 'error').map((line) => line.msg),
      [],
      'nothing failed',
    );
  },
);
