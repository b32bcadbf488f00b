/**
 * Child process of a full index build (IndexManager): reads every paper from the store on its own connection, indexes
 * them into one segment (the acronym table learned alongside, in a worker thread), and writes the whole index file —
 * manifest and segment — to the temporary path it is given. The bot's process then adopts that file (a rename) and
 * reads its segment on demand: the build's memory (several times the index's size at its peak) is this process's,
 * and goes back to the system when it exits, instead of staying resident in the bot.
 */
import { openStore } from '../store/open.ts';
import type { StoreLocation } from '../store/store.ts';
import { learnInWorker } from './acronym-learner.ts';
import { writeIndexFile } from './compact/index-file.ts';
import { Segment } from './compact/segment.ts';
import { buildPaperSegmentFrom } from './paper-segment.ts';

export interface FullBuildRequest {
  store: StoreLocation;
  /** The database's corpus id, for the manifest. */
  corpus: string | undefined;
  /** Where to write the index file (beside the real one, so that renaming it into place is atomic). */
  output: string;
}

export type FullBuildResponse =
  | { ok: true; version: number; count: number; build: string }
  | { ok: false; error: string };

async function build(request: FullBuildRequest): Promise<FullBuildResponse> {
  const store = await openStore(request.store, { readOnly: true, poolSize: 1 });
  try {
    const built = await store.papers.readCorpus(undefined, async (corpus) => ({
      ...(await buildPaperSegmentFrom(corpus.pages, learnInWorker())),
      version: corpus.version,
      count: corpus.count,
    }));
    const build = await writeIndexFile(
      request.output,
      { corpus: request.corpus, version: built.version, acronyms: built.acronyms },
      [new Segment(built.segment)],
    );
    return { ok: true, version: built.version, count: built.count, build };
  } finally {
    await store.close();
  }
}

// The bot's process gone (crashed, or stopped mid-build): nobody will adopt the file, so stop building it.
process.once('disconnect', () => process.exit(0));
process.once('message', (request: FullBuildRequest) => {
  build(request).then(
    (response) => process.send!(response, () => process.exit(0)),
    (error: unknown) =>
      process.send!({ ok: false, error: error instanceof Error ? error.message : String(error) }, () =>
        process.exit(1),
      ),
  );
});
