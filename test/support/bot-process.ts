/**
 * The bot as operators run it: `src/main.ts` in a child process with the given environment (platform tokens
 * cleared unless given, so a developer's .env cannot leak in), its JSON log lines parsed as they come.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

export type LogLine = Record<string, unknown> & { level: string; msg: string };

export interface BotProcess {
  child: ChildProcess;
  /** Every JSON log line so far. */
  logs: LogLine[];
  /** The first log line (seen or to come) whose msg includes `text`; fails after `timeoutMs`. */
  waitForLog(text: string, timeoutMs?: number): Promise<LogLine>;
  /** Resolves when the process exits, with its status and everything it wrote. */
  exited: Promise<{ code: number | null; signal: string | null; output: string }>;
}

export function startBot(env: Record<string, string>, options: { entry?: string; args?: string[] } = {}): BotProcess {
  const child = spawn(
    process.execPath,
    options.entry ? [options.entry, ...(options.args ?? [])] : ['--import', 'tsx', MAIN],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: {
        ...process.env,
        SLACK_BOT_TOKEN: '',
        SLACK_APP_TOKEN: '',
        SLACK_SIGNING_SECRET: '',
        DISCORD_TOKEN: '',
        DISCORD_APP_ID: '',
        LOG_FORMAT: 'json',
        ...env,
      },
    },
  );
  const logs: LogLine[] = [];
  let output = '';
  let partial = '';
  const waiters = new Set<() => void>();
  const onChunk = (chunk: Buffer) => {
    output += chunk;
    partial += chunk;
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      try {
        logs.push(JSON.parse(line) as LogLine);
      } catch {}
    }
    for (const wake of waiters) wake();
  };
  child.stdout!.on('data', onChunk);
  child.stderr!.on('data', onChunk);
  const exited = new Promise<{ code: number | null; signal: string | null; output: string }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, output })),
  );
  let gone = false;
  void exited.then(() => {
    gone = true;
    for (const wake of waiters) wake();
  });
  return {
    child,
    logs,
    exited,
    waitForLog(text, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = logs.find((line) => String(line.msg).includes(text));
          if (found || gone) {
            clearTimeout(timer);
            waiters.delete(check);
            if (found) resolve(found);
            else reject(new Error(`the bot exited before logging "${text}":\n${output.slice(-3000)}`));
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no log line with "${text}" within ${timeoutMs} ms:\n${output.slice(-3000)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}
