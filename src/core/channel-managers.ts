/**
 * Deny by default: who may change what a channel receives or keeps, at two levels. A member (`Invoker.isMember`)
 * changes what it keeps: saves papers to its library, says 👎 Not for us for it. A manager
 * (`Invoker.canManageChannel`) changes what it receives, its alerts, and what others kept there; a manager is a
 * member too. Adapters say how their platform decides; this module turns that into one answer, and a refusal into a
 * sentence naming who may instead.
 */
import type { ChannelChange, ChannelRight, Command, Invoker, OptionValues, RightAnswer } from './command.ts';

/** What the alert commands change: only a channel manager may. */
export const CHANGES_ALERTS: ChannelChange = { right: 'manager', what: "change this channel's alerts" };

/** How refusals name who may where the adapter has no words of its own. */
const ANYONE_WHO: Record<ChannelRight, string> = {
  member: 'members of this channel',
  manager: 'channel managers',
};

/** What this use of the command changes of the channel, and the right it needs (`subscriptions resume`, not the list). */
export function channelChange(command: Command, options: OptionValues): ChannelChange | undefined {
  const change = command.changesChannel;
  return typeof change === 'function' ? change(options) : change;
}

/**
 * Whether the invoker has the right in the channel: only an explicit yes counts, and a check that fails is a no. A
 * manager's yes is a member's too; a member's refusal keeps its own reason.
 */
export async function channelRightAnswer(invoker: Invoker, right: ChannelRight = 'manager'): Promise<RightAnswer> {
  if (right === 'manager') return ask(invoker.canManageChannel);
  const member = await ask(invoker.isMember);
  if (member.allowed) return member;
  const manager = await ask(invoker.canManageChannel);
  return manager.allowed ? manager : member;
}

async function ask(given: Invoker['canManageChannel']): Promise<RightAnswer> {
  if (given === true) return { allowed: true };
  if (typeof given !== 'function') return { allowed: false };
  try {
    const answer = await given();
    const name = answer.name ? { name: answer.name } : {};
    if (answer.allowed === true) return { allowed: true, ...name };
    return { allowed: false, ...(answer.reason ? { reason: answer.reason } : {}), ...name };
  } catch {
    return { allowed: false, reason: 'I could not check your permissions just now; please try again in a minute.' };
  }
}

/** The user's display name where the platform tells it only when asked (Slack: while checking their account). */
export async function nameOf(invoker: Invoker): Promise<string | undefined> {
  if (invoker.userName) return invoker.userName;
  if (typeof invoker.isMember !== 'function' && typeof invoker.canManageChannel !== 'function') return undefined;
  return (await channelRightAnswer(invoker, 'member')).name;
}

/** Who may manage the channel where the invoker is, for a refusal. */
export function managersOf(invoker: Invoker): string {
  return invoker.managers ?? ANYONE_WHO.manager;
}

/** Who has the right where the invoker is, for a refusal. */
export function whoMay(invoker: Invoker, right: ChannelRight): string {
  return right === 'manager' ? managersOf(invoker) : (invoker.members ?? ANYONE_WHO.member);
}

/** "Only members with the Manage Channels permission may change this channel's alerts." and the reason, if any. */
export function changeRefusal(invoker: Invoker, change: ChannelChange, answer: RightAnswer): string {
  return withReason(`Only ${whoMay(invoker, change.right)} may ${change.what}.`, answer);
}

export function withReason(text: string, answer: RightAnswer): string {
  return answer.reason ? `${text} ${answer.reason}` : text;
}
