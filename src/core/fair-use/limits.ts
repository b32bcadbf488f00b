/**
 * Fair use: how much one person, and one workspace (a Slack team, a Discord server) together, may ask of the bot in a
 * window of time: commands of every kind, thread digests (which read whole threads and call the arXiv API), and calls
 * to the language model. Each budget is a number of uses per window; a window starts at its first use.
 */

/** `points` uses per `seconds`. */
export interface Rate {
  points: number;
  seconds: number;
}

/** Per person and per workspace; an absent rate is no limit. */
export interface Budget {
  user?: Rate;
  workspace?: Rate;
}

export interface FairUseLimits {
  /** Every command, click and mention that runs one (RATE_COMMANDS_USER, RATE_COMMANDS_WORKSPACE). */
  commands: Budget;
  /** Thread digests, besides their command (RATE_DIGESTS_USER, RATE_DIGESTS_WORKSPACE). */
  digests: Budget;
  /** Generated TL;DRs the model is asked for; cached ones are free (RATE_LLM_USER, RATE_LLM_WORKSPACE). */
  llm: Budget;
}

export type BudgetName = keyof FairUseLimits;
export type Scope = keyof Budget;

/**
 * Generous for people, tight for a script: a person rarely runs more than a command every few seconds, a team of
 * hundreds not more than a few a second; a digest reads up to hundreds of messages and may fetch papers from arXiv;
 * a digest asks the model for up to ten TL;DRs.
 */
export const DEFAULT_FAIR_USE: FairUseLimits = {
  commands: { user: { points: 30, seconds: 60 }, workspace: { points: 300, seconds: 60 } },
  digests: { user: { points: 5, seconds: 600 }, workspace: { points: 30, seconds: 600 } },
  llm: { user: { points: 40, seconds: 3600 }, workspace: { points: 400, seconds: 3600 } },
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
