/**
 * `npm run loadtest [-- --concurrency 200] [--corpus PATH] [--crash-loop N]`: the load run (see load.ts) against a
 * paperboy over the built-in papers, or over a corpus imported first into a temp database with the same importer
 * `paperboy import` uses; `--crash-loop N` runs the SIGKILL crash loop instead (see crash-loop.ts).
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { silentLogger } from '../../src/core/logger.ts';
import { openPaperboy, type Paperboy } from '../../src/paperboy.ts';
import { formatResult, loadDiscord, loadSlack } from './load.ts';

const { values } = parseArgs({
  options: {
    concurrency: { type: 'string', default: '200' },
    corpus: { type: 'string' },
    'crash-loop': { type: 'string' },
    seed: { type: 'string', default: '1' },
    'timeout-ms': { type: 'string', default: '60000' },
  },
});

async function main(): Promise<number> {
  if (values['crash-loop']) {
    const { runCrashLoop, formatCrashLoop } = await import('./crash-loop.ts');
    const result = await runCrashLoop({
      kills: Number(values['crash-loop']),
      seed: Number(values.seed),
      log: (line) => console.log(line),
    });
    console.log(formatCrashLoop(result));
    return result.lost === 0 && result.duplicates === 0 ? 0 : 1;
  }
  const concurrency = Math.max(1, Math.min(1000, Number(values.concurrency)));
  const timeoutMs = Number(values['timeout-ms']);
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-loadtest-'));
  let pb: Paperboy | undefined;
  try {
    const t0 = performance.now();
    pb = await openPaperboy({
      dbPath: join(dir, 'load.db'),
      logger: silentLogger,
      builtinCorpus: !values.corpus,
      useWorker: true,
    });
    if (values.corpus) {
      console.log(`importing ${values.corpus} …`);
      const summary = await pb.importer.importPath(values.corpus, { source: 'import' });
      await pb.index.refresh();
      console.log(
        `corpus: ${summary.added} papers imported and indexed in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
    }
    const papers = await pb.papers.count();
    console.log(
      `paperboy over ${papers} papers; ${concurrency} concurrent requests per platform; node ${process.version}`,
    );
    // One warm-up request each, so the numbers are about load, not first-use compilation.
    await loadSlack({ dispatcher: pb.dispatcher, concurrency: 1, timeoutMs });
    await loadDiscord({ dispatcher: pb.dispatcher, concurrency: 1, timeoutMs });
    const slack = await loadSlack({ dispatcher: pb.dispatcher, concurrency, timeoutMs });
    console.log(formatResult(slack));
    const discord = await loadDiscord({ dispatcher: pb.dispatcher, concurrency, timeoutMs });
    console.log(formatResult(discord));
    console.log(
      JSON.stringify({
        papers,
        concurrency,
        slack: { ...slack, errors: slack.errors.length },
        discord: { ...discord, errors: discord.errors.length },
      }),
    );
    const ok = [slack, discord].every((r) => r.acked === concurrency && r.errors.length === 0 && r.lateAcks === 0);
    return ok ? 0 : 1;
  } finally {
    await pb?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(2);
  },
);
