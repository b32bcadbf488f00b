/** What commands may use: the domain services, wired by src/paperboy.ts for the bot, the CLI and tests. */

import type { Stash } from './actions.ts';
import type { AlertsService } from './alerts/service.ts';
import type { Paper } from './papers/paper.ts';
import type { SearchService } from './search/types.ts';
import type { Summary } from './summarize/summarize.ts';

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
}
