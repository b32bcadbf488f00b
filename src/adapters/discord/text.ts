/**
 * Making hostile paper text safe and short for Discord: markdown escaped (a title can't turn the
 * message bold or into a masked link), mentions defused (`@everyone`, `<@id>`, `<#id>` shown as text),
 * and lengths cut to Discord's limits without splitting a character or leaving a dangling escape.
 */
/** Cuts to at most `max` UTF-16 units (what Discord's limits are safely measured in), ending with `…`. */
export function clamp(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return text.slice(0, Math.max(0, max));
  let cut = text.slice(0, max - 1);
  // Do not split a surrogate pair.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  // Do not leave an odd backslash that would escape the ellipsis.
  const trailing = /(?<!\\)\\+$/.exec(cut)?.[0].length ?? 0;
  if (trailing % 2 === 1) cut = cut.slice(0, -1);
  return `${cut}…`;
}

// Bare links stay as typed so Discord still links them (escaping a `_` inside one would break it).
const BARE_LINK = /https?:\/\/[^\s<]+[^<.,:;"')\]\s]/g;
// Inline markdown and mention syntax (`<@id>`, `<#id>`, `<t:…>`, `[label](url)`), escaped wherever it
// occurs; Discord drops a backslash before punctuation, so the text reads the same.
const INLINE = /[\\*_~`|[\]<]/g;
// Block syntax only counts at a line start: quotes, headings, subtext, lists. The indent never spans a line break:
// `\s*` would, and then every one of n blank lines would scan all the lines after it (quadratic).
const LINE_START = /^([^\S\r\n\u2028\u2029]*)([>#-]|\d+\.)/gm;

/**
 * Plain text → Discord markdown that shows exactly that text. Linear time on purpose: hostile input
 * (a 10,000-character title without spaces) must not make a regex backtrack for seconds.
 */
export function escapeText(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(BARE_LINK)) {
    out += escapePlain(text.slice(last, match.index));
    out += match[0];
    last = match.index! + match[0].length;
  }
  out += escapePlain(text.slice(last));
  // Even if a send forgot allowedMentions, these would not ping (zero-width space after @).
  return out.replace(/@(everyone|here)/gi, '@\u200b$1');
}

function escapePlain(text: string): string {
  return text
    .replace(INLINE, '\\$&')
    .replace(LINE_START, (_all, space: string, mark: string) =>
      mark.endsWith('.') ? `${space}${mark.slice(0, -1)}\\.` : `${space}\\${mark}`,
    );
}

/** Escaped and cut to `max`, in that order, so the result never exceeds the limit. */
export function safeText(text: string, max: number): string {
  return clamp(escapeText(text), max);
}

/** Plain text for places Discord does not render markdown (footers, thread names, choice names). */
export function plainText(text: string, max: number): string {
  return clamp(
    text
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/@(everyone|here)/gi, '@\u200b$1'),
    max,
  );
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
