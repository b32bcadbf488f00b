/**
 * The Slack installation store over the real store: what an alert gets for a channel whose workspace is not
 * installed, or whose installation the key cannot open, and how those failures pause the channel.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { Installation } from '@slack/bolt';
import {
  SlackInstallations,
  SlackInstallationUnreadableError,
  SlackNotInstalledError,
} from '../../../src/adapters/slack/installations.ts';
import { classifySlackError } from '../../../src/adapters/slack/slack-errors.ts';
import { SecretBox, SecretBoxError } from '../../../src/core/secret-box.ts';
import { testPaperboy } from '../../support/paperboy.ts';

const INSTALLATION: Installation<'v2', false> = {
  team: { id: 'T1', name: 'One' },
  enterprise: undefined,
  user: { id: 'UADMIN', token: undefined, scopes: undefined },
  bot: { token: 'xoxb-1-2-TeStToKeN', scopes: ['chat:write'], id: 'B1', userId: 'UB1' },
  isEnterpriseInstall: false,
  authVersion: 'v2',
};

test('GIVEN installed, unknown and uninstalled workspaces THEN tokens or failures that pause', async (t) => {
  const pb = await testPaperboy({ builtin: false });
  t.after(() => pb.close());
  const key = randomBytes(32);
  const installations = new SlackInstallations(pb.store, new SecretBox(key));
  await installations.storeInstallation(INSTALLATION);

  assert.equal(await installations.botTokenFor('T1'), 'xoxb-1-2-TeStToKeN');
  for (const [workspace, message] of [
    ['T2', /not installed in Slack workspace T2/],
    ['', /no Slack workspace is known/],
  ] as const) {
    const error = await installations.botTokenFor(workspace).catch((e: unknown) => e);
    assert.ok(error instanceof SlackNotInstalledError);
    assert.match(error.message, message);
    assert.deepEqual(
      { code: classifySlackError(error).code, kind: classifySlackError(error).kind },
      { code: 'not_installed', kind: 'channel-unusable' },
    );
  }

  const otherKey = new SlackInstallations(pb.store, new SecretBox(randomBytes(32)));
  await assert.rejects(otherKey.verifyKey(), (e: unknown) => e instanceof SecretBoxError && /another/.test(e.message));
  const unreadable = await otherKey.botTokenFor('T1').catch((e: unknown) => e);
  assert.ok(unreadable instanceof SlackInstallationUnreadableError);
  assert.equal(classifySlackError(unreadable).code, 'installation_unreadable');
  assert.equal(classifySlackError(unreadable).kind, 'channel-unusable');
  await installations.verifyKey();
});
