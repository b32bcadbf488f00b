/**
 * The method-name set by the rule to the letter (names that are more often an ordinary word kept) beside
 * the eval's set (those dropped), paperboy only, on the whole shared corpus:
 *
 *   npx tsx bench/research/method-names-rule.ts
 */

import { METHOD_CORPUS_FILE, toKnownItemQueries } from '../datasets/method-names.ts';
import { defaultSharedDir } from '../datasets.ts';
import { firstKnownRank, knownItemScores } from '../known-item.ts';
import { buildMethodNameSet } from '../method-names/build.ts';
import { mean } from '../ndcg.ts';
import { buildPaperboy } from '../paperboy-engine.ts';
import { parsePaperLine, readFirstLines } from '../scale/corpus.ts';

const papers = (await readFirstLines(`${defaultSharedDir}/${METHOD_CORPUS_FILE}`, Infinity)).map(parsePaperLine);
const built = buildPaperboy(papers.map(({ id, title, abstract, authors }) => ({ id, title, abstract, authors })));
for (const commonWords of ['drop', 'keep'] as const) {
  const queries = toKnownItemQueries(buildMethodNameSet(papers, { commonWords }).queries);
  const scores: ReturnType<typeof knownItemScores>[] = [];
  for (const q of queries) {
    const ids = (await built.search.search(q.query, { limit: 10 })).hits.map((h) => h.paper.id);
    scores.push(knownItemScores(firstKnownRank(ids, q.known, 10)));
  }
  const figure = (key: keyof (typeof scores)[number]) => mean(scores.map((s) => s[key])).toFixed(3);
  console.log(
    `common words ${commonWords}: ${queries.length} queries, s@1 ${figure('success1')}, ` +
      `s@3 ${figure('success3')}, MRR@10 ${figure('mrr10')}`,
  );
}
