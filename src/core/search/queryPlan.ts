/** Turns what the user typed (ParsedQuery) into a SearchPlan, expanding acronyms and spelling variants. */
import { parseQuery, type ParsedQuery, type TextField } from './queryParser.ts';
import type { Field } from './lunrIndex.ts';
import type { SearchPlan, PlanWord } from './plan.ts';

/** Expands a word or phrase into other ways of writing it (acronym ↔ long form, hyphen variants). */
export type Expander = (text: string) => string[];

const FIELD_OF: Record<TextField, Field> = { title: 'title', author: 'authors', abstract: 'abstract' };

export function planQuery(input: string, expand: Expander = () => []): SearchPlan {
  return planFromParsed(parseQuery(input), expand);
}

export function planFromParsed(parsed: ParsedQuery, expand: Expander = () => []): SearchPlan {
  const words: PlanWord[] = parsed.terms.map((term) => {
    const text = term.words.join(' ');
    const fields = term.field ? [FIELD_OF[term.field]] : undefined;
    // Author names are not acronyms; don't expand them.
    const alternatives = term.field === 'author' ? [] : expand(term.value).filter((alt) => alt !== text);
    return { text, fields, alternatives: alternatives.length ? alternatives : undefined };
  });
  return {
    words,
    phrases: parsed.phrases.map((phrase) => ({ text: phrase.words.join(' '), fields: phrase.field ? [FIELD_OF[phrase.field]] : undefined })),
    excludedWords: parsed.excludedTerms.map((term) => term.words.join(' ')),
    excludedPhrases: parsed.excludedPhrases.map((phrase) => phrase.words.join(' ')),
    since: parsed.filters.since,
    before: parsed.filters.before,
    categories: parsed.filters.categories,
    sort: parsed.sort,
    warnings: parsed.warnings,
    error: parsed.error,
  };
}
