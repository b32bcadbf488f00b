import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  abstractsAgree,
  authorsCompatible,
  contentId,
  isDistinctiveTitle,
  sameByTitle,
  surname,
} from '../../../src/core/papers/duplicates.ts';
import type { Paper } from '../../../src/core/papers/paper.ts';

function paper(fields: Partial<Paper>): Paper {
  return { id: 'x', title: '', abstract: '', authors: [], categories: [], source: 'test', ...fields };
}

test('GIVEN titles THEN only distinctive ones may merge records', () => {
  for (const title of ['Attention Is All You Need', 'A Theory of Adaptive Pattern Classifiers'])
    assert.equal(isDistinctiveTitle(title), true, title);
  for (const title of [
    '',
    '—',
    'Sorting',
    'On Sorting',
    'Introduction',
    'INTRODUCTION.',
    'Reply to Comments',
    'Letters to the Editor',
    'Editorial',
    'Comment on "Attention Is All You Need"',
    'Erratum: Attention Is All You Need',
    'Response to the reviewers of our earlier paper',
  ])
    assert.equal(isDistinctiveTitle(title), false, title);
});

test('GIVEN author lists THEN they are compatible when one is empty or they share a surname', () => {
  assert.equal(surname('Lovelace, Ada'), 'lovelace');
  assert.equal(surname('Ada Lovelace'), 'lovelace');
  assert.equal(surname('A. Lovelace Jr.'), 'lovelace');
  assert.equal(surname('Gödel, K.'), 'godel');
  assert.equal(authorsCompatible([], ['Turing, A. M.']), true);
  assert.equal(authorsCompatible(['Alan M. Turing', 'C. Strachey'], ['Strachey, C.']), true);
  assert.equal(authorsCompatible(['Amari, S.'], ['Nilsson, N. J.']), false);
});

test('GIVEN abstracts THEN they agree when one is empty or they are clearly the same text', () => {
  const full =
    'We propose a new simple network architecture, the Transformer, based solely on attention mechanisms, ' +
    'dispensing with recurrence and convolutions entirely.';
  assert.equal(abstractsAgree('', full), true);
  assert.equal(abstractsAgree(full.slice(0, 60), full), true, 'a truncated copy');
  assert.equal(abstractsAgree(full.replace('new simple', 'simple new'), full), true, 'lightly edited');
  assert.equal(abstractsAgree(full, full.toUpperCase()), true);
  assert.equal(abstractsAgree('We propose a new method for sorting lists in place.', full), false);
  assert.equal(abstractsAgree('Sorting.', full), false);
  assert.equal(abstractsAgree('Transformer', full), true, 'a word the other holds as it stands');
});

test('GIVEN two records with one title THEN the title rule needs compatible authors, agreeing abstracts, no id conflict', () => {
  const title = 'A Theory of Adaptive Pattern Classifiers';
  const a = paper({ title, authors: ['Amari, S.'], abstract: 'Classifiers adapt by gradient steps on each sample.' });
  assert.equal(sameByTitle(a, paper({ title: `${title}.` })), true);
  assert.equal(sameByTitle(a, paper({ title, authors: ['Nilsson, N. J.'] })), false);
  assert.equal(sameByTitle(a, paper({ title, abstract: 'Linear machines and how to train them.' })), false);
  assert.equal(sameByTitle(paper({ ...a, doi: '10.1/a' }), paper({ title, doi: '10.1/b' })), false);
  assert.equal(sameByTitle(paper({ ...a, arxivId: '2501.00001' }), paper({ title, arxivId: '2501.00002' })), false);
  assert.equal(sameByTitle(paper({ title: 'Introduction' }), paper({ title: 'Introduction' })), false);
  // Two ids of one catalogue are two records; ids of two catalogues may be one paper.
  assert.equal(sameByTitle(paper({ ...a, id: 'cacm-140' }), paper({ ...a, id: 'cacm-152' })), false);
  assert.equal(sameByTitle(paper({ ...a, id: 'cacm-140' }), paper({ ...a, id: 'W2741809807' })), true);
  assert.equal(sameByTitle(paper({ ...a, id: '57570672' }), paper({ ...a, id: '5120787' })), false);
});

test('GIVEN records without ids THEN the content id tells apart what the title cannot', () => {
  const title = 'Introduction';
  assert.equal(contentId(paper({ title })), contentId(paper({ title: 'INTRODUCTION' })));
  assert.notEqual(contentId(paper({ title })), contentId(paper({ title, authors: ['Knuth, D. E.'] })));
  assert.notEqual(contentId(paper({ abstract: 'One note.' })), contentId(paper({ abstract: 'Another note.' })));
  assert.match(contentId(paper({ title })), /^t-[0-9a-f]{12}$/);
});
