/** A library as BibTeX: one `@misc` entry per paper (arXiv's own style: eprint, archivePrefix, primaryClass). */
import { arxivAbsUrl } from '../papers/ids.ts';
import type { Paper } from '../papers/paper.ts';

/** BibTeX's special characters escaped; braces balanced by escaping them all. */
function field(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\\{}]/g, (c) => (c === '\\' ? '\\textbackslash{}' : `\\${c}`))
    .replace(/[&%$#_]/g, (c) => `\\${c}`)
    .replace(/~/g, '\\textasciitilde{}')
    .replace(/\^/g, '\\textasciicircum{}');
}

/** `vaswani2017attention`-style keys: first author's surname, year, first title word; made unique with a, b, … */
function baseKey(paper: Paper): string {
  const surname = (paper.authors[0] ?? 'anon').trim().split(/\s+/).pop() ?? 'anon';
  const year = paper.published?.slice(0, 4) ?? '';
  const word = paper.title.split(/\s+/).find((w) => w.replace(/[^\p{L}]/gu, '').length > 3) ?? 'paper';
  const key = `${surname}${year}${word}`.normalize('NFKD').replace(/[^A-Za-z0-9]/g, '');
  return key.toLowerCase() || 'paper';
}

export function bibtexEntry(paper: Paper, key: string): string {
  const fields: [string, string][] = [['title', `{${field(paper.title)}}`]];
  if (paper.authors.length) fields.push(['author', field(paper.authors.join(' and '))]);
  if (paper.published) {
    fields.push(['year', paper.published.slice(0, 4)]);
    if (paper.published.length >= 7) fields.push(['month', String(Number(paper.published.slice(5, 7)))]);
  }
  if (paper.arxivId) {
    fields.push(['eprint', paper.arxivId], ['archivePrefix', 'arXiv']);
    if (paper.categories[0]) fields.push(['primaryClass', field(paper.categories[0])]);
    fields.push(['url', arxivAbsUrl(paper.arxivId)]);
  }
  if (paper.abstract) fields.push(['abstract', field(paper.abstract)]);
  return `@misc{${key},\n${fields.map(([name, value]) => `  ${name} = {${value}}`).join(',\n')}\n}\n`;
}

export function bibtexLibrary(papers: readonly Paper[]): string {
  const used = new Map<string, number>();
  return papers
    .map((paper) => {
      const base = baseKey(paper);
      const n = used.get(base) ?? 0;
      used.set(base, n + 1);
      return bibtexEntry(
        paper,
        n === 0 ? base : `${base}${String.fromCharCode(96 + Math.min(n, 26))}${n > 26 ? n : ''}`,
      );
    })
    .join('\n');
}
