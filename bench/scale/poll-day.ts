/**
 * `paperboy poll` of a day's arXiv listing at the bench's scale (issue 22): a local stand-in for rss.arxiv.org
 * (test/fakes/paper-source-server.ts) serves `DAY_PAPERS` new papers as one RSS channel, the real `paperboy poll`
 * command runs against the engine's database (a process of its own: start, fetch, store, index, match, save), and
 * `paperboy search` in another process checks that the day's papers are found by their titles (among the best 100:
 * a scaled corpus has the same title once per copy). The figure is the
 * poll's wall time, process start to exit: an upper bound on how long a day takes to become searchable.
 */
import { spawn } from 'node:child_process';
import { renderRssFeed, startPaperSourceServer } from '../../test/fakes/paper-source-server.ts';
import type { CorpusPaper } from './corpus.ts';
import { titleWords } from './queries.ts';

export const DAY_PAPERS = 5000;
const CATEGORIES = ['cs.CL', 'cs.LG'];
const PROBES = 3;

export type PollResult = {
  pollDayPapers: number;
  /** Wall time of `paperboy poll`, process start to exit. */
  pollDayS: number;
  /** The probed papers of the day were found by their titles afterwards. */
  pollDaySearchable: boolean;
  pollDayOutput?: string;
};

/** How a `paperboy` command starts: node's arguments before the command's own. */
export type CliLaunch = string[];

function run(
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export async function pollDay(
  cli: CliLaunch,
  dbPath: string,
  cwd: string,
  papers: readonly CorpusPaper[],
): Promise<PollResult> {
  const server = await startPaperSourceServer();
  try {
    const day = new Date().toISOString().slice(0, 10);
    const listed = papers.map((p) => ({
      ...p,
      categories: p.categories.length ? p.categories : ['cs.LG'],
      published: day,
    }));
    server.route(`/rss/${CATEGORIES.join('+')}`, {
      body: renderRssFeed(listed, { day, categories: CATEGORIES }),
      contentType: 'application/rss+xml',
    });
    const env = {
      ...process.env,
      SOURCES: 'arxiv',
      ARXIV_RSS_URL: server.url,
      ARXIV_CATEGORIES: CATEGORIES.join(','),
      LOG_LEVEL: 'warn',
    };
    const started = performance.now();
    const poll = await run([...cli, 'poll', '--db', dbPath], env, cwd);
    const pollDayS = (performance.now() - started) / 1000;
    if (poll.code !== 0) throw new Error(`paperboy poll exited with ${poll.code}: ${poll.stderr.trim().slice(-300)}`);
    const probes = papers.filter((p) => titleWords(p.title).length >= 3).slice(-PROBES);
    let searchable = probes.length > 0;
    for (const probe of probes) {
      // The whole title: a scaled corpus holds a copy of every title per scale, and title matches rank first.
      const found = await run([...cli, 'search', '--db', dbPath, '--json', '--limit', '100', probe.title], env, cwd);
      const ids = found.stdout
        .split('\n')
        .filter((line) => line.trim().startsWith('{'))
        .map((line) => (JSON.parse(line) as { id?: string }).id);
      if (!ids.includes(probe.id)) searchable = false;
    }
    return {
      pollDayPapers: papers.length,
      pollDayS,
      pollDaySearchable: searchable,
      pollDayOutput: poll.stdout.trim(),
    };
  } finally {
    await server.close();
  }
}
