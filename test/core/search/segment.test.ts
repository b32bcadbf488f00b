import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildLunrIndex } from '../../../src/core/search/lunrIndex.ts';

test('GIVEN a segment THEN each term\'s distinct documents equal a count over all its postings, before and after caching', () => {
  const docs = Array.from({ length: 60 }, (_, i) => ({
    id: `p${i}`,
    title: i % 3 === 0 ? `Speculative decoding ${i}` : `Diffusion models ${i}`,
    abstract: i % 2 === 0 ? 'Speculative decoding with draft models and diffusion.' : 'We study reward models.',
    authors: i % 5 === 0 ? 'Ada Decoding' : 'Alan Turing',
  }));
  const segment = buildLunrIndex(docs).segments[0]!;
  for (let id = 0; id < segment.terms.length; id++) {
    const seen = new Set<number>();
    for (let f = 0; f < 3; f++) for (let j = segment.start(id, f); j < segment.end(id, f); j++) seen.add(segment.postDocs[j]!);
    assert.equal(segment.distinctDocs(id), seen.size, segment.terms[id]);
    assert.equal(segment.distinctDocs(id), seen.size, `${segment.terms[id]} (cached)`);
  }
  const decod = segment.termId('decod');
  assert.ok(decod >= 0 && segment.distinctDocs(decod) > segment.end(decod, 0) - segment.start(decod, 0));
});
