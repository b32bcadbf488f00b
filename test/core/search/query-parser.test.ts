import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  canonicalCategory,
  MAX_QUERY_CHARS,
  MAX_QUERY_WORDS,
  matchesFilters,
  type ParsedQuery,
  parsePeriod,
  parseQuery,
  QUERY_SYNTAX_HELP,
} from '../../../src/core/search/query-parser.ts';

/** No word or phrase to search for (the engine then lists by filters alone, or says so). */
const noWords = (q: ParsedQuery): boolean => q.terms.length === 0 && q.phrases.length === 0;

const values = (q: ParsedQuery, list: 'terms' | 'excludedTerms' = 'terms'): string[] =>
  q[list].map((t) => (t.field ? `${t.field}:${t.value}` : t.value));

// ---------------------------------------------------------------------------------------------------------
// Words and phrases

test('GIVEN plain words THEN they become lower-cased terms with punctuation trimmed', () => {
  const q = parseQuery('  LoRA,  adapters!  BERT?  (RLHF) ');
  assert.deepEqual(values(q), ['lora', 'adapters', 'bert', 'rlhf']);
  assert.deepEqual(q.terms[2], { raw: 'BERT?', value: 'bert', words: ['bert'] });
  assert.deepEqual(q.warnings, []);
  assert.equal(q.sort, 'relevance');
  assert.equal(noWords(q), false);
});

test('GIVEN a hyphenated word THEN one term keeps its parts for spacing variants', () => {
  const q = parseQuery('Low-Rank adaptation GPT-4o state–of–the–art');
  assert.deepEqual(q.terms[0], { raw: 'Low-Rank', value: 'low-rank', words: ['low', 'rank'] });
  assert.deepEqual(q.terms[2]?.words, ['gpt', '4o']);
  assert.deepEqual(q.terms[3]?.words, ['state', 'of', 'the', 'art']); // en dashes count as hyphens
});

test('GIVEN quoted text THEN it is an exact phrase; curly quotes and unclosed quotes work too', () => {
  const q = parseQuery('"Speculative Decoding" survey “low-rank adaptation” "kv cache');
  assert.deepEqual(q.phrases, [
    { raw: 'Speculative Decoding', words: ['speculative', 'decoding'] },
    { raw: 'low-rank adaptation', words: ['low', 'rank', 'adaptation'] },
    { raw: 'kv cache', words: ['kv', 'cache'] },
  ]);
  assert.deepEqual(values(q), ['survey']);
  // A phrase glued to words splits them off.
  assert.deepEqual(values(parseQuery('foo"bar baz"qux')), ['foo', 'qux']);
  // Empty and punctuation-only phrases are dropped.
  assert.deepEqual(parseQuery('"" "  " "?!"').phrases, []);
});

test('GIVEN -word and -"phrase" THEN they are exclusions; + is accepted', () => {
  const q = parseQuery('"speculative decoding" -survey -"position paper" +lora --draft');
  assert.deepEqual(values(q), ['lora']);
  assert.deepEqual(values(q, 'excludedTerms'), ['survey', 'draft']);
  assert.deepEqual(q.excludedPhrases, [{ raw: 'position paper', words: ['position', 'paper'] }]);
  assert.deepEqual(q.phrases, [{ raw: 'speculative decoding', words: ['speculative', 'decoding'] }]);
});

test('GIVEN a trailing * THEN the term is a prefix search (3+ characters, one word)', () => {
  const q = parseQuery('transform* ab* low-ran*');
  assert.deepEqual(
    q.terms.map((t) => [t.value, !!t.prefix]),
    [
      ['transform', true],
      ['ab', false],
      ['low-ran', false],
    ],
  );
});

test('GIVEN repeated words THEN they are kept once', () => {
  assert.deepEqual(values(parseQuery('lora LoRA lora? title:lora')), ['lora', 'title:lora']);
});

// ---------------------------------------------------------------------------------------------------------
// Fields

test('GIVEN title:, author:, authors:, abstract: THEN terms and phrases are scoped to that field', () => {
  const q = parseQuery(
    'title:LoRA author:hinton authors:"Geoffrey Hinton" abstract:reward AUTHOR:Bengio ti:x au:y abs:z',
  );
  assert.deepEqual(values(q), [
    'title:lora',
    'author:hinton',
    'abstract:reward',
    'author:bengio',
    'title:x',
    'author:y',
    'abstract:z',
  ]);
  assert.deepEqual(q.phrases, [{ raw: 'Geoffrey Hinton', words: ['geoffrey', 'hinton'], field: 'author' }]);
});

test('GIVEN a negated field THEN it is a scoped exclusion', () => {
  const q = parseQuery('diffusion -author:smith -title:"a survey"');
  assert.deepEqual(values(q, 'excludedTerms'), ['author:smith']);
  assert.deepEqual(q.excludedPhrases, [{ raw: 'a survey', words: ['a', 'survey'], field: 'title' }]);
});

test('GIVEN unknown field:value THEN it is just words; a bare known field: is ignored silently', () => {
  assert.deepEqual(values(parseQuery('foo:bar')), ['foo', 'bar']);
  assert.deepEqual(
    parseQuery('https://arxiv.org/abs/2401.12345').terms.map((t) => t.words),
    [['arxiv.org', 'abs', '2401.12345']],
  );
  for (const input of ['title:', 'author: ', 'title: lora', 'abstract:   ', 'title:""']) {
    const q = parseQuery(input);
    assert.deepEqual(q.warnings, [], input);
    assert.equal(q.error, undefined, input);
  }
  assert.deepEqual(values(parseQuery('title: lora')), ['lora']);
  assert.equal(noWords(parseQuery('title:')), true);
  assert.deepEqual(values(parseQuery('foo:')), ['foo']);
});

// ---------------------------------------------------------------------------------------------------------
// Filters and sort

test('GIVEN since:, before:, year: THEN they become inclusive/exclusive YYYY-MM-DD bounds', () => {
  assert.deepEqual(parseQuery('since:2025-06').filters, {
    since: '2025-06-01',
    categories: [],
    excludedCategories: [],
  });
  assert.deepEqual(parseQuery('since:2025').filters.since, '2025-01-01');
  assert.deepEqual(parseQuery('since:2025-06-15').filters.since, '2025-06-15');
  assert.deepEqual(parseQuery('before:2026').filters.before, '2026-01-01');
  assert.deepEqual(parseQuery('before:2025-12').filters.before, '2025-12-01');
  assert.deepEqual(parseQuery('before:2024-02-29').filters.before, '2024-02-29');
  const year = parseQuery('lora year:2025');
  assert.equal(year.filters.since, '2025-01-01');
  assert.equal(year.filters.before, '2026-01-01');
  assert.deepEqual(values(year), ['lora']);
  // Several bounds narrow the range.
  const narrow = parseQuery('year:2025 since:2025-06 before:2025-09-15');
  assert.deepEqual([narrow.filters.since, narrow.filters.before], ['2025-06-01', '2025-09-15']);
  assert.equal(noWords(narrow), true);
});

test('GIVEN invalid dates THEN they are ignored with a warning, never a throw', () => {
  const cases: [string, RegExp][] = [
    ['since:2025-13', /since:2025-13.*not a valid date/],
    ['since:2025-02-30', /since:2025-02-30/],
    ['before:2023-02-29', /before:2023-02-29/],
    ['since:yesterday', /since:yesterday/],
    ['year:2025-06', /year:2025-06.*a year like 2025/],
    ['since:0001', /since:0001/],
    ['-since:2025', /can't be negated/],
  ];
  for (const [input, warning] of cases) {
    const q = parseQuery(`lora ${input}`);
    assert.equal(q.filters.since, undefined, input);
    assert.equal(q.filters.before, undefined, input);
    assert.equal(q.warnings.length, 1, input);
    assert.match(q.warnings[0]!, warning);
    assert.deepEqual(values(q), ['lora']);
  }
  assert.match(parseQuery('since:2026 before:2025').warnings[0]!, /No date is both/);
  // Warnings never echo markup or mentions back.
  const hostile = parseQuery('since:<!channel>@everyone');
  assert.equal(hostile.warnings.length, 1);
  assert.doesNotMatch(hostile.warnings[0]!, /[<>!@]/);
});

test('GIVEN a period THEN parsePeriod gives its first day and the day after it', () => {
  assert.deepEqual(parsePeriod('2024-02'), { start: '2024-02-01', end: '2024-03-01' });
  assert.deepEqual(parsePeriod('2025-12'), { start: '2025-12-01', end: '2026-01-01' });
  assert.deepEqual(parsePeriod('2025-12-31'), { start: '2025-12-31', end: '2026-01-01' });
  assert.deepEqual(parsePeriod('2025/6/5'), { start: '2025-06-05', end: '2025-06-06' });
  assert.equal(parsePeriod('2025-00'), undefined);
  assert.equal(parsePeriod('25-06'), undefined);
  assert.equal(parsePeriod(''), undefined);
});

test('GIVEN cat: THEN categories are canonical, case-insensitive, comma lists and exclusions work', () => {
  const q = parseQuery('cat:cs.cl,STAT.ml cat:cs.CL -cat:cs.CV cat:physics.comp-ph cat:cs');
  assert.deepEqual(q.filters.categories, ['cs.CL', 'stat.ML', 'physics.comp-ph', 'cs']);
  assert.deepEqual(q.filters.excludedCategories, ['cs.CV']);
  assert.equal(noWords(q), true);
  assert.match(parseQuery('cat:<@U123>').warnings[0]!, /not a category/);
  assert.equal(canonicalCategory('q-bio.NC'), 'q-bio.NC');
  assert.equal(canonicalCategory('cs.'), undefined);
  const many = parseQuery(
    Array.from({ length: 30 }, (_, i) =>
      `cat:x${String.fromCharCode(97 + (i % 26))}${i}`.replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!),
    ).join(' '),
  );
  assert.equal(many.filters.categories.length, 20);
  assert.match(many.warnings.join(' '), /first 20 categories/);
});

test('GIVEN filters THEN matchesFilters applies dates and categories', () => {
  const { filters } = parseQuery('since:2025-06 before:2026 cat:cs.CL,cs.LG -cat:cs.CV');
  assert.equal(matchesFilters(filters, { published: '2025-06-01', categories: ['cs.CL'] }), true);
  assert.equal(matchesFilters(filters, { published: '2025-05-31', categories: ['cs.CL'] }), false);
  assert.equal(matchesFilters(filters, { published: '2026-01-01', categories: ['cs.CL'] }), false);
  assert.equal(matchesFilters(filters, { published: '2025-07-01', categories: ['cs.AI'] }), false);
  assert.equal(matchesFilters(filters, { published: '2025-07-01', categories: ['cs.lg', 'cs.CV'] }), false);
  assert.equal(matchesFilters(filters, { categories: ['cs.CL'] }), false); // no date, date filter set
  const archive = parseQuery('cat:cs').filters;
  assert.equal(matchesFilters(archive, { categories: ['cs.RO'] }), true);
  assert.equal(matchesFilters(archive, { categories: ['csx.RO', 'stat.ML'] }), false);
  assert.equal(matchesFilters(parseQuery('lora').filters, { categories: [] }), true);
});

test('GIVEN sort: THEN new or relevance; anything else warns', () => {
  assert.equal(parseQuery('lora sort:new').sort, 'new');
  assert.equal(parseQuery('lora sort:NEWEST').sort, 'new');
  assert.equal(parseQuery('lora sort:new sort:relevance').sort, 'relevance');
  const bad = parseQuery('lora sort:sideways');
  assert.equal(bad.sort, 'relevance');
  assert.match(bad.warnings[0]!, /sort:new or sort:relevance/);
  const sorted = parseQuery('sort:new lora');
  assert.deepEqual([values(sorted), sorted.sort], [['lora'], 'new']);
});

// ---------------------------------------------------------------------------------------------------------
// Hostile input and caps

test('GIVEN the inputs that make Lunr throw THEN parseQuery returns cleanly', () => {
  const inputs = [
    'foo:',
    'title:',
    '~',
    'x~',
    'x~2',
    'x^',
    'x^10',
    '-',
    '+',
    '- +',
    'bert?',
    '*',
    '"',
    '""',
    '"""',
    ':',
    '::',
    'a:b:c',
    '\u200B',
    '\u200B\u200C\u200D\uFEFF',
    '🚀',
    '🚀 lora 🚀',
    'שלום עולם',
    'مرحبا بالعالم',
    '\u202Elora\u202C',
    '¿qué?',
    '«lora»',
    '…',
    '—',
    '·•·',
    '<!channel> <@U123> <https://evil|x> @everyone',
    '\u0000\u0001\u001F',
    '\uD800',
    '\uDC00x',
    'lo\u0301ra',
    '％ＬｏＲＡ',
  ];
  for (const input of inputs) {
    const q = parseQuery(input);
    assert.ok(Array.isArray(q.terms), input);
    assert.equal(q.error, undefined, input);
  }
  assert.deepEqual(values(parseQuery('x^10 y~2 bert?')), ['x-10', 'y-2', 'bert']);
  assert.deepEqual(values(parseQuery('lo\u200Bra ＬｏＲＡ')), ['lora']);
  assert.deepEqual(values(parseQuery('<!channel> <@U123>')), ['channel', 'u123']);
  assert.equal(noWords(parseQuery('🚀 ~ ^ - + * "')), true);
  assert.equal(parseQuery(undefined as unknown as string).terms.length, 0);
});

test('GIVEN a query over the character cap THEN it is refused with a clear error and no clauses', () => {
  const long = 'lora '.repeat(1000);
  assert.ok(long.length > MAX_QUERY_CHARS);
  const q = parseQuery(long);
  assert.match(q.error!, /5,000 characters long; the limit is 4,000/);
  assert.equal(noWords(q), true);
  assert.deepEqual(q.warnings, []);
  assert.equal(parseQuery('x'.repeat(MAX_QUERY_CHARS)).error, undefined);
});

test('GIVEN 4,000 characters of words THEN at most 64 words are kept, with a warning', () => {
  const words = Array.from({ length: 800 }, (_, i) => `w${i.toString(36)}`)
    .join(' ')
    .slice(0, MAX_QUERY_CHARS);
  const q = parseQuery(words);
  assert.equal(q.terms.length, MAX_QUERY_WORDS);
  assert.match(q.warnings.join(' '), /first 64 words/);
  const phrase = parseQuery(`"${'word '.repeat(700)}"`);
  assert.equal(phrase.phrases[0]?.words.length, MAX_QUERY_WORDS);
  const giant = parseQuery(`${'a'.repeat(3000)} lora`);
  assert.deepEqual(values(giant), ['lora']);
  assert.match(giant.warnings[0]!, /longer than 64 characters/);
  // Filters after the cap still count.
  assert.equal(parseQuery(`${words.slice(0, 3900)} sort:new`).sort, 'new');
});

test('GIVEN the help text THEN it documents every operator', () => {
  for (const operator of [
    '"',
    '-',
    'title:',
    'author:',
    'abstract:',
    'since:',
    'before:',
    'year:',
    'cat:',
    'sort:new',
    '*',
  ]) {
    assert.ok(QUERY_SYNTAX_HELP.includes(operator), operator);
  }
});

test('GIVEN the help text THEN it says how names, short queries and long questions are ranked (issue 13)', () => {
  assert.match(QUERY_SYNTAX_HELP, /lisa: the paper named so \(LISA: …\)/);
  assert.match(QUERY_SYNTAX_HELP, /all these words first/);
  assert.match(QUERY_SYNTAX_HELP, /6\+ words is ranked over all its words: its opening request/);
});

// ---------------------------------------------------------------------------------------------------------
// Properties

const queryPiece = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      '"',
      '-',
      '+',
      ':',
      '*',
      '~',
      '^',
      '?',
      ' ',
      '  ',
      '\u200B',
      '\u2014',
      '“',
      '”',
      'title:',
      'author:',
      'authors:',
      'abstract:',
      'since:',
      'before:',
      'year:',
      'cat:',
      'sort:',
      'sort:new',
      'foo:',
      '2025',
      '2025-06',
      '2025-13',
      'cs.CL',
      'lora',
      'Low-Rank',
      'RLHF',
      '🚀',
      'שלום',
      'é',
      '\uD800',
      '<!channel>',
      '-"',
      'x^2',
      'bert?',
    ),
  },
);
const queryLike = fc.array(queryPiece, { maxLength: 40 }).map((parts) => parts.join(''));

test('PROPERTY: parseQuery never throws, whatever the string', () => {
  fc.assert(
    fc.property(fc.oneof(queryLike, fc.string({ unit: 'binary', maxLength: 300 })), (input) => {
      const q = parseQuery(input);
      assert.ok(q.warnings.length <= 10);
      const words = [...q.terms, ...q.excludedTerms, ...q.phrases, ...q.excludedPhrases].reduce(
        (n, c) => n + c.words.length,
        0,
      );
      assert.ok(words <= MAX_QUERY_WORDS);
      for (const t of [...q.terms, ...q.excludedTerms]) assert.ok(t.words.length > 0 && t.value === t.words.join('-'));
      for (const p of [...q.phrases, ...q.excludedPhrases]) assert.ok(p.words.length > 0);
    }),
    { numRuns: 1500 },
  );
});

test('PROPERTY: 4,000-character hostile inputs parse within the caps', () => {
  fc.assert(
    fc.property(fc.array(queryPiece, { minLength: 400, maxLength: 800 }), (parts) => {
      const input = parts.join('').slice(0, MAX_QUERY_CHARS);
      const q = parseQuery(input);
      assert.equal(q.error, undefined);
      assert.ok(q.terms.length + q.excludedTerms.length <= MAX_QUERY_WORDS);
    }),
    { numRuns: 60 },
  );
});
