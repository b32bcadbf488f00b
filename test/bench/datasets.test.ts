/** The eval-set loaders, on the real files in ../shared/eval and on small malformed copies. */

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadCisi } from '../../bench/datasets/cisi.ts';
import { defaultSharedDir, loadCacm, loadCsfcube, projectRoot } from '../../bench/datasets.ts';

test('the shared folder is found beside the project root', () => {
  assert.equal(defaultSharedDir, path.resolve(projectRoot, '..', 'shared'));
  assert.ok(existsSync(path.join(projectRoot, 'package.json')));
});

test('CACM: 3,204 documents, 52 queries, every relevant id with gain 1 and in the corpus', () => {
  const cacm = loadCacm();
  assert.equal(cacm.docs.length, 3204);
  assert.equal(cacm.queries.length, 52);
  const ids = new Set(cacm.docs.map((d) => d.id));
  assert.equal(ids.size, 3204);
  for (const q of cacm.queries) {
    assert.ok(q.query.length > 0);
    assert.ok(q.gains.size > 0, `${q.id} has relevant ids`);
    for (const [id, gain] of q.gains) {
      assert.equal(gain, 1);
      assert.ok(ids.has(id), `${id} is in the corpus`);
    }
  }
  const first = cacm.docs[0]!;
  assert.equal(first.id, 'cacm-1');
  assert.deepEqual(first.authors, ['Perlis, A. J.', 'Samelson,K.']);
  assert.equal(first.abstract, '');
});

test('CISI: 1,460 titled documents, 76 judged queries, every relevant id with gain 1 and in the corpus', () => {
  const cisi = loadCisi();
  assert.equal(cisi.docs.length, 1460);
  assert.equal(cisi.queries.length, 76);
  const ids = new Set(cisi.docs.map((d) => d.id));
  assert.equal(ids.size, 1460);
  assert.ok(cisi.docs.every((d) => d.title.length > 0));
  for (const q of cisi.queries) {
    assert.ok(q.gains.size > 0, `${q.id} has relevant ids`);
    for (const [id, gain] of q.gains) {
      assert.equal(gain, 1);
      assert.ok(ids.has(id), `${id} is in the corpus`);
    }
  }
});

test('CSFCube: 4,205 documents, 50 query papers in the corpus, grades 0-3', () => {
  const csf = loadCsfcube();
  assert.equal(csf.docs.length, 4205);
  assert.equal(csf.queries.length, 50);
  const ids = new Set(csf.docs.map((d) => d.id));
  assert.equal(ids.size, 4205);
  for (const q of csf.queries) {
    assert.ok(ids.has(q.queryPaperId), `${q.queryPaperId} is in the corpus`);
    assert.ok(['background', 'method', 'result'].includes(q.facet));
    assert.ok(
      [...q.gains.values()].some((g) => g > 0),
      `${q.id} has a relevant paper`,
    );
    for (const [id, grade] of q.gains) {
      assert.ok(Number.isInteger(grade) && grade >= 0 && grade <= 3, `${id} grade ${grade}`);
      assert.ok(ids.has(id), `${id} is in the corpus`);
    }
  }
  assert.ok(csf.docs.every((d) => d.authors.length === 0 && typeof d.title === 'string'));
});

test('--shared PATH: loads from another folder, and says what is missing or broken', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-eval-'));
  try {
    assert.throws(() => loadCacm(dir), /eval data not found: .*cacm.*--shared PATH/);
    const cacm = path.join(dir, 'eval', 'cacm');
    mkdirSync(cacm, { recursive: true });
    writeFileSync(path.join(cacm, 'corpus.jsonl'), '{"id":"d1","title":"T","authors":["A B"]}\n\n');
    writeFileSync(path.join(cacm, 'qrels.jsonl'), '{"query_id":"q1","query":"t","relevant_ids":["d1"]}\n');
    const loaded = loadCacm(dir);
    assert.deepEqual(loaded.docs, [{ id: 'd1', title: 'T', abstract: '', authors: ['A B'] }]);
    assert.deepEqual([...loaded.queries[0]!.gains], [['d1', 1]]);
    writeFileSync(path.join(cacm, 'qrels.jsonl'), '{"query_id":"q1",\n');
    assert.throws(() => loadCacm(dir), /qrels\.jsonl:1: invalid JSON/);
    const csf = path.join(dir, 'eval', 'csfcube');
    mkdirSync(csf, { recursive: true });
    writeFileSync(path.join(csf, 'corpus.jsonl'), '{"id":"p1","title":"T","abstract":"A"}\n');
    writeFileSync(path.join(csf, 'qrels.jsonl'), '{"query_id":"q","query_paper_id":"p1","graded":{"p2":"high"}}\n');
    assert.throws(() => loadCsfcube(dir), /grade of p2 is not a number/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
