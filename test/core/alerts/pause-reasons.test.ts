/**
 * A pause's stored reason (the platform's code, and what it added after a colon) read as people read it: the
 * platform's own words where its adapter has them (Slack, Discord), else what the platform added, else the code.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GUILD_REMOVED_REASON } from '../../../src/adapters/discord/client.ts';
import { explainDiscordPause } from '../../../src/adapters/discord/pause-explanations.ts';
import { UNINSTALL_REASONS } from '../../../src/adapters/slack/listeners/uninstalls.ts';
import { explainSlackPause } from '../../../src/adapters/slack/pause-explanations.ts';
import { explainPause, pauseFix, pauseReason, splitPauseReason } from '../../../src/core/alerts/pause-reasons.ts';

test('GIVEN a code and what the platform added THEN stored as "code: detail" and read back', () => {
  assert.equal(pauseReason('missing_scope', 'chat:write'), 'missing_scope: chat:write');
  assert.equal(pauseReason('not_in_channel'), 'not_in_channel');
  assert.deepEqual(splitPauseReason('missing_scope: chat:write'), { code: 'missing_scope', detail: 'chat:write' });
  assert.deepEqual(splitPauseReason('50013'), { code: '50013' });
});

test('GIVEN Slack codes THEN each pause reads as what is wrong and what fixes it', () => {
  const said = (reason: string) => {
    const explained = explainPause(reason, explainSlackPause);
    return `${explained.why}. ${pauseFix(explained, '/paper subscriptions resume')}`;
  };
  assert.equal(
    said('not_in_channel'),
    'I am not in this channel. Invite me with `/invite @paperboy`, then run /paper subscriptions resume.',
  );
  assert.equal(said('is_archived'), 'the channel was archived. Unarchive it, then run /paper subscriptions resume.');
  assert.match(said('missing_scope: chat:write'), /^my token lacks the `chat:write` permission\. An admin can/);
  assert.match(said('missing_scope'), /^my token lacks a permission Slack asks for here\./);
  assert.match(said(UNINSTALL_REASONS.app_uninstalled), /^paperboy was removed from this workspace\. An admin can/);
  assert.match(said(UNINSTALL_REASONS.tokens_revoked), /^paperboy's access to this workspace was revoked\./);
  assert.match(said('installation_unreadable'), /PAPERBOY_SECRET_KEY/);
  for (const reason of ['channel_not_found', 'restricted_action', 'not_installed', 'team_access_not_granted'])
    assert.doesNotMatch(said(reason), new RegExp(reason), `${reason} is said in words`);
});

test('GIVEN Discord codes THEN each pause reads in words', () => {
  assert.match(explainPause('50013', explainDiscordPause).why, /^I lack a permission in this channel/);
  assert.equal(explainPause('50001', explainDiscordPause).why, 'I cannot see this channel');
  assert.deepEqual(explainPause(GUILD_REMOVED_REASON, explainDiscordPause), {
    why: 'paperboy was removed from this server',
    fix: 'Add it to the server again',
  });
});

test('GIVEN no words for a code THEN what the platform added, else the code, and a fix that still says resume', () => {
  assert.deepEqual(explainPause('app_uninstalled: paperboy was removed'), { why: 'paperboy was removed' });
  const unknown = explainPause('weird_error', explainSlackPause);
  assert.deepEqual(unknown, { why: 'I could not post here (weird_error)' });
  assert.equal(
    pauseFix(unknown, '/paper subscriptions resume'),
    'Once that is fixed, run /paper subscriptions resume.',
  );
});
