/**
 * The prompt behind generated TL;DRs (LLM_BASE_URL and LLM_MODEL set). The model is given the paper's title and
 * abstract and nothing else, and told to use nothing else, so a generated TL;DR can only restate what the abstract
 * says. Cached TL;DRs are keyed by a hash of the whole prompt: editing this text regenerates them.
 */

export interface TldrPrompt {
  /** The instructions (the chat's system message). */
  system: string;
  /** The paper (the chat's user message). */
  user: string;
}

const SYSTEM = [
  'You write TL;DRs of research papers for a research group chat.',
  'Use only the title and abstract you are given: no outside knowledge, no guesses, no numbers the abstract lacks.',
  'Write one sentence of at most 40 words: what the paper contributes and, when the abstract states it, its main',
  'result. Plain text only: no preamble, no quotes, no markdown, no "This paper".',
].join(' ');

export function tldrPrompt(paper: { title: string; abstract: string }): TldrPrompt {
  return { system: SYSTEM, user: `Title: ${paper.title}\n\nAbstract: ${paper.abstract}` };
}

const ANSWER_SYSTEM = [
  'You answer questions about a research paper for a research group chat.',
  'Use only the sentences quoted from the paper: no outside knowledge, no guesses, no numbers they lack.',
  'Answer in one or two sentences of at most 50 words. When the quotes do not answer the question, say that the',
  'abstract does not say. Plain text only: no preamble, no quotes, no markdown.',
].join(' ');

/** The prompt behind a generated answer: the title, the question and the sentences quoted for it, nothing else. */
export function answerPrompt(paper: { title: string }, question: string, quotes: readonly string[]): TldrPrompt {
  const quoted = quotes.map((quote, i) => `${i + 1}. ${quote}`).join('\n');
  return {
    system: ANSWER_SYSTEM,
    user: `Title: ${paper.title}\n\nQuestion: ${question}\n\nQuoted sentences:\n${quoted}`,
  };
}
