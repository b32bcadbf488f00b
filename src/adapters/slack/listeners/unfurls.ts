/**
 * link_shared: arXiv (abs/pdf) and Hugging Face paper links unfurl into our paper card via chat.unfurl.
 * Papers not in the corpus are skipped silently (Slack then shows its own preview, if any).
 */
import type { App } from '@slack/bolt';
import { findLinkedArxivIds } from '../../../core/papers/ids.ts';
import type { PaperCard } from '../../../core/reply.ts';
import { replyInTurn } from '../../turns.ts';
import { slackInvoker } from '../invoker.ts';
import { renderPaperCard, type SlackBlock } from '../render.ts';
import { logSlackFailure, withRateLimitRetry } from '../slack-errors.ts';
import type { ListenerDeps } from './deps.ts';

/** Slack accepts a handful of unfurls per message; more links than this are left alone. */
const MAX_UNFURLS = 5;

export function register(app: App, deps: ListenerDeps): void {
  app.event('link_shared', async ({ event, body, client, context }) => {
    const access = deps.access(client, event.user, context);
    const invoker = slackInvoker(event.user, event.channel, context.teamId ?? body.team_id, undefined, access);
    const unfurls: Record<string, { blocks: SlackBlock[] }> = {};
    for (const link of event.links.slice(0, MAX_UNFURLS)) {
      const paperId = findLinkedArxivIds(link.url)[0];
      if (!paperId) continue;
      const reply = await replyInTurn(deps.turns, () => deps.dispatcher.run('share', { paper: paperId }, invoker));
      const card = reply.blocks.find(
        (block): block is { kind: 'paper'; card: PaperCard } => block.kind === 'paper',
      )?.card;
      if (card) unfurls[link.url] = { blocks: renderPaperCard(card) };
    }
    if (Object.keys(unfurls).length === 0) return;
    const target =
      event.source === 'composer' && event.unfurl_id
        ? { source: 'composer' as const, unfurl_id: event.unfurl_id }
        : { channel: event.channel, ts: event.message_ts };
    try {
      await withRateLimitRetry(() => client.chat.unfurl({ ...target, unfurls }), {
        logger: deps.logger,
        what: 'chat.unfurl',
        sleep: deps.sleep,
      });
    } catch (error) {
      logSlackFailure(deps.logger, 'unfurl', error, { channel: event.channel });
    }
  });
}
