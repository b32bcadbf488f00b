/** Every command, listed once; adapters generate their platform definitions from this array. */
import type { Command } from '../src/core/command.ts';
import { search } from './search.ts';
import { random } from './random.ts';
import { related } from './related.ts';
import { summary } from './summary.ts';
import { share } from './share.ts';
import { createHelp } from './help.ts';
import { subscribe } from './subscribe.ts';
import { unsubscribe } from './unsubscribe.ts';
import { subscriptions } from './subscriptions.ts';

export const commands: Command[] = [search, random, related, summary, share, subscribe, unsubscribe, subscriptions];
commands.push(createHelp(() => commands));
