import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { normalizePaper } from '../../../src/core/papers/normalize.ts';
import type { PaperInput } from '../../../src/core/papers/paper.ts';
import { openDatabase } from '../../../src/core/store/database.ts';
import { migrations } from '../../../src/core/store/migrations.ts';
import { PaperRepository } from '../../../src/core/store/paper-repository.ts';
import { tempDir } from '../alerts/support.ts';

function paper(input: PaperInput, source = 'test') {
  const result = normalizePaper(input, source);
  assert.ok(result.ok);
  return result.paper;
}

test('GIVEN a new database file THEN it is in WAL mode with the latest schema version', () => {
  // A file, not :memory: (an in-memory database cannot use a write-ahead log).
  const temp = tempDir('paperboy-store-');
  try {
    const db = openDatabase(join(temp.dir, 'new.db'));
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    const latest = Math.max(...migrations.map((m) => m.version));
    assert.equal(db.pragma('user_version', { simple: true }), latest);
    db.close();
  } finally {
    temp.cleanup();
  }
});

test('GIVEN the same paper from two sources THEN it is one record with the richer fields', () => {
  const repo = new PaperRepository(openDatabase(':memory:'));
  const fromPage = paper({ title: 'Skip-Tuning in Diffusion Sampling', abstract: 'Short.' }, 'page');
  assert.equal(repo.upsert(fromPage).outcome, 'added');
  const fromArxiv = paper(
    {
      id: '2503.20680v2',
      title: 'Skip-Tuning in Diffusion Sampling',
      abstract: 'A much longer abstract about skip connections.',
      authors: ['A. Author', 'B. Author'],
      categories: ['cs.CV'],
      published: '2025-03-26',
    },
    'arxiv',
  );
  const second = repo.upsert(fromArxiv);
  assert.equal(second.outcome, 'updated');
  assert.equal(second.id, '2503.20680');
  assert.equal(repo.count(), 1);
  const merged = repo.get('2503.20680')!;
  assert.equal(merged.abstract, 'A much longer abstract about skip connections.');
  assert.deepEqual(merged.authors, ['A. Author', 'B. Author']);
  assert.deepEqual(merged.categories, ['cs.CV']);
  // The old title-derived id still finds it (buttons posted before the merge keep working).
  assert.equal(repo.get(fromPage.id)?.id, '2503.20680');
  // Any id form finds it.
  assert.equal(repo.get('https://arxiv.org/abs/2503.20680v1')?.id, '2503.20680');
  // Seen again: nothing changes.
  assert.equal(repo.upsert(fromArxiv).outcome, 'unchanged');
  // A poorer record later does not erase richer fields.
  assert.equal(
    repo.upsert(paper({ id: '2503.20680', title: 'Skip-Tuning in Diffusion Sampling' })).outcome,
    'unchanged',
  );
  assert.equal(repo.get('2503.20680')!.abstract, 'A much longer abstract about skip connections.');
});

test('GIVEN two different arXiv ids with the same title THEN they stay two papers', () => {
  const repo = new PaperRepository(openDatabase(':memory:'));
  repo.upsert(paper({ id: '2401.00001', title: 'Same Title' }));
  repo.upsert(paper({ id: '2402.00002', title: 'Same Title' }));
  assert.equal(repo.count(), 2);
});

test('GIVEN a record without a title THEN normalizing says why', () => {
  const result = normalizePaper({ title: '   ' } as PaperInput, 'x');
  assert.deepEqual(result, { ok: false, reason: 'missing title' });
});

test(
  'GIVEN two records of one paper under their own ids THEN they merge under the first id, ' +
    'and the other id is an alias that finds the merged paper',
  () => {
    const repo = new PaperRepository(openDatabase(':memory:'));
    const title = 'Quokka Burrows as Retrieval Networks';
    assert.deepEqual(repo.upsert(paper({ id: 'c_190473', title, abstract: 'Short.' })), {
      outcome: 'added',
      id: 'c_190473',
    });
    const doi = paper({ id: '10.1145/QUOKKA.1', title: `${title}.`, abstract: 'A longer abstract about quokkas.' });
    assert.deepEqual(repo.upsert(doi), { outcome: 'updated', id: 'c_190473' });
    assert.equal(repo.count(), 1);
    assert.equal(repo.get('10.1145/quokka.1')?.id, 'c_190473');
    assert.equal(repo.get('c_190473')?.abstract, 'A longer abstract about quokkas.');
    // Seen again, the alias finds it even before the title does: nothing changes.
    assert.equal(repo.upsert(doi).outcome, 'unchanged');
    // A later arXiv record of it merges too: the paper keeps the id it was stored under, the arXiv id finds it.
    assert.equal(repo.upsert(paper({ id: '2501.00042', title })).id, 'c_190473');
    assert.equal(repo.get('2501.00042')?.id, 'c_190473');
    assert.equal(repo.get('2501.00042')?.arxivId, '2501.00042');
    // An identical copy under yet another id changes nothing, but its id finds the paper too.
    const copy = repo.get('c_190473')!;
    assert.equal(repo.upsert({ ...copy, id: 'W2741809807' }).outcome, 'unchanged');
    assert.equal(repo.get('W2741809807')?.id, 'c_190473');
  },
);

test('GIVEN a paper stored under a title-derived id THEN a record with its own id gives it that id', () => {
  const repo = new PaperRepository(openDatabase(':memory:'));
  const fromPage = paper({ title: 'Quokka Burrows', abstract: 'Short.' }, 'page');
  repo.upsert(fromPage);
  assert.equal(repo.upsert(paper({ id: 'W2741809807', title: 'Quokka Burrows' })).id, 'W2741809807');
  assert.equal(repo.get(fromPage.id)?.id, 'W2741809807');
});
