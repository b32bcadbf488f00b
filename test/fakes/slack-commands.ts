/**
 * A small, deterministic command set and corpus behind a real Dispatcher, for the Slack adapter's
 * integration tests: the replies have the shapes the real commands return (cards with Summary /
 * Related / Random related / Share buttons, a More results button, a summary in a card's thread).
 */

import { random as realRandom } from '../../commands/random.ts';
import { related as realRelated } from '../../commands/related.ts';
import { search as realSearch } from '../../commands/search.ts';
import { share as realShare } from '../../commands/share.ts';
import { summary as realSummary } from '../../commands/summary.ts';
import type { Stash } from '../../src/core/actions.ts';
import { CommandButtons } from '../../src/core/buttons.ts';
import type { Command, Invoker } from '../../src/core/command.ts';
import { Dispatcher } from '../../src/core/dispatcher.ts';
import type { FairUse } from '../../src/core/fair-use/fair-use.ts';
import { type Logger, silentLogger } from '../../src/core/logger.ts';
import { arxivAbsUrl } from '../../src/core/papers/ids.ts';
import type { Paper } from '../../src/core/papers/paper.ts';
import { type Action, errorReply, type PaperCard, type Reply, textReply } from '../../src/core/reply.ts';
import type { Services } from '../../src/core/services.ts';

export const HOSTILE_TITLE =
  '<!channel> Attention & <https://evil.example|click me> <@U123> is all you need > @everyone';

function paper(id: string, title: string, abstract: string, authors = ['Ada Lovelace', 'Alan Turing']): Paper {
  return {
    id,
    arxivId: id,
    title,
    abstract,
    authors,
    categories: ['cs.LG'],
    source: 'test',
    published: `2024-01-0${id.slice(-1)}`,
  };
}

export const PAPERS: Paper[] = [
  paper(
    '2401.00001',
    'Diffusion Models Beat GANs on Image Synthesis',
    'We show diffusion models reach better sample quality.',
  ),
  paper('2401.00002', HOSTILE_TITLE, 'An abstract that says <!here> & pings <@U999>.'),
  paper(
    '2401.00003',
    'LoRA: Low-Rank Adaptation of Large Language Models',
    'Low-rank adapters for fine-tuning diffusion and language models.',
  ),
  paper('2401.00004', 'A Very Long Abstract About Diffusion', 'Diffusion '.repeat(500).trim()),
];

const PAGE_SIZE = 2;

/** Who ran each command, in order: tests check the adapter's Invoker. */
export const SEEN_INVOKERS: Invoker[] = [];

class MemoryStash implements Stash {
  private readonly values: string[] = [];
  put(value: string): string {
    this.values.push(value);
    return String(this.values.length - 1);
  }
  async get(key: string): Promise<string | undefined> {
    return this.values[Number(key)];
  }
  async settled(): Promise<void> {}
}

export function cardFor(
  p: Paper,
  verbs: Array<'summary' | 'related' | 'random-related' | 'share'> = ['summary', 'related', 'random-related', 'share'],
): PaperCard {
  const labels = {
    summary: 'Summary',
    related: 'Related',
    'random-related': '🎲 Random related',
    share: 'Share',
  } as const;
  const actions: Action[] = verbs.map((verb) => ({ label: labels[verb], id: BUTTONS.id({ verb, arg: p.id }) }));
  return {
    paperId: p.id,
    title: p.title,
    url: arxivAbsUrl(p.id),
    authors: p.authors.join(', '),
    date: p.published,
    gist: p.abstract.slice(0, 80),
    actions,
  };
}

function find(id: unknown): Paper | undefined {
  return PAPERS.find((p) => p.id === id);
}

function listReply(heading: string, papers: Paper[], page: number, more?: Action): Reply {
  const shown = papers.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const blocks: Reply['blocks'] = [
    { kind: 'text', text: heading, style: 'heading' },
    ...shown.map((p) => ({ kind: 'paper' as const, card: cardFor(p) })),
  ];
  if (more && papers.length > page * PAGE_SIZE) blocks.push({ kind: 'actions', actions: [more] });
  return { blocks, visibility: 'ephemeral', fallback: heading };
}

const search: Command = {
  name: 'search',
  buttons: realSearch.buttons,
  description: 'search',
  usage: '/paper <words>',
  examples: [],
  options: [
    { name: 'query', description: 'words', type: 'string' },
    { name: 'page', description: 'page', type: 'integer' },
  ],
  run({ options, invoker }) {
    SEEN_INVOKERS.push(invoker);
    const query = String(options.query ?? '');
    const page = Number(options.page ?? 1) || 1;
    const hits = PAPERS.filter((p) => `${p.title} ${p.abstract}`.toLowerCase().includes(query.toLowerCase()));
    if (!hits.length) return textReply(`No papers match "${query}".`);
    return listReply(`Papers about "${query}"`, hits, page, {
      label: 'More results',
      id: BUTTONS.id({ verb: 'search', arg: query, page: page + 1 }),
    });
  },
};

const related: Command = {
  name: 'related',
  threadMention: realRelated.threadMention,
  buttons: realRelated.buttons,
  description: 'related',
  usage: '/paper related <paper>',
  examples: [],
  options: [
    { name: 'paper', description: 'paper', type: 'string' },
    { name: 'page', description: 'page', type: 'integer' },
    { name: 'random', description: 'random', type: 'boolean' },
  ],
  run({ options }) {
    const p = find(options.paper);
    if (!p) return errorReply(`I don't know the paper "${options.paper}".`);
    const others = PAPERS.filter((q) => q.id !== p.id);
    if (options.random) return listReply(`A random paper related to ${p.id}`, [others[others.length - 1]!], 1);
    return listReply(`Related to ${p.id}`, others, Number(options.page ?? 1) || 1, {
      label: 'More results',
      id: BUTTONS.id({ verb: 'related', arg: p.id, page: (Number(options.page ?? 1) || 1) + 1 }),
    });
  },
};

function summaryOf(p: Paper): Reply {
  return {
    blocks: [{ kind: 'section', title: 'TL;DR', text: p.abstract }],
    visibility: 'public',
    fallback: `Summary: ${p.title}`,
  };
}

const summary: Command = {
  name: 'summary',
  threadMention: realSummary.threadMention,
  buttons: realSummary.buttons,
  description: 'summary',
  usage: '/paper summary <paper>',
  examples: [],
  options: [
    { name: 'paper', description: 'paper', type: 'string' },
    { name: 'card', description: 'card', type: 'boolean' },
  ],
  run({ options }) {
    const p = find(options.paper);
    if (!p) return errorReply(`I don't know the paper "${options.paper}".`);
    if (options.card === false) return summaryOf(p);
    return {
      blocks: [{ kind: 'paper', card: cardFor(p, ['related', 'random-related']) }],
      visibility: 'public',
      thread: [summaryOf(p)],
      fallback: p.title,
    };
  },
};

const share: Command = {
  name: 'share',
  buttons: realShare.buttons,
  description: 'share',
  usage: '/paper share <paper>',
  examples: [],
  options: [{ name: 'paper', description: 'paper', type: 'string' }],
  run({ options, invoker }) {
    SEEN_INVOKERS.push(invoker);
    const p = find(options.paper);
    if (!p) return errorReply(`I don't know the paper "${options.paper}".`);
    return {
      blocks: [{ kind: 'paper', card: cardFor(p, ['summary', 'related', 'random-related']) }],
      visibility: 'public',
      fallback: p.title,
    };
  },
};

const random: Command = {
  name: 'random',
  mention: realRandom.mention,
  description: 'random',
  usage: '/paper random [topic]',
  examples: [],
  options: [{ name: 'topic', description: 'topic', type: 'string' }],
  run() {
    return {
      blocks: [{ kind: 'paper', card: cardFor(PAPERS[0]!) }],
      visibility: 'ephemeral',
      fallback: PAPERS[0]!.title,
    };
  },
};

const help: Command = {
  name: 'help',
  description: 'help',
  usage: '/paper help',
  examples: [],
  options: [],
  run: () => textReply('Try `/paper diffusion`.'),
};

export const COMMANDS: Command[] = [search, related, summary, share, random, help];
/** The fakes' buttons are the real commands' (same codes and options), so clicks exercise the real declarations. */
export const BUTTONS = new CommandButtons(COMMANDS);

/** The fake commands (and `extra` ones) behind a real Dispatcher, with fair-use budgets when given. */
export function testDispatcher(
  logger: Logger = silentLogger,
  options: { extra?: Command[]; fairUse?: FairUse } = {},
): Dispatcher {
  const services: Services = {
    papers: { get: async (id) => find(id), count: async () => PAPERS.length, randomId: async () => PAPERS[0]!.id },
    search: {
      search: async () => ({ hits: [], total: 0 }),
      related: async () => ({ hits: [], total: 0 }),
      suggestTitles: async () => [],
      matchDates: async () => ({ total: 0, dates: [] }),
    },
    summarize: (p) => ({ tldr: p.abstract, keyTerms: [], links: [] }),
    stash: new MemoryStash(),
  };
  return new Dispatcher({
    commands: [...COMMANDS, ...(options.extra ?? [])],
    services,
    logger,
    random: () => 0,
    fairUse: options.fairUse,
  });
}
