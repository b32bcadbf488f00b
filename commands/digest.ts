/**
 * `@paperboy summarize` (or `tl;dr`, `digest`) in a thread: the papers the thread mentions, in the order first
 * mentioned, each with its TL;DR and who shared it, then the key terms they share. The rule, as help says it:
 * "digest" (or words naming the thread: "summarize this thread") always digests; "summarize", "summary" or "tl;dr"
 * alone digest a thread that mentions several papers and give the paper's summary in a thread about one paper
 * (a bare card thread, as before). A mention that names a paper itself is about that paper.
 */
import type { Command, CommandContext, OptionValues } from '../src/core/command.ts';
import { digestReply } from '../src/core/digest/digest-reply.ts';
import { findPaperMentions } from '../src/core/digest/paper-mentions.ts';
import { buildDigest, resolveMentions } from '../src/core/digest/thread-digest.ts';
import { capThread, DEFAULT_DIGEST_LIMITS } from '../src/core/digest/thread-limits.ts';
import { paperSummaryReply } from '../src/core/present/paper-summary.ts';
import { errorReply, type Reply } from '../src/core/reply.ts';
import { type ThreadRead, ThreadReadError } from '../src/core/thread.ts';

/** The whole request: a trigger word, maybe naming the thread ("summarize this thread", "tl;dr of the thread"). */
const THREAD = /(?:\s+(?:of\s+)?(?:this|the)\s+(?:thread|discussion|conversation))?/.source;
const DIGEST_WORDS = new RegExp(`^(?:summari[sz]e|summary|tl;?dr|digest)${THREAD}[\\s.!?]*$`, 'i');
/** Words that ask for the digest even in a thread about one paper. */
const ALWAYS = /\b(?:digest|thread|discussion|conversation)\b/i;

const NO_THREAD = 'Mention me inside a thread to digest it: `@paperboy summarize` (or `tl;dr`, `digest`).';
const NO_PAPERS =
  'I found no papers in this thread: no arXiv, Hugging Face or alphaXiv links, no arXiv ids (like 2503.20680) ' +
  'and none of my paper cards.';

/** A mention's options: `paper`, the thread's (or the mention's own) paper; `auto`, apply the one-paper rule. */
function claim(words: string, paperId?: string): OptionValues | undefined {
  if (!DIGEST_WORDS.test(words)) return undefined;
  return { ...(paperId ? { paper: paperId } : {}), ...(ALWAYS.test(words) ? {} : { auto: true }) };
}

export const digest: Command = {
  name: 'digest',
  description: 'In a thread: each paper it mentions with its TL;DR and who shared it, and the key terms they share',
  usage: '@paperboy digest (in a thread)',
  examples: ['@paperboy summarize'],
  options: [],
  budget: 'digests',
  threadMention: (words, paperId) => claim(words, paperId),
  mention: (words) => claim(words),
  run: runDigest,
};

async function runDigest({ services, options, invoker }: CommandContext): Promise<Reply> {
  const paperId = options.paper as string | undefined;
  const auto = options.auto === true;
  if (!invoker.thread) return paperId ? summaryOf(services, paperId) : errorReply(NO_THREAD);
  const limits = services.digestLimits ?? DEFAULT_DIGEST_LIMITS;
  let read: ThreadRead;
  try {
    read = capThread(await invoker.thread.read({ maxMessages: limits.maxMessages }), limits);
  } catch (error) {
    if (!(error instanceof ThreadReadError)) throw error;
    // "summarize" in a paper's thread still gets that paper's summary, as before digests.
    return auto && paperId ? summaryOf(services, paperId) : errorReply(error.message);
  }
  const mentions = findPaperMentions(read.messages);
  if (mentions.length === 0) {
    if (auto && paperId) return summaryOf(services, paperId);
    return errorReply(read.notice ? `${NO_PAPERS} ${read.notice}` : NO_PAPERS);
  }
  const items = await resolveMentions(services, mentions);
  const only = items[0]?.paper;
  if (auto && mentions.length === 1 && only) return paperSummaryReply(services, only);
  return digestReply(await buildDigest(services, items, mentions.length), read.notice);
}

async function summaryOf(services: CommandContext['services'], paperId: string): Promise<Reply> {
  const paper = await services.papers.get(paperId);
  if (!paper) return errorReply(`Paper ${paperId.slice(0, 40)} is not in the corpus yet.`);
  return paperSummaryReply(services, paper);
}
