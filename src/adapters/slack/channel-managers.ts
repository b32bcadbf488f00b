/**
 * Who may change what a Slack channel keeps and receives, deny by default, from what `users.info` says of the user
 * (needs `users:read`), at the two levels of core/channel-managers.ts. Guests (single- and multi-channel), people of
 * another organisation in a Slack Connect channel, bots and deactivated accounts never may. Every other member is a
 * member of the channel's workspace: they may save papers to its library and say 👎 for it. Who manages its alerts is
 * SLACK_CHANNEL_MANAGERS: `members` (the default) every such member too; `admins` only workspace admins and owners.
 * Slack is asked only when a command needs an answer, and each user's answer is kept a few minutes (in memory, a
 * bounded number of users) for both levels, so a burst of commands costs one call. When Slack cannot be asked, the
 * answer is no.
 */
import type { Context, webApi } from '@slack/bolt';
import type { Invoker, RightAnswer, RightCheck } from '../../core/command.ts';
import type { Logger } from '../../core/logger.ts';
import { logSlackFailure, withRateLimitRetry } from './slack-errors.ts';

export const SLACK_MANAGER_POLICIES = ['members', 'admins'] as const;
/** SLACK_CHANNEL_MANAGERS: `members` (every full member of the workspace) or `admins` (admins and owners only). */
export type SlackManagerPolicy = (typeof SLACK_MANAGER_POLICIES)[number];

/** What matters here of a user, as users.info describes them. */
export interface SlackUserFacts {
  /** The name people see: the display name, else the real name or the username. */
  name?: string;
  teamId?: string;
  /** The Enterprise Grid organisation the user belongs to, if any. */
  enterpriseId?: string;
  bot: boolean;
  deleted: boolean;
  guest: boolean;
  admin: boolean;
}

/** The workspace (and Grid organisation) a request is for: whose channel the alerts are. */
export interface SlackWorkspace {
  teamId?: string;
  enterpriseId?: string;
}

/** How long a users.info answer is trusted: a demoted admin or a new guest is seen within this. */
const TTL_MS = 5 * 60_000;
/** Users remembered at most; the oldest are forgotten first. */
const MAX_USERS = 10_000;

export interface SlackChannelManagersOptions {
  policy: SlackManagerPolicy;
  logger: Logger;
  /** The workspace a single-workspace app is installed in (auth.test at start); else each request's own. */
  installedIn?: SlackWorkspace;
  sleep?: (ms: number) => Promise<void>;
  ttlMs?: number;
  maxUsers?: number;
  now?: () => number;
}

/** Who may change what a channel keeps, as refusals name them. */
const MEMBERS = 'full members of this workspace';

/** Decides, per user, whether they are a member of channels' workspace and whether they may manage alerts; one per Slack app. */
export class SlackChannelManagers {
  /** Who may manage alerts, as refusals name them. */
  readonly managers: string;
  private readonly known = new Map<string, { facts: SlackUserFacts; until: number }>();
  private readonly asking = new Map<string, Promise<SlackUserFacts>>();

  constructor(private readonly options: SlackChannelManagersOptions) {
    this.managers =
      options.policy === 'admins' ? 'workspace admins and owners (SLACK_CHANNEL_MANAGERS=admins)' : MEMBERS;
  }

  /**
   * The invoker's fields that answer "is this user a member here?" and "may they manage the channel?", asking Slack
   * (once for both) only when a command asks.
   */
  forUser(
    client: webApi.WebClient,
    userId: string | undefined,
    context: Pick<Context, 'teamId' | 'enterpriseId'>,
  ): Pick<Invoker, 'canManageChannel' | 'managers' | 'isMember' | 'members'> {
    const workspace: SlackWorkspace = this.options.installedIn?.teamId
      ? this.options.installedIn
      : { teamId: context.teamId, enterpriseId: context.enterpriseId };
    const check =
      (policy: SlackManagerPolicy): RightCheck =>
      async () => {
        if (!userId) return { allowed: false };
        let facts: SlackUserFacts;
        try {
          facts = await this.lookUp(client, userId, workspace);
        } catch (error) {
          const failure = logSlackFailure(this.options.logger, "check the user's account", error);
          return { allowed: false, reason: lookupFailure(failure.code) };
        }
        const answer = judgeSlackUser(facts, workspace, policy);
        return facts.name ? { ...answer, name: facts.name } : answer;
      };
    return {
      managers: this.managers,
      canManageChannel: check(this.options.policy),
      members: MEMBERS,
      // A member of the workspace is what `members` asks of a manager.
      isMember: check('members'),
    };
  }

  private async lookUp(client: webApi.WebClient, userId: string, workspace: SlackWorkspace): Promise<SlackUserFacts> {
    const key = `${workspace.teamId ?? workspace.enterpriseId ?? ''}/${userId}`;
    const now = (this.options.now ?? Date.now)();
    const hit = this.known.get(key);
    if (hit && hit.until > now) return hit.facts;
    this.known.delete(key);
    // Two commands at once share one call.
    const pending = this.asking.get(key);
    if (pending) return pending;
    const asked = this.ask(client, userId)
      .then((facts) => {
        this.remember(key, facts, now);
        return facts;
      })
      .finally(() => this.asking.delete(key));
    this.asking.set(key, asked);
    return asked;
  }

  private async ask(client: webApi.WebClient, userId: string): Promise<SlackUserFacts> {
    const result = await withRateLimitRetry(() => client.users.info({ user: userId }), {
      logger: this.options.logger,
      what: 'users.info',
      sleep: this.options.sleep,
      // A command is waiting: a long rate limit is a "try again" rather than a wait.
      attempts: 2,
      maxWaitSeconds: 5,
    });
    const user = result.user;
    if (!user) throw new Error('users.info answered without the user');
    const name = user.profile?.display_name || user.profile?.real_name || user.real_name || user.name;
    return {
      ...(name ? { name } : {}),
      ...(user.team_id ? { teamId: user.team_id } : {}),
      ...(user.enterprise_user?.enterprise_id ? { enterpriseId: user.enterprise_user.enterprise_id } : {}),
      bot: user.is_bot === true || user.is_app_user === true || user.id === 'USLACKBOT',
      deleted: user.deleted === true,
      guest: user.is_restricted === true || user.is_ultra_restricted === true,
      admin: user.is_admin === true || user.is_owner === true || user.is_primary_owner === true,
    };
  }

  private remember(key: string, facts: SlackUserFacts, now: number): void {
    this.known.set(key, { facts, until: now + (this.options.ttlMs ?? TTL_MS) });
    const max = this.options.maxUsers ?? MAX_USERS;
    // A Map iterates in insertion order: the first keys are the oldest answers.
    for (const oldest of this.known.keys()) {
      if (this.known.size <= max) break;
      this.known.delete(oldest);
    }
  }
}

function lookupFailure(code: string): string {
  if (code === 'missing_scope')
    return (
      'I may not look up accounts here (the app lacks the `users:read` scope: an admin can reinstall it from ' +
      '`slack/manifest.json`), so I changed nothing.'
    );
  return `I could not check your account with Slack just now (${code}), so I changed nothing. Please try again in a minute.`;
}

/** The rules, for one user and the workspace whose channel it is. */
export function judgeSlackUser(
  user: SlackUserFacts,
  workspace: SlackWorkspace,
  policy: SlackManagerPolicy,
): RightAnswer {
  if (user.bot) return { allowed: false, reason: 'Bots and apps cannot.' };
  if (user.deleted) return { allowed: false, reason: 'Your account is deactivated.' };
  if (user.guest) return { allowed: false, reason: 'Guest accounts cannot.' };
  const same = sameOrganisation(user, workspace);
  if (same === undefined)
    return { allowed: false, reason: 'I could not tell which workspace your account belongs to.' };
  if (!same)
    return {
      allowed: false,
      reason:
        "Your account belongs to another organisation: what this channel keeps and receives is its workspace's to change.",
    };
  if (policy === 'admins' && !user.admin) return { allowed: false };
  return { allowed: true };
}

/**
 * Whether the user belongs to the workspace's organisation: the same Enterprise Grid organisation when both are in
 * one, else the same workspace (team). Undefined when Slack said too little to tell.
 */
function sameOrganisation(user: SlackUserFacts, workspace: SlackWorkspace): boolean | undefined {
  if (workspace.enterpriseId && user.enterpriseId) return user.enterpriseId === workspace.enterpriseId;
  if (workspace.teamId && user.teamId) return user.teamId === workspace.teamId;
  return undefined;
}
