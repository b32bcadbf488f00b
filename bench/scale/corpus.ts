/**
 * The bench corpus: the first N papers of the shared arXiv JSONL (gzip), split into the initial import and
 * the held-out daily batch (the last papers), written as plain JSONL files every engine process reads.
 */
import { closeSync, createReadStream, openSync, readSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';

/** A corpus paper as the shared JSONL has it. */
export interface CorpusPaper {
  id: string;
  title: string;
  abstract: string;
  authors: string[];
  categories: string[];
  published?: string;
}

/** Papers held out of the initial import and added as the daily batch. */
export const BATCH_SIZE = 500;

/** The first `n` non-empty lines of a JSONL file (gzip detected by its magic bytes). */
export async function readFirstLines(file: string, n: number): Promise<string[]> {
  const raw = createReadStream(file);
  const head = await new Promise<Buffer>((resolve, reject) => {
    const probe = createReadStream(file, { start: 0, end: 1 });
    const chunks: Buffer[] = [];
    probe.on('data', (chunk) => chunks.push(chunk as Buffer));
    probe.on('end', () => resolve(Buffer.concat(chunks)));
    probe.on('error', reject);
  });
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  const input = gzip ? raw.pipe(createGunzip()) : raw;
  const lines: string[] = [];
  const reader = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of reader) {
      if (!line.trim()) continue;
      lines.push(line);
      if (lines.length >= n) break;
    }
  } finally {
    reader.close();
    raw.destroy();
  }
  return lines;
}

/** How many of `total` papers the daily batch takes (500, or a third of a tiny corpus). */
export function batchSizeFor(total: number): number {
  return Math.min(BATCH_SIZE, Math.floor(total / 3));
}

export function parsePaperLine(line: string): CorpusPaper {
  const row = JSON.parse(line) as Partial<CorpusPaper>;
  return {
    id: String(row.id),
    title: String(row.title ?? ''),
    abstract: String(row.abstract ?? ''),
    authors: Array.isArray(row.authors) ? row.authors.map(String) : [],
    categories: Array.isArray(row.categories) ? row.categories.map(String) : [],
    ...(row.published ? { published: String(row.published) } : {}),
  };
}

/** Every paper of a JSONL file, read a chunk at a time (a 10× corpus is larger than the longest string Node makes). */
export function readPapers(file: string): CorpusPaper[] {
  const papers: CorpusPaper[] = [];
  const fd = openSync(file, 'r');
  try {
    const chunk = Buffer.alloc(16 * 1024 * 1024);
    const decoder = new StringDecoder('utf8');
    let rest = '';
    for (;;) {
      const read = readSync(fd, chunk, 0, chunk.length, null);
      const text = rest + (read > 0 ? decoder.write(chunk.subarray(0, read)) : decoder.end());
      const lines = text.split('\n');
      rest = read > 0 ? lines.pop()! : '';
      for (const line of lines) if (line.trim()) papers.push(parsePaperLine(line));
      if (read === 0) return papers;
    }
  } finally {
    closeSync(fd);
  }
}

export function writeLines(file: string, lines: readonly string[]): void {
  writeFileSync(file, lines.length ? `${lines.join('\n')}\n` : '');
}
