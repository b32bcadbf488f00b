import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createLogger } from '../../../src/core/logger.ts';
import { indexFileFor, openPaperboy } from '../../../src/paperboy.ts';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-index-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function capture() {
  const lines: string[] = [];
  return { lines, logger: createLogger({ level: 'debug', write: (l) => lines.push(l) }) };
}

test(
  'GIVEN a file database ' + 'THEN the index is built, persisted, and loaded unchanged on the next start',
  async () => {
    const db = join(dir, 'a.db');
    const first = capture();
    const pb1 = await openPaperboy({ dbPath: db, logger: first.logger });
    assert.ok(first.lines.some((l) => l.includes('search index built')));
    assert.ok(existsSync(indexFileFor(db)!));
    await pb1.close();

    const second = capture();
    const pb2 = await openPaperboy({ dbPath: db, logger: second.logger });
    assert.ok(!second.lines.some((l) => l.includes('search index built')), 'loaded, not rebuilt');
    assert.equal((await pb2.services.search.search('lora')).hits.length, 5);
    await pb2.close();
  },
);

test('GIVEN a corrupt index file THEN it is rebuilt from the database', async () => {
  const db = join(dir, 'b.db');
  await (await openPaperboy({ dbPath: db, logger: capture().logger })).close();
  writeFileSync(indexFileFor(db)!, '{"format":1, "trunc');
  const log = capture();
  const pb = await openPaperboy({ dbPath: db, logger: log.logger });
  assert.ok(log.lines.some((l) => l.includes('unreadable; rebuilding')));
  assert.equal((await pb.services.search.search('lora')).hits.length, 5);
  await pb.close();
});

test('GIVEN new papers THEN the old index answers during the rebuild and the new one after', async () => {
  const db = join(dir, 'c.db');
  const pb = await openPaperboy({ dbPath: db, logger: capture().logger });
  await pb.importer.importInputs(
    [{ id: '2509.00001', title: 'Quokka Alignment of Marsupial Models', abstract: 'Quokka quokka.' }],
    'test',
  );
  const rebuilding = pb.index.refresh();
  assert.equal(
    (await pb.services.search.search('quokka', { literal: true })).hits.length,
    0,
    'old snapshot still answering',
  );
  await rebuilding;
  assert.equal((await pb.services.search.search('quokka')).hits[0]?.paper.id, '2509.00001');
  await pb.close();
});

test("GIVEN another database in the same folder THEN it never loads the first one's index", async () => {
  const a = join(dir, 'same-a.db');
  const b = join(dir, 'same-b.db');
  await (await openPaperboy({ dbPath: a, logger: capture().logger })).close();
  const pb = await openPaperboy({ dbPath: b, logger: capture().logger, builtinCorpus: false });
  assert.equal((await pb.services.search.search('lora')).hits.length, 0);
  await pb.close();
});

test(
  'GIVEN a small index WHEN a batch larger than it arrives ' +
    'THEN it is built in full and its acronyms are learned; a small batch is appended',
  async () => {
    const db = join(dir, 'acronyms.db');
    const log = capture();
    const pb = await openPaperboy({ dbPath: db, logger: log.logger });
    const indexed = await pb.papers.count();
    const batch = Array.from({ length: indexed + 5 }, (_, i) => ({
      id: `2510.${String(10000 + i)}`,
      title: `Quolling study ${i}`,
      abstract: `We study marsupial quoll networks (MQN) in setting ${i}.`,
    }));
    await pb.importer.importInputs(batch, 'test');
    log.lines.length = 0;
    await pb.index.refresh();
    assert.ok(
      log.lines.some((l) => l.includes('search index built')),
      'built in full',
    );
    assert.ok(pb.index.snapshot.acronyms.expand('mqn').length > 0, 'acronym learned from the big batch');

    await pb.importer.importInputs(
      [{ id: '2510.20001', title: 'One more quoll paper', abstract: 'Quoll quoll.' }],
      'test',
    );
    log.lines.length = 0;
    await pb.index.refresh();
    assert.ok(
      log.lines.some((l) => l.includes('search index updated')),
      'appended',
    );
    await pb.close();
  },
);

test(
  'GIVEN an index file under its old name (….index.json) ' + 'THEN it is removed and the index lives in ….index',
  async () => {
    const db = join(dir, 'legacy.db');
    const legacy = `${indexFileFor(db)!}.json`;
    mkdirSync(join(dir, 'index'), { recursive: true });
    writeFileSync(legacy, 'old binary index');
    writeFileSync(`${legacy}.appends`, '{}');
    const pb = await openPaperboy({ dbPath: db, logger: capture().logger });
    assert.ok(!existsSync(legacy) && !existsSync(`${legacy}.appends`));
    assert.ok(existsSync(indexFileFor(db)!) && indexFileFor(db)!.endsWith('legacy.db.index'));
    await pb.close();
  },
);
