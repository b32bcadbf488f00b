import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeToken, rawTokens } from '../../../src/core/search/compact/analyzer.ts';
import { buildSearchIndex } from '../../../src/core/search/search-index.ts';

/** Terms exactly as lunr.Builder#add indexes a field (including Lunr's '' terms, which count in field lengths). */
function indexTerms(text: string): string[] {
  const out: string[] = [];
  for (const raw of rawTokens(text)) {
    const term = analyzeToken(raw);
    if (term !== null) out.push(term);
  }
  return out;
}

test(
  'GIVEN a segment ' +
    "THEN each term's distinct documents equal a count over all its postings, before and after caching",
  () => {
    const docs = Array.from({ length: 60 }, (_, i) => ({
      id: `p${i}`,
      title: i % 3 === 0 ? `Speculative decoding ${i}` : `Diffusion models ${i}`,
      abstract: i % 2 === 0 ? 'Speculative decoding with draft models and diffusion.' : 'We study reward models.',
      authors: i % 5 === 0 ? 'Ada Decoding' : 'Alan Turing',
    }));
    const segment = buildSearchIndex(docs).segments[0]!;
    for (let id = 0; id < segment.terms.length; id++) {
      const seen = new Set<number>();
      for (let f = 0; f < 3; f++)
        for (let j = segment.start(id, f); j < segment.end(id, f); j++) seen.add(segment.postDocs[j]!);
      assert.equal(segment.distinctDocs(id), seen.size, segment.terms[id]);
      assert.equal(segment.distinctDocs(id), seen.size, `${segment.terms[id]} (cached)`);
    }
    const decod = segment.termId('decod');
    assert.ok(decod >= 0 && segment.distinctDocs(decod) > segment.end(decod, 0) - segment.start(decod, 0));
  },
);

test(
  'GIVEN ASCII and non-ASCII text ' +
    "THEN every field indexes exactly the terms and frequencies of indexTerms (Lunr's tokenizer and pipeline)",
  () => {
    const texts = [
      'Low-Rank Adaptation (LoRA)\tfor LLMs; THE model\'s "quoted" x.y  --  a-b-c',
      'İstanbul ÇALIŞMA — Low-Rank\u00a0Adaptation, naïve café\u2028line',
      'UPPER lower MiXeD\r\nnew-line\vvertical\fform',
      '',
      '   - -- ---   ',
    ];
    const docs = texts.map((text, i) => ({
      id: `d${i}`,
      title: text,
      abstract: texts[(i + 1) % texts.length]!,
      authors: texts[(i + 2) % texts.length]!,
    }));
    const segment = buildSearchIndex(docs).segments[0]!;
    docs.forEach((doc, d) => {
      [doc.title, doc.abstract, doc.authors].forEach((text, f) => {
        const expected = new Map<string, number>();
        for (const term of indexTerms(text)) expected.set(term, (expected.get(term) ?? 0) + 1);
        const actual = new Map<string, number>();
        for (let id = 0; id < segment.terms.length; id++) {
          for (let j = segment.start(id, f); j < segment.end(id, f); j++)
            if (segment.postDocs[j] === d) actual.set(segment.terms[id]!, segment.postTf[j]!);
        }
        assert.deepEqual(actual, expected, `doc ${d} field ${f}`);
      });
    });
  },
);
