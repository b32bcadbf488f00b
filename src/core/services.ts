/** What commands may use: the domain services, wired by src/paperboy.ts for the bot, the CLI and tests. */

import type { Stash } from './actions.ts';
import type { AlertsService } from './alerts/service.ts';
import type { SourceHealthLog } from './alerts/source-health.ts';
import type { DigestLimits } from './digest/thread-limits.ts';
import type { PaperFetcher } from './importing/arxiv-fetcher.ts';
import type { FeedbackService } from './library/feedback.ts';
import type { LibraryService } from './library/service.ts';
import type { Paper } from './papers/paper.ts';
import type { SearchService } from './search/types.ts';
import type { NoticeStore } from './store/store.ts';
import type { GeneratedTldrs } from './summarize/generated-tldr.ts';
import type { Summary } from './summarize/summarize.ts';
import type { TrendingService } from './trending/service.ts';

export interface PaperLookup {
  get(id: string): Promise<Paper | undefined>;
  count(): Promise<number>;
  /** A uniformly random paper id, for `/paper random` with no topic. */
  randomId(random: () => number): Promise<string | undefined>;
}

export interface Services {
  papers: PaperLookup;
  search: SearchService;
  summarize(paper: Paper): Summary;
  /** Long button arguments (see button-stash.ts). */
  stash: Stash;
  /** Channel subscriptions for new-paper alerts (absent where alerts are not wired). */
  alerts?: AlertsService;
  /** Channels' libraries of saved papers and recommendations from them (absent where not wired). */
  library?: LibraryService;
  /** Channels' 👎 ("Not for us") on papers (absent where not wired). */
  feedback?: FeedbackService;
  /** Hugging Face's most upvoted papers (absent where not wired). */
  trending?: TrendingService;
  /** How the paper sources are doing and what the last rounds checked, for `/paper subscriptions`. */
  pollHealth?: Pick<SourceHealthLog, 'sources' | 'rounds'>;
  /** Which daily subscriptions post a line on a quiet day (`--quiet-note`). */
  quietNotes?: Pick<NoticeStore, 'setQuietNote' | 'quietNotes'>;
  /** Papers looked up on arXiv by id when the corpus lacks them (absent: not looked up). */
  fetchPapers?: PaperFetcher;
  /** TL;DRs written by a language model (absent unless LLM_BASE_URL and LLM_MODEL are set). */
  generatedTldrs?: GeneratedTldrs;
  /** How much of a thread a digest reads (absent: DEFAULT_DIGEST_LIMITS). */
  digestLimits?: DigestLimits;
}
