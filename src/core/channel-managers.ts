/**
 * Deny by default: who may change what a channel receives or keeps. Adapters say how their platform decides
 * (`Invoker.canManageChannel`, `Invoker.managers`); this module turns that into one answer, and a refusal into a
 * sentence naming who may instead.
 */
import type { Command, Invoker, ManagerAnswer, OptionValues } from './command.ts';

/** How refusals name the managers where the adapter has no words of its own. */
const ANYONE_WHO_MANAGES = 'channel managers';

/** Whether this use of the command changes what the channel receives (`subscriptions resume`, not the list). */
export function managesChannel(command: Command, options: OptionValues): boolean {
  const manages = command.managesChannel;
  return typeof manages === 'function' ? manages(options) : manages === true;
}

/** Whether the invoker manages the channel: only an explicit yes counts, and a check that fails is a no. */
export async function channelManagerAnswer(invoker: Invoker): Promise<ManagerAnswer> {
  const given = invoker.canManageChannel;
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

/** Who may manage the channel where the invoker is, for a refusal. */
export function managersOf(invoker: Invoker): string {
  return invoker.managers ?? ANYONE_WHO_MANAGES;
}

/** "Only members with the Manage Channels permission may change this channel's alerts." and the reason, if any. */
export function alertsRefusal(invoker: Invoker, answer: ManagerAnswer): string {
  return withReason(`Only ${managersOf(invoker)} may change this channel's alerts.`, answer);
}

export function withReason(text: string, answer: ManagerAnswer): string {
  return answer.reason ? `${text} ${answer.reason}` : text;
}
