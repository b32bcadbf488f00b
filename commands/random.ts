/** `/paper random [topic]`: a random paper, drawn from those matching the topic when one is given. */
import type { Command } from '../src/core/command.ts';
import { paperCard } from '../src/core/present/cards.ts';
import { weightedPick } from '../src/core/present/sampling.ts';
import type { Reply } from '../src/core/reply.ts';
import { errorReply } from '../src/core/reply.ts';

/** Draw among this many top matches, so a topic gives variety, not always its top hit. */
const POOL = 30;
// "random", "a random paper about X", "give me something random on X": group 1 is the topic.
const RANDOM_LEAD = /^(?:(?:give me|show me|find me|a|an|some|something|anything)\s+)*random/;
const RANDOM_TOPIC = /(?:\s+(?:paper|papers|one))?(?:\s+(?:about|on|in|for|regarding))?\s*(.*)$/;
const RANDOM_ABOUT = new RegExp(`${RANDOM_LEAD.source}${RANDOM_TOPIC.source}`, 'i');

export const random: Command = {
  name: 'random',
  description: 'A random paper, optionally about a topic',
  usage: '/paper random [topic]',
  examples: ['/paper random', '/paper random diffusion'],
  options: [{ name: 'topic', description: 'Only papers matching this', type: 'string' }],
  mention(words) {
    const about = RANDOM_ABOUT.exec(words);
    return about ? { topic: about[1]?.trim() || undefined } : undefined;
  },
  async run({ services, options, random: rnd, buttons }): Promise<Reply> {
    const topic = String(options.topic ?? '').trim();
    let paperId: string | undefined;
    if (topic) {
      const result = await services.search.search(topic, { limit: POOL });
      if (result.error) return errorReply(result.error);
      // Weighted towards better matches, but every match in the pool can come up.
      const pick = weightedPick(result.hits, (_hit, rank) => 1 / Math.sqrt(rank + 1), rnd);
      paperId = pick?.paper.id;
      if (!paperId) return errorReply(`No papers match "${topic}", so I can't pick one. Try a broader topic.`);
    } else {
      paperId = await services.papers.randomId(rnd);
      if (!paperId) return errorReply('The corpus is empty. Import some papers first.');
    }
    const paper = (await services.papers.get(paperId))!;
    const heading = topic ? `🎲 A random paper about "${topic}"` : '🎲 A random paper';
    return {
      blocks: [
        { kind: 'text', text: heading, style: 'heading' },
        { kind: 'paper', card: paperCard(paper, buttons) },
      ],
      visibility: 'ephemeral',
      fallback: `${heading}: ${paper.title}`,
    };
  },
};
