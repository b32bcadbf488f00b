/**
 * `paperboy import <file|dir>`: JSON Lines / JSON arrays (gzip detected by content) and Hugging Face text
 * pages into the store. A bad record (or one with neither title nor abstract) is reported with its line number and
 * skipped; the rest imports. Records taken for a stored paper (src/core/papers/duplicates.ts) are counted, and the
 * first few pairs reported with both ids. Importing the same file twice changes nothing.
 */
import { closeSync, createReadStream, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip, gunzipSync } from 'node:zlib';
import type { DuplicateRule } from '../papers/duplicates.ts';
import { normalizePaper } from '../papers/normalize.ts';
import type { Paper, PaperInput } from '../papers/paper.ts';
import { type ParseProblem, parseJsonLines, parsePaperLine } from '../sources/jsonl.ts';
import { parseTextPage } from '../sources/text-page.ts';
import type { MergeNote, Store, UpsertOutcome } from '../store/store.ts';

export interface ImportSummary {
  added: number;
  updated: number;
  unchanged: number;
  skipped: number;
  problems: (ParseProblem & { file: string })[];
  /** Records merged with a stored paper that came under another id (each merge counted once). */
  merged: number;
  /** `merged`, by the rule that made the two records one. */
  mergedBy: Partial<Record<DuplicateRule, number>>;
  /** The first merges (MAX_MERGES_KEPT), with both ids. */
  merges: MergeNote[];
  /** Ids of papers added or changed (what the index and alert matching need to look at). */
  changedIds: string[];
  seconds: number;
}

export interface ImportOptions {
  source?: string;
  /** Called now and then with papers processed so far (for a progress bar). */
  onProgress?: (processed: number, file: string) => void;
  /** Keep at most this many problems in the summary (counts stay exact). */
  maxProblems?: number;
  /** False: no two records with different ids become one paper (`--no-merge`); see `UpsertOptions`. */
  merge?: boolean;
}

/** Merges listed by name in a summary; the count stays exact. */
export const MAX_MERGES_KEPT = 10;

const BATCH = 2000;
/** Papers per transaction when importing beside a running bot (≈ a few ms of work each). */
const GENTLE_CHUNK = 25;
/**
 * Transactions between two background checkpoints during a gentle import: on SQLite, 25 papers write ~60 log pages,
 * so the log stays well below SQLite's automatic checkpoint at 1,000 pages (a ~30 ms stall on the main thread).
 */
const CHECKPOINT_EVERY = 8;
const IMPORTABLE = /\.(jsonl|ndjson|json|txt)(\.gz)?$|\.gz$/i;
const IMPORT_FORMATS = 'expected JSON Lines, a JSON array or a Hugging Face papers page';

export function emptySummary(): ImportSummary {
  return {
    added: 0,
    updated: 0,
    unchanged: 0,
    skipped: 0,
    problems: [],
    merged: 0,
    mergedBy: {},
    merges: [],
    changedIds: [],
    seconds: 0,
  };
}

export class Importer {
  /** Papers go to `store.papers`; gentle imports let the store `checkpoint` between their small transactions. */
  constructor(private readonly store: Pick<Store, 'papers' | 'checkpoint'>) {}

  async importPath(path: string, options: ImportOptions = {}): Promise<ImportSummary> {
    const started = performance.now();
    const summary = emptySummary();
    const stat = statSync(path);
    const files = stat.isDirectory()
      ? readdirSync(path)
          .filter((name) => IMPORTABLE.test(name))
          .sort()
          .map((name) => join(path, name))
      : [path];
    for (const file of files) await this.importFile(file, summary, options);
    summary.seconds = (performance.now() - started) / 1000;
    return summary;
  }

  /** Papers already parsed by a source (used by the poller and for the built-in corpus). */
  async importInputs(
    inputs: PaperInput[],
    source: string,
    summary = emptySummary(),
    file = source,
    firstLine = 1,
  ): Promise<ImportSummary> {
    const papers: Paper[] = [];
    inputs.forEach((input, index) => {
      const normalized = normalizePaper(input, source);
      if (normalized.ok) papers.push(normalized.paper);
      else this.problem(summary, { file, line: firstLine + index, reason: normalized.reason }, {});
    });
    await this.save(papers, summary, {});
    return summary;
  }

  /**
   * Like importInputs, in small transactions with a turn of the event loop between them, so a running bot
   * keeps answering while a batch of new papers is stored.
   */
  async importInputsGently(inputs: PaperInput[], source: string, chunk = GENTLE_CHUNK): Promise<ImportSummary> {
    const summary = emptySummary();
    let chunks = 0;
    for (let start = 0; start < inputs.length; start += chunk) {
      // Before the first transaction (the log may be long already) and every few after it.
      if (chunks++ % CHECKPOINT_EVERY === 0) await this.store.checkpoint();
      await this.importInputs(inputs.slice(start, start + chunk), source, summary, source, start + 1);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    // The log this batch wrote goes to the database file in the background, ready for the next writer.
    void this.store.checkpoint();
    return summary;
  }

  private async importFile(file: string, summary: ImportSummary, options: ImportOptions): Promise<void> {
    const name = basename(file);
    const source = options.source ?? 'import';
    const gzip = startsWithGzipMagic(file);
    const firstChar = firstNonSpaceChar(file, gzip);
    if (firstChar === '{') {
      await this.importJsonLinesStream(file, gzip, name, source, summary, options);
      return;
    }
    let text: string;
    try {
      const raw = await readFile(file);
      text = (gzip ? gunzipSync(raw) : raw).toString('utf8');
    } catch (error) {
      this.problem(summary, { file: name, line: 0, reason: `cannot read (${describe(error)})` }, options);
      return;
    }
    const parsed = firstChar === '[' ? parseJsonLines(text) : parseTextPage(text);
    for (const problem of parsed.problems) this.problem(summary, { file: name, ...problem }, options);
    // Binary junk or a page without papers would otherwise import nothing without a word.
    if (!parsed.papers.length && !parsed.problems.length) {
      const reason = text.trim() ? `no papers found (${IMPORT_FORMATS})` : 'empty file';
      this.problem(summary, { file: name, line: 0, reason }, options);
    }
    const papers: Paper[] = [];
    for (const { input, line } of parsed.papers) {
      const normalized = normalizePaper(input, options.source ?? (firstChar === '[' ? source : 'page'));
      if (normalized.ok) papers.push(normalized.paper);
      else this.problem(summary, { file: name, line, reason: normalized.reason }, options);
    }
    await this.save(papers, summary, options);
    options.onProgress?.(parsed.papers.length, name);
  }

  private async importJsonLinesStream(
    file: string,
    gzip: boolean,
    name: string,
    source: string,
    summary: ImportSummary,
    options: ImportOptions,
  ): Promise<void> {
    const raw = createReadStream(file);
    const input = gzip ? raw.pipe(createGunzip()) : raw;
    const lines = createInterface({ input, crlfDelay: Infinity });
    let batch: Paper[] = [];
    let lineNo = 0;
    let processed = 0;
    const streamError = new Promise<never>((_, reject) => {
      raw.on('error', reject);
      input.on('error', reject);
    });
    streamError.catch(() => undefined);
    try {
      const iterate = (async () => {
        for await (const rawLine of lines) {
          lineNo++;
          // A UTF-8 byte order mark (Windows editors) is not part of the first record.
          const line = lineNo === 1 ? rawLine.replace(/^\uFEFF/, '') : rawLine;
          if (!line.trim()) continue;
          const parsed = parsePaperLine(line);
          if (!('input' in parsed)) {
            this.problem(summary, { file: name, line: lineNo, reason: parsed.reason }, options);
            continue;
          }
          const normalized = normalizePaper(parsed.input, source);
          if (!normalized.ok) {
            this.problem(summary, { file: name, line: lineNo, reason: normalized.reason }, options);
            continue;
          }
          batch.push(normalized.paper);
          if (batch.length >= BATCH) {
            await this.save(batch, summary, options);
            processed += batch.length;
            batch = [];
            options.onProgress?.(processed, name);
          }
        }
      })();
      await Promise.race([iterate, streamError]);
    } catch (error) {
      // A truncated or corrupt gzip stream: keep what was read, report where it broke.
      this.problem(summary, { file: name, line: lineNo + 1, reason: `stopped reading: ${describe(error)}` }, options);
    } finally {
      lines.close();
      raw.destroy();
    }
    await this.save(batch, summary, options);
    options.onProgress?.(processed + batch.length, name);
  }

  private async save(papers: Paper[], summary: ImportSummary, options: Pick<ImportOptions, 'merge'>): Promise<void> {
    if (!papers.length) return;
    const results = await this.store.papers.upsertMany(papers, { merge: options.merge ?? true });
    for (const { outcome, id, merge } of results) {
      summary[outcome satisfies UpsertOutcome]++;
      if (outcome !== 'unchanged') summary.changedIds.push(id);
      if (merge) {
        summary.merged++;
        summary.mergedBy[merge.rule] = (summary.mergedBy[merge.rule] ?? 0) + 1;
        if (summary.merges.length < MAX_MERGES_KEPT) summary.merges.push(merge);
      }
    }
  }

  private problem(summary: ImportSummary, problem: ParseProblem & { file: string }, options: ImportOptions): void {
    summary.skipped++;
    if (summary.problems.length < (options.maxProblems ?? 1000)) summary.problems.push(problem);
  }
}

function startsWithGzipMagic(file: string): boolean {
  const head = readHead(file, 2);
  return head.length === 2 && head[0] === 0x1f && head[1] === 0x8b;
}

function firstNonSpaceChar(file: string, gzip: boolean): string {
  let head = readHead(file, 4096);
  if (gzip) {
    try {
      head = gunzipSync(readHead(file, 65536), { finishFlush: 2 /* Z_SYNC_FLUSH: tolerate a partial stream */ });
    } catch {
      return '';
    }
  }
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  return /\S/.exec(text)?.[0] ?? '';
}

function readHead(file: string, bytes: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const read = readSync(fd, buffer, 0, bytes, 0);
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

function describeRules(mergedBy: ImportSummary['mergedBy']): string {
  return Object.entries(mergedBy)
    .map(([rule, n]) => `${n} by ${rule}`)
    .join(', ');
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function formatSummary(summary: ImportSummary): string {
  const lines = [
    `${summary.added} added, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.skipped} skipped` +
      ` (${summary.seconds.toFixed(1)} s)`,
  ];
  for (const problem of summary.problems.slice(0, 20))
    lines.push(`  skipped ${problem.file}:${problem.line}: ${problem.reason}`);
  if (summary.problems.length > 20) lines.push(`  ... and ${summary.skipped - 20} more skipped`);
  if (summary.merged) {
    const shown = summary.merges.length;
    lines.push(
      `${summary.merged} merged into a paper already stored (${describeRules(summary.mergedBy)}); ` +
        'import with --no-merge to keep every record apart',
    );
    for (const { ids, keptId, rule } of summary.merges)
      lines.push(`  merged ${ids[1]} into ${ids[0]} (same ${rule})${keptId !== ids[0] ? `, now ${keptId}` : ''}`);
    if (summary.merged > shown) lines.push(`  ... and ${summary.merged - shown} more merged`);
  }
  return lines.join('\n');
}
