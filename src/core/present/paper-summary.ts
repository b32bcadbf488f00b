/** A paper's summary as posted in a thread: its extractive parts, and a generated TL;DR beside them when configured. */
import type { Paper } from '../papers/paper.ts';
import type { Reply } from '../reply.ts';
import type { Services } from '../services.ts';
import { summaryReply } from './cards.ts';

export async function paperSummaryReply(services: Services, paper: Paper): Promise<Reply> {
  const summary = services.summarize(paper);
  const generated = await services.generatedTldrs?.tldrFor(paper);
  return summaryReply(paper, generated ? { ...summary, generated } : summary);
}
