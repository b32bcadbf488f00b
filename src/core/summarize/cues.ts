/**
 * Cue phrases of scientific abstracts, as English scientific writing uses them (not fitted to any data set):
 * who did what ("we propose", "this paper studies"), and the words of results ("outperforms", "12%").
 */

// The paper's voice: "we", "this paper", "our work", then up to six words before the verb ("we also briefly …").
const SUBJECT = String.raw`\b(?:we|this (?:paper|work|study|article)|our (?:work|paper))\s+(?:[\w-]+,?\s+){0,6}?`;
const VERB_ENDING = String.raw`(?:e|es|ed|ing|y|ies|ied|s)?\b`;

/** The paper's voice followed by one of these verb stems ("propos" matches "we propose", "this paper proposes"). */
function spokenByThePaper(stems: string): RegExp {
  return new RegExp(`${SUBJECT}(?:${stems.split(/\s+/).join('|')})${VERB_ENDING}`, 'i');
}

/** The paper's own work: "we propose / introduce / study / address …", "this paper presents …". */
export const OWN_WORK = spokenByThePaper(
  'propos introduc present develop design build construct formulat devis creat releas curat offer provid ' +
    'stud investigat explor address describ revis rethink tackl analyz analys examin',
);
/** A finding the paper claims: "we show / demonstrate / prove / find that …". */
export const CLAIMS_FINDING = spokenByThePaper('show demonstrat prov find found observ establish argu reveal');
/** An opening that announces the paper's own part: "In this paper, …", "Here we …", "We …". */
export const OPENS_OWN_PART = /^(?:in this (?:paper|work|study|article)|here,? we|we )/i;

/**
 * How clearly a sentence states the paper's contribution: 1 ("we propose …"), 0.5 (a finding it claims, or an
 * opening in its own voice), else 0.
 */
export function contributionCue(sentence: string): number {
  if (OWN_WORK.test(sentence)) return 1;
  if (CLAIMS_FINDING.test(sentence) || OPENS_OWN_PART.test(sentence)) return 0.5;
  return 0;
}

// A result: a number with %, x or ×, or a word of improvement.
const RESULT_NUMBER = /(?<!\d)\d+(?:\.\d+)?\s?(?:%|x\b|×)/;
const RESULT_WORDS = [
  /\boutperform|\bachiev|\bimprov|\bsurpass|\bstate[- ]of[- ]the[- ]art\b|\bSOTA\b/,
  /\bbeat|\bgains?\b|\breduc|\bspeed ?up|\bfaster\b|\bconsistently\b/,
];
export const RESULT = new RegExp(`(${[RESULT_NUMBER, ...RESULT_WORDS].map((part) => part.source).join('|')})`, 'i');
export const RESULT_CUES = /\b(experiments?|results?|show|demonstrat|evaluat|empirical)/i;
