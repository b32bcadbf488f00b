/** The rules for who may manage a Slack channel's alerts, and how long (and how many) users.info answers are kept. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { webApi } from '@slack/bolt';
import {
  judgeSlackUser,
  SlackChannelManagers,
  type SlackUserFacts,
} from '../../../src/adapters/slack/channel-managers.ts';
import type { RightCheck } from '../../../src/core/command.ts';
import { silentLogger } from '../../../src/core/logger.ts';

const member: SlackUserFacts = { teamId: 'T1', bot: false, deleted: false, guest: false, admin: false };

test('GIVEN the rules THEN guests, bots, other organisations never; admins only under `admins`', () => {
  const here = { teamId: 'T1' };
  assert.deepEqual(judgeSlackUser(member, here, 'members'), { allowed: true });
  assert.deepEqual(judgeSlackUser(member, here, 'admins'), { allowed: false });
  assert.deepEqual(judgeSlackUser({ ...member, admin: true }, here, 'admins'), { allowed: true });
  for (const [who, why] of [
    [{ ...member, admin: true, guest: true }, /Guest/],
    [{ ...member, bot: true }, /Bots/],
    [{ ...member, deleted: true }, /deactivated/],
    [{ ...member, admin: true, teamId: 'T2' }, /another organisation/],
    [{ ...member, teamId: undefined }, /could not tell/],
  ] as const) {
    const answer = judgeSlackUser(who, here, 'members');
    assert.equal(answer.allowed, false, JSON.stringify(who));
    assert.match(answer.reason ?? '', why);
  }
  // Enterprise Grid: another workspace of the same organisation is not another organisation.
  const grid = { teamId: 'T1', enterpriseId: 'E1' };
  assert.equal(judgeSlackUser({ ...member, teamId: 'T7', enterpriseId: 'E1' }, grid, 'members').allowed, true);
  assert.equal(judgeSlackUser({ ...member, teamId: 'T1', enterpriseId: 'E2' }, grid, 'members').allowed, false);
  assert.equal(judgeSlackUser({ ...member, teamId: 'T7' }, grid, 'members').allowed, false);
});

/** A WebClient whose users.info counts its calls and answers with a full member of T1. */
function countingClient() {
  const asked: string[] = [];
  const client = {
    users: {
      info: async ({ user }: { user: string }) => {
        asked.push(user);
        await new Promise((resolve) => setImmediate(resolve));
        return { ok: true, user: { id: user, team_id: 'T1' } };
      },
    },
  } as unknown as webApi.WebClient;
  return { client, asked };
}

test('GIVEN answers kept a few minutes for a bounded number of users THEN Slack is asked again only after', async () => {
  let now = 0;
  const managers = new SlackChannelManagers({
    policy: 'members',
    logger: silentLogger,
    ttlMs: 1000,
    maxUsers: 2,
    now: () => now,
  });
  const { client, asked } = countingClient();
  const check = (user: string) => managers.forUser(client, user, { teamId: 'T1' }).canManageChannel as RightCheck;
  const both = await Promise.all([check('U1')(), check('U1')()]);
  assert.deepEqual(both, [{ allowed: true }, { allowed: true }]);
  assert.deepEqual(asked, ['U1'], 'two commands at once share one call');
  now = 999;
  await check('U1')();
  assert.deepEqual(asked, ['U1'], 'still fresh');
  now = 1000;
  await check('U1')();
  assert.deepEqual(asked, ['U1', 'U1'], 'expired: asked again');
  await check('U2')();
  await check('U3')();
  await check('U1')();
  assert.deepEqual(asked, ['U1', 'U1', 'U2', 'U3', 'U1'], 'the oldest answer was forgotten to keep two');
  assert.equal(managers.forUser(client, undefined, {}).managers, 'full members of this workspace');
  assert.deepEqual(await (managers.forUser(client, undefined, {}).canManageChannel as RightCheck)(), {
    allowed: false,
  });
});

test('GIVEN SLACK_CHANNEL_MANAGERS=admins THEN a full member is a member but no manager, from one users.info call', async () => {
  const managers = new SlackChannelManagers({ policy: 'admins', logger: silentLogger });
  const { client, asked } = countingClient();
  const access = managers.forUser(client, 'U1', { teamId: 'T1' });
  assert.equal(access.members, 'full members of this workspace');
  assert.deepEqual(await (access.isMember as RightCheck)(), { allowed: true });
  assert.deepEqual(await (access.canManageChannel as RightCheck)(), { allowed: false });
  assert.deepEqual(asked, ['U1'], 'both levels judge the one answer');
  const elsewhere = managers.forUser(client, 'U2', { teamId: 'T2' });
  assert.match(String((await (elsewhere.isMember as RightCheck)()).reason), /another organisation/);
});
