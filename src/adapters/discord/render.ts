/**
 * Neutral Reply → Discord message payload. Paper cards become embeds, other blocks become markdown
 * (in `content`, or in embeds when long), actions become buttons in action rows. Everything is cut to
 * Discord's limits (limits.ts), paper text is escaped (text.ts), and every payload carries
 * `allowedMentions: { parse: [] }` so nothing the bot posts can ping anyone.
 */
import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
  MessageFlags,
} from 'discord.js';
import { readableId } from '../../core/present/cards.ts';
import type { Action, Block, PaperCard, Reply } from '../../core/reply.ts';
import { LIMITS } from './limits.ts';
import { clamp, escapeText, plainText, safeText, safeUrl } from './text.ts';

export interface DiscordPayload {
  content: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponentWithCustomId>[];
  allowedMentions: { parse: [] };
  /** The reply's files (a library's BibTeX) as attachments. */
  files?: { attachment: Buffer; name: string; description?: string }[];
}

/**
 * Footer prefix that makes a card's paper recoverable from the message (see paper-ref.ts). Only ids a reader can use
 * (arXiv ids, DOIs) are shown there; a card of a paper with an internal id is recovered from its buttons instead.
 */
export const PAPER_FOOTER_PREFIX = 'paper ';
/** What follows the id in a card's footer: the upvotes, when the paper has any. */
const UPVOTES_SUFFIX = / · ▲ \d+$/;

/** The paper id in a card's footer (`paper <id> · ▲ 12`), whole: ids may hold spaces. */
export function paperIdFromFooter(footer: string): string {
  return footer.slice(PAPER_FOOTER_PREFIX.length).replace(UPVOTES_SUFFIX, '');
}
const CARD_COLOR = 0xb31b1b;
/** The field holding a card's "why" line, and its longest value (escaped). */
export const WHY_FIELD = '💡 Why';
const WHY_MAX = 300;

export const NO_MENTIONS: { parse: [] } = Object.freeze({ parse: [] }) as { parse: [] };

export function renderReply(reply: Reply): DiscordPayload {
  const cards = reply.blocks.flatMap((block) => (block.kind === 'paper' ? [block.card] : []));
  const numbered = cards.length > 1;
  const text = reply.blocks
    .filter((block) => block.kind !== 'paper' && block.kind !== 'actions')
    .map(renderBlock)
    .filter(Boolean)
    .join('\n');

  let content = '';
  const embeds: APIEmbed[] = [];
  if (cards.length === 0) {
    if (text.length <= LIMITS.content) content = text;
    else embeds.push(...textEmbeds(text));
  } else {
    content = clamp(text, LIMITS.content);
    const shown = cards.slice(0, LIMITS.embedsPerMessage);
    embeds.push(...fitTotal(shown.map((card, i) => cardEmbed(card, numbered ? i + 1 : undefined))));
  }
  if (!content && embeds.length === 0) content = safeText(reply.fallback || '…', LIMITS.content);

  return {
    content,
    embeds,
    components: renderButtons(reply.blocks, cards.slice(0, LIMITS.embedsPerMessage), numbered),
    allowedMentions: NO_MENTIONS,
    ...(reply.files?.length
      ? {
          files: reply.files.map((file) => {
            // An attachment's description is its alt text on Discord: an image's, else the file's title.
            const description = file.altText ?? file.title;
            return {
              attachment:
                typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : Buffer.from(file.content),
              name: file.name,
              ...(description ? { description: clamp(description, LIMITS.attachmentDescription) } : {}),
            };
          }),
        }
      : {}),
  };
}

/** For interaction replies: the payload plus the ephemeral flag when the reply is private. */
export function interactionPayload(reply: Reply): DiscordPayload & { flags?: MessageFlags.Ephemeral } {
  const payload = renderReply(reply);
  return reply.visibility === 'ephemeral' ? { ...payload, flags: MessageFlags.Ephemeral } : payload;
}

/** The paper a reply is about when it shows exactly one card (what a thread is started on). */
export function soleCard(reply: Reply): PaperCard | undefined {
  const cards = reply.blocks.flatMap((block) => (block.kind === 'paper' ? [block.card] : []));
  return cards.length === 1 ? cards[0] : undefined;
}

export function threadName(reply: Reply): string {
  const card = soleCard(reply);
  return plainText(card?.title || reply.fallback || 'paper', LIMITS.threadName) || 'paper';
}

function renderBlock(block: Block): string {
  switch (block.kind) {
    case 'text': {
      const text = escapeText(block.text);
      if (block.style === 'heading') return `**${text}**`;
      if (block.style === 'muted')
        return text
          .split('\n')
          .map((line) => (line.trim() ? `-# ${line}` : line))
          .join('\n');
      if (block.style === 'error') return `⚠️ ${text}`;
      return text;
    }
    case 'section':
      return `**${escapeText(block.title)}**\n${escapeText(block.text)}`;
    case 'quote':
      return `> ${escapeText(block.text.replace(/\s+/g, ' ').trim())}`;
    case 'links':
      return block.links
        .map((link) => {
          const url = safeUrl(link.url);
          const label = escapeText(link.label.replace(/[[\]]/g, ''));
          // <url> inside the link keeps Discord from unfurling every link into a preview.
          return url ? `[${label}](<${url}>)` : label;
        })
        .join(' · ');
    case 'paper':
    case 'actions':
      return '';
  }
}

function cardEmbed(card: PaperCard, number?: number): APIEmbed {
  const byline = [card.authors, card.date, card.sharedBy && `shared by ${clamp(card.sharedBy, 80)}`]
    .filter(Boolean)
    .map((part) => escapeText(part!))
    .join(' · ');
  const lines = [byline];
  if (card.gist) lines.push(escapeText(card.gist));
  const why = card.why?.replace(/\s+/g, ' ').trim();
  if (card.matched?.length && !why) lines.push(`-# Matched: ${escapeText(card.matched.join(', '))}`);
  const shownId = readableId(card.paperId);
  const upvotes = card.upvotes ? `▲ ${card.upvotes}` : '';
  const footer = shownId ? PAPER_FOOTER_PREFIX + shownId + (upvotes ? ` · ${upvotes}` : '') : upvotes;
  const url = safeUrl(card.url);
  return {
    title: (number ? `${number}. ` : '') + safeText(card.title, LIMITS.embedTitle - 4),
    ...(url ? { url } : {}),
    description: clamp(lines.filter(Boolean).join('\n'), LIMITS.embedDescription) || undefined,
    // Why the bot brought it, in a field of its own: cutting long descriptions to fit a message never removes it.
    ...(why ? { fields: [{ name: WHY_FIELD, value: safeText(why, WHY_MAX) }] } : {}),
    ...(footer ? { footer: { text: clamp(footer, LIMITS.embedFooter) } } : {}),
    color: CARD_COLOR,
  };
}

/** Long text without cards: split at line breaks into description-sized embeds. */
function textEmbeds(text: string): APIEmbed[] {
  const chunks: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    const next = current ? `${current}\n${line}` : line;
    if (next.length <= LIMITS.embedDescription) {
      current = next;
      continue;
    }
    if (current) chunks.push(current);
    current = clamp(line, LIMITS.embedDescription);
  }
  if (current) chunks.push(current);
  return fitTotal(chunks.slice(0, LIMITS.embedsPerMessage).map((description) => ({ description })));
}

export function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0)
  );
}

/** Shrinks descriptions (last first) until all embeds of the message together fit the 6,000 budget. */
function fitTotal(embeds: APIEmbed[]): APIEmbed[] {
  let total = embeds.reduce((sum, embed) => sum + embedLength(embed), 0);
  for (let i = embeds.length - 1; i >= 0 && total > LIMITS.embedTotal; i--) {
    const embed = embeds[i]!;
    const description = embed.description ?? '';
    const keep = Math.max(0, description.length - (total - LIMITS.embedTotal));
    const shorter = keep > 1 ? clamp(description, keep) : undefined;
    total -= description.length - (shorter?.length ?? 0);
    embeds[i] = { ...embed, description: shorter };
  }
  // Still too long (huge titles or footers): drop embeds from the end.
  while (embeds.length > 1 && embeds.reduce((sum, embed) => sum + embedLength(embed), 0) > LIMITS.embedTotal)
    embeds.pop();
  return embeds;
}

interface ButtonGroup {
  buttons: APIButtonComponentWithCustomId[];
  /** Standalone action blocks (paging) are kept when buttons must be dropped. */
  standalone: boolean;
}

function renderButtons(blocks: Block[], cards: PaperCard[], numbered: boolean): DiscordPayload['components'] {
  const seen = new Set<string>();
  const toButton = (action: Action, prefix = ''): APIButtonComponentWithCustomId[] => {
    if (!action.id || action.id.length > LIMITS.customId || seen.has(action.id)) return [];
    seen.add(action.id);
    return [
      {
        type: ComponentType.Button,
        style: action.style === 'primary' ? ButtonStyle.Primary : ButtonStyle.Secondary,
        custom_id: action.id,
        label: plainText(prefix + action.label, LIMITS.buttonLabel) || '…',
      },
    ];
  };
  const groups: ButtonGroup[] = [];
  for (const block of blocks) {
    if (block.kind === 'paper' && cards.includes(block.card)) {
      const prefix = numbered ? `${cards.indexOf(block.card) + 1} · ` : '';
      groups.push({ buttons: block.card.actions.flatMap((action) => toButton(action, prefix)), standalone: false });
    } else if (block.kind === 'actions') {
      groups.push({ buttons: block.actions.flatMap((action) => toButton(action)), standalone: true });
    }
  }
  const nonEmpty = groups.filter((group) => group.buttons.length > 0);
  const rowsNeeded = nonEmpty.reduce((sum, group) => sum + Math.ceil(group.buttons.length / LIMITS.buttonsPerRow), 0);
  const rows: APIButtonComponentWithCustomId[][] =
    rowsNeeded <= LIMITS.actionRows
      ? nonEmpty.flatMap((group) => chunk(group.buttons, LIMITS.buttonsPerRow))
      : chunk(capButtons(nonEmpty), LIMITS.buttonsPerRow);
  return rows.slice(0, LIMITS.actionRows).map((row) => ({ type: ComponentType.ActionRow, components: row }));
}

/** At most 25 buttons in order, dropping card buttons from the end before any standalone (paging) one. */
function capButtons(groups: ButtonGroup[]): APIButtonComponentWithCustomId[] {
  const max = LIMITS.actionRows * LIMITS.buttonsPerRow;
  const standaloneCount = groups.filter((g) => g.standalone).reduce((sum, g) => sum + g.buttons.length, 0);
  let cardBudget = Math.max(0, max - standaloneCount);
  const out: APIButtonComponentWithCustomId[] = [];
  for (const group of groups) {
    if (group.standalone) out.push(...group.buttons);
    else {
      const take = group.buttons.slice(0, cardBudget);
      cardBudget -= take.length;
      out.push(...take);
    }
  }
  return out.slice(0, max);
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
