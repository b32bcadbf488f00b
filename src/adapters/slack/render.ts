/**
 * Neutral Reply → one Slack message (Block Kit blocks + fallback text) that Slack always accepts:
 * every limit in limits.ts is respected by cutting or splitting, with a visible note when something
 * had to be left out. Paper text is escaped; paper cards carry `paper:<id>` block ids so a later
 * mention in the card's thread can find the paper.
 */
import type { types } from '@slack/bolt';
import { readableId } from '../../core/present/cards.ts';
import type { Action, Block, Link, PaperCard, Reply } from '../../core/reply.ts';
import { SLACK_LIMITS as L } from './limits.ts';
import { cutPlain, escapeMrkdwn, mrkdwnLink, splitPlain } from './mrkdwn.ts';

export type SlackBlock = types.KnownBlock;

export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

/** A paper card's block id: `paper:<id>`, or `paper~<n>:<id>` for the same paper again in one message. */
const PAPER_BLOCK_ID = /^paper(?:~\d+)?:(.+)$/s;

/** Room kept for the "… not shown" note at the end of a cut message. */
const NOTE_RESERVE = 200;
/** A card's "why" line, at most (escaped): one line under the card. */
const WHY_MAX = 300;

/** Collects blocks while tracking Slack's per-message budgets. */
class MessageBuilder {
  readonly blocks: SlackBlock[] = [];
  private chars = 0;
  private readonly blockIds = new Set<string>();
  skipped = 0;

  /** Adds a group of blocks that must stay together (a card and its buttons); false when they do not fit. */
  add(group: SlackBlock[]): boolean {
    const chars = group.reduce((sum, block) => sum + textSize(block), 0);
    const blocksLeft = L.blocksPerMessage - 1 - this.blocks.length;
    if (group.length > blocksLeft || this.chars + chars > L.messageText - NOTE_RESERVE) {
      this.skipped++;
      return false;
    }
    this.blocks.push(...group);
    this.chars += chars;
    return true;
  }

  /**
   * A block id unique within this message (Slack rejects duplicates): `paper:<key>`, then `paper~2:<key>`. The
   * counter stands before the key, so a key (a paper id may hold `#` or `:`) reads back whole.
   */
  uniqueBlockId(kind: string, key: string): string {
    let id = `${kind}:${key}`.slice(0, L.blockId);
    for (let n = 2; this.blockIds.has(id); n++) id = `${kind}~${n}:${key}`.slice(0, L.blockId);
    this.blockIds.add(id);
    return id;
  }

  finish(): SlackBlock[] {
    if (this.skipped > 0) {
      this.blocks.push(
        context(
          `… ${this.skipped} more ${this.skipped === 1 ? 'item' : 'items'} not shown (too long for one Slack message).`,
        ),
      );
    }
    return this.blocks;
  }
}

/** Renders a reply as one message. `extra` blocks (e.g. an error notice) go first. */
export function renderReply(reply: Reply, options: { prefix?: Block[] } = {}): SlackMessage {
  const builder = new MessageBuilder();
  for (const block of [...(options.prefix ?? []), ...reply.blocks]) renderBlock(builder, block);
  const blocks = builder.finish();
  return { text: fallbackText(reply.fallback), blocks };
}

/** Blocks for one paper card alone (link unfurls). */
export function renderPaperCard(card: PaperCard): SlackBlock[] {
  const builder = new MessageBuilder();
  renderBlock(builder, { kind: 'paper', card });
  return builder.finish();
}

export function fallbackText(text: string): string {
  return escapeMrkdwn(cutPlain(text.trim() || 'paperboy', L.fallbackText));
}

/** The paper id in a `paper:<id>` or `paper~2:<id>` block id, exactly as it was written. */
export function paperIdFromBlockId(blockId: string | undefined): string | undefined {
  const id = blockId === undefined ? undefined : PAPER_BLOCK_ID.exec(blockId)?.[1];
  return id || undefined;
}

function renderBlock(builder: MessageBuilder, block: Block): void {
  switch (block.kind) {
    case 'text':
      renderText(builder, block.text, block.style);
      return;
    case 'paper':
      builder.add(paperBlocks(builder, block.card));
      return;
    case 'section':
      renderSection(builder, block.title, block.text);
      return;
    case 'quote':
      for (const piece of splitPlain(block.text.replace(/\s+/g, ' ').trim(), L.sectionText - 2).filter((p) => p.trim()))
        if (!builder.add([section(`>${escapeMrkdwn(piece)}`)])) return;
      return;
    case 'links': {
      const line = linksLine(block.links);
      if (line) builder.add([contextMrkdwn(line)]);
      return;
    }
    case 'actions':
      for (const group of actionBlocks(block.actions)) builder.add([group]);
      return;
  }
}

function renderText(builder: MessageBuilder, text: string, style: 'heading' | 'muted' | 'error' | undefined): void {
  if (!text.trim()) return;
  if (style === 'heading') {
    builder.add([
      {
        type: 'header',
        text: { type: 'plain_text', text: cutPlain(text.replace(/\s+/g, ' ').trim(), L.headerText), emoji: true },
      },
    ]);
    return;
  }
  if (style === 'muted') {
    builder.add([context(text)]);
    return;
  }
  const prefix = style === 'error' ? ':warning: ' : '';
  for (const piece of splitPlain(text.trim(), L.sectionText - prefix.length).filter((piece) => piece.trim())) {
    if (!builder.add([section(prefix + escapeMrkdwn(piece))])) return;
  }
}

function renderSection(builder: MessageBuilder, title: string, text: string): void {
  const cleanTitle = title.replace(/\s+/g, ' ').trim();
  if (!cleanTitle && !text.trim()) return;
  const heading = cleanTitle ? `*${escapeMrkdwn(cutPlain(cleanTitle, 200))}*` : '';
  const pieces = splitPlain(text.trim(), L.sectionText - heading.length - 1).filter((piece) => piece.trim());
  if (pieces.length === 0) pieces.push('');
  pieces.forEach((piece, index) => {
    const body = escapeMrkdwn(piece);
    const mrkdwn = index === 0 && heading ? (body ? `${heading}\n${body}` : heading) : body;
    builder.add([section(mrkdwn)]);
  });
}

function paperBlocks(builder: MessageBuilder, card: PaperCard): SlackBlock[] {
  const lines: string[] = [];
  // Only an id a reader can look up is shown; internal ids stay in the block id and the buttons.
  const shownId = readableId(card.paperId);
  const title = card.title.replace(/\s+/g, ' ').trim() || shownId || 'Untitled paper';
  lines.push(`*${mrkdwnLink(card.url, title, 400)}*`);
  const meta = [
    card.authors && escapeMrkdwn(cutPlain(card.authors, 300)),
    card.date && escapeMrkdwn(cutPlain(card.date, 20)),
    card.upvotes !== undefined ? `▲ ${Math.trunc(card.upvotes)}` : '',
    card.url || !shownId ? '' : `\`${escapeMrkdwn(cutPlain(shownId, 60))}\``,
    card.sharedBy ? `shared by ${escapeMrkdwn(cutPlain(card.sharedBy, 80))}` : '',
  ].filter(Boolean);
  if (meta.length) lines.push(meta.join(' · '));
  if (card.gist?.trim()) lines.push(`_${escapeMrkdwn(cutPlain(card.gist.replace(/\s+/g, ' ').trim(), 900))}_`);
  const why = card.why?.replace(/\s+/g, ' ').trim();
  if (card.matched?.length && !why) {
    lines.push(`Matched: ${escapeMrkdwn(cutPlain(card.matched.slice(0, 20).join(', '), 300))}`);
  }
  const blocks: SlackBlock[] = [
    {
      ...section(lines.join('\n').slice(0, L.sectionText)),
      block_id: builder.uniqueBlockId('paper', card.paperId),
    },
  ];
  // Why the bot brought it: one line under the card, escaped (a title quoted in it cannot ping or link).
  if (why) blocks.push(context(`💡 ${cutPlain(why, WHY_MAX)}`));
  blocks.push(...actionBlocks(card.actions));
  return blocks;
}

function linksLine(links: Link[]): string {
  const parts: string[] = [];
  let length = 0;
  for (const link of links) {
    const part = mrkdwnLink(link.url, link.label, 200);
    if (length + part.length + 3 > L.contextText) break;
    parts.push(part);
    length += part.length + 3;
  }
  return parts.join(' · ');
}

/** Buttons in actions blocks of at most 25; ids that Slack would reject are dropped, duplicates too. */
function actionBlocks(actions: Action[]): SlackBlock[] {
  const seen = new Set<string>();
  const buttons: types.Button[] = [];
  for (const action of actions) {
    if (!action.id || action.id.length > L.actionId || seen.has(action.id)) continue;
    seen.add(action.id);
    buttons.push(button(action));
  }
  const blocks: SlackBlock[] = [];
  for (let i = 0; i < buttons.length; i += L.actionsPerBlock) {
    blocks.push({ type: 'actions', elements: buttons.slice(i, i + L.actionsPerBlock) });
  }
  return blocks;
}

function button(action: Action): types.Button {
  const result: types.Button = {
    type: 'button',
    text: { type: 'plain_text', text: cutPlain(action.label.trim() || '…', L.buttonText), emoji: true },
    action_id: action.id,
  };
  if (action.id.length <= L.buttonValue) result.value = action.id;
  if (action.style === 'primary') result.style = 'primary';
  return result;
}

function section(text: string): types.SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function context(plain: string): types.ContextBlock {
  return contextMrkdwn(escapeMrkdwn(cutPlain(plain, L.contextText)));
}

function contextMrkdwn(mrkdwn: string): types.ContextBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: mrkdwn }] };
}

/** Characters of visible text in a block, for the per-message budget. */
function textSize(block: SlackBlock): number {
  switch (block.type) {
    case 'section':
      return block.text?.text.length ?? 0;
    case 'header':
      return block.text.text.length;
    case 'context':
      return block.elements.reduce(
        (sum, element) => sum + ('text' in element && typeof element.text === 'string' ? element.text.length : 0),
        0,
      );
    case 'actions':
      return block.elements.reduce(
        (sum, element) => sum + (element.type === 'button' ? element.text.text.length : 0),
        0,
      );
    default:
      return 0;
  }
}
