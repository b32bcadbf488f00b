/**
 * The one Slack error classifier, fed what the real WebClient throws against local servers: Slack's error answers,
 * a 429, a 5xx, a refused connection; plus a thread that failed half-way and an error that is not Slack's at all.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { webApi } from '@slack/bolt';
import { classifySlackError, type SlackFailure, ThreadPostError } from '../../../src/adapters/slack/slack-errors.ts';
import { closeServer, listenLocal } from '../../fakes/local-server.ts';
import { FakeSlackApi } from '../../fakes/slack-api.ts';

/** A real WebClient for `apiUrl`, without its own retries and quiet about failed requests (they are the point). */
const clientAt = (apiUrl: string) =>
  new webApi.WebClient('xoxb-test', {
    slackApiUrl: apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logLevel: webApi.LogLevel.ERROR,
  });

let slack: FakeSlackApi;
let client: webApi.WebClient;
before(async () => {
  slack = await new FakeSlackApi().start();
  client = clientAt(slack.apiUrl);
});
after(() => slack.close());

/** What posting a message throws after the fake was told to answer with `error`. */
async function postFailure(error: string): Promise<unknown> {
  slack.failNext('chat.postMessage', error);
  return client.chat.postMessage({ channel: 'C1', text: 'hello' }).then(
    () => assert.fail('the post should have failed'),
    (thrown: unknown) => thrown,
  );
}

const kindOf = async (error: string) => classifySlackError(await postFailure(error)).kind;

describe('classifySlackError', () => {
  test('channels the bot cannot post in are "channel-unusable", with a message saying what to do', async () => {
    for (const code of ['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action', 'access_denied'])
      assert.equal(await kindOf(code), 'channel-unusable', code);
    const failure = classifySlackError(await postFailure('not_in_channel'));
    assert.equal(failure.code, 'not_in_channel');
    assert.match(failure.userMessage, /not a member.*\/invite @paperboy/);
  });

  test('messages Slack can never take are "message-invalid"', async () => {
    for (const code of ['msg_too_long', 'invalid_blocks', 'no_text', 'metadata_too_large'])
      assert.equal(await kindOf(code), 'message-invalid', code);
    assert.match(classifySlackError(await postFailure('msg_too_long')).userMessage, /too long/);
  });

  test('a 429 is "rate-limited" with the Retry-After seconds', async () => {
    slack.rateLimitNext('chat.postMessage', 7);
    const thrown = await client.chat.postMessage({ channel: 'C1', text: 'hi' }).catch((error: unknown) => error);
    const failure: SlackFailure = classifySlackError(thrown);
    assert.deepEqual(
      { code: failure.code, kind: failure.kind, retryAfter: failure.retryAfter },
      { code: 'ratelimited', kind: 'rate-limited', retryAfter: 7 },
    );
    assert.match(failure.userMessage, /rate-limiting/);
  });

  test('other error answers are "rejected" and name the code', async () => {
    const failure = classifySlackError(await postFailure('invalid_auth'));
    assert.equal(failure.kind, 'rejected');
    assert.equal(failure.code, 'invalid_auth');
    assert.match(failure.userMessage, /did not accept my answer \(invalid_auth\)/);
  });

  test('no answer, a 5xx, or an error that is not Slack\'s are "maybe-posted"', async () => {
    const down = createServer((_req, res) => {
      res.writeHead(503);
      res.end('busy');
    });
    const port = await listenLocal(down);
    try {
      const thrown = await clientAt(`http://127.0.0.1:${port}/api/`)
        .chat.postMessage({ channel: 'C1', text: 'hi' })
        .catch((error: unknown) => error);
      assert.deepEqual(
        [classifySlackError(thrown).code, classifySlackError(thrown).kind],
        ['http_503', 'maybe-posted'],
      );
    } finally {
      await closeServer(down);
    }
    // The server is closed now: nothing answers on its port.
    const refused = await clientAt(`http://127.0.0.1:${port}/api/`)
      .chat.postMessage({ channel: 'C1', text: 'hi' })
      .catch((error: unknown) => error);
    assert.deepEqual(
      [classifySlackError(refused).code, classifySlackError(refused).kind],
      ['request_failed', 'maybe-posted'],
    );
    const bug = classifySlackError(new TypeError('x is undefined'));
    assert.deepEqual([bug.code, bug.kind], ['unknown_error', 'maybe-posted']);
    assert.match(bug.userMessage, /something went wrong/);
    assert.doesNotMatch(bug.userMessage, /x is undefined/, 'no internals shown to the user');
  });

  test('a thread that failed half-way is classified by the Slack error that stopped it', async () => {
    const cause = await postFailure('is_archived');
    const failure = classifySlackError(new ThreadPostError(cause, []));
    assert.deepEqual([failure.code, failure.kind], ['is_archived', 'channel-unusable']);
  });
});
