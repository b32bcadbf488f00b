/**
 * Library recommendations at scale (issue 17): libraries of LIBRARY_SIZE papers saved in a channel, each the best
 * matches of one bench query, and `/paper recommend`'s work for each timed (training the classifier, ranking the
 * corpus, fetching the papers). The target is 200 ms for a 50-paper library over the 74,728-paper corpus.
 */
import type { Paperboy } from '../../src/paperboy.ts';

export const LIBRARY_SIZE = 50;
export const RECOMMEND_TARGET_MS = 200;
const LIBRARIES = 12;

export interface RecommendTiming {
  libraries: number;
  p50Ms: number;
  maxMs: number;
  /** CPU time of the process (user + system) per recommendation: what a busy machine does not inflate. */
  cpuP50Ms: number;
}

export async function timeRecommendations(pb: Paperboy, queries: readonly string[]): Promise<RecommendTiming> {
  const library = pb.services.library;
  if (!library) throw new Error('the library service is not wired');
  const times: number[] = [];
  const cpu: number[] = [];
  let made = 0;
  for (const query of queries) {
    if (made >= LIBRARIES) break;
    const hits = (await pb.services.search.search(query, { limit: LIBRARY_SIZE })).hits;
    if (hits.length < LIBRARY_SIZE) continue;
    const scope = { platform: 'bench', workspaceId: '', channelId: `library-${made}` };
    for (const hit of hits) await library.save(scope, hit.paper, { id: 'bench' });
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    await library.recommend(scope, 10);
    const used = process.cpuUsage(cpuStarted);
    // The first library warms the code paths up; it is not counted.
    if (made > 0) {
      times.push(performance.now() - started);
      cpu.push((used.user + used.system) / 1000);
    }
    made++;
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] ?? Number.NaN;
  return { libraries: times.length, p50Ms: median(times), maxMs: Math.max(...times), cpuP50Ms: median(cpu) };
}
