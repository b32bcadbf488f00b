/**
 * Channels' libraries for the commands: save, list, remove, export and recommend. Papers are stored by id and read
 * back from the corpus (a paper whose id later changed is still found through its former id).
 */
import type { ChannelKey } from '../channel-key.ts';
import type { Paper } from '../papers/paper.ts';
import type { CorpusSnapshot } from '../search/snapshot.ts';
import type { LibraryItem, LibraryStore } from '../store/store.ts';
import type { FeedbackService } from './feedback.ts';
import { type PaperFetch, type Recommendation, recommend, type TrainedLibrary, trainLibrary } from './recommender.ts';

/** Whose library: a channel's (as one workspace sees it), or what one person saved in it. */
export interface LibraryScope extends ChannelKey {
  savedBy?: string;
}

export interface SavedPaper {
  item: LibraryItem;
  paper: Paper;
}

/** Recommendations learn from at most this many of the newest saved papers. */
export const MAX_TRAINING_PAPERS = 500;

export interface LibraryServiceDeps {
  store: LibraryStore;
  papers: PaperFetch;
  snapshot: () => CorpusSnapshot;
  /** The channel's 👎s: negatives for its model, never recommended (absent: none). */
  feedback?: FeedbackService;
  now?: () => Date;
}

/** A recommendation with who saved the paper it is nearest to (for its "why" line). */
export interface LibraryRecommendation extends Recommendation {
  becauseSavedBy?: string;
}

/** A scope's model, with the saved papers it learnt from. */
export interface TrainedScope {
  trained: TrainedLibrary;
  saved: SavedPaper[];
}

export class LibraryService {
  constructor(private readonly deps: LibraryServiceDeps) {}

  save(
    scope: LibraryScope,
    paper: Paper,
    user: { id: string; name?: string },
  ): Promise<{ added: boolean; item: LibraryItem }> {
    return this.deps.store.save({
      platform: scope.platform,
      workspaceId: scope.workspaceId,
      channelId: scope.channelId,
      paperId: paper.id,
      savedBy: user.id,
      ...(user.name ? { savedByName: user.name } : {}),
      savedAt: (this.deps.now?.() ?? new Date()).toISOString(),
    });
  }

  /** The channel's saved item for the paper, whether saved under its current id or a former one. */
  async find(scope: LibraryScope, paper: Paper): Promise<LibraryItem | undefined> {
    const channel = channelOf(scope);
    const item = await this.deps.store.item(channel, paper.id);
    if (item) return item;
    return (await this.all(channel)).find((saved) => saved.paper.id === paper.id)?.item;
  }

  /** Takes the saved item out; false when it was gone already. */
  remove(scope: LibraryScope, item: LibraryItem): Promise<boolean> {
    return this.deps.store.remove(channelOf(scope), item.paperId);
  }

  count(scope: LibraryScope): Promise<number> {
    return this.deps.store.count(channelOf(scope), scope.savedBy);
  }

  /** One page, newest first; `total` counts every saved paper in the scope. */
  async page(scope: LibraryScope, page: number, size: number): Promise<{ saved: SavedPaper[]; total: number }> {
    const filter = { savedBy: scope.savedBy, limit: size, offset: (page - 1) * size };
    const [items, total] = await Promise.all([this.deps.store.items(channelOf(scope), filter), this.count(scope)]);
    return { saved: await this.papersOf(items), total };
  }

  /** Every saved paper in the scope, newest first (`limit`: the newest that many). */
  async all(scope: LibraryScope, limit?: number): Promise<SavedPaper[]> {
    const items = await this.deps.store.items(channelOf(scope), { savedBy: scope.savedBy, limit });
    return this.papersOf(items);
  }

  /**
   * Trains the scope's model: its newest saved papers as positives, the channel's 👎 papers (whoever gave them) as
   * negatives. Undefined when nothing is saved.
   */
  async train(scope: LibraryScope, snapshot = this.deps.snapshot()): Promise<TrainedScope | undefined> {
    const saved = await this.all(scope, MAX_TRAINING_PAPERS);
    if (!saved.length) return undefined;
    const declined = (await this.deps.feedback?.declined(scope)) ?? [];
    const trained = await trainLibrary(
      saved.map((s) => s.paper),
      snapshot,
      this.deps.papers,
      'classifier',
      declined.map((d) => d.paper),
    );
    return { trained, saved };
  }

  /** The channels of a platform (of one workspace, when given) that have a library. */
  async channels(platform: string, workspaceId?: string): Promise<ChannelKey[]> {
    return (await this.deps.store.channels()).filter(
      (c) => c.platform === platform && (workspaceId === undefined || c.workspaceId === workspaceId),
    );
  }

  /** What one person saved in any channel of a platform's workspace, newest first (`limit`: the newest that many). */
  async savedBy(
    platform: string,
    workspaceId: string | undefined,
    userId: string,
    limit: number,
  ): Promise<SavedPaper[]> {
    const channels = await this.channels(platform, workspaceId);
    const items = (
      await Promise.all(channels.map((channel) => this.deps.store.items(channel, { savedBy: userId, limit })))
    )
      .flat()
      .sort((a, b) => b.savedAt.localeCompare(a.savedAt))
      .slice(0, limit);
    return this.papersOf(items);
  }

  async recommend(scope: LibraryScope, limit: number): Promise<LibraryRecommendation[]> {
    const snapshot = this.deps.snapshot();
    const model = await this.train(scope, snapshot);
    if (!model) return [];
    const savers = new Map(model.saved.map((s) => [s.paper.id, s.item.savedByName]));
    return (await recommend(model.trained, snapshot, this.deps.papers, { limit })).map((r) => {
      const savedBy = savers.get(r.because.id);
      return savedBy ? { ...r, becauseSavedBy: savedBy } : r;
    });
  }

  private async papersOf(items: readonly LibraryItem[]): Promise<SavedPaper[]> {
    const papers = await this.deps.papers.getMany(items.map((i) => i.paperId));
    return items.flatMap((item) => {
      const paper = papers.get(item.paperId);
      return paper ? [{ item, paper }] : [];
    });
  }
}

function channelOf(scope: LibraryScope): ChannelKey {
  return { platform: scope.platform, workspaceId: scope.workspaceId, channelId: scope.channelId };
}
