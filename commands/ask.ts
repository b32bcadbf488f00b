/**
 * A question about a paper: `@paperboy which datasets do they use?` under a paper's card (or in a thread that names one
 * paper), or `/paper ask <paper> <question>`. The answer is the paper's own words: the one to three sentences of its
 * abstract that best answer (src/core/summarize/answer.ts), quoted. With a language model configured, a short answer
 * it wrote from those quotes comes first, labelled with the model's name. When no sentence answers, it says so. A
 * thread that names several papers gets a button per paper to say which one is meant.
 */

import type { Command, CommandContext, OptionValues } from '../src/core/command.ts';
import { findPaperMentions } from '../src/core/digest/paper-mentions.ts';
import { resolveMentions } from '../src/core/digest/thread-digest.ts';
import { capThread, DEFAULT_DIGEST_LIMITS } from '../src/core/digest/thread-limits.ts';
import { idCandidates, parseArxivId } from '../src/core/papers/ids.ts';
import type { Paper } from '../src/core/papers/paper.ts';
import { clipLine } from '../src/core/present/cards.ts';
import { resolvePaper } from '../src/core/present/resolve-paper.ts';
import { type Block, errorReply, type Reply } from '../src/core/reply.ts';
import { answerQuestion } from '../src/core/summarize/answer.ts';
import { ThreadReadError } from '../src/core/thread.ts';
import { paperAutocomplete } from './related.ts';

/** A question: ends with "?" or opens with a question word ("which datasets", "is code available"). */
const QUESTION =
  /\?\s*$|^(?:what|which|how|why|who|whom|whose|where|when|is|are|was|were|does|do|did|can|could|will|would|should|has|have|had|any|tell me|explain how)\b/i;
/** Longest question read; a longer one is cut (the retriever needs its words, not an essay). */
const MAX_QUESTION = 500;
/** Papers offered as buttons when a thread names several. */
const MAX_CHOICES = 5;

const HOW_TO_ASK =
  "Ask me under a paper's card, or name the paper: `@paperboy which datasets? https://arxiv.org/abs/2503.20680`.";

export function isQuestion(words: string): boolean {
  return QUESTION.test(words.trim());
}

/** `2503.20680 which datasets?` typed after `/paper ask`: the paper first (an id or a link), then the question. */
export function splitAskText(options: OptionValues): { paper?: string; question: string } {
  const question = typeof options.question === 'string' ? options.question.trim() : '';
  const paper = typeof options.paper === 'string' ? options.paper.trim() : '';
  if (question || !paper) return { ...(paper ? { paper } : {}), question };
  const [first = '', ...rest] = paper.split(/\s+/);
  const named = parseArxivId(first) || idCandidates(first).some((id) => id !== first) || /^https?:\/\//i.test(first);
  return named ? { paper: first, question: rest.join(' ') } : { question: paper };
}

export const ask: Command = {
  name: 'ask',
  description:
    "Ask about a paper: the sentences of its abstract that answer, quoted (in a paper's thread: @paperboy <question>)",
  usage: '/paper ask <paper> <question>',
  examples: ['/paper ask 2503.20680 which datasets do they use?', '@paperboy is code available? (in a paper thread)'],
  options: [
    {
      name: 'paper',
      description: 'Paper id (arXiv id, DOI or the id it was imported with) or link',
      type: 'string',
      required: true,
      autocomplete: 'paper',
    },
    { name: 'question', description: 'What you want to know, e.g. which datasets do they use?', type: 'string' },
  ],
  buttons: {
    // "Which paper do you mean?": the paper and the question travel together (through the stash when long).
    ask: {
      code: 'a',
      label: 'Ask about this paper',
      style: 'primary',
      options: ({ arg }) => {
        const cut = arg.indexOf('\n');
        return cut < 0 ? { paper: arg } : { paper: arg.slice(0, cut), question: arg.slice(cut + 1) };
      },
    },
  },
  threadMention: (words, paperId) => (isQuestion(words) ? { paper: paperId, question: words } : undefined),
  inThread: (words) => (isQuestion(words) ? { question: words } : undefined),
  autocomplete: paperAutocomplete,
  run: runAsk,
};

async function runAsk(ctx: CommandContext): Promise<Reply> {
  const { paper: reference, question: asked } = splitAskText(ctx.options);
  const question = asked.replace(/\s+/g, ' ').trim().slice(0, MAX_QUESTION);
  if (!question)
    return errorReply(`What would you like to know? e.g. ${ctx.commandLine('/paper ask 2503.20680 which datasets?')}`);
  if (reference) {
    const resolved = await resolvePaper(ctx.services, reference);
    if ('error' in resolved) return errorReply(resolved.error);
    return answerReply(ctx, resolved.paper, question);
  }
  if (!ctx.invoker.thread) return errorReply(HOW_TO_ASK);
  let papers: Paper[];
  try {
    const limits = ctx.services.digestLimits ?? DEFAULT_DIGEST_LIMITS;
    const read = capThread(await ctx.invoker.thread.read({ maxMessages: limits.maxMessages }), limits);
    const items = await resolveMentions(ctx.services, findPaperMentions(read.messages));
    papers = items.flatMap((item) => (item.paper ? [item.paper] : []));
  } catch (error) {
    if (error instanceof ThreadReadError) return errorReply(error.message);
    throw error;
  }
  if (papers.length === 0) return errorReply(`I can't tell which paper this thread is about. ${HOW_TO_ASK}`);
  if (papers.length === 1) return answerReply(ctx, papers[0]!, question);
  return whichPaper(ctx, papers, question);
}

function whichPaper(ctx: CommandContext, papers: readonly Paper[], question: string): Reply {
  const shown = papers.slice(0, MAX_CHOICES);
  const text = `This thread names ${papers.length} papers. Which one is "${clipLine(question, 120)}" about?`;
  return {
    blocks: [
      { kind: 'text', text },
      {
        kind: 'actions',
        actions: shown.map((paper) =>
          ctx.buttons.action({ verb: 'ask', arg: `${paper.id}\n${question}`, label: clipLine(paper.title, 70) }),
        ),
      },
    ],
    visibility: 'public',
    fallback: text,
  };
}

async function answerReply(ctx: CommandContext, paper: Paper, question: string): Promise<Reply> {
  const title = `"${clipLine(paper.title, 120)}"`;
  const answer = answerQuestion(paper, question);
  const asked = `"${clipLine(question, 200)}"`;
  if (!answer.quotes.length) {
    const text =
      `The abstract of ${title} doesn't say: no sentence of it answers ${asked}.` +
      (answer.kind === 'code' && paper.githubRepo ? ` The paper lists its code at ${paper.githubRepo}` : '');
    return { blocks: [{ kind: 'text', text }], visibility: 'public', fallback: text };
  }
  const quotes = answer.quotes.map((quote) => quote.text);
  const written = await ctx.services.generatedTldrs?.answerFor(paper, question, quotes);
  const generated = written && 'text' in written ? written : undefined;
  const blocks: Block[] = [];
  if (generated) blocks.push({ kind: 'section', title: generated.label, text: generated.text });
  const lead = generated ? 'The sentences it used, quoted from the abstract of' : 'The abstract of';
  blocks.push({
    kind: 'text',
    text: `${lead} ${title}${generated ? '' : `, in its own words, on ${asked}`}:`,
    style: 'muted',
  });
  for (const quote of quotes) blocks.push({ kind: 'quote', text: quote });
  if (written && 'pausedFor' in written)
    blocks.push({
      kind: 'text',
      text: `No generated answer this time: too many were asked for just now. Try again in ${written.pausedFor} s.`,
      style: 'muted',
    });
  const fallback = clipLine(`${generated?.text ?? quotes[0]!} (from ${title})`, 300);
  return { blocks, visibility: 'public', fallback };
}
