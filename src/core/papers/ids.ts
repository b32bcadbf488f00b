/**
 * Paper ids: arXiv ids parsed out of whatever people paste (ids, URLs, Hugging Face links), records' own ids
 * (DOIs, OpenAlex, Semantic Scholar, anything) checked and kept, and ids derived from titles when there is none.
 */
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

/** A stable id for a paper that came without an id of its own, derived from its normalized title. */
export function titleId(title: string): string {
  return `t-${createHash('sha256').update(normalizeTitle(title)).digest('hex').slice(0, 12)}`;
}

/** True for ids paperboy made up from a title (`t-…`): any real id of the same paper is better. */
export function isTitleId(id: string): boolean {
  return /^t-[0-9a-f]{12}$/.test(id);
}

/** Longest id a record may bring; longer ones are reported, never cut (a cut id joins to nothing). */
export const MAX_ID_LENGTH = 200;

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what makes an id unusable.
const ID_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** The whole text is an arXiv reference: an id (`arXiv:` prefix, version allowed), its page or the arXiv DOI. */
const ARXIV_REFERENCE = new RegExp(
  String.raw`^(?:arxiv:\s*|(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/|` +
    String.raw`(?:https?://)?huggingface\.co/papers/|(?:(?:https?://)?(?:dx\.)?doi\.org/|doi:\s*)?10\.48550/arxiv\.)` +
    String.raw`?((?:\d{4}\.\d{4,5}|[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?)(?:\.pdf)?/?$`,
  'i',
);

/** How a DOI is written before the DOI itself: `doi:`, or a doi.org link. */
const DOI_PREFIX = /^(?:doi:\s*|(?:https?:\/\/)?(?:dx\.)?doi\.org\/)/i;
/** A DOI: the `10.` directory, a registrant code, a slash and a suffix without spaces. */
const DOI = /^10\.\d{4,9}\/\S+$/;

/** The arXiv id when the whole text is an arXiv reference (not merely text that contains one). */
export function arxivReference(text: string): string | undefined {
  const match = ARXIV_REFERENCE.exec(text.trim());
  return match ? parseArxivId(match[1]!) : undefined;
}

/** The DOI, lower-cased (DOIs are case-insensitive), when the whole text is one; undefined otherwise. */
export function doiReference(text: string): string | undefined {
  const written = text.trim();
  let doi = written.replace(DOI_PREFIX, '');
  // A doi.org link may carry the DOI percent-encoded (`10.1145%2F3290605`).
  if (doi !== written && /%[0-9a-f]{2}/i.test(doi)) {
    try {
      doi = decodeURIComponent(doi);
    } catch {
      // Not valid percent-encoding: keep the text as it was written.
    }
  }
  return DOI.test(doi) ? doi.toLowerCase() : undefined;
}

/** What a record's own id says: nothing (derive one from the title), a usable id, or why it is unusable. */
export type RecordIdResult =
  | { kind: 'none' }
  | { kind: 'id'; id: string; arxivId?: string }
  | { kind: 'bad'; reason: string };

/**
 * A record's own id, kept as the paper's id: an arXiv reference becomes its arXiv id (no version), a DOI its
 * lower-cased bare form, any other string or number is kept verbatim (trimmed).
 */
export function recordId(raw: unknown): RecordIdResult {
  if (raw === undefined || raw === null) return { kind: 'none' };
  let text: string;
  if (typeof raw === 'number') {
    if (!Number.isSafeInteger(raw))
      return { kind: 'bad', reason: `id ${String(raw)} is not a whole number that can be kept exactly; quote it` };
    text = String(raw);
  } else if (typeof raw === 'string') {
    text = raw.trim();
  } else {
    return { kind: 'bad', reason: 'id is neither a string nor a number' };
  }
  if (!text) return { kind: 'bad', reason: 'empty id' };
  if (ID_CONTROL.test(text)) return { kind: 'bad', reason: 'id contains control characters or line breaks' };
  if (text.length > MAX_ID_LENGTH)
    return { kind: 'bad', reason: `id longer than ${MAX_ID_LENGTH} characters (${text.length})` };
  const arxivId = arxivReference(text);
  if (arxivId) return { kind: 'id', id: arxivId, arxivId };
  return { kind: 'id', id: doiReference(text) ?? text };
}

/**
 * The forms under which a paper may be stored for what a user typed: the text itself first (ids are kept
 * verbatim), then its arXiv id or lower-cased DOI when the text is one.
 */
export function idCandidates(text: string): string[] {
  const trimmed = text.trim();
  const forms = [trimmed, arxivReference(trimmed), doiReference(trimmed)];
  return [...new Set(forms.filter((form): form is string => Boolean(form)))];
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
