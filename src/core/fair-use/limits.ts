/**
 * Fair use: how much one person, and one workspace (a Slack team, a Discord server) together, may ask of the bot:
 * commands of every kind, thread digests (which read whole threads and call the arXiv API), and calls to the language
 * model. Each budget is a token bucket as rate-limiter-flexible builds one (its BurstyRateLimiter): a sustained rate
 * (uses per window, a window starting at its first use) and, on top, a burst allowance (more uses per a longer
 * window) drawn on only while the rate is spent, so a person may go fast for a moment but not for long.
 */

/** `points` uses per `seconds`. */
export interface Rate {
  points: number;
  seconds: number;
}

/** A sustained rate, and a burst allowance on top of it (absent: none). */
export interface Limit extends Rate {
  burst?: Rate;
}

/** Per person and per workspace; an absent limit is no limit. */
export interface Budget {
  user?: Limit;
  workspace?: Limit;
}

export interface FairUseLimits {
  /** Every command, click and mention that runs one (RATE_COMMANDS_USER, RATE_COMMANDS_WORKSPACE and _BURST). */
  commands: Budget;
  /** Thread digests, besides their command (RATE_DIGESTS_USER, RATE_DIGESTS_WORKSPACE and _BURST). */
  digests: Budget;
  /** Generated TL;DRs the model is asked for; cached ones are free (RATE_LLM_USER, RATE_LLM_WORKSPACE and _BURST). */
  llm: Budget;
}

export type BudgetName = keyof FairUseLimits;
export type Scope = keyof Budget;

/**
 * Generous for people, tight for a script: a person rarely runs more than a command every few seconds, a team of
 * hundreds not more than a few a second; a digest reads up to hundreds of messages and may fetch papers from arXiv;
 * a digest asks the model for up to ten TL;DRs. The bursts let a busy moment through (a reading group clicking
 * through a digest) without raising what a script may sustain.
 */
export const DEFAULT_FAIR_USE: FairUseLimits = {
  commands: {
    user: { points: 30, seconds: 60, burst: { points: 30, seconds: 600 } },
    workspace: { points: 300, seconds: 60, burst: { points: 300, seconds: 600 } },
  },
  digests: {
    user: { points: 5, seconds: 600, burst: { points: 5, seconds: 3600 } },
    workspace: { points: 30, seconds: 600, burst: { points: 30, seconds: 3600 } },
  },
  llm: {
    user: { points: 40, seconds: 3600, burst: { points: 40, seconds: 86_400 } },
    workspace: { points: 400, seconds: 3600, burst: { points: 400, seconds: 86_400 } },
  },
};

/** "30 commands a minute", "5 thread digests every 10 minutes": a rate as a refusal states it. */
export function describeRate(rate: Rate, what: string): string {
  const units: [number, string][] = [
    [86_400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  const [size, unit] = units.find(([size]) => rate.seconds % size === 0)!;
  const count = rate.seconds / size;
  return count === 1 ? `${rate.points} ${what} a ${unit}` : `${rate.points} ${what} every ${count} ${unit}s`;
}

/** "2 commands a minute …, plus 3 more every 10 minutes": a limit as a refusal states it (`scope` after the rate). */
export function describeLimit(limit: Limit, what: string, scope: string): string {
  const rate = `${describeRate(limit, what)} ${scope}`;
  return limit.burst ? `${rate}, plus ${describeRate(limit.burst, 'more')}` : rate;
}
