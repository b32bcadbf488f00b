/**
 * A record's own id (not an arXiv id) survives the whole way: import → search --json → related → summary →
 * a button click in the console chat, and rendering on Slack and Discord, a long id through the button stash.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import { ConsoleChat } from '../../src/adapters/console/chat.ts';
import { type ButtonPaper, paperIdFromMessage } from '../../src/adapters/discord/paper-ref.ts';
import { renderReply as renderDiscord } from '../../src/adapters/discord/render.ts';
import { paperIdFromBlockId, renderReply as renderSlack } from '../../src/adapters/slack/render.ts';
import { runCli } from '../../src/cli/main.ts';
import { silentLogger } from '../../src/core/logger.ts';
import type { PaperCard } from '../../src/core/reply.ts';
import { openPaperboy, type Paperboy } from '../../src/paperboy.ts';

/** 150 characters with the characters a button id or block id might trip over: `:`, `#`, spaces. */
const LONG_ID = `urn:lab:corpus#set 7:${'quokka-'.repeat(18)}end`;
const TOPIC = 'Quokka burrows route foraging paths through dense scrub, and burrow networks share tunnels.';
const RECORDS: unknown[] = [
  { id: 'c_190473', title: 'Quokka Burrow Networks', abstract: `${TOPIC} We map burrow networks of quokkas.` },
  { id: '10.1145/3290605.QUOKKA', title: 'Quokka Foraging Paths', abstract: `${TOPIC} Foraging paths follow tunnels.` },
  { id: 'W2741809807', title: 'Tunnels of the Quokka', abstract: `${TOPIC} Tunnels join burrows in the scrub.` },
  { id: '649def34f8be52c8b66281af98ae884c09aef38b', title: 'Scrub Cover and Quokkas', abstract: TOPIC },
  { id: 190474, title: 'Quokka Burrow Depth', abstract: `${TOPIC} Deeper burrows keep quokkas cool.` },
  { id: LONG_ID, title: 'A Census of Quokka Burrows', abstract: `${TOPIC} We count burrows and quokkas.` },
  { title: 'Quokkas Without Ids', abstract: `${TOPIC} Records without ids keep a title-derived id.` },
  // The same paper again under another id: merged, and that id finds it.
  { id: 'dup-b', title: 'Quokka burrow networks!', abstract: `${TOPIC} We map burrow networks of quokkas.` },
  { id: '', title: 'Empty Id' },
  { id: 'tab\there', title: 'Control Characters' },
  { id: 'x'.repeat(201), title: 'Too Long' },
  { id: { nested: true }, title: 'Object Id' },
];

let dir: string;
let db: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-own-ids-'));
  db = join(dir, 'own.db');
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    [...args, '--db', db],
    { out: (l) => out.push(l), err: (l) => err.push(l) },
    Readable.from(['']),
  );
  return { code, out, err };
}

const ids = (lines: string[]) => lines.map((line) => (JSON.parse(line) as { id: string }).id);

test('GIVEN a JSONL with its own ids THEN import keeps them and names each unusable id by line and reason', async () => {
  const file = join(dir, 'own.jsonl');
  writeFileSync(file, `${RECORDS.map((r) => JSON.stringify(r)).join('\n')}\n`);
  const imported = await cli('import', file);
  assert.equal(imported.code, 0);
  const report = imported.out.join('\n');
  assert.match(report, /7 added, 1 updated, 0 unchanged, 4 skipped/);
  assert.match(report, /own\.jsonl:9: empty id$/m);
  assert.match(report, /own\.jsonl:10: id contains control characters or line breaks$/m);
  assert.match(report, /own\.jsonl:11: id longer than 200 characters \(201\)$/m);
  assert.match(report, /own\.jsonl:12: id is neither a string nor a number$/m);
  assert.match((await cli('import', file)).out[0]!, /: 0 added, 0 updated, 8 unchanged, 4 skipped/);
});

test("GIVEN those papers THEN search --json, related and summary use and accept the records' own ids", async () => {
  const found = await cli('search', 'quokka', '--json', '--limit', '20');
  assert.equal(found.code, 0);
  assert.deepEqual(ids(found.out).sort(), [
    '10.1145/3290605.quokka',
    '190474',
    '649def34f8be52c8b66281af98ae884c09aef38b',
    'W2741809807',
    'c_190473',
    ids(found.out).find((id) => id.startsWith('t-'))!,
    LONG_ID,
  ]);
  const related = await cli('related', 'c_190473', '--json', '--limit', '20');
  assert.equal(related.code, 0);
  assert.equal(related.out.length, 6, 'every other paper, not itself nor its merged copy');
  assert.ok(!ids(related.out).includes('c_190473'));
  assert.ok(ids(related.out).includes(LONG_ID));
  // The DOI as typed with capitals, as a link, the merged copy's id, a number and the long id: each its paper.
  for (const [reference, id] of [
    ['10.1145/3290605.Quokka', '10.1145/3290605.quokka'],
    ['https://doi.org/10.1145/3290605.QUOKKA', '10.1145/3290605.quokka'],
    ['dup-b', 'c_190473'],
    ['190474', '190474'],
    [LONG_ID, LONG_ID],
  ]) {
    const summary = await cli('summary', reference!, '--json');
    assert.equal(summary.code, 0, reference);
    assert.equal((JSON.parse(summary.out[0]!) as { id: string }).id, id, reference);
  }
  const missing = await cli('summary', '10.1145/not.here');
  assert.equal(missing.code, 1);
  assert.deepEqual(missing.err, ['Paper 10.1145/not.here is not in the corpus yet.']);
});

test('GIVEN the bot on that database THEN buttons carry the ids (a long one through the stash) and work', async () => {
  const pb: Paperboy = await openPaperboy({ dbPath: db, logger: silentLogger, useWorker: false });
  try {
    assert.equal(pb.seeded, undefined, 'a database with papers gets no built-in ones');
    const chat = new ConsoleChat(pb.dispatcher);
    const listed = await chat.handle('/paper related c_190473');
    const summaryButton = buttonUnder(listed, 'A Census of Quokka Burrows', 'Summary');
    const summary = (await chat.handle(String(summaryButton))).join('\n');
    assert.match(summary, /^1\. A Census of Quokka Burrows/m);
    assert.match(summary, /│ TL;DR: /);
    // The same click as ids: the long id went through the stash; the short one fits inline.
    const reply = await pb.dispatcher.runText('quokka census', { platform: 'console', userId: 'u', channelId: 'c' });
    const cards = reply.blocks.flatMap((block) => (block.kind === 'paper' ? [block.card] : []));
    const long = cards.find((card) => card.paperId === LONG_ID)!;
    assert.match(long.actions[0]!.id, /^pb:s:#[\w-]{16}$/);
    const short = (
      await pb.dispatcher.runText('related W2741809807', { platform: 'console', userId: 'u', channelId: 'c' })
    ).blocks
      .flatMap((block) => (block.kind === 'paper' ? [block.card] : []))
      .find((card) => card.paperId === 'c_190473')!;
    assert.equal(short.actions[1]!.id, 'pb:r:c_190473');
    const relisted = await chat.handle('/paper related c_190473');
    const related = await chat.handle(String(buttonUnder(relisted, 'Quokka Burrow Depth', 'Related')));
    assert.match(related.join('\n'), /Related to "Quokka Burrow Depth"/);
    // Slack and Discord read the paper back from the card they posted, whole.
    for (const card of [long, short]) {
      assert.equal(slackCardId(card), card.paperId);
      assert.equal(await discordCardId(card, (id) => pb.dispatcher.buttons.paperOf(id)), card.paperId);
    }
  } finally {
    pb.close();
  }
});

/** The number of the button labelled `label` under the card titled `title` in the console chat's output. */
function buttonUnder(lines: string[], title: string, label: string): number {
  const at = lines.findIndex((line) => /^\d+\. /.test(line) && line.includes(title));
  assert.ok(at >= 0, `no card "${title}" in:\n${lines.join('\n')}`);
  const buttons = lines.slice(at + 1).find((line) => line.trimStart().startsWith('['))!;
  const match = new RegExp(`\\[(\\d+)\\] ${label}\\b`).exec(buttons);
  assert.ok(match, `no ${label} button under "${title}"`);
  return Number(match[1]);
}

function slackCardId(card: PaperCard): string | undefined {
  const message = renderSlack({ blocks: [{ kind: 'paper', card }], visibility: 'public', fallback: 'x' });
  const shown = message.blocks.map((block) => ('text' in block ? JSON.stringify(block.text) : '')).join('');
  assert.ok(!shown.includes(card.paperId), 'no internal id in the text of the card');
  return paperIdFromBlockId(message.blocks[0]?.block_id);
}

/** Internal ids are not shown on the card: Discord reads the paper from its buttons (a long id through the stash). */
function discordCardId(card: PaperCard, paperOf: ButtonPaper): Promise<string | undefined> {
  const card12 = { ...card, upvotes: 12 };
  const rendered = renderDiscord({ blocks: [{ kind: 'paper', card: card12 }], visibility: 'public', fallback: 'x' });
  assert.ok(!JSON.stringify(rendered.embeds).includes(card.paperId), 'no internal id on the card');
  return paperIdFromMessage(
    { author: { id: 'bot' }, embeds: rendered.embeds, components: rendered.components },
    'bot',
    paperOf,
  );
}
