/**
 * Loader for SciTLDR-A (Cachola et al., 2020) as ../shared/eval/scitldr holds it: one paper a line with
 * `paper_id`, `title`, `source` (the abstract, one sentence per item) and `target` (the author's TL;DR first,
 * then peer reviewers'). Read in place, never copied into the project.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { defaultSharedDir } from '../datasets.ts';

export interface TldrPaper {
  id: string;
  title: string;
  /** The abstract's sentences as the data set splits them. */
  sentences: string[];
  /** Reference TL;DRs. */
  targets: string[];
}

export function scitldrFile(sharedDir = defaultSharedDir): string {
  return path.join(sharedDir, 'eval', 'scitldr', 'dev.jsonl');
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string' && s.trim() !== '') : [];
}

/** Every paper of a SciTLDR file; a malformed line or a paper without sentences or targets fails with its line. */
export function loadScitldr(file = scitldrFile()): TldrPaper[] {
  if (!existsSync(file)) {
    throw new Error(`eval data not found: ${file} (is ../shared checked out? override with --shared PATH)`);
  }
  const papers: TldrPaper[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      const where = `${file}:${i + 1}`;
      let row: Record<string, unknown>;
      try {
        row = JSON.parse(line) as Record<string, unknown>;
      } catch (error) {
        throw new Error(`${where}: invalid JSON (${(error as Error).message})`);
      }
      const paper: TldrPaper = {
        id: typeof row.paper_id === 'string' ? row.paper_id : `line ${i + 1}`,
        title: typeof row.title === 'string' ? row.title : '',
        sentences: strings(row.source),
        targets: strings(row.target),
      };
      if (!paper.sentences.length || !paper.targets.length) throw new Error(`${where}: no "source" or "target"`);
      papers.push(paper);
    });
  return papers;
}
