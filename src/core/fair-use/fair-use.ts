/**
 * Fair use, checked in one place for every platform (the dispatcher): each command takes one use from its person's
 * and its workspace's budget of commands, a thread digest one from the digests' too, and each call to the language
 * model one from the model's. A spent budget is a polite refusal to that person, saying when to try again; never an
 * error. Each budget is a token bucket as rate-limiter-flexible builds one: a steady limiter for the sustained rate
 * and a burst limiter drawn on while it is spent, joined by the library's BurstyRateLimiter. Both live in this
 * process's memory on SQLite (one process), in the database on PostgreSQL, so every instance draws on the same budget
 * (its own `rate_limits` table, made on start).
 */

import { createHash } from 'node:crypto';
import type pg from 'pg';
import {
  BurstyRateLimiter,
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
import { type BudgetName, describeLimit, type FairUseLimits, type Limit, type Rate, type Scope } from './limits.ts';

/** Who asks: the part of a command's invoker that budgets are kept by. */
export interface Who {
  platform: string;
  userId: string;
  workspaceId?: string;
}

export interface Refusal {
  budget: BudgetName;
  scope: Scope;
  limit: Limit;
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
    private readonly buckets: Map<string, TokenBucket>,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
    private readonly llmLimited: boolean,
  ) {}

  /** Opens the budgets (on PostgreSQL, once the table is there). */
  static async open(options: FairUseOptions): Promise<FairUse> {
    const buckets = new Map<string, TokenBucket>();
    let tableReady = false;
    const limiter = async (keyPrefix: string, rate: Rate): Promise<RateLimiterAbstract> => {
      const common = { keyPrefix, points: rate.points, duration: rate.seconds };
      if (!options.pool) return new RateLimiterMemory(common);
      // The first limiter makes the table (if missing) and sweeps expired rows every few minutes for all of them.
      const first = !tableReady;
      const made = await postgresLimiter({
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
      return made;
    };
    for (const budget of Object.keys(options.limits) as BudgetName[]) {
      for (const scope of SCOPES) {
        const limit = options.limits[budget][scope];
        if (!limit) continue;
        const name = `${budget}_${scope}`;
        const steady = await limiter(name, limit);
        const burst = limit.burst ? await limiter(`${name}_burst`, limit.burst) : undefined;
        buckets.set(name, new TokenBucket(limit, steady, burst));
      }
    }
    const { llm } = options.limits;
    return new FairUse(buckets, options.logger, options.metrics ?? noMetrics, Boolean(llm.user || llm.workspace));
  }

  /**
   * Takes one use from each budget named, for the person and their workspace; all or none: when one is spent, the
   * uses already taken are given back and the refusal says which budget, and when it has room again.
   */
  async take(budgets: readonly BudgetName[], who: Who): Promise<Refusal | undefined> {
    const taken: { bucket: TokenBucket; key: string; use: Use }[] = [];
    for (const budget of budgets) {
      for (const scope of SCOPES) {
        const bucket = this.buckets.get(`${budget}_${scope}`);
        const key = keyFor(scope, who);
        if (!bucket || !key) continue;
        try {
          taken.push({ bucket, key, use: await bucket.take(key) });
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
          await Promise.all(taken.map((t) => t.bucket.giveBack(t.key, t.use)));
          this.metrics.count('refusals', { budget, scope, platform: who.platform });
          return {
            budget,
            scope,
            limit: bucket.limit,
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
    if (!services.generatedTldrs || !this.llmLimited) return services;
    const budget: TldrBudget = {
      take: async () => (await this.take(['llm'], who))?.retryAfterSeconds,
    };
    return { ...services, generatedTldrs: services.generatedTldrs.within(budget) };
  }
}

/** "You're going a bit fast — try again in 12 s.", and the limit that was reached. */
export function refusalText(refusal: Refusal): string {
  const what = NAMES[refusal.budget];
  return refusal.scope === 'user'
    ? `You're going a bit fast — try again in ${refusal.retryAfterSeconds} s. ` +
        `(Up to ${describeLimit(refusal.limit, what, 'each')}.)`
    : `This workspace is going a bit fast — try again in ${refusal.retryAfterSeconds} s. ` +
        `(Up to ${describeLimit(refusal.limit, what, 'for everyone here together')}.)`;
}

/** Where a use came from: the sustained rate, or the burst allowance (which a use given back returns to). */
type Use = 'steady' | 'burst';

/**
 * One budget of one scope: the steady limiter, and the burst limiter BurstyRateLimiter draws on while the steady one
 * is spent. A refusal rejects with the library's RateLimiterRes, whose msBeforeNext is when either has room again.
 */
class TokenBucket {
  private readonly bursty: BurstyRateLimiter | undefined;

  constructor(
    readonly limit: Limit,
    private readonly steady: RateLimiterAbstract,
    private readonly burst: RateLimiterAbstract | undefined,
  ) {
    this.bursty = burst && new BurstyRateLimiter(steady, burst);
  }

  async take(key: string): Promise<Use> {
    const res = await (this.bursty ?? this.steady).consume(key);
    // BurstyRateLimiter answers with the steady limiter's count: past its points, the use came from the burst.
    return res.consumedPoints > this.limit.points ? 'burst' : 'steady';
  }

  /** Returns a use taken for a request refused by another budget. */
  async giveBack(key: string, use: Use): Promise<void> {
    // The steady limiter counted the use either way (a refused consume still counts); the burst only when it gave.
    await this.steady.reward(key).catch(() => undefined);
    if (use === 'burst') await this.burst?.reward(key).catch(() => undefined);
  }
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
