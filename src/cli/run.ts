/** Entry point of the `paperboy` command: runs the CLI and exits with its status. */

import { describeError } from '../core/logger.ts';
import { runCli } from './main.ts';

runCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`paperboy: ${describeError(error)}\n`);
    process.exit(1);
  },
);
