/**
 * "More like our library" alerts (`/paper subscribe --like-library`): a subscription whose query is the marker
 * `like-library N/day`. Each poll round, before new papers are stored, the channel's library model is trained and
 * its threshold calibrated so that about N papers a day pass: the corpus's most recently indexed papers from its
 * last CALIBRATION_DAYS publication days are scored, and the threshold is the score of the (N × days)-th best. New
 * papers scoring at or above it are alerted through the same outbox as query subscriptions. Papers the channel saved
 * or said 👎 to (and their duplicates) never are; the 👎s train the model as negatives (LibraryService.train).
 */
import type { AlertMatch } from '../alerts/matcher.ts';
import { channelKey } from '../channel-key.ts';
import type { Paper } from '../papers/paper.ts';
import type { Why } from '../present/why.ts';
import type { CorpusSnapshot } from '../search/snapshot.ts';
import type { Subscription } from '../store/store.ts';
import { libraryAlertPerDay } from './library-query.ts';
import { scoreVector } from './linear-model.ts';
import { isExcluded, nearestSaved, type PaperFetch } from './recommender.ts';
import type { LibraryService } from './service.ts';
import { sharedTerms, termVector } from './term-vectors.ts';

/** Publication days of the corpus the threshold is calibrated on. */
export const CALIBRATION_DAYS = 14;
/** The most recently indexed papers looked at for those days. */
const CALIBRATION_POOL = 3000;

/** Scores a batch of new papers for every library subscription given. */
export type LibraryAlertMatcher = (fresh: readonly Paper[], subscriptions: readonly Subscription[]) => AlertMatch[];

interface Calibrated {
  threshold: number;
  /** Undefined for a paper never to alert here: saved, said 👎 to, or a duplicate of one. */
  score(paper: Paper): { score: number; shared: string[]; why?: Why } | undefined;
}

export async function libraryAlertMatcher(
  library: LibraryService,
  subscriptions: readonly Subscription[],
  snapshot: CorpusSnapshot,
  papers: PaperFetch,
): Promise<LibraryAlertMatcher> {
  const models = new Map<number, Calibrated>();
  for (const subscription of subscriptions) {
    const perDay = libraryAlertPerDay(subscription.query);
    if (perDay === undefined) continue;
    const model = await library.train(channelKey(subscription), snapshot);
    if (!model) continue;
    const { trained } = model;
    const savers = new Map(model.saved.map((s) => [s.paper.id, s.item.savedByName]));
    const { index } = snapshot;
    const score = (paper: Paper) => {
      const vector = termVector(paper, index);
      const nearest = nearestSaved(trained, vector);
      const shared = sharedTerms(vector, nearest.vector, 5);
      const savedBy = savers.get(nearest.paper.id);
      const why: Why = { kind: 'like', title: nearest.paper.title, terms: shared, ...(savedBy ? { savedBy } : {}) };
      return { score: scoreVector(trained.model, vector), shared, why };
    };
    const recent = await recentPapers(snapshot, papers);
    const scores = recent.papers
      .filter((p) => !trained.isSaved(p.id, index.metaOf(p.id)) && !trained.isDisliked(p.id, index.metaOf(p.id)))
      .map((p) => scoreVector(trained.model, termVector(p, index)))
      .sort((a, b) => b - a);
    const wanted = perDay * recent.days;
    const threshold = scores.length > wanted ? scores[wanted - 1]! : Number.NEGATIVE_INFINITY;
    models.set(subscription.id, {
      threshold,
      // Not a score of minus infinity: with few recent papers the threshold is minus infinity too.
      score: (paper) => (isExcluded(trained, paper) ? undefined : score(paper)),
    });
  }
  return (fresh, subs) => {
    const matches: AlertMatch[] = [];
    for (const subscription of subs) {
      const model = models.get(subscription.id);
      if (!model) continue;
      for (const paper of fresh) {
        const scored = model.score(paper);
        if (!scored) continue;
        const { score, shared, why } = scored;
        if (score >= model.threshold)
          matches.push({
            subscription,
            paper,
            matched: shared.length ? shared : ['your library'],
            score,
            ...(why ? { why } : {}),
          });
      }
    }
    return matches;
  };
}

/** The most recently indexed papers published in the corpus's last CALIBRATION_DAYS days. */
async function recentPapers(snapshot: CorpusSnapshot, papers: PaperFetch): Promise<{ papers: Paper[]; days: number }> {
  const refs = [...snapshot.index.refs()].slice(-CALIBRATION_POOL);
  const dated = refs.flatMap((ref) => {
    const day = snapshot.index.metaOf(ref)?.published?.slice(0, 10);
    return day ? [{ ref, day }] : [];
  });
  const last =
    dated
      .map((d) => d.day)
      .sort()
      .at(-1) ?? '';
  if (!last) return { papers: [], days: 1 };
  const first = new Date(Date.parse(last) - (CALIBRATION_DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
  const inWindow = dated.filter((d) => d.day >= first);
  const days = new Set(inWindow.map((d) => d.day)).size || 1;
  const fetched = await papers.getMany(inWindow.map((d) => d.ref));
  return { papers: [...fetched.values()], days };
}
