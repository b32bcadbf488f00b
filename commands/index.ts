/** Every command, listed once; adapters generate their platform definitions from this array. */
import type { Command } from '../src/core/command.ts';
import { ask } from './ask.ts';
import { digest } from './digest.ts';
import { feedback } from './feedback.ts';
import { createHelp } from './help.ts';
import { library } from './library.ts';
import { me } from './me.ts';
import { random } from './random.ts';
import { recommend } from './recommend.ts';
import { related } from './related.ts';
import { save } from './save.ts';
import { search } from './search.ts';
import { share } from './share.ts';
import { subscribe } from './subscribe.ts';
import { subscriptions } from './subscriptions.ts';
import { summary } from './summary.ts';
import { trending } from './trending.ts';
import { trends } from './trends.ts';
import { unsubscribe } from './unsubscribe.ts';

// digest before summary: in a thread, "summarize" and "tl;dr" are the digest's (which answers a thread about one paper
// with that paper's summary, as summary would). ask after both: a question is what none of the words before claim.
export const commands: Command[] = [
  search,
  random,
  related,
  digest,
  summary,
  ask,
  share,
  save,
  library,
  me,
  recommend,
  feedback,
  trending,
  trends,
  subscribe,
  unsubscribe,
  subscriptions,
];
commands.push(createHelp(() => commands));
