import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createLogger } from '../../../src/core/logger.ts';
import { type Clause, CompactIndex } from '../../../src/core/search/compact/compact-index.ts';
import { IndexFile, readIndexFile, writeIndexFile } from '../../../src/core/search/compact/index-file.ts';
import { buildSegment, type IndexDoc, Segment, SegmentBuilder } from '../../../src/core/search/compact/segment.ts';
import { SCORING } from '../../../src/core/search/search-index.ts';
import { indexFileFor, openPaperboy } from '../../../src/paperboy.ts';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-append-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const WORDS = [
  'model',
  'models',
  'language',
  'diffusion',
  'attention',
  'graph',
  'neural',
  'network',
  'learning',
  'robust',
  'vision',
  'transformer',
  'retrieval',
  'agent',
  'reasoning',
  'benchmark',
  'sparse',
  'quantum',
  'policy',
  'reward',
];

/** Deterministic documents; every one mentions "model" (a term with thousands of postings). */
function docs(from: number, count: number): IndexDoc[] {
  let seed = from * 7919 + 17;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const words = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(next() * WORDS.length)]).join(' ');
  return Array.from({ length: count }, (_, i) => ({
    id: `p${from + i}`,
    title: `model ${words(3 + Math.floor(next() * 6))}`,
    abstract: `${words(10 + Math.floor(next() * 30))} model`,
    authors: `Author ${Math.floor(next() * 50)}`,
    meta: { categories: ['cs.LG'], titleNorm: `t${from + i}`, published: '2025-01-01' },
  }));
}

const QUERIES: Clause[][] = [
  [{ term: 'model' }, { term: 'diffusion' }],
  [
    { term: 'model', fields: ['title'], boost: 2 },
    { term: 'graph', presence: 'required' },
  ],
  [{ term: 'attention' }, { term: 'network', presence: 'prohibited' }],
  [{ term: 'transform', prefix: true }],
];

function results(index: CompactIndex, clauses: Clause[]): Map<string, number> {
  const result = index.evaluate(clauses);
  const out = new Map<string, number>();
  for (let i = 0; i < result.count; i++) out.set(result.ref(i), result.scores[i]!);
  return out;
}

function prepareAll(index: CompactIndex): void {
  const steps = index.prepare();
  while (!steps.next().done);
}

test(
  'GIVEN an index that has answered queries WHEN a segment is appended and prepared ' +
    'THEN every query scores exactly as a full rebuild',
  () => {
    const base = docs(0, 2500);
    const added = docs(2500, 300);
    const previous = new CompactIndex([new Segment(buildSegment(base))], SCORING);
    for (const clauses of QUERIES) previous.evaluate(clauses);
    const appended = previous.withSegment(new Segment(buildSegment(added)));
    prepareAll(appended);
    const rebuilt = new CompactIndex([new Segment(buildSegment([...base, ...added]))], SCORING);
    assert.equal(appended.size, rebuilt.size);
    for (const clauses of QUERIES) {
      const expected = results(rebuilt, clauses);
      const actual = results(appended, clauses);
      assert.ok(expected.size > 0, 'the query matches something');
      assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort());
      for (const [ref, score] of expected) assert.equal(actual.get(ref), score, `score of ${ref}`);
    }
    assert.equal(appended.ordinal('p2600'), 2600);
    assert.equal(appended.ordinal('p17'), 17);
    assert.equal(appended.ordinal('nope'), undefined);
    assert.deepEqual(appended.meta(2600), { published: '2025-01-01', categories: ['cs.LG'], titleNorm: 't2600' });
  },
);

test(
  'GIVEN a segment built one document at a time ' +
    'THEN it equals the one built at once, and its stored id table finds every id',
  () => {
    const list = docs(0, 700);
    const builder = new SegmentBuilder();
    for (const doc of list) builder.add(doc);
    const bytes = builder.finish();
    assert.deepEqual(bytes, buildSegment(list));
    const segment = new Segment(bytes);
    for (let i = 0; i < list.length; i++) assert.equal(segment.localOrdinal(list[i]!.id), i);
    assert.equal(segment.localOrdinal('p700'), -1);
  },
);

test(
  'GIVEN a saved index WHEN segments are appended ' +
    'THEN only they are written, and a read returns all of them at the last version',
  async () => {
    const file = join(dir, 'x', 'x.db.index');
    const first = new IndexFile(file);
    const base = new Segment(buildSegment(docs(0, 400)));
    assert.equal(await first.save({ corpus: 'c', version: 400, acronyms: { kept: 1 } }, [base]), 'written');
    const baseBytes = statSync(file).size;
    const one = new Segment(buildSegment(docs(400, 20)));
    const two = new Segment(buildSegment(docs(420, 30)));
    assert.equal(await first.save({ corpus: 'c', version: 420, acronyms: null }, [base, one]), 'appended');
    assert.equal(await first.save({ corpus: 'c', version: 450, acronyms: null }, [base, one, two]), 'appended');
    assert.equal(statSync(file).size, baseBytes, 'the base file is not rewritten');

    const reader = new IndexFile(file);
    const stored = reader.read();
    assert.equal(stored.manifest.version, 450);
    assert.deepEqual(stored.manifest.acronyms, { kept: 1 });
    assert.deepEqual(
      stored.segments.map((s) => s.n),
      [400, 20, 30],
    );
    // The reader appends after what it read.
    const three = new Segment(buildSegment(docs(450, 5)));
    assert.equal(
      await reader.save({ corpus: 'c', version: 455, acronyms: null }, [...stored.segments, three]),
      'appended',
    );
    assert.deepEqual(
      new IndexFile(file).read().segments.map((s) => s.n),
      [400, 20, 30, 5],
    );

    // A lost append file: the index is read up to the append before it, at that version.
    const lost = readdirSync(join(dir, 'x'))
      .filter((name) => name.endsWith('.seg'))
      .sort()[1]!;
    writeFileSync(join(dir, 'x', lost), 'torn');
    const partial = new IndexFile(file).read();
    assert.equal(partial.manifest.version, 420);
    assert.deepEqual(
      partial.segments.map((s) => s.n),
      [400, 20],
    );

    // A new base supersedes the appends: their files go.
    const rebuilt = new Segment(buildSegment(docs(0, 455)));
    assert.equal(await reader.save({ corpus: 'c', version: 455, acronyms: null }, [rebuilt]), 'written');
    assert.deepEqual(readdirSync(join(dir, 'x')), ['x.db.index']);
    assert.deepEqual(
      new IndexFile(file).read().segments.map((s) => s.n),
      [455],
    );
  },
);

test(
  'GIVEN a daily batch appended to a file database ' +
    'THEN the next start loads base and append without rebuilding and finds the new paper',
  async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', write: (l) => lines.push(l) });
    const db = join(dir, 'bot.db');
    const pb = await openPaperboy({ dbPath: db, logger });
    await pb.importer.importInputsGently(
      [
        { id: '2509.00001', title: 'Quokka Alignment of Marsupial Models', abstract: 'Quokka quokka.' },
        { id: '2509.00002', title: 'Wombat Burrows for Retrieval', abstract: 'Wombats dig.' },
      ],
      'test',
    );
    await pb.index.refresh();
    assert.ok(
      lines.some((l) => l.includes('search index updated')),
      'appended, not rebuilt',
    );
    assert.ok(
      readdirSync(join(dir, 'index')).some((name) => name.endsWith('.seg')),
      'the append has its own file',
    );
    await pb.close();

    lines.length = 0;
    const again = await openPaperboy({ dbPath: db, logger });
    assert.ok(
      !lines.some((l) => l.includes('search index built') || l.includes('search index updated')),
      'loaded as saved',
    );
    assert.equal((await again.services.search.search('quokka')).hits[0]?.paper.id, '2509.00001');
    assert.equal((await again.services.search.search('wombat')).hits[0]?.paper.id, '2509.00002');
    assert.ok(indexFileFor(db));
    await again.close();
  },
);

test(
  'GIVEN a segment saved to an index file ' +
    'THEN attached to the file, and loaded from it, it answers every query exactly as when held in memory',
  async () => {
    const file = join(dir, 'lazy', 'lazy.db.index');
    const list = docs(0, 2600);
    const bytes = buildSegment(list);
    const inMemory = new Segment(bytes);
    const saved = new Segment(bytes.slice());
    assert.equal(await new IndexFile(file).save({ corpus: 'c', version: 1, acronyms: null }, [saved]), 'written');
    assert.ok(saved.fileBacked, 'the saved segment reads its postings from the file');
    const loaded = new IndexFile(file).read().segments[0]!;
    assert.ok(loaded.fileBacked && !inMemory.fileBacked);
    for (const segment of [saved, loaded]) {
      for (let id = 0; id < inMemory.terms.length; id++) {
        for (let f = 0; f < 3; f++) assert.deepEqual(segment.postings(id, f), inMemory.postings(id, f));
        assert.equal(segment.distinctDocs(id), inMemory.distinctDocs(id));
      }
      for (let d = 0; d < list.length; d += 7) {
        assert.deepEqual(segment.titleTokens(d), inMemory.titleTokens(d));
        assert.deepEqual(segment.abstractTokens(d), inMemory.abstractTokens(d));
        assert.deepEqual(segment.meta(d), inMemory.meta(d));
      }
      assert.deepEqual(segment.bytes, bytes, 'the whole segment reads back from the file');
      const index = new CompactIndex([segment], SCORING);
      const reference = new CompactIndex([inMemory], SCORING);
      for (const clauses of QUERIES) assert.deepEqual(results(index, clauses), results(reference, clauses));
    }
  },
);

test(
  'GIVEN a complete index file written beside the index (by a build process) ' +
    'WHEN it is adopted THEN it replaces the index and its appends, and its segments keep reading through the rename',
  async () => {
    const file = join(dir, 'adopt', 'adopt.db.index');
    const index = new IndexFile(file);
    const old = new Segment(buildSegment(docs(0, 300)));
    await index.save({ corpus: 'c', version: 300, acronyms: null }, [old]);
    await index.save({ corpus: 'c', version: 320, acronyms: null }, [old, new Segment(buildSegment(docs(300, 20)))]);
    const written = `${file}.build-test.tmp`;
    await writeIndexFile(written, { corpus: 'c', version: 400, acronyms: null }, [
      new Segment(buildSegment(docs(0, 400))),
    ]);
    const stored = readIndexFile(written);
    await index.adopt(written, stored);
    assert.deepEqual(readdirSync(join(dir, 'adopt')), ['adopt.db.index'], 'appends and the written file are gone');
    const reread = new IndexFile(file).read();
    assert.equal(reread.manifest.version, 400);
    assert.deepEqual(
      reread.segments.map((s) => s.n),
      [400],
    );
    assert.deepEqual(stored.segments[0]!.postings(0, 1), reread.segments[0]!.postings(0, 1));
    const more = new Segment(buildSegment(docs(400, 10)));
    assert.equal(
      await index.save({ corpus: 'c', version: 410, acronyms: null }, [...stored.segments, more]),
      'appended',
    );
  },
);
