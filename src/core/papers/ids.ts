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

/** Text that names a paper by link: an arXiv abs/pdf/html URL, a Hugging Face papers URL or an alphaXiv page. */
const PAPER_PAGES = ['arxiv\\.org/(?:abs|pdf|html)', 'huggingface\\.co/papers', 'alphaxiv\\.org/(?:abs|overview)'];
const PAPER_LINK = new RegExp(`https?://(?:www\\.|export\\.)?(?:${PAPER_PAGES.join('|')})/[^\\s<>|)\\]]+`, 'gi');

/** Every arXiv id linked in a message (arXiv, Hugging Face and alphaXiv paper pages), in order, unique. */
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

// The archives of old-style ids (before April 2007): a bare `word/1234567` in chat is an arXiv id only under one.
const OLD_ARCHIVES = new Set(
  (
    'acc-phys adap-org alg-geom ao-sci astro-ph atom-ph bayes-an chao-dyn chem-ph cmp-lg comp-gas cond-mat cs dg-ga ' +
    'funct-an gr-qc hep-ex hep-lat hep-ph hep-th math math-ph mtrl-th nlin nucl-ex nucl-th patt-sol physics ' +
    'plasm-ph q-alg q-bio quant-ph solv-int supr-con'
  ).split(' '),
);

/**
 * Every arXiv id written out in plain text (`2503.20680`, `arXiv:2503.20680v2`, `cs/0112017`), in order, unique.
 * Old-style ids count only under a known archive and with a real month, so `and/1234567` is no id.
 */
export function findArxivIds(text: string): string[] {
  const found: { at: number; id: string }[] = [];
  for (const match of text.slice(0, 100_000).matchAll(new RegExp(NEW_STYLE, 'g'))) {
    if (isPlausibleNewStyle(match[1]!)) found.push({ at: match.index, id: match[1]! });
  }
  for (const match of text.slice(0, 100_000).matchAll(new RegExp(OLD_STYLE, 'g'))) {
    const id = match[1]!;
    const month = Number(id.slice(-5, -3));
    if (OLD_ARCHIVES.has(id.split(/[./]/)[0]!) && month >= 1 && month <= 12) found.push({ at: match.index, id });
  }
  const ids: string[] = [];
  for (const { id } of found.sort((a, b) => a.at - b.at)) if (!ids.includes(id)) ids.push(id);
  return ids;
}
