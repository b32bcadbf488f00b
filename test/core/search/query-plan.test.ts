import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planQuery } from '../../../src/core/search/query-plan.ts';
import { RELATED, relatedIndex } from '../../../src/core/search/related.ts';
import { buildSearchIndex } from '../../../src/core/search/search-index.ts';

test('GIVEN a short query with quotes THEN the quotes are an exact phrase', () => {
  const plan = planQuery('"speculative decoding" survey');
  assert.deepEqual(
    plan.phrases.map((p) => p.text),
    ['speculative decoding'],
  );
  assert.deepEqual(
    plan.words.map((w) => w.text),
    ['survey'],
  );
});

test(
  'GIVEN a query written as prose with quoted words ' +
    'THEN the quoted words join the other words instead of filtering',
  () => {
    const plan = planQuery('how can one check that a module "matches" the contexts in which it is used');
    assert.deepEqual(plan.phrases, []);
    assert.ok(plan.words.some((w) => w.text === 'matches'));
    assert.ok(plan.words.some((w) => w.text === 'module'));
  },
);

test(
  'GIVEN prose with a field-scoped quote ' + 'THEN that stays an exact phrase in its field (it is syntax, not prose)',
  () => {
    const plan = planQuery(
      'papers that explain how large language models are evaluated author:"geoffrey hinton" and "trained"',
    );
    assert.deepEqual(plan.phrases, [{ text: 'geoffrey hinton', fields: ['authors'] }]);
    assert.ok(plan.words.some((w) => w.text === 'trained'));
  },
);

test('GIVEN prose with an excluded phrase THEN the exclusion still applies', () => {
  const plan = planQuery('papers that explain how large language models are evaluated -"position paper"');
  assert.deepEqual(plan.excludedPhrases, ['position paper']);
});

test('GIVEN an index THEN related papers score it with full length normalization, sharing its segments', () => {
  const index = buildSearchIndex([{ id: 'a', title: 'Speculative decoding', abstract: 'Draft models.', authors: '' }]);
  const view = relatedIndex(index);
  assert.equal(view.scoring.b, RELATED.b);
  assert.notEqual(index.scoring.b, RELATED.b);
  assert.equal(view.segments, index.segments);
  assert.equal(relatedIndex(index), view);
});
