/**
 * Fair use, checked in one place for every platform (the dispatcher): each command takes one use from its person's
 * and its workspace's budget of commands, a thread digest one from the digests' too, and each call to the language
 * model one from the model's. A spent budget is a polite refusal to that person, saying when to try again; never an
 * error. The budgets are rate-limiter-flexible's limiters: in this process's memory on SQLite (one process), in the
 * database on PostgreSQL, so every instance draws on the same budget (its own `rate_limits` table, made on start).
 */

import { createHash } from 'node:crypto';
import type pg from 'pg';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import type { Command } from '../command.ts';
import { describeError, type Logger } from '../logger.ts';
import { type Metrics, noMetrics } from '../metrics.ts';
import type { Services } from '../services.ts';
import type { TldrBudget } from '../summarize/generated-tldr.ts';
import { type BudgetName, describeRate, type FairUseLimits, type Rate, type Scope } from './limits.ts';

/** Who asks: the part of a command's invoker that budgets are kept by. */
export interface Who {
  platform: string;
  userId: string;
  workspaceId?: string;
}

export interface Refusal {
  budget: BudgetName;
  scope: Scope;
  rate: Rate;
  /** Whole seconds until the budget has room again (at least 1). */
  retryAfterSeconds: number;
}

export interface FairUseOptions {
  limits: FairUseLimits;
  /** PostgreSQL's pool: budgets shared by every instance on the database. Absent: this process's memory. */
  pool?: pg.Pool;
  logger: Logger;
  /** Counts refusals (paperboy_refusals_total). */
  metrics?: Metrics;
}

/** The table rate-limiter-flexible keeps PostgreSQL budgets in (key, points, expire), made on start if missing. */
export const RATE_LIMIT_TABLE = 'rate_limits';
const SCOPES: readonly Scope[] = ['user', 'workspace'];
const NAMES: Record<BudgetName, string> = {
  commands: 'commands',
  digests: 'thread digests',
  llm: 'generated TL;DRs',
};

export class FairUse {
  private constructor(
    private readonly limits: FairUseLimits,
    private readonly limiters: Map<string, RateLimiterAbstract>,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
  ) {}

  /** Opens the budgets (on PostgreSQL, once the table is there). */
  static async open(options: FairUseOptions): Promise<FairUse> {
    const limiters = new Map<string, RateLimiterAbstract>();
    let tableReady = false;
    for (const budget of Object.keys(options.limits) as BudgetName[]) {
      for (const scope of SCOPES) {
        const rate = options.limits[budget][scope];
        if (!rate) continue;
        const common = { keyPrefix: `${budget}_${scope}`, points: rate.points, duration: rate.seconds };
        if (!options.pool) {
          limiters.set(common.keyPrefix, new RateLimiterMemory(common));
          continue;
        }
        // The first limiter makes the table (if missing) and sweeps expired rows every few minutes for all of them.
        const first = !tableReady;
        const limiter = await postgresLimiter({
          ...common,
          storeClient: options.pool,
          storeType: 'pool',
          tableName: RATE_LIMIT_TABLE,
          tableCreated: tableReady,
          clearExpiredByTimeout: first,
          // While the database does not answer, each instance keeps the budget in its own memory.
          insuranceLimiter: new RateLimiterMemory(common),
        });
        tableReady = true;
        limiters.set(common.keyPrefix, limiter);
      }
    }
    return new FairUse(options.limits, limiters, options.logger, options.metrics ?? noMetrics);
  }

  /**
   * Takes one use from each budget named, for the person and their workspace; all or none: when one is spent, the
   * uses already taken are given back and the refusal says which budget, and when it has room again.
   */
  async take(budgets: readonly BudgetName[], who: Who): Promise<Refusal | undefined> {
    const taken: { limiter: RateLimiterAbstract; key: string }[] = [];
    for (const budget of budgets) {
      for (const scope of SCOPES) {
        const limiter = this.limiters.get(`${budget}_${scope}`);
        const key = keyFor(scope, who);
        if (!limiter || !key) continue;
        try {
          await limiter.consume(key);
          taken.push({ limiter, key });
        } catch (error) {
          if (!(error instanceof RateLimiterRes)) {
            // A budget that cannot be read must not stop the bot: the use is allowed.
            this.logger.warn('fair use: could not check a budget; allowing the request', {
              budget,
              scope,
              error: describeError(error),
            });
            continue;
          }
          await Promise.all(taken.map((t) => t.limiter.reward(t.key).catch(() => undefined)));
          this.metrics.count('refusals', { budget, scope, platform: who.platform });
          return {
            budget,
            scope,
            rate: this.limits[budget][scope]!,
            retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)),
          };
        }
      }
    }
    return undefined;
  }

  /** What stops this command now, said to the person who asked; undefined when it may run. */
  async refusal(command: Command, who: Who): Promise<string | undefined> {
    const refusal = await this.take(['commands', ...(command.budget ? [command.budget] : [])], who);
    return refusal && refusalText(refusal);
  }

  /** The services a command runs with for this person: its calls to the model draw on their budget. */
  servicesFor(services: Services, who: Who): Services {
    const { llm } = this.limits;
    if (!services.generatedTldrs || (!llm.user && !llm.workspace)) return services;
    const budget: TldrBudget = {
      take: async () => (await this.take(['llm'], who))?.retryAfterSeconds,
    };
    return { ...services, generatedTldrs: services.generatedTldrs.within(budget) };
  }
}

/** "You're going a bit fast — try again in 12 s.", and the limit that was reached. */
export function refusalText(refusal: Refusal): string {
  const rate = describeRate(refusal.rate, NAMES[refusal.budget]);
  return refusal.scope === 'user'
    ? `You're going a bit fast — try again in ${refusal.retryAfterSeconds} s. (Up to ${rate} each.)`
    : `This workspace is going a bit fast — try again in ${refusal.retryAfterSeconds} s. ` +
        `(Up to ${rate} for everyone here together.)`;
}

/** A person is counted within their workspace; a workspace budget needs a workspace (not a DM, not the console). */
function keyFor(scope: Scope, who: Who): string | undefined {
  if (scope === 'workspace' && !who.workspaceId) return undefined;
  const key =
    scope === 'user' ? `${who.platform}:${who.workspaceId ?? ''}:${who.userId}` : `${who.platform}:${who.workspaceId}`;
  // The PostgreSQL table's keys are at most 255 characters; ids never come close, but a key must fit.
  return key.length <= 200 ? key : createHash('sha256').update(key).digest('hex');
}

/** A PostgreSQL limiter once it is ready (its table made, when asked to make it). */
async function postgresLimiter(
  options: ConstructorParameters<typeof RateLimiterPostgres>[0],
): Promise<RateLimiterPostgres> {
  let limiter: RateLimiterPostgres | undefined;
  // The callback may run inside the constructor (a table said to exist): it only settles the promise.
  await new Promise<void>((resolve, reject) => {
    limiter = new RateLimiterPostgres(options, (error?: unknown) => (error ? reject(error) : resolve()));
  });
  return limiter!;
}
