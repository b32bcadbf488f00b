/**
 * Turns what Discord refuses (missing permissions, unknown channel, expired interaction, rate limits)
 * into a short message a user can act on, plus a log level, so every handler treats failures alike.
 */
import { DiscordAPIError, RateLimitError } from 'discord.js';
import { describeError } from '../../core/logger.ts';

export type ProblemKind =
  | 'missing-permissions'
  | 'missing-access'
  | 'unknown-channel'
  | 'unknown-message'
  | 'expired-interaction'
  | 'already-acknowledged'
  | 'thread-exists'
  | 'rate-limited'
  | 'rejected'
  | 'internal';

export interface Problem {
  kind: ProblemKind;
  /** Discord's JSON error code, when it sent one. */
  code?: number | string;
  /** What to tell the user; undefined when nobody can be told (the interaction token is gone). */
  userMessage?: string;
  /** For the log line: never includes URLs (interaction URLs carry tokens). */
  detail: string;
}

/** Discord JSON error codes we treat specially. */
export const DiscordCodes = {
  UnknownChannel: 10003,
  UnknownMessage: 10008,
  UnknownInteraction: 10062,
  MissingAccess: 50001,
  MissingPermissions: 50013,
  InvalidWebhookToken: 50027,
  InteractionAlreadyAcknowledged: 40060,
  ThreadAlreadyCreated: 160004,
} as const;

const PERMISSIONS_HINT =
  'I am missing a permission here (I need View Channel, Send Messages, Embed Links, ' +
  'Create Public Threads and Send Messages in Threads). ' +
  "Ask a server admin to check my role or this channel's settings.";

export function classifyError(error: unknown): Problem {
  if (error instanceof RateLimitError) {
    const seconds = Math.max(1, Math.round(Math.max(error.retryAfter, error.timeToReset) / 1000));
    return {
      kind: 'rate-limited',
      detail: `rate limited on ${error.route} (${error.global ? 'global' : error.scope}), retry in ${seconds}s`,
      userMessage: `Discord is rate limiting me right now. Please try again in about ${seconds} seconds.`,
    };
  }
  if (error instanceof DiscordAPIError) {
    const base = {
      code: error.code,
      detail: `${error.method.toUpperCase()} failed: ${error.status} ${error.code} ${error.message}`,
    };
    switch (error.code) {
      case DiscordCodes.MissingPermissions:
        return { ...base, kind: 'missing-permissions', userMessage: PERMISSIONS_HINT };
      case DiscordCodes.MissingAccess:
        return {
          ...base,
          kind: 'missing-access',
          userMessage: 'I cannot see this channel. Ask a server admin to give my role access to it.',
        };
      case DiscordCodes.UnknownChannel:
        return {
          ...base,
          kind: 'unknown-channel',
          userMessage: 'That channel no longer exists, or I cannot reach it.',
        };
      case DiscordCodes.UnknownMessage:
        return { ...base, kind: 'unknown-message', userMessage: 'That message is gone. Run the command again.' };
      case DiscordCodes.UnknownInteraction:
      case DiscordCodes.InvalidWebhookToken:
        // The 3-second window or the 15-minute token expired: there is nobody left to tell.
        return { ...base, kind: 'expired-interaction' };
      case DiscordCodes.InteractionAlreadyAcknowledged:
        return { ...base, kind: 'already-acknowledged' };
      case DiscordCodes.ThreadAlreadyCreated:
        return { ...base, kind: 'thread-exists' };
      default:
        return { ...base, kind: 'rejected', userMessage: 'Discord did not accept that message. Please try again.' };
    }
  }
  return {
    kind: 'internal',
    detail: describeError(error),
    userMessage: 'Sorry, something went wrong while answering that. Please try again.',
  };
}

export function isCode(error: unknown, code: number): boolean {
  return error instanceof DiscordAPIError && error.code === code;
}
