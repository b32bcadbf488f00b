/** Parses JSON Lines (one paper object a line) and JSON arrays of paper objects into PaperInputs. */
import type { PaperInput } from '../papers/paper.ts';

export interface ParseProblem {
  line: number;
  reason: string;
}

export interface ParsedPapers {
  papers: { input: PaperInput; line: number }[];
  problems: ParseProblem[];
}

const MAX_LINE = 1_000_000;

/** One JSON Lines line → a paper input, or the reason it is not one. */
export function parsePaperLine(text: string): { input: PaperInput } | { reason: string } {
  if (text.length > MAX_LINE) return { reason: `line longer than ${MAX_LINE.toLocaleString('en')} characters` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { reason: `malformed JSON (${error instanceof Error ? error.message.split('\n')[0] : 'parse error'})` };
  }
  return toPaperInput(value);
}

export function toPaperInput(value: unknown): { input: PaperInput } | { reason: string } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { reason: 'not a JSON object' };
  const record = value as Record<string, unknown>;
  const text = (field: unknown) => typeof field === 'string' && field.trim() !== '';
  if (!text(record.title) && !text(record.abstract) && !text(record.summary))
    return { reason: 'no title and no abstract' };
  return {
    input: {
      id: record.id,
      doi: record.doi ?? record.DOI,
      arxivId:
        typeof record.arxiv_id === 'string'
          ? record.arxiv_id
          : typeof record.arxivId === 'string'
            ? record.arxivId
            : undefined,
      // An untitled record with an abstract is still a paper: normalizePaper decides.
      title: typeof record.title === 'string' ? record.title : '',
      abstract:
        typeof record.abstract === 'string'
          ? record.abstract
          : typeof record.summary === 'string'
            ? record.summary
            : undefined,
      authors: Array.isArray(record.authors)
        ? (record.authors as string[])
        : typeof record.authors === 'string'
          ? record.authors.split(/,\s*/)
          : undefined,
      categories: Array.isArray(record.categories) ? (record.categories as string[]) : undefined,
      published: typeof record.published === 'string' ? record.published : undefined,
      updated: typeof record.updated === 'string' ? record.updated : undefined,
      upvotes: typeof record.upvotes === 'number' ? record.upvotes : undefined,
      aiSummary: typeof record.ai_summary === 'string' ? record.ai_summary : undefined,
      keywords: Array.isArray(record.keywords) ? (record.keywords as string[]) : undefined,
      githubRepo: typeof record.githubRepo === 'string' ? record.githubRepo : undefined,
    },
  };
}

/** A whole JSON Lines text or JSON array text. */
export function parseJsonLines(text: string): ParsedPapers {
  const result: ParsedPapers = { papers: [], problems: [] };
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) {
    let array: unknown;
    try {
      array = JSON.parse(trimmed);
    } catch (error) {
      result.problems.push({
        line: 1,
        reason: `malformed JSON array (${error instanceof Error ? error.message.split('\n')[0] : 'parse error'})`,
      });
      return result;
    }
    (array as unknown[]).forEach((item, index) => {
      const parsed = toPaperInput(item);
      if ('input' in parsed) result.papers.push({ input: parsed.input, line: index + 1 });
      else result.problems.push({ line: index + 1, reason: parsed.reason });
    });
    return result;
  }
  text.split(/\r?\n/).forEach((line, index) => {
    if (!line.trim()) return;
    const parsed = parsePaperLine(line);
    if ('input' in parsed) result.papers.push({ input: parsed.input, line: index + 1 });
    else result.problems.push({ line: index + 1, reason: parsed.reason });
  });
  return result;
}
