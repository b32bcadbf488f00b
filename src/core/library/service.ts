/**
 * Channels' libraries for the commands: save, list, remove, export and recommend. Papers are stored by id and read
 * back from the corpus (a paper whose id later changed is still found through its former id).
 */
import type { Paper } from '../papers/paper.ts';
import type { CorpusSnapshot } from '../search/snapshot.ts';
import type { LibraryItem, LibraryStore } from '../store/store.ts';
import { type PaperFetch, type Recommendation, recommend, trainLibrary } from './recommender.ts';

/** Whose library: a channel's, or what one person saved in it. */
export interface LibraryScope {
  platform: string;
  channelId: string;
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
  now?: () => Date;
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
      channelId: scope.channelId,
      paperId: paper.id,
      savedBy: user.id,
      ...(user.name ? { savedByName: user.name } : {}),
      savedAt: (this.deps.now?.() ?? new Date()).toISOString(),
    });
  }

  /** The channel's saved item for the paper, whether saved under its current id or a former one. */
  async find(scope: LibraryScope, paper: Paper): Promise<LibraryItem | undefined> {
    const { platform, channelId } = scope;
    const item = await this.deps.store.item(platform, channelId, paper.id);
    if (item) return item;
    return (await this.all({ platform, channelId })).find((saved) => saved.paper.id === paper.id)?.item;
  }

  /** Takes the saved item out; false when it was gone already. */
  remove(scope: LibraryScope, item: LibraryItem): Promise<boolean> {
    return this.deps.store.remove(scope.platform, scope.channelId, item.paperId);
  }

  count(scope: LibraryScope): Promise<number> {
    return this.deps.store.count(scope.platform, scope.channelId, scope.savedBy);
  }

  /** One page, newest first; `total` counts every saved paper in the scope. */
  async page(scope: LibraryScope, page: number, size: number): Promise<{ saved: SavedPaper[]; total: number }> {
    const filter = { savedBy: scope.savedBy, limit: size, offset: (page - 1) * size };
    const [items, total] = await Promise.all([
      this.deps.store.items(scope.platform, scope.channelId, filter),
      this.count(scope),
    ]);
    return { saved: await this.papersOf(items), total };
  }

  /** Every saved paper in the scope, newest first (`limit`: the newest that many). */
  async all(scope: LibraryScope, limit?: number): Promise<SavedPaper[]> {
    const items = await this.deps.store.items(scope.platform, scope.channelId, { savedBy: scope.savedBy, limit });
    return this.papersOf(items);
  }

  /** The channels of a platform that have a library. */
  async channels(platform: string): Promise<string[]> {
    return (await this.deps.store.channels()).filter((c) => c.platform === platform).map((c) => c.channelId);
  }

  /** What one person saved in any channel of a platform, newest first (`limit`: the newest that many). */
  async savedBy(platform: string, userId: string, limit: number): Promise<SavedPaper[]> {
    const channels = await this.channels(platform);
    const items = (
      await Promise.all(
        channels.map((channelId) => this.deps.store.items(platform, channelId, { savedBy: userId, limit })),
      )
    )
      .flat()
      .sort((a, b) => b.savedAt.localeCompare(a.savedAt))
      .slice(0, limit);
    return this.papersOf(items);
  }

  async recommend(scope: LibraryScope, limit: number): Promise<Recommendation[]> {
    const library = (await this.all(scope, MAX_TRAINING_PAPERS)).map((s) => s.paper);
    if (!library.length) return [];
    const snapshot = this.deps.snapshot();
    const trained = await trainLibrary(library, snapshot, this.deps.papers);
    return recommend(trained, snapshot, this.deps.papers, { limit });
  }

  private async papersOf(items: readonly LibraryItem[]): Promise<SavedPaper[]> {
    const papers = await this.deps.papers.getMany(items.map((i) => i.paperId));
    return items.flatMap((item) => {
      const paper = papers.get(item.paperId);
      return paper ? [{ item, paper }] : [];
    });
  }
}
