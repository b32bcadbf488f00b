/**
 * Parses the Hugging Face papers page as plain text: a few header lines, then per paper a title paragraph
 * followed by an abstract paragraph. Headers are recognized as short paragraphs not followed by an abstract.
 */
import type { ParsedPapers } from './jsonl.ts';

const MAX_TITLE = 400;
const MIN_ABSTRACT = 120;

function isTitleLike(paragraph: string): boolean {
  return paragraph.length > 0 && paragraph.length <= MAX_TITLE && !paragraph.includes('\n');
}

function isAbstractLike(paragraph: string): boolean {
  return paragraph.length >= MIN_ABSTRACT && /[.!?)\]]\s|[.!?)]$/.test(paragraph);
}

export function parseTextPage(text: string): ParsedPapers {
  const result: ParsedPapers = { papers: [], problems: [] };
  const paragraphs: { text: string; line: number }[] = [];
  let current: string[] = [];
  let start = 1;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line) {
      if (!current.length) start = index + 1;
      current.push(line);
    } else if (current.length) {
      paragraphs.push({ text: current.join('\n'), line: start });
      current = [];
    }
  });
  if (current.length) paragraphs.push({ text: current.join('\n'), line: start });

  for (let i = 0; i < paragraphs.length; i++) {
    const title = paragraphs[i]!;
    const next = paragraphs[i + 1];
    if (isTitleLike(title.text) && next && isAbstractLike(next.text)) {
      result.papers.push({
        input: { title: title.text, abstract: next.text.replace(/(?<!\s)\s*\n\s*/g, ' ') },
        line: title.line,
      });
      i++;
    } else if (result.papers.length > 0) {
      // Before the first paper these are page headers; after it, a paragraph we could not pair is worth reporting.
      result.problems.push({
        line: title.line,
        reason: isTitleLike(title.text) ? 'title without an abstract' : 'text without a title',
      });
    }
  }
  return result;
}
