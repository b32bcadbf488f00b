/**
 * Reading a reference library someone exported elsewhere: BibTeX (`.bib`, parsed with @retorquere/bibtex-parser, the
 * parser behind Zotero's Better BibTeX), CSL-JSON (Zotero's, Mendeley's, pandoc's), a Zotero CSV export, or a plain
 * list of arXiv ids and links. Each entry keeps the line it starts on, for the report. A file that is too large, not
 * text, or malformed is refused as a whole with a clear reason: an import changes nothing unless the file is sound.
 */
import { parse as parseBibtex } from '@retorquere/bibtex-parser';
import { parse as parseCsv } from 'csv-parse/sync';
import { parseArxivId } from '../../papers/ids.ts';

/** Files above this size are refused before they are read. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** Files with more entries are refused (a library, not a corpus: `paperboy import` loads corpora). */
export const MAX_ENTRIES = 5_000;

export type LibraryFormat = 'bibtex' | 'csl-json' | 'zotero-csv' | 'id-list';

/** One reference as the file gives it: whatever identifies the paper. */
export interface LibraryEntry {
  /** The line the entry starts on (1-based). */
  line: number;
  /** How the file names it (a BibTeX key, a CSV row's title): for the report. */
  label: string;
  arxivId?: string;
  doi?: string;
  title?: string;
}

export class LibraryFileError extends Error {}

/** arXiv's DOIs (10.48550/arXiv.2503.20680) name an arXiv paper. */
const ARXIV_DOI = /^10\.48550\/arxiv\.(.+)$/i;

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function cleanDoi(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const doi = value
    .trim()
    .replace(/^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:)/i, '')
    .toLowerCase();
  return /^10\.\d{4,9}\/\S+$/.test(doi) ? doi : undefined;
}

/** An arXiv id from any of the places references keep it: eprint, URL, DOI, a note ("arXiv:2503.20680"). */
function arxivFrom(...values: unknown[]): string | undefined {
  for (const value of values) {
    if (typeof value !== 'string' || !value.trim()) continue;
    const doi = cleanDoi(value);
    const fromDoi = doi && ARXIV_DOI.exec(doi)?.[1];
    const id = parseArxivId(fromDoi || value.trim()) ?? /arxiv[:\s]*([\w.\-/]+)/i.exec(value)?.[1];
    const parsed = id && parseArxivId(id);
    if (parsed) return parsed;
  }
  return undefined;
}

function entry(line: number, label: string, fields: Omit<LibraryEntry, 'line' | 'label'>): LibraryEntry {
  const title = fields.title?.replace(/\s+/g, ' ').trim();
  return {
    line,
    label,
    ...(fields.arxivId ? { arxivId: fields.arxivId } : {}),
    ...(fields.doi ? { doi: fields.doi } : {}),
    ...(title ? { title } : {}),
  };
}

/** Bytes → text, or a clear refusal for anything that is not UTF-8 text. */
export function decodeLibraryFile(bytes: Uint8Array, name: string): string {
  if (bytes.byteLength > MAX_FILE_BYTES)
    throw new LibraryFileError(
      `${name} is ${(bytes.byteLength / 1024 / 1024).toFixed(1)} MB; library files are limited to ` +
        `${MAX_FILE_BYTES / 1024 / 1024} MB`,
    );
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new LibraryFileError(`${name} is not a UTF-8 text file (BibTeX, CSL-JSON, CSV or a list of arXiv ids)`);
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control bytes are what mark a binary file.
  if (/[\u0000-\u0008\u000e-\u001a]/.test(text.slice(0, 65_536)))
    throw new LibraryFileError(`${name} looks binary, not text (BibTeX, CSL-JSON, CSV or a list of arXiv ids)`);
  return text.replace(/^\uFEFF/, '');
}

export function detectFormat(name: string, text: string): LibraryFormat {
  const lower = name.toLowerCase();
  const start = text.trimStart();
  if (lower.endsWith('.bib') || lower.endsWith('.bibtex') || /^(%[^\n]*\n\s*)*@\w+\s*[{(]/.test(start)) return 'bibtex';
  if (lower.endsWith('.json') || start.startsWith('[') || start.startsWith('{')) return 'csl-json';
  if (lower.endsWith('.csv') || /^"?Key"?,"?Item Type"?/.test(start)) return 'zotero-csv';
  return 'id-list';
}

export function parseLibraryFile(text: string, name: string, format = detectFormat(name, text)): LibraryEntry[] {
  const entries = PARSERS[format](text, name);
  if (entries.length > MAX_ENTRIES)
    throw new LibraryFileError(
      `${name} has ${entries.length.toLocaleString('en')} entries; an import takes at most ` +
        `${MAX_ENTRIES.toLocaleString('en')} (split the file)`,
    );
  return entries;
}

const PARSERS: Record<LibraryFormat, (text: string, name: string) => LibraryEntry[]> = {
  bibtex(text, name) {
    const library = parseBibtex(text, { sentenceCase: false, english: false });
    if (library.errors.length) {
      const shown = library.errors.slice(0, 3).map((e) => e.error.replace(/\s+/g, ' ').slice(0, 160));
      throw new LibraryFileError(
        `${name} is not valid BibTeX (${library.errors.length} error${library.errors.length === 1 ? '' : 's'}): ` +
          shown.join('; '),
      );
    }
    let from = 0;
    return library.entries.map((e) => {
      const at = e.input ? text.indexOf(e.input, from) : -1;
      if (at >= 0) from = at + e.input.length;
      const f = e.fields as Record<string, unknown>;
      const doi = cleanDoi(f.doi);
      return entry(at >= 0 ? lineAt(text, at) : 0, e.key, {
        arxivId: arxivFrom(
          String(f.archiveprefix ?? f.eprinttype ?? '').toLowerCase() === 'arxiv' ? f.eprint : undefined,
          f.doi,
          f.url,
          f.journal,
          f.note,
          f.howpublished,
        ),
        doi,
        title: typeof f.title === 'string' ? f.title : undefined,
      });
    });
  },

  'csl-json'(text, name) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new LibraryFileError(`${name} is not valid JSON: ${(error as Error).message}`);
    }
    const items = Array.isArray(data) ? data : (data as { items?: unknown })?.items;
    if (!Array.isArray(items)) throw new LibraryFileError(`${name} is not CSL-JSON: expected an array of items`);
    // Line numbers: each item's "id" (or its title) found in order in the text.
    let from = 0;
    return items.map((raw, i) => {
      const item = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
      const id = typeof item.id === 'string' || typeof item.id === 'number' ? String(item.id) : '';
      const title = typeof item.title === 'string' ? item.title : undefined;
      const probe = JSON.stringify(id || title || '').slice(1, -1);
      const at = probe ? text.indexOf(probe, from) : -1;
      if (at >= 0) from = at + probe.length;
      return entry(at >= 0 ? lineAt(text, at) : 0, id || title || `item ${i + 1}`, {
        arxivId: arxivFrom(item.DOI, item.URL, item.number, item.note, item.id),
        doi: cleanDoi(item.DOI),
        title,
      });
    });
  },

  'zotero-csv'(text, name) {
    let rows: { record: Record<string, string>; info: { lines: number } }[];
    try {
      rows = parseCsv(text, { columns: true, info: true, bom: true, relax_column_count: true, skip_empty_lines: true });
    } catch (error) {
      throw new LibraryFileError(`${name} is not valid CSV: ${(error as Error).message}`);
    }
    if (rows.length && !('Title' in rows[0]!.record))
      throw new LibraryFileError(`${name} is not a Zotero CSV export: it has no "Title" column`);
    return rows.map(({ record, info }) =>
      entry(info.lines, record.Key || record.Title || `line ${info.lines}`, {
        arxivId: arxivFrom(record.DOI, record.Url, record['Archive Location'], record.Extra, record['Report Number']),
        doi: cleanDoi(record.DOI),
        title: record.Title,
      }),
    );
  },

  'id-list'(text, name) {
    const out: LibraryEntry[] = [];
    for (const [i, raw] of text.split(/\r?\n/).entries()) {
      const line = raw.trim();
      if (!line || line.startsWith('#')) continue;
      const arxivId = arxivFrom(line);
      if (!arxivId && out.length === 0 && i > 20)
        throw new LibraryFileError(`${name}: no arXiv id in its first lines; is it a BibTeX, CSL-JSON or CSV file?`);
      out.push(entry(i + 1, line.slice(0, 80), { arxivId }));
    }
    return out;
  },
};
