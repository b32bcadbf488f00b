/**
 * npx tsx bench/profile.ts: where paperboy's time and memory go (issue 22). Each scenario (bench/profile/scenario.ts)
 * runs in a fresh process under `node --cpu-prof` on the paperboy database of a bench work folder; this prints its
 * timed phases with the memory after each, its own figures (latencies, event-loop delay, heap by kind of object) and
 * the functions the CPU profile of each thread spends its samples in.
 *
 *   npm run bench -- --engines paperboy --keep          # leaves a work folder (its path is printed)
 *   npx tsx bench/profile.ts --work DIR [--scenarios cold,queries,alerts,recommend,build,memory] [--top 15]
 *                            [--profiles DIR]           # keep the .cpuprofile files (open them in Chrome DevTools)
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { interesting, summarizeProfile } from './profile/cpu-profile.ts';
import { type Phase, SCENARIOS, type Scenario } from './profile/scenario.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SCENARIO = path.join(root, 'bench', 'profile', 'scenario.ts');

function runScenario(scenario: Scenario, work: string, profiles: string): Promise<Record<string, unknown>> {
  const args = [
    '--expose-gc',
    '--cpu-prof',
    `--cpu-prof-dir=${path.join(profiles, scenario)}`,
    '--import',
    'tsx',
    SCENARIO,
    '--scenario',
    scenario,
    '--work',
    work,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${scenario} exited with code ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, unknown>);
    });
  });
}

const f = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function phaseTable(phases: Phase[]): string {
  return phases
    .map(
      (p) =>
        `  ${p.name.padEnd(26)} ${f(p.ms).padStart(7)} ms   RSS ${f(p.rssMB).padStart(5)} MB   heap ${f(p.heapUsedMB).padStart(4)} MB   external ${f(p.externalMB).padStart(4)} MB`,
    )
    .join('\n');
}

function profileReport(file: string, top: number): string {
  const summary = summarizeProfile(file, root);
  const rows = (list: [string, number][]) =>
    list
      .filter(([label]) => interesting(label))
      .slice(0, top)
      .map(([label, ms]) => `    ${f(ms).padStart(6)} ms  ${label}`)
      .join('\n');
  return [
    `  ${path.basename(file)}: ${f(summary.totalMs)} ms sampled`,
    '   self time by file or package:',
    rows(summary.files),
    '   self time by function:',
    rows(summary.self),
    '   time by function, callees included:',
    rows(summary.inclusive),
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      work: { type: 'string' },
      scenarios: { type: 'string', default: SCENARIOS.join(',') },
      top: { type: 'string', default: '15' },
      profiles: { type: 'string' },
    },
  });
  if (!values.work || !existsSync(path.join(values.work, 'paperboy', 'paperboy.db')))
    throw new Error('--work DIR must be a bench work folder with paperboy/paperboy.db (npm run bench -- --keep)');
  const scenarios = values.scenarios.split(',') as Scenario[];
  for (const s of scenarios) if (!SCENARIOS.includes(s)) throw new Error(`unknown scenario ${s}`);
  const profiles = values.profiles ?? mkdtempSync(path.join(os.tmpdir(), 'paperboy-profiles-'));
  mkdirSync(profiles, { recursive: true });
  const top = Number(values.top) || 15;
  try {
    process.stdout.write(
      `load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}, ${os.cpus().length} cores\n`,
    );
    for (const scenario of scenarios) {
      const result = await runScenario(scenario, values.work, profiles);
      const { phases, scenario: _, ...figures } = result as { phases: Phase[]; scenario: string };
      process.stdout.write(`\n== ${scenario}\n${phaseTable(phases)}\n`);
      if (Object.keys(figures).length)
        process.stdout.write(
          `  ${JSON.stringify(figures, (_k, v) => (typeof v === 'number' ? Math.round(v * 10) / 10 : v))}\n`,
        );
      // One profile per thread: the main thread, tsx's loader thread, an index build worker.
      const dir = path.join(profiles, scenario);
      for (const file of readdirSync(dir).sort()) process.stdout.write(`${profileReport(path.join(dir, file), top)}\n`);
    }
    process.stdout.write(
      `\nload average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}\n`,
    );
  } finally {
    if (!values.profiles) rmSync(profiles, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`profile: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
