/**
 * The Lunr index of the corpus and the only place that speaks Lunr: building, (de)serializing, analyzing
 * text the way the index did, and running clause lists built from cleaned tokens (never raw user text,
 * which makes `idx.search` throw on `foo:` or `~` and return everything on an empty query).
 */
import lunr from 'lunr';

export type Field = 'title' | 'abstract' | 'authors';
export const FIELDS: readonly Field[] = ['title', 'abstract', 'authors'];

/** Field boosts at build time: a word in the title says more about a paper than one in its abstract. */
export const FIELD_BOOSTS: Record<Field, number> = { title: 1.5, abstract: 1, authors: 1 };

export interface IndexDoc {
  id: string;
  title: string;
  abstract: string;
  authors: string;
}

export interface Clause {
  term: string;
  fields?: Field[];
  presence?: 'required' | 'optional' | 'prohibited';
  boost?: number;
  /** The term is already an index token (analyzed); skip the pipeline. */
  analyzed?: boolean;
  /** Match any token starting with the term (autocomplete). */
  prefix?: boolean;
}

export interface Scored {
  ref: string;
  score: number;
  /** Index tokens that matched, with the fields they matched in. */
  matched: Map<string, Field[]>;
}

const PRESENCE = {
  required: lunr.Query.presence.REQUIRED,
  optional: lunr.Query.presence.OPTIONAL,
  prohibited: lunr.Query.presence.PROHIBITED,
};

/** BM25 parameters (Lunr's defaults are k1 1.2, b 0.75). */
export const BM25 = { k1: 1.2, b: 0.75 };

export function buildLunrIndex(docs: Iterable<IndexDoc>): lunr.Index {
  return lunr(function () {
    this.k1(BM25.k1);
    this.b(BM25.b);
    this.ref('id');
    for (const field of FIELDS) this.field(field, { boost: FIELD_BOOSTS[field] });
    for (const doc of docs) this.add(doc);
  });
}

// The pipeline used at index time (trimmer, stop words, stemmer), applied to query words by hand so
// that `bert?` finds `bert` and stop words don't turn a query into "every document".
const queryPipeline = new lunr.Pipeline();
queryPipeline.add(lunr.trimmer, lunr.stopWordFilter, lunr.stemmer);

/** Text → index tokens, as the index analyzed documents. */
export function analyze(text: string): string[] {
  if (!text) return [];
  return queryPipeline.run(lunr.tokenizer(text)).map((token) => token.toString()).filter(Boolean);
}

/** One word → its index token, or undefined for stop words and punctuation. */
export function analyzeWord(word: string): string | undefined {
  return analyze(word)[0];
}

export class PaperIndex {
  constructor(readonly lunrIndex: lunr.Index) {}

  static fromJSON(json: object): PaperIndex {
    return new PaperIndex(lunr.Index.load(json));
  }

  toJSON(): object {
    return this.lunrIndex.toJSON();
  }

  get size(): number {
    // fieldVectors has one entry per (field, document).
    return Object.keys((this.lunrIndex as unknown as { fieldVectors: object }).fieldVectors).length / FIELDS.length;
  }

  private get inverted(): Record<string, Record<string, Record<string, unknown>> & { _index: number }> {
    return (this.lunrIndex as unknown as { invertedIndex: never }).invertedIndex;
  }

  has(token: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.inverted, token);
  }

  /** How many documents contain the token in any field. */
  docFreq(token: string): number {
    const posting = this.inverted[token];
    if (!posting) return 0;
    const refs = new Set<string>();
    for (const field of FIELDS) for (const ref of Object.keys(posting[field] ?? {})) refs.add(ref);
    return refs.size;
  }

  /** Index tokens within `distance` edits of a token. */
  fuzzy(token: string, distance: number): string[] {
    const tokenSet = (this.lunrIndex as unknown as { tokenSet: lunr.TokenSet }).tokenSet;
    // fromFuzzyString exists in lunr 2.3.9 but is missing from its type definitions.
    const TokenSet = lunr.TokenSet as unknown as { fromFuzzyString(s: string, d: number): lunr.TokenSet };
    return tokenSet.intersect(TokenSet.fromFuzzyString(token, distance)).toArray();
  }

  query(clauses: Clause[]): Scored[] {
    if (!clauses.some((clause) => clause.presence !== 'prohibited')) return [];
    const results = this.lunrIndex.query((q) => {
      for (const clause of clauses) {
        // Lunr tests `'fields' in clause`, so an undefined key would mean "no fields": only set what is given.
        q.term(clause.term, {
          ...(clause.fields ? { fields: clause.fields } : {}),
          presence: PRESENCE[clause.presence ?? 'optional'],
          boost: clause.boost ?? 1,
          usePipeline: !clause.analyzed && !clause.prefix,
          wildcard: clause.prefix ? lunr.Query.wildcard.TRAILING : lunr.Query.wildcard.NONE,
        });
      }
    });
    return results.map((result) => {
      const matched = new Map<string, Field[]>();
      for (const [term, fields] of Object.entries(result.matchData.metadata)) {
        matched.set(term, Object.keys(fields) as Field[]);
      }
      return { ref: result.ref, score: result.score, matched };
    });
  }
}
