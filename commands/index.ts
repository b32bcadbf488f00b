/** Every command, listed once; adapters generate their platform definitions from this array. */
import type { Command } from '../src/core/command.ts';
import { search } from './search.ts';
import { random } from './random.ts';
import { related } from './related.ts';
import { summary } from './summary.ts';
import { share } from './share.ts';
import { createHelp } from './help.ts';

export const commands: Command[] = [search, random, related, summary, share];
commands.push(createHelp(() => commands));
