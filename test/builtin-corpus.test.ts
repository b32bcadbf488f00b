/** Where the 71 built-in papers go: into the bot's new database on its first start, and nowhere else unasked. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, test } from 'node:test';
import { runCli } from '../src/cli/main.ts';
import { silentLogger } from '../src/core/logger.ts';
import { builtinPaperCount, openPaperboy, type Paperboy } from '../src/paperboy.ts';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-builtin-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const open = (dbPath: string) => openPaperboy({ dbPath, logger: silentLogger, useWorker: false });
const allPapers = async (pb: Paperboy) => (await pb.papers.changedSince(0)).map((change) => change.paper);

test('GIVEN the bot starts on a new database THEN it loads the built-in papers once, marked as built-in', async () => {
  const dbPath = join(dir, 'bot.db');
  const first = await open(dbPath);
  assert.equal(first.seeded?.added, 71);
  assert.equal(await first.papers.count(), 71);
  assert.equal(await builtinPaperCount(first.papers), 71);
  assert.ok((await allPapers(first)).every((paper) => paper.source === 'builtin'));
  await first.close();
  const again = await open(dbPath);
  assert.equal(again.seeded, undefined);
  assert.equal(await again.papers.count(), 71);
  await again.close();
});

test('GIVEN a database the command line filled THEN the bot starting on it adds no built-in papers', async () => {
  const dbPath = join(dir, 'mine.db');
  const file = join(dir, 'mine.jsonl');
  writeFileSync(file, `${JSON.stringify({ id: 'c_1', title: 'Quokka Burrows', abstract: 'Quokkas dig.' })}\n`);
  const sink = { out: () => undefined, err: () => undefined };
  assert.equal(await runCli(['import', file, '--db', dbPath], sink, Readable.from([''])), 0);
  const bot = await open(dbPath);
  assert.equal(bot.seeded, undefined);
  assert.deepEqual(
    (await allPapers(bot)).map((paper) => paper.id),
    ['c_1'],
  );
  assert.equal(await builtinPaperCount(bot.papers), 0);
  await bot.close();
});
