/**
 * Short notices in a channel (a quiet day, a source failing and back), posted once each: a notice is queued under a
 * key unique in its channel (queueing it again does nothing), marked `sending` before the platform call and `sent`
 * after it; one left `sending` by a crash is looked for by its message key before it is posted again, as alerts are
 * (outbox.ts). A notice the platform refuses for good, or after a few tries, is dropped and logged: never retried
 * forever. Channels whose alerts are paused get theirs when they resume.
 */

import { createHash } from 'node:crypto';
import { channelKey } from '../channel-key.ts';
import { describeError, type Logger } from '../logger.ts';
import { type Metrics, noMetrics } from '../metrics.ts';
import type { Reply } from '../reply.ts';
import type { AlertStore, Notice, NoticeStore } from '../store/store.ts';
import type { AlertDelivery } from './delivery.ts';

/** Tries before a notice refused every time is given up. */
const MAX_ATTEMPTS = 5;
/** A notice not posted within this long (no delivery for its platform ran, a long pause) is dropped: it is stale. */
export const NOTICE_TTL_MS = 2 * 86_400_000;
const FIND_SLACK_MS = 10 * 60_000;

/** The platform key of a notice's message (25 characters at most: a Discord nonce). */
export function noticeKey(notice: Pick<Notice, 'platform' | 'workspaceId' | 'channelId' | 'key'>): string {
  const hash = createHash('sha256')
    .update(`notice\u0000${notice.platform}\u0000${notice.workspaceId}\u0000${notice.channelId}\u0000${notice.key}`)
    .digest('hex');
  return `pn${hash.slice(0, 22)}`;
}

export function noticeReply(text: string): Reply {
  return { blocks: [{ kind: 'text', text, style: 'muted' }], visibility: 'public', fallback: text };
}

/** What kind of notice a key is (`quiet`, `source-down`...), for metrics and logs. */
function kindOf(key: string): string {
  return key.split(':')[0] ?? 'notice';
}

export interface NoticeDeliveryOptions {
  notices: NoticeStore;
  /** Paused channels are skipped (their notices wait). */
  repo: Pick<AlertStore, 'channelPause'>;
  deliveries: readonly AlertDelivery[];
  logger: Logger;
  metrics?: Metrics;
}

/** Posts the open notices of every platform; stops sending once `signal` aborts (shutdown). */
export async function deliverNotices(options: NoticeDeliveryOptions, signal: AbortSignal, now: Date): Promise<number> {
  const { notices, repo, logger } = options;
  const metrics = options.metrics ?? noMetrics;
  let posted = 0;
  for (const delivery of options.deliveries) {
    for (const notice of await notices.open(delivery.platform)) {
      if (signal.aborted) return posted;
      if (now.getTime() - Date.parse(notice.createdAt) > NOTICE_TTL_MS) {
        await notices.mark(notice.id, 'dropped', { error: 'expired' });
        logger.warn('alerts: a channel notice expired before it could be posted', {
          platform: notice.platform,
          channelId: notice.channelId,
          kind: kindOf(notice.key),
        });
        continue;
      }
      if (await repo.channelPause(channelKey(notice))) continue;
      const key = noticeKey(notice);
      const reply = noticeReply(notice.text);
      if (notice.state === 'sending') {
        // Its post may have happened: look for it by key first; when the platform cannot tell, ask again next time.
        const since = new Date(Date.parse(notice.createdAt) - FIND_SLACK_MS);
        let found: string | undefined;
        try {
          found = await delivery.find(channelKey(notice), key, since, reply);
        } catch (error) {
          logger.warn('alerts: cannot tell yet whether a channel notice was posted; will ask again', {
            platform: delivery.platform,
            channelId: notice.channelId,
            code: delivery.classify(error).code,
          });
          continue;
        }
        if (found) {
          await notices.mark(notice.id, 'sent', { at: now.toISOString() });
          continue;
        }
      }
      try {
        await notices.mark(notice.id, 'sending');
        await delivery.post(channelKey(notice), reply, key);
        await notices.mark(notice.id, 'sent', { at: now.toISOString() });
        metrics.count('noticesPosted', { platform: delivery.platform, kind: kindOf(notice.key) });
        posted++;
      } catch (error) {
        const failure = delivery.classify(error);
        const context = { platform: delivery.platform, channelId: notice.channelId, kind: kindOf(notice.key) };
        if (failure.kind === 'unknown') {
          // It may be there: left `sending`, looked for by key next time.
          logger.warn('alerts: a channel notice may not have been posted; will check', {
            ...context,
            code: failure.code,
          });
          continue;
        }
        const giveUp = failure.kind !== 'rejected' || notice.attempts + 1 >= MAX_ATTEMPTS;
        await notices.mark(notice.id, giveUp ? 'dropped' : 'pending', { error: failure.code });
        if (giveUp)
          logger.error('alerts: giving up on a channel notice', {
            ...context,
            code: failure.code,
            error: describeError(error),
          });
      }
    }
  }
  return posted;
}
