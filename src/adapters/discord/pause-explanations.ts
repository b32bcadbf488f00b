/**
 * Why Discord's answers pause a channel's alerts, in words a member of the channel can act on (`/paperboy
 * subscriptions`, the notice to subscribers): the JSON error codes alert-delivery.ts counts as a channel the bot cannot
 * post in, and the bot's removal from the server (client.ts).
 */
import type { PauseExplainer, PauseExplanation } from '../../core/alerts/pause-reasons.ts';
import { DiscordCodes } from './errors.ts';

const ASK_ADMIN = "Ask a server admin to check my role and this channel's permissions";

const EXPLANATIONS: Record<string, PauseExplanation> = {
  [DiscordCodes.MissingPermissions]: {
    why:
      'I lack a permission in this channel (I need View Channel, Send Messages, Embed Links, Create Public ' +
      'Threads and Send Messages in Threads)',
    fix: ASK_ADMIN,
  },
  [DiscordCodes.MissingAccess]: {
    why: 'I cannot see this channel',
    fix: 'Ask a server admin to give my role access to it',
  },
  [DiscordCodes.UnknownChannel]: { why: 'the channel no longer exists, or I cannot reach it' },
  'not-sendable': { why: 'this channel does not take messages (a voice channel, a category or a forum)' },
  guild_removed: { why: 'paperboy was removed from this server', fix: 'Add it to the server again' },
};

export const explainDiscordPause: PauseExplainer = (code) => EXPLANATIONS[code];
