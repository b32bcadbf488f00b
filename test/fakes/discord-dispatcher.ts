/**
 * A real Dispatcher over small, deterministic commands and a three-paper corpus (one with a hostile
 * title), so the Discord adapter's tests know exactly which Reply each interaction produces. The
 * end-to-end test (discord-commands.test.ts) runs the project's real commands instead.
 */

import { random as realRandom } from '../../commands/random.ts';
import { related as realRelated } from '../../commands/related.ts';
import { search as realSearch } from '../../commands/search.ts';
import { share as realShare } from '../../commands/share.ts';
import { summary as realSummary } from '../../commands/summary.ts';
import type { Stash } from '../../src/core/actions.ts';
import { CHANGES_ALERTS } from '../../src/core/channel-managers.ts';
import type { Command, Invoker } from '../../src/core/command.ts';
import { Dispatcher } from '../../src/core/dispatcher.ts';
import { type Logger, silentLogger } from '../../src/core/logger.ts';
import type { PaperCard, Reply } from '../../src/core/reply.ts';
import { errorReply, textReply } from '../../src/core/reply.ts';
import type { Services } from '../../src/core/services.ts';

export const HOSTILE_TITLE =
  'LoRA @everyone <@1033044521375764530> **bold** [click](https://evil.example) `code` > quote';

export const PAPERS = [
  {
    id: '2106.09685',
    title: HOSTILE_TITLE,
    authors: 'E. Hu, Y. Shen et al.',
    gist: 'Low-rank adapters for @here large models.',
  },
  {
    id: '2006.11239',
    title: 'Denoising Diffusion Probabilistic Models',
    authors: 'J. Ho, A. Jain, P. Abbeel',
    gist: 'Diffusion models that denoise.',
  },
  { id: '1706.03762', title: 'Attention Is All You Need', authors: 'A. Vaswani et al.', gist: 'Transformers.' },
];

export class MemoryStash implements Stash {
  private readonly values = new Map<string, string>();
  put(value: string): string {
    const key = String(this.values.size + 1);
    this.values.set(key, value);
    return key;
  }
  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }
  async settled(): Promise<void> {}
}

/** What commands saw, for assertions on options and invokers. */
export interface Seen {
  command: string;
  options: Record<string, unknown>;
  invoker: Invoker;
}

export function createTestDispatcher(options: { logger?: Logger; seen?: Seen[] } = {}): Dispatcher {
  const stash = new MemoryStash();
  const seen = options.seen ?? [];
  const card = (paper: (typeof PAPERS)[number], verbs: ('summary' | 'related' | 'share')[]): PaperCard => ({
    paperId: paper.id,
    title: paper.title,
    url: `https://arxiv.org/abs/${paper.id}`,
    authors: paper.authors,
    date: '2024-01-02',
    gist: paper.gist,
    matched: ['lora'],
    upvotes: 12,
    actions: verbs.map((verb) => ({
      label: verb === 'summary' ? 'Summary' : verb === 'related' ? 'Related' : 'Share',
      id: dispatcher.buttons.id({ verb, arg: paper.id }),
      style: verb === 'summary' ? 'primary' : 'secondary',
    })),
  });
  const find = (id: unknown) => PAPERS.find((paper) => paper.id === id || paper.title === id);
  const record = (command: string, ctx: { options: Record<string, unknown>; invoker: Invoker }) =>
    seen.push({ command, options: { ...ctx.options }, invoker: ctx.invoker });
  const paperOption = {
    name: 'paper',
    description: 'arXiv id, link, or title words',
    type: 'string',
    required: true,
    autocomplete: 'paper',
  } as const;
  const titles = (partial: string) => [
    ...PAPERS.filter((paper) => paper.title.toLowerCase().includes(partial.toLowerCase())).map((p) => ({
      name: p.title,
      value: p.id,
    })),
    { name: 'x'.repeat(150), value: PAPERS[0]!.id }, // duplicate value, over-long name
    { name: 'too long value', value: 'v'.repeat(101) },
  ];

  const commands: Command[] = [
    {
      name: 'search',
      buttons: realSearch.buttons,
      description: 'Search papers by words, authors or ids',
      usage: '/paper <query>',
      examples: ['/paper lora'],
      options: [
        { name: 'query', description: 'What to look for', type: 'string', required: true },
        { name: 'page', description: 'Result page', type: 'integer', min: 1, max: 50 },
      ],
      run(ctx): Reply {
        record('search', ctx);
        const query = String(ctx.options.query ?? '');
        const page = Number(ctx.options.page ?? 1);
        if (query === 'nothing') return textReply('No papers match "nothing".');
        return {
          blocks: [
            { kind: 'text', text: `Results for ${query} (page ${page})`, style: 'heading' },
            ...PAPERS.map((paper) => ({ kind: 'paper' as const, card: card(paper, ['summary', 'related', 'share']) })),
            {
              kind: 'actions',
              actions: [
                { label: 'Next page', id: dispatcher.buttons.id({ verb: 'search', arg: query, page: page + 1 }) },
              ],
            },
          ],
          visibility: 'ephemeral',
          fallback: `Results for ${query}`,
        };
      },
    },
    {
      name: 'random',
      mention: realRandom.mention,
      description: 'A random paper, optionally on a topic',
      usage: '/paper random [topic]',
      examples: ['/paper random diffusion'],
      options: [{ name: 'topic', description: 'Topic', type: 'string' }],
      run(ctx): Reply {
        record('random', ctx);
        const paper = PAPERS[1]!;
        return {
          blocks: [{ kind: 'paper', card: card(paper, ['summary', 'related']) }],
          visibility: 'public',
          fallback: paper.title,
        };
      },
    },
    {
      name: 'related',
      threadMention: realRelated.threadMention,
      buttons: realRelated.buttons,
      description: 'Papers related to one paper',
      usage: '/paper related <paper>',
      examples: ['/paper related 2106.09685'],
      options: [paperOption],
      autocomplete: (_ctx, _option, partial) => titles(partial),
      run(ctx): Reply {
        record('related', ctx);
        const paper = find(ctx.options.paper);
        if (!paper) return errorReply('I could not find that paper.');
        const others = PAPERS.filter((p) => p !== paper);
        return {
          blocks: [
            { kind: 'text', text: `Related to ${paper.title}` },
            ...others.map((p) => ({ kind: 'paper' as const, card: card(p, ['summary', 'share']) })),
          ],
          visibility: 'ephemeral',
          fallback: `Related to ${paper.title}`,
        };
      },
    },
    {
      name: 'summary',
      threadMention: realSummary.threadMention,
      buttons: realSummary.buttons,
      description: "A paper's summary, posted in a thread under its card",
      usage: '/paper summary <paper>',
      examples: ['/paper summary 2106.09685'],
      options: [paperOption, { name: 'card', description: 'Post the card too', type: 'boolean' }],
      autocomplete: (_ctx, _option, partial) => titles(partial),
      run(ctx): Reply {
        record('summary', ctx);
        const paper = find(ctx.options.paper);
        if (!paper) return errorReply('I could not find that paper.');
        const thread: Reply = {
          blocks: [
            { kind: 'section', title: 'TL;DR', text: `${paper.gist} @everyone` },
            { kind: 'links', links: [{ label: 'arXiv', url: `https://arxiv.org/abs/${paper.id}` }] },
          ],
          visibility: 'public',
          fallback: `Summary of ${paper.title}`,
        };
        if (ctx.options.card === false) return thread;
        return {
          blocks: [{ kind: 'paper', card: card(paper, ['related']) }],
          visibility: 'public',
          thread: [thread],
          fallback: paper.title,
        };
      },
    },
    {
      name: 'share',
      buttons: realShare.buttons,
      description: "Post a paper's card in the channel",
      usage: '/paper share <paper>',
      examples: ['/paper share 2106.09685'],
      options: [paperOption],
      autocomplete: (_ctx, _option, partial) => titles(partial),
      run(ctx): Reply {
        record('share', ctx);
        const paper = find(ctx.options.paper);
        if (!paper) return errorReply('I could not find that paper.');
        return {
          blocks: [{ kind: 'paper', card: card(paper, ['summary', 'related']) }],
          visibility: 'public',
          fallback: paper.title,
        };
      },
    },
    {
      name: 'subscribe',
      description: 'Post new papers on a topic in this channel',
      usage: '/paper subscribe <topic>',
      examples: ['/paper subscribe diffusion'],
      options: [{ name: 'topic', description: 'Topic', type: 'string', required: true }],
      changesChannel: CHANGES_ALERTS,
      run(ctx): Reply {
        record('subscribe', ctx);
        return textReply(`Subscribed this channel to ${String(ctx.options.topic)}.`);
      },
    },
    {
      name: 'help',
      description: 'How to use paperboy',
      usage: '/paper help',
      examples: ['/paper help'],
      options: [],
      run(ctx): Reply {
        record('help', ctx);
        return textReply('Try /paper lora.');
      },
    },
  ];
  const services = {
    stash,
    papers: { get: () => undefined, count: () => PAPERS.length, randomId: () => PAPERS[0]!.id },
  } as unknown as Services;
  const dispatcher = new Dispatcher({ commands, services, logger: options.logger ?? silentLogger });
  return dispatcher;
}
