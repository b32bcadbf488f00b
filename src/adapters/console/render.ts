/** Neutral replies as terminal text: cards with numbered actions, thread posts indented under their parent. */
import type { Action, Block, Reply } from '../../core/reply.ts';

export interface RenderedReply {
  lines: string[];
  /** Actions in the order their numbers were assigned. */
  actions: Action[];
}

/** Terminal control characters in paper text could rewrite the screen; show them as nothing. */
export function safeText(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: this sanitizer strips terminal control characters.
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '');
}

export function renderReply(reply: Reply, firstActionNumber = 1, indent = ''): RenderedReply {
  const lines: string[] = [];
  const actions: Action[] = [];
  const number = (list: Action[]) =>
    list
      .map((action) => {
        actions.push(action);
        return `[${firstActionNumber + actions.length - 1}] ${safeText(action.label)}`;
      })
      .join('  ');
  if (reply.visibility === 'ephemeral') lines.push(`${indent}(only you can see this)`);
  let cardNo = 0;
  for (const block of reply.blocks) lines.push(...renderBlock(block, indent, () => ++cardNo, number));
  // Files are printed where they would be attached (a library's BibTeX).
  for (const file of reply.files ?? []) {
    if (typeof file.content !== 'string') {
      // A terminal shows no image: what it shows, in words (a chart's numbers).
      lines.push(`${indent}[${safeText(file.name)}: an image of ${file.content.length.toLocaleString('en')} bytes]`);
      if (file.altText)
        lines.push(
          ...safeText(file.altText)
            .split('\n')
            .map((line) => `${indent}${line}`),
        );
      continue;
    }
    lines.push(`${indent}--- ${safeText(file.name)} ---`);
    lines.push(
      ...safeText(file.content.replace(/\n$/, ''))
        .split('\n')
        .map((line) => `${indent}${line}`),
    );
    lines.push(`${indent}--- end of ${safeText(file.name)} ---`);
  }
  return { lines, actions };
}

function renderBlock(block: Block, indent: string, nextCard: () => number, number: (a: Action[]) => string): string[] {
  switch (block.kind) {
    case 'text': {
      const prefix = block.style === 'error' ? '⚠ ' : '';
      return safeText(block.text)
        .split('\n')
        .map((line) => `${indent}${prefix}${line}`);
    }
    case 'section':
      return [`${indent}${safeText(block.title)}: ${safeText(block.text)}`];
    case 'quote':
      return [`${indent}> ${safeText(block.text.replace(/\s+/g, ' ').trim())}`];
    case 'links':
      return [`${indent}${block.links.map((l) => `${safeText(l.label)}: ${l.url}`).join('  ')}`];
    case 'actions':
      return [`${indent}${number(block.actions)}`];
    case 'paper': {
      const card = block.card;
      const meta = [
        card.authors,
        card.date,
        card.upvotes !== undefined ? `▲ ${card.upvotes}` : undefined,
        card.matched && !card.why ? `matched: ${card.matched.join(', ')}` : undefined,
        card.sharedBy ? `shared by ${card.sharedBy}` : undefined,
      ]
        .filter(Boolean)
        .map((s) => safeText(String(s)))
        .join(' · ');
      const out = [
        `${indent}${nextCard()}. ${safeText(card.title)}${card.url ? `  <${card.url}>` : ''}`,
        `${indent}   ${meta}`,
      ];
      if (card.gist) out.push(`${indent}   ${safeText(card.gist)}`);
      if (card.why) out.push(`${indent}   why: ${safeText(card.why)}`);
      if (card.actions.length) out.push(`${indent}   ${number(card.actions)}`);
      return out;
    }
  }
}
