/**
 * No input can stall the bot: every regular expression in src/ and commands/ runs in linear time on hostile text.
 * The expressions are found by parsing the sources (test/support/regex-sources.ts), so a new one is covered the day
 * it is written: a literal is run as it stands, scanning every start position (`g`), which is the most any use of it
 * (test, exec, replace, split, match) can cost; one built at run time (`new RegExp`) must be in BUILT below, with the
 * code that runs it, or this test fails. Each run gets 40,000 characters (longer than a Slack message) made to
 * trigger backtracking, and must finish well under 50 ms: a quadratic expression takes seconds there, a linear one
 * well under a millisecond, so the bound is generous for a slow, busy machine and still tells the two apart.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { digest } from '../../commands/digest.ts';
import { random } from '../../commands/random.ts';
import { arxivReference, findArxivIds, findLinkedArxivIds } from '../../src/core/papers/ids.ts';
import { normalizeText } from '../../src/core/search/text-variants.ts';
import { CLAIMS_FINDING, OWN_WORK, RESULT } from '../../src/core/summarize/cues.ts';
import { type FoundRegex, regexesIn } from '../support/regex-sources.ts';
import { LONG, longHostileStrings } from './support.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Per run. Linear expressions take well under 1 ms on these strings; quadratic ones, seconds. */
const LIMIT_MS = 50;

/** Scans every start position: the most any use of the expression can cost. Sticky ones run where they stand. */
function scanning(regex: RegExp): (text: string) => unknown {
  if (regex.sticky) return (text) => regex.exec(text);
  const everywhere = regex.global ? regex : new RegExp(regex.source, `${regex.flags}g`);
  return (text) => text.replace(everywhere, '');
}

/**
 * Every `new RegExp(…)` in the sources, by file and where it is (the constant it is assigned to, or the function it is
 * in), and what runs the expression it builds: the exported expression itself, or the function that applies it.
 */
const BUILT: Record<string, (text: string) => unknown> = {
  'commands/digest.ts DIGEST_WORDS': (text) => [digest.mention?.(text), digest.threadMention?.(text, '2501.00001')],
  'commands/random.ts RANDOM_ABOUT': (text) => random.mention?.(text),
  // The bot's own mention: its id is a snowflake.
  'src/adapters/discord/handlers/message.ts mention': scanning(new RegExp(`<@!?${'1'.repeat(19)}>`, 'g')),
  'src/core/papers/ids.ts PAPER_LINK': findLinkedArxivIds,
  'src/core/papers/ids.ts ARXIV_REFERENCE': arxivReference,
  'src/core/papers/ids.ts findArxivIds': findArxivIds,
  'src/core/papers/ids.ts findArxivIds #2': findArxivIds,
  'src/core/search/text-variants.ts INVISIBLE': (text) => normalizeText(`é${text}`),
  'src/core/summarize/cues.ts spokenByThePaper': (text) => [scanning(OWN_WORK)(text), scanning(CLAIMS_FINDING)(text)],
  'src/core/summarize/cues.ts RESULT': scanning(RESULT),
};

/** Literals that are never applied to text themselves: only their source, inside an expression run above. */
const SOURCE_ONLY: Record<string, string> = {
  'commands/digest.ts /(?:\\s+(?:of\\s+)?(?:this|the)\\s+(?:thread|discussion|conversation))?/':
    'THREAD: only inside the anchored DIGEST_WORDS',
};

const keyOf = (found: FoundRegex) => `${found.file} ${found.kind === 'built' ? found.where : found.text}`;

function sourceRegexes(): FoundRegex[] {
  const found: FoundRegex[] = [];
  for (const folder of ['src', 'commands']) {
    for (const name of readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })) {
      if (!/\.(ts|mjs)$/.test(name)) continue;
      const path = join(ROOT, folder, name);
      found.push(...regexesIn(relative(ROOT, path).split(sep).join('/'), readFileSync(path, 'utf8')));
    }
  }
  return found;
}

const FOUND = sourceRegexes();
const HOSTILE = longHostileStrings();

/**
 * Runs `probe` on `text`; a run just over the limit is tried twice more (a pause for garbage collection is not slow
 * code), one far over it is not.
 */
function fastestRunMs(probe: (text: string) => unknown, text: string): number {
  const run = () => {
    const started = performance.now();
    probe(text);
    return performance.now() - started;
  };
  let fastest = run();
  for (let retry = 0; retry < 2 && fastest >= LIMIT_MS && fastest < 4 * LIMIT_MS; retry++)
    fastest = Math.min(fastest, run());
  return fastest;
}

/** What each expression (by pattern and flags: `/\s+/g` is in many files) did: undefined, or its slowest case. */
const verdicts = new Map<string, string | undefined>();

function slowness(found: FoundRegex): string | undefined {
  const key = found.kind === 'literal' ? found.text : keyOf(found);
  if (verdicts.has(key)) return verdicts.get(key);
  const probe = found.kind === 'literal' ? scanning(new RegExp(found.pattern, found.flags)) : BUILT[keyOf(found)];
  let verdict: string | undefined;
  for (const { name, text } of probe ? HOSTILE : []) {
    const ms = fastestRunMs(probe!, text);
    // One slow string is enough to show it; the others would only take seconds more each.
    if (ms >= LIMIT_MS) {
      verdict = `${name}: ${ms.toFixed(0)} ms`;
      break;
    }
  }
  verdicts.set(key, verdict);
  return verdict;
}

describe('the regex finder', () => {
  test('GIVEN a tiny source THEN it finds literals and built expressions, not comments, strings or divisions', () => {
    const source = [
      '// a comment with /not+$/ in it',
      "const s = 'a string /not+/ either';",
      'const half = total / 2 / count;',
      'const trim = /[.,]+$/gu;',
      "const built = new RegExp(word, 'i');",
      "const called = RegExp('x+');",
    ].join('\n');
    assert.deepEqual(regexesIn('tiny.ts', source), [
      { kind: 'literal', file: 'tiny.ts', line: 4, text: '/[.,]+$/gu', pattern: '[.,]+$', flags: 'gu' },
      { kind: 'built', file: 'tiny.ts', line: 5, text: "new RegExp(word, 'i')", where: 'built' },
      { kind: 'built', file: 'tiny.ts', line: 6, text: "RegExp('x+')", where: 'called' },
    ]);
  });

  test('GIVEN the sources THEN it finds their expressions, the quadratic one of issue 21 among them', () => {
    assert.ok(FOUND.length > 200, `${FOUND.length} expressions`);
    assert.ok(FOUND.some((f) => f.file === 'src/core/digest/paper-mentions.ts' && f.kind === 'literal'));
  });

  test('GIVEN the hostile strings THEN each is 40,000 characters', () => {
    for (const { name, text } of HOSTILE) assert.equal(text.length, LONG, name);
  });
});

describe('GIVEN every regular expression in src/ and commands/', () => {
  test('THEN each one built at run time is in the table with the code that runs it, and the table has no other', () => {
    const built = FOUND.filter((f) => f.kind === 'built').map(keyOf);
    assert.deepEqual(
      FOUND.filter((f) => f.kind === 'built' && !(keyOf(f) in BUILT)).map((f) => `${keyOf(f)}: ${f.text}`),
      [],
      'new expressions built at run time: add each to BUILT with what runs it',
    );
    assert.deepEqual(
      Object.keys(BUILT).filter((key) => !built.includes(key)),
      [],
      'BUILT names expressions no longer in the sources',
    );
    const literals = FOUND.filter((f) => f.kind === 'literal').map(keyOf);
    assert.deepEqual(
      Object.keys(SOURCE_ONLY).filter((key) => !literals.includes(key)),
      [],
      'SOURCE_ONLY names literals no longer in the sources',
    );
  });

  const byFile = new Map<string, FoundRegex[]>();
  for (const found of FOUND) byFile.set(found.file, [...(byFile.get(found.file) ?? []), found]);
  for (const [file, regexes] of byFile) {
    test(`WHEN those of ${file} run on 40,000 hostile characters THEN each run takes well under ${LIMIT_MS} ms`, () => {
      const slow: string[] = [];
      for (const found of regexes) {
        if (keyOf(found) in SOURCE_ONLY) continue;
        const problem = slowness(found);
        if (problem) slow.push(`line ${found.line} ${found.text.slice(0, 80)} on ${problem}`);
      }
      assert.deepEqual(slow, []);
    });
  }
});
