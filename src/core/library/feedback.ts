/**
 * A channel's 👎 ("Not for us"): who said no to which paper. One per person and paper; the button toggles it, a 👎
 * reaction gives it and removing the reaction takes it back. A paper said no to never comes back in the channel's
 * recommendations or library alerts, and the channel's model learns from it as a negative (recommender.ts).
 */
import { type ChannelKey, channelKey } from '../channel-key.ts';
import type { Paper } from '../papers/paper.ts';
import type { FeedbackItem, FeedbackStore } from '../store/store.ts';
import type { PaperFetch } from './recommender.ts';

/** Whose 👎s: a channel's as its workspace sees it, keyed like its library. */
export type FeedbackScope = ChannelKey;

export interface FeedbackUser {
  id: string;
  name?: string;
}

/** A paper the channel said no to, with everyone who did, newest first. */
export interface Declined {
  paper: Paper;
  by: FeedbackItem[];
}

/** The model learns from at most this many of the newest 👎 papers. */
export const MAX_DECLINED = 500;

export class FeedbackService {
  constructor(private readonly deps: { store: FeedbackStore; papers: PaperFetch; now?: () => Date }) {}

  /** The 👎 button: gives this person's 👎, or takes it back when they had given it. */
  async toggle(scope: FeedbackScope, paper: Paper, user: FeedbackUser): Promise<'given' | 'taken back'> {
    if (await this.takeBack(scope, paper, user.id)) return 'taken back';
    await this.give(scope, paper, user);
    return 'given';
  }

  /** Records this person's 👎 on the paper; false when they had given it already. */
  give(scope: FeedbackScope, paper: Paper, user: FeedbackUser): Promise<boolean> {
    return this.deps.store.add({
      ...channelKey(scope),
      paperId: paper.id,
      givenBy: user.id,
      ...(user.name ? { givenByName: user.name } : {}),
      givenAt: (this.deps.now?.() ?? new Date()).toISOString(),
    });
  }

  /** Takes back this person's 👎 on the paper (under its current or a former id); false when there was none. */
  async takeBack(scope: FeedbackScope, paper: Paper, userId: string): Promise<boolean> {
    let removed = 0;
    for (const paperId of await this.storedIds(scope, paper, userId))
      removed += await this.deps.store.remove(channelKey(scope), paperId, userId);
    return removed > 0;
  }

  /** Takes back everyone's 👎 on the paper (a channel manager's removal); resolves to how many. */
  async takeBackAll(scope: FeedbackScope, paper: Paper): Promise<number> {
    let removed = 0;
    for (const paperId of await this.storedIds(scope, paper))
      removed += await this.deps.store.remove(channelKey(scope), paperId);
    return removed;
  }

  /** Everyone's 👎 on this paper in the channel, newest first. */
  async on(scope: FeedbackScope, paper: Paper): Promise<FeedbackItem[]> {
    const direct = await this.deps.store.items(channelKey(scope), { paperId: paper.id });
    if (direct.length) return direct;
    return (await this.declined(scope)).find((d) => d.paper.id === paper.id)?.by ?? [];
  }

  /** The papers the channel said no to, newest 👎 first (`limit`: that many papers). */
  async declined(scope: FeedbackScope, limit = MAX_DECLINED): Promise<Declined[]> {
    const items = await this.deps.store.items(channelKey(scope));
    const papers = await this.deps.papers.getMany([...new Set(items.map((item) => item.paperId))]);
    const byPaper = new Map<string, Declined>();
    for (const item of items) {
      const paper = papers.get(item.paperId);
      if (!paper) continue;
      const declined = byPaper.get(paper.id);
      if (declined) declined.by.push(item);
      else if (byPaper.size < limit) byPaper.set(paper.id, { paper, by: [item] });
    }
    return [...byPaper.values()];
  }

  /** The ids the paper's 👎s are stored under here (its id, or a former one it had when they were given). */
  private async storedIds(scope: FeedbackScope, paper: Paper, userId?: string): Promise<string[]> {
    const items = await this.deps.store.items(channelKey(scope), userId ? { givenBy: userId } : {});
    const ids = new Set(items.map((item) => item.paperId));
    if (ids.has(paper.id)) return [paper.id];
    const papers = await this.deps.papers.getMany([...ids]);
    return [...ids].filter((id) => papers.get(id)?.id === paper.id);
  }
}
