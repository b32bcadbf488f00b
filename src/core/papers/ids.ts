/** Parsing arXiv ids out of whatever people paste (ids, URLs, Hugging Face links) and deriving stable ids. */
import { createHash } from 'node:crypto';

// New-style ids: YYMM.NNNN (2007-2014) or YYMM.NNNNN (2015+), optional version.
const NEW_STYLE = /(?<![\d.])(\d{4}\.\d{4,5})(?:v\d+)?(?![\d])/;
// Old-style ids: archive(.SUBJ)/YYMMNNN, e.g. hep-th/9901001, math.GT/0309136.
const OLD_STYLE = /(?<![A-Za-z-])([a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?\/\d{7})(?:v\d+)?(?!\d)/;

/**
 * Finds the arXiv id (without version) in an id, `arXiv:` reference, or an arxiv.org / huggingface.co
 * paper URL. Returns undefined when there is none.
 */
export function parseArxivId(input: string): string | undefined {
  const text = input.trim();
  if (!text || text.length > 2048) return undefined;
  const newMatch = NEW_STYLE.exec(text);
  if (newMatch?.[1] && isPlausibleNewStyle(newMatch[1])) return newMatch[1];
  const oldMatch = OLD_STYLE.exec(text);
  if (oldMatch?.[1]) return oldMatch[1];
  return undefined;
}

function isPlausibleNewStyle(id: string): boolean {
  const month = Number(id.slice(2, 4));
  const digits = id.split('.')[1]?.length ?? 0;
  const year = Number(id.slice(0, 2));
  if (month < 1 || month > 12) return false;
  // 5-digit sequence numbers started in 1501; 4-digit ones ended in 1412.
  return digits === 5 ? year >= 15 : year >= 7 && year <= 14;
}

/** Text that names a paper by link: an arXiv abs/pdf URL or a Hugging Face papers URL. */
const PAPER_LINK = /https?:\/\/(?:www\.|export\.)?(?:arxiv\.org\/(?:abs|pdf)|huggingface\.co\/papers)\/[^\s<>|)\]]+/gi;

/** Every arXiv id linked in a message (arXiv abs/pdf and Hugging Face paper pages), in order, unique. */
export function findLinkedArxivIds(text: string): string[] {
  const ids: string[] = [];
  for (const match of text.matchAll(PAPER_LINK)) {
    const id = parseArxivId(match[0]);
    if (id && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

/** Lower-case, accents folded, punctuation and spacing collapsed: two spellings of one title compare equal. */
export function normalizeTitle(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** A stable id for a paper without an arXiv id, derived from its normalized title. */
export function titleId(title: string): string {
  return `t-${createHash('sha256').update(normalizeTitle(title)).digest('hex').slice(0, 12)}`;
}

export function canonicalId(paper: { arxivId?: string; id?: string; title: string }): string {
  return paper.arxivId ?? (paper.id ? parseArxivId(paper.id) : undefined) ?? titleId(paper.title);
}

export function arxivAbsUrl(arxivId: string): string {
  return `https://arxiv.org/abs/${arxivId}`;
}
export function arxivPdfUrl(arxivId: string): string {
  return `https://arxiv.org/pdf/${arxivId}`;
}
export function huggingFaceUrl(arxivId: string): string {
  return `https://huggingface.co/papers/${arxivId}`;
}
