/**
 * Why a channel's alerts are paused, as stored and as people read it. Stored: the platform's code, and after a colon
 * what it added (`missing_scope: chat:write`, `app_uninstalled: paperboy was removed from this workspace; install it
 * again`), so logs and `paperboy alerts status` keep the code. Read: what is wrong and what fixes it, in words the
 * adapter of the channel's platform chooses (`Invoker.explainPause`); where it has none, what the platform added,
 * else the code.
 */

/** What is wrong, and what fixes it: "I am not in this channel", "Invite me with `/invite @paperboy`". */
export interface PauseExplanation {
  /** Reads after "paused:", lower case where grammar allows, without a full stop. */
  why: string;
  /** An imperative, without a full stop; "then run … resume" follows it. */
  fix?: string;
}

/** Explains a platform's pause code (and what the platform added), or says nothing of a code it does not know. */
export type PauseExplainer = (code: string, detail?: string) => PauseExplanation | undefined;

/** The stored reason: `code`, or `code: detail`. */
export function pauseReason(code: string, detail?: string): string {
  return detail ? `${code}: ${detail}` : code;
}

/** The code and what was added, from a stored reason. */
export function splitPauseReason(reason: string): { code: string; detail?: string } {
  const colon = reason.indexOf(': ');
  if (colon < 0) return { code: reason.trim() };
  const detail = reason.slice(colon + 2).trim();
  return { code: reason.slice(0, colon).trim(), ...(detail ? { detail } : {}) };
}

/** A stored reason in words: the platform's explanation, else what the platform added, else the code. */
export function explainPause(reason: string, explain?: PauseExplainer): PauseExplanation {
  const { code, detail } = splitPauseReason(reason);
  const explained = explain?.(code, detail);
  if (explained) return explained;
  if (detail) return { why: detail };
  return { why: `I could not post here (${code || 'no reason given'})` };
}

/** "Invite me with `/invite @paperboy`, then run /paper subscriptions resume." (`resume`: that line, as typed here). */
export function pauseFix(explanation: PauseExplanation, resume: string): string {
  return explanation.fix ? `${explanation.fix}, then run ${resume}.` : `Once that is fixed, run ${resume}.`;
}
