/**
 * The `paperboy` command line: import, search, related, summary, reindex, stats, poll, library import, alerts.
 * Every command takes `--db PATH`; search and related take `--json` and `--limit N`. Without a query, `search` reads
 * one query per line from stdin and prints one JSON line per query (for evaluations); without a paper, `summary`
 * reads one paper reference per line and prints one JSON summary per line. The command line never loads the
 * built-in papers unless `--with-builtin` asks: a user's database holds the user's papers.
 */

import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { type Config, ConfigError, databaseFromFlag, loadConfig } from '../config.ts';
import { formatSummary } from '../core/importing/importer.ts';
import { createLogger, describeError, logFormatFor } from '../core/logger.ts';
import type { Paper } from '../core/papers/paper.ts';
import { resolvePaper } from '../core/present/resolve-paper.ts';
import type { SearchResult } from '../core/search/types.ts';
import { StoreError } from '../core/store/store-error.ts';
import type { Summary } from '../core/summarize/summarize.ts';
import { builtinPaperCount, openPaperboy, type Paperboy } from '../paperboy.ts';
import { alertsCommand } from './alerts.ts';
import { backupCommand } from './backup.ts';
import { libraryCommand } from './library-import.ts';
import { runPoll } from './poll.ts';
import { progressReporter } from './progress.ts';

const USAGE = `Usage: paperboy <command> [options]

Commands:
  import <file|dir>        Import papers (JSON Lines, JSON array, gzip, or a Hugging Face papers page as text)
  search [query]           Search (no query: one query per line from stdin, one JSON line each)
  related <paper>          Papers related to a paper (id, URL or title words)
  summary [paper]          A paper's extractive summary (no paper: one reference per line from stdin,
                           one JSON line each: id, title, tldr, contribution, results, keyTerms, links)
  reindex                  Rebuild the search index
  stats                    Corpus and index figures (JSON: papers, builtin = built-in papers among them,
                           indexed, version)
  poll                     One alert round: fetch the enabled sources, store, match subscriptions, deliver
                           (to Slack / Discord when configured, console subscriptions printed), then exit
  backup FILE              Copy the database to FILE while the bot may run (SQLite's online backup API; for
                           PostgreSQL, prints the pg_dump line to run)
  restore FILE             Replace the database with the backup FILE, its schema brought up to date (SQLite:
                           refused while another process has the database open, unless --force; the replaced
                           file is kept aside; PostgreSQL: prints the pg_restore line to run)
  library import --channel PLATFORM:WORKSPACE:CHANNEL FILE
                           Save a BibTeX (.bib), CSL-JSON, Zotero CSV or arXiv id list to a channel's library
                           (slack:TEAM:CHANNEL, discord:SERVER:CHANNEL or console:CHANNEL); reports matched and
                           unmatched entries by line
  alerts dead [--channel PLATFORM:WORKSPACE:CHANNEL]
                           Alerts given up after their retries (dead letters), per channel and reason
  alerts retry [--channel PLATFORM:WORKSPACE:CHANNEL]
                           Re-queue dead letters (all, or one channel's): they go out with the next delivery round

Options:
  --db PATH     SQLite database file, or a postgres:// URL (default: DATABASE_URL, else PAPERBOY_DB,
                else ./data/paperboy.db)
  --json        JSON output (search, related: one object per result: id, title, score; summary: one object)
  --limit N        Number of results (default 10)
  --no-merge       import: keep every record as its own paper unless it comes under the id (its own or arXiv
                   id) of a stored one; by default records sharing a DOI, or a distinctive title with compatible
                   authors and agreeing abstracts, are merged (see docs/import.md), and each merge is reported
  --with-builtin   Also load the 71 built-in papers into the database (the bot loads them into a new database
                   on its first start; the command line never does unless asked)
  --channel P:W:C  The channel whose library 'library import' fills, or whose dead letters 'alerts' lists or
                   re-queues, e.g. slack:T0123ABCD:C0123ABCD
  --force          restore: even though another process has the database open (restart it right after)`;

interface Output {
  out(line: string): void;
  err(line: string): void;
}

const stdio: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** The command line's options and positionals; throws on an unknown or malformed option. */
function parseCliArgs(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      json: { type: 'boolean', default: false },
      limit: { type: 'string' },
      channel: { type: 'string' },
      'with-builtin': { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      'no-merge': { type: 'boolean', default: false },
      // The default since the command line stopped loading the built-in papers; still accepted for scripts.
      'no-builtin': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}

export async function runCli(
  argv: string[],
  io: Output = stdio,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<number> {
  let parsed: ReturnType<typeof parseCliArgs>;
  try {
    parsed = parseCliArgs(argv);
  } catch (error) {
    io.err(`paperboy: ${describeError(error).replace(/^TypeError[^:]*: /, '')}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    io.out(USAGE);
    return command || values.help ? 0 : 2;
  }
  const limit = values.limit === undefined ? 10 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    io.err('paperboy: --limit must be a whole number from 1 to 1000');
    return 2;
  }
  let config: Config;
  let database: Pick<Config, 'dbPath' | 'databaseUrl'>;
  try {
    config = loadConfig();
    database = databaseFromFlag(config, values.db);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(`paperboy: configuration error: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const logger = createLogger({
    level: values.json ? 'warn' : config.logLevel,
    secrets: config.secrets,
    write: io.err,
    format: logFormatFor(config.logFormat, 'stderr'),
  });
  const known = [
    'import',
    'search',
    'related',
    'summary',
    'reindex',
    'stats',
    'poll',
    'library',
    'alerts',
    'backup',
    'restore',
  ];
  if (!known.includes(command)) {
    io.err(`paperboy: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  if (command === 'backup' || command === 'restore')
    return backupCommand(command, database, rest, { force: values.force! }, io);
  let pb: Paperboy;
  try {
    pb = await openPaperboy({
      ...database,
      postgresTimeouts: config.postgresTimeouts,
      indexDir: config.indexDir,
      logger,
      builtinCorpus: values['with-builtin'] && !values['no-builtin'] ? 'always' : false,
      alerts: { digestTime: config.alerts.digestTime, timeZone: config.alerts.timeZone },
    });
  } catch (error) {
    if (error instanceof StoreError) {
      io.err(`paperboy: ${error.message}`);
      return 1;
    }
    throw error;
  }
  try {
    // Kept off standard output under --json, where every line is a result.
    if (pb.seeded) (values.json ? io.err : io.out)(`built-in papers: ${formatSummary(pb.seeded)}`);
    if (['search', 'related', 'summary'].includes(command) && (await pb.papers.count()) === 0) {
      // A PostgreSQL URL may hold a password: it is never echoed.
      const where = database.databaseUrl ? 'the PostgreSQL database' : database.dbPath;
      const flag = database.databaseUrl ? (values.db ? ' --db <the same URL>' : '') : ` --db ${database.dbPath}`;
      io.err(
        `paperboy: the corpus in ${where} is empty: import papers with \`paperboy import <file>${flag}\`, ` +
          'or add --with-builtin to load the 71 built-in papers',
      );
      return 1;
    }
    switch (command) {
      case 'import':
        return await importCommand(pb, rest, io, { merge: !values['no-merge'] });
      case 'search':
        return await searchCommand(pb, rest.join(' '), { json: values.json!, limit }, io, stdin);
      case 'related':
        return await relatedCommand(pb, rest.join(' '), { json: values.json!, limit }, io);
      case 'summary':
        return await summaryCommand(pb, rest.join(' '), values.json!, io, stdin);
      case 'reindex': {
        const started = performance.now();
        const snapshot = await pb.index.rebuild();
        io.out(`reindexed ${snapshot.meta.size} papers in ${((performance.now() - started) / 1000).toFixed(1)} s`);
        return 0;
      }
      case 'stats':
        io.out(
          JSON.stringify({
            papers: await pb.papers.count(),
            builtin: await builtinPaperCount(pb.papers),
            indexed: pb.index.snapshot.meta.size,
            version: await pb.papers.version(),
          }),
        );
        return 0;
      case 'poll':
        return await runPoll(pb, { ...config, ...database }, logger, io);
      case 'library':
        return await libraryCommand(pb, rest, { channel: values.channel, arxivApiUrl: config.alerts.arxivApiUrl }, io);
      case 'alerts':
        return await alertsCommand(pb, rest, { channel: values.channel }, io);
    }
    return 2;
  } finally {
    await pb.close();
  }
}

async function importCommand(pb: Paperboy, paths: string[], io: Output, options: { merge: boolean }): Promise<number> {
  if (!paths.length) {
    io.err('paperboy import: give a file or folder to import');
    return 2;
  }
  let failed = false;
  for (const path of paths) {
    const progress = progressReporter(process.stderr);
    try {
      const summary = await pb.importer.importPath(path, { onProgress: progress, merge: options.merge });
      progress.done();
      io.out(`${path}: ${formatSummary(summary)}`);
    } catch (error) {
      progress.done();
      io.err(`paperboy import: cannot import ${path}: ${describeError(error).replace(/^Error: /, '')}`);
      failed = true;
    }
  }
  const started = performance.now();
  const snapshot = await pb.index.refresh();
  io.out(`search index: ${snapshot.meta.size} papers (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  return failed ? 1 : 0;
}

function resultLines(result: SearchResult): { id: string; title: string; score: number }[] {
  return result.hits.map((hit) => ({ id: hit.paper.id, title: hit.paper.title, score: Number(hit.score.toFixed(6)) }));
}

function printResults(result: SearchResult, json: boolean, io: Output): void {
  if (json) {
    for (const line of resultLines(result)) io.out(JSON.stringify(line));
    return;
  }
  if (result.error) io.err(result.error);
  if (result.correctedQuery) io.out(`Showing results for "${result.correctedQuery}"`);
  if (result.didYouMean) io.out(`Did you mean "${result.didYouMean}"?`);
  if (result.notice) io.out(result.notice);
  result.hits.forEach((hit, i) => {
    io.out(`${String(i + 1).padStart(2)}. ${hit.paper.title} [${hit.paper.id}] ${hit.score.toFixed(3)}`);
  });
  if (!result.hits.length && !result.error) io.out('No papers match.');
}

async function searchCommand(
  pb: Paperboy,
  query: string,
  options: { json: boolean; limit: number },
  io: Output,
  stdin: NodeJS.ReadableStream,
): Promise<number> {
  if (query.trim()) {
    printResults(await pb.services.search.search(query, { limit: options.limit }), options.json, io);
    return 0;
  }
  // Batch mode: one query per line, one JSON line per query.
  for await (const line of createInterface({ input: stdin, crlfDelay: Infinity })) {
    if (!line.trim()) continue;
    const result = await pb.services.search.search(line, { limit: options.limit });
    io.out(
      JSON.stringify({ query: line, results: resultLines(result), ...(result.error ? { error: result.error } : {}) }),
    );
  }
  return 0;
}

async function relatedCommand(
  pb: Paperboy,
  reference: string,
  options: { json: boolean; limit: number },
  io: Output,
): Promise<number> {
  const resolved = await resolvePaper(pb.services, reference);
  if ('error' in resolved) {
    io.err(resolved.error);
    return 1;
  }
  printResults(await pb.services.search.related(resolved.paper.id, { limit: options.limit }), options.json, io);
  return 0;
}

/** A summary as one JSON line: the same keys for every paper (null where a part is missing). */
function summaryLine(paper: Paper, summary: Summary): string {
  return JSON.stringify({
    id: paper.id,
    title: paper.title,
    tldr: summary.tldr,
    contribution: summary.contribution ?? null,
    results: summary.results ?? null,
    keyTerms: summary.keyTerms,
    links: summary.links,
    ...(summary.huggingFace ? { huggingFace: summary.huggingFace } : {}),
  });
}

async function summaryCommand(
  pb: Paperboy,
  reference: string,
  json: boolean,
  io: Output,
  stdin: NodeJS.ReadableStream,
): Promise<number> {
  if (!reference.trim()) {
    // Batch mode: one paper reference per line, one JSON line per reference.
    for await (const line of createInterface({ input: stdin, crlfDelay: Infinity })) {
      const input = line.trim();
      if (!input) continue;
      const resolved = await resolvePaper(pb.services, input);
      if ('error' in resolved) io.out(JSON.stringify({ input, error: resolved.error }));
      else io.out(summaryLine(resolved.paper, pb.services.summarize(resolved.paper)));
    }
    return 0;
  }
  const resolved = await resolvePaper(pb.services, reference);
  if ('error' in resolved) {
    io.err(resolved.error);
    return 1;
  }
  const summary = pb.services.summarize(resolved.paper);
  if (json) {
    io.out(summaryLine(resolved.paper, summary));
    return 0;
  }
  io.out(resolved.paper.title);
  io.out(`TL;DR: ${summary.tldr}`);
  if (summary.contribution) io.out(`What they did: ${summary.contribution}`);
  if (summary.results) io.out(`Results: ${summary.results}`);
  if (summary.huggingFace) io.out(`Hugging Face's AI summary: ${summary.huggingFace}`);
  if (summary.keyTerms.length) io.out(`Key terms: ${summary.keyTerms.join(', ')}`);
  for (const link of summary.links) io.out(`${link.label}: ${link.url}`);
  return 0;
}
