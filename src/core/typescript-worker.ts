/**
 * Starts a worker thread (or a child process) whose code is one of our TypeScript modules, in development and in the
 * compiled build alike. Under tsx (npm start, tests) worker threads do not inherit its loader (Node 20), so the worker boots
 * through ts-worker-boot.mjs, which registers tsx and then loads the module. In the build (`npm run build` → dist/,
 * run with plain node) this file is JavaScript too, and the worker starts straight from the compiled `.js`.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

const COMPILED = import.meta.url.endsWith('.js');

/** `entry`: the worker module's `.ts` URL (`new URL('./build-worker.ts', import.meta.url)`). */
export function startTypeScriptWorker(entry: URL, workerData: Record<string, unknown>): Worker {
  if (COMPILED) return new Worker(new URL(entry.href.replace(/\.ts$/, '.js')), { workerData });
  return new Worker(new URL('./ts-worker-boot.mjs', import.meta.url), {
    workerData: { ...workerData, entry: entry.href },
  });
}

/**
 * A child process running one of our modules, with an IPC channel (`send`, `message`): under tsx it loads tsx itself
 * (`--import tsx`); compiled, the `.js` beside this file. None of this process's Node options are passed on (a heap
 * limit or profiler meant for this process is not the child's).
 */
export function startTypeScriptProcess(entry: URL): ChildProcess {
  if (COMPILED) return fork(fileURLToPath(entry.href.replace(/\.ts$/, '.js')), [], { execArgv: [] });
  return fork(fileURLToPath(entry), [], { execArgv: ['--import', 'tsx'] });
}
