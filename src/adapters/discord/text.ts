/**
 * Making hostile paper text safe and short for Discord: markdown escaped (a title can't turn the
 * message bold or into a masked link), mentions defused (`@everyone`, `<@id>`, `<#id>` shown as text),
 * and lengths cut to Discord's limits without splitting a character or leaving a dangling escape.
 */
import { escapeMarkdown } from 'discord.js';

/** Cuts to at most `max` UTF-16 units (what Discord's limits are safely measured in), ending with `…`. */
export function clamp(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return text.slice(0, Math.max(0, max));
  let cut = text.slice(0, max - 1);
  // Do not split a surrogate pair.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  // Do not leave an odd backslash that would escape the ellipsis.
  const trailing = /\\+$/.exec(cut)?.[0].length ?? 0;
  if (trailing % 2 === 1) cut = cut.slice(0, -1);
  return cut + '…';
}

/** Plain text → Discord markdown that shows exactly that text. */
export function escapeText(text: string): string {
  const escaped = escapeMarkdown(text, {
    heading: true,
    bulletedList: true,
    numberedList: true,
    maskedLink: true,
  });
  return escaped
    // <@id>, <@&id>, <#id>, <t:...>, <:emoji:id>, <https://...>: shown as typed.
    .replace(/</g, '\\<')
    // Block quotes at a line start.
    .replace(/^(\s*)>/gm, '$1\\>')
    // Even if a send forgot allowedMentions, these would not ping (zero-width space after @).
    .replace(/@(everyone|here)/gi, '@\u200b$1');
}

/** Escaped and cut to `max`, in that order, so the result never exceeds the limit. */
export function safeText(text: string, max: number): string {
  return clamp(escapeText(text), max);
}

/** Plain text for places Discord does not render markdown (footers, thread names, choice names). */
export function plainText(text: string, max: number): string {
  return clamp(text.replace(/\s+/g, ' ').trim().replace(/@(everyone|here)/gi, '@\u200b$1'), max);
}

/** A URL Discord will accept in an embed or link: http(s) only, no spaces or markdown-breaking parens. */
export function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
    const href = parsed.href.replace(/\(/g, '%28').replace(/\)/g, '%29');
    return href.length <= 2048 ? href : undefined;
  } catch {
    return undefined;
  }
}
