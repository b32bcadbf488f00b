/**
 * Turning plain (hostile) text into Slack mrkdwn that cannot ping or smuggle a link: `&`, `<`, `>` are
 * escaped, links are only the ones we build, and cutting/splitting happens on the plain text so an
 * escape sequence or a link is never cut in half.
 */

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Length of a code point once escaped. */
function escapedCost(char: string): number {
  return char === '&' ? 5 : char === '<' || char === '>' ? 4 : char.length;
}

export function escapedLength(text: string): number {
  let total = 0;
  for (const char of text) total += escapedCost(char);
  return total;
}

/** Length (in UTF-16 units, never splitting a code point) of the longest prefix that fits `budget` once escaped. */
function fittingPrefix(text: string, budget: number): number {
  let used = 0;
  let end = 0;
  for (const char of text) {
    const cost = escapedCost(char);
    if (used + cost > budget) break;
    used += cost;
    end += char.length;
  }
  return end;
}

/**
 * The longest prefix of `text` whose escaped form (plus `suffix`) fits in `max` characters, ending at a
 * word boundary when one is reasonably close. Returns the text unchanged when it fits.
 */
export function cutPlain(text: string, max: number, suffix = '…'): string {
  if (escapedLength(text) <= max) return text;
  const end = fittingPrefix(text, Math.max(0, max - suffix.length));
  let cut = text.slice(0, end);
  const space = cut.search(/\s\S*$/);
  if (space > end * 0.8) cut = cut.slice(0, space);
  return cut.trimEnd() + suffix;
}

/** Splits text into pieces whose escaped form fits in `max`, breaking at paragraphs, lines or words. */
export function splitPlain(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (escapedLength(rest) > max) {
    // At least one code point per piece, so a tiny `max` cannot loop forever.
    const end = Math.max(fittingPrefix(rest, max), String.fromCodePoint(rest.codePointAt(0)!).length);
    const head = rest.slice(0, end);
    const breakAt = [head.lastIndexOf('\n\n'), head.lastIndexOf('\n'), head.search(/\s\S*$/)].find(
      (index) => index > end * 0.5,
    );
    const cut = breakAt !== undefined && breakAt > 0 ? breakAt : end;
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^\s+/, '');
  }
  if (rest) pieces.push(rest);
  return pieces;
}

/** An http(s) URL made safe inside `<url|label>`: characters that would end or split the link are encoded. */
export function safeUrl(url: string | undefined): string | undefined {
  if (!url || url.length > 2000) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  return parsed.href.replace(/\|/g, '%7C').replace(/</g, '%3C').replace(/>/g, '%3E').replace(/&/g, '&amp;');
}

/** Longer URLs are dropped (the label stays) so a card always fits one section. */
const MAX_LINK_URL = 1000;

/** A link we build ourselves: `<url|escaped label>`, or just the escaped label when the URL is unusable. */
export function mrkdwnLink(url: string | undefined, label: string, maxLabel = 300): string {
  const text = escapeMrkdwn(cutPlain(label, maxLabel));
  const href = safeUrl(url);
  return href && href.length <= MAX_LINK_URL ? `<${href}|${text}>` : text;
}
