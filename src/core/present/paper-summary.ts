/** A paper's summary as posted in a thread: its extractive parts, and a generated TL;DR beside them when configured. */
import type { Paper } from '../papers/paper.ts';
import type { Reply } from '../reply.ts';
import type { Services } from '../services.ts';
import { pausedNote } from '../summarize/generated-tldr.ts';
import { summaryReply } from './cards.ts';

export async function paperSummaryReply(services: Services, paper: Paper): Promise<Reply> {
  const summary = services.summarize(paper);
  const generated = await services.generatedTldrs?.tldrFor(paper);
  if (generated && 'pausedFor' in generated) {
    const reply = summaryReply(paper, summary);
    return {
      ...reply,
      blocks: [...reply.blocks, { kind: 'text', text: pausedNote(generated.pausedFor), style: 'muted' }],
    };
  }
  return summaryReply(paper, generated ? { ...summary, generated } : summary);
}
