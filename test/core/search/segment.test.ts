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
    "THEN each term's distinct documents (counted while building) equal a count over all its postings",
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
      for (let f = 0; f < 3; f++) for (const doc of segment.postings(id, f).docs) seen.add(doc);
      assert.equal(segment.distinctDocs(id), seen.size, segment.terms[id]);
    }
    const decod = segment.termId('decod');
    assert.ok(decod >= 0 && segment.distinctDocs(decod) > segment.postingCount(decod, 0));
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
          const { docs, tfs } = segment.postings(id, f);
          for (let j = 0; j < docs.length; j++) if (docs[j] === d) actual.set(segment.terms[id]!, tfs[j]!);
        }
        assert.deepEqual(actual, expected, `doc ${d} field ${f}`);
      });
    });
  },
);
