import assert from 'node:assert/strict';
import { appendFile, mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createInboxSource, createMemoryInboxStore } from '../../../src/core/sources/inbox.ts';

const SEED_PAGE = new URL('../../../../shared/seed/hf-papers-page.txt', import.meta.url);

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'paperboy-inbox-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Files get a fixed, old mtime so "still being written" never applies unless a test wants it. */
const OLD = new Date('2024-11-28T12:00:00Z');
const LATER = OLD.getTime() + 3_600_000;

async function folder(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    await writeFile(join(dir, file), text);
    await utimes(join(dir, file), OLD, OLD);
  }
  return dir;
}

const jsonl = [
  JSON.stringify({
    id: '2503.11731',
    title: 'Industrial-Grade Sensor Simulation via Gaussian Splatting',
    abstract: 'Sensor simulation.',
    authors: ['A B'],
    published: '2025-03-18',
  }),
  '{"title": broken',
  JSON.stringify({
    id: '2503.11742',
    title: 'Safe Vision-Language Models via Unsafe Weights Manipulation',
    abstract: 'VLMs.',
  }),
].join('\n');

test(
  'GIVEN JSONL, JSON and page-text files ' + 'THEN every paper is read, tagged inbox, problems name file and line',
  async () => {
    const seedPage = (await readFile(SEED_PAGE, 'utf8')).split('\n').slice(0, 40).join('\n');
    const dir = await folder('mixed', {
      'a-feed.jsonl': jsonl,
      'b-list.json': JSON.stringify([{ title: 'From a JSON array', abstract: 'x' }, { nope: 1 }]),
      'c-page.txt': seedPage,
      'notes.md': '# not a feed',
      '.hidden.jsonl': jsonl,
    });
    await mkdir(join(dir, 'sub.jsonl'));
    const source = createInboxSource({ dir, now: () => LATER });
    const batch = await source.fetch();
    assert.equal(batch.source, 'inbox');
    const titles = batch.papers.map((p) => p.title);
    assert.deepEqual(titles.slice(0, 3), [
      'Industrial-Grade Sensor Simulation via Gaussian Splatting',
      'Safe Vision-Language Models via Unsafe Weights Manipulation',
      'From a JSON array',
    ]);
    assert.ok(
      titles.includes('The Surprising Effectiveness of Skip-Tuning in Diffusion Sampling'),
      'the page-text importer ran on .txt',
    );
    assert.ok(batch.papers.every((p) => p.source === 'inbox'));
    assert.ok(batch.problems.some((p) => p.startsWith('a-feed.jsonl:2: malformed JSON')));
    assert.ok(batch.problems.some((p) => p.startsWith('b-list.json:2: ')));
    assert.ok(!batch.problems.some((p) => /notes\.md|hidden|sub\.jsonl/.test(p)));
  },
);

test('GIVEN a committed fetch THEN unchanged files are never read again; without commit they are', async () => {
  const dir = await folder('commit', { 'feed.jsonl': jsonl });
  const store = createMemoryInboxStore();
  const source = createInboxSource({ dir, store, now: () => LATER });
  const first = await source.fetch();
  assert.equal(first.papers.length, 2);
  const uncommitted = await source.fetch();
  assert.equal(uncommitted.papers.length, 2, 'a crash before commit re-reads the file: nothing missed');
  await uncommitted.commit();
  assert.deepEqual(store.entries.get('feed.jsonl')?.size, Buffer.byteLength(jsonl));
  const after = await source.fetch();
  assert.deepEqual(after.papers, []);
  assert.equal(after.notModified, true);
});

test('GIVEN a file that grows after it was processed THEN it is read again', async () => {
  const dir = await folder('grow', { 'feed.jsonl': jsonl });
  const source = createInboxSource({ dir, now: () => LATER });
  await (await source.fetch()).commit();
  await appendFile(join(dir, 'feed.jsonl'), `\n${JSON.stringify({ title: 'Appended later', abstract: 'new' })}`);
  await utimes(join(dir, 'feed.jsonl'), OLD, new Date(OLD.getTime() + 60_000));
  const batch = await source.fetch();
  assert.ok(batch.papers.some((p) => p.title === 'Appended later'));
});

test('GIVEN a file modified moments ago THEN it waits for the next round (it may still be being written)', async () => {
  const dir = await folder('fresh', { 'feed.jsonl': jsonl });
  let now = OLD.getTime() + 500;
  const source = createInboxSource({ dir, settleMs: 2000, now: () => now });
  const early = await source.fetch();
  assert.deepEqual(early.papers, []);
  now = OLD.getTime() + 5000;
  const settled = await source.fetch();
  assert.equal(settled.papers.length, 2);
});

test('GIVEN an oversized file THEN it is skipped with a problem, once', async () => {
  const dir = await folder('big', { 'huge.jsonl': jsonl });
  const source = createInboxSource({ dir, maxFileBytes: 100, now: () => LATER });
  const batch = await source.fetch();
  assert.deepEqual(batch.papers, []);
  assert.deepEqual(batch.problems, ['huge.jsonl: larger than 100 bytes, skipped']);
  await batch.commit();
  assert.deepEqual((await source.fetch()).problems, []);
});

test('GIVEN more files than the per-fetch limit THEN the rest come in the next round', async () => {
  const files: Record<string, string> = {};
  for (const n of [1, 2, 3]) files[`f${n}.jsonl`] = JSON.stringify({ title: `Paper ${n}`, abstract: 'a' });
  const dir = await folder('limit', files);
  const source = createInboxSource({ dir, maxFilesPerFetch: 2, now: () => LATER });
  const first = await source.fetch();
  assert.deepEqual(
    first.papers.map((p) => p.title),
    ['Paper 1', 'Paper 2'],
  );
  await first.commit();
  const second = await source.fetch();
  assert.deepEqual(
    second.papers.map((p) => p.title),
    ['Paper 3'],
  );
});

test('GIVEN a missing folder THEN the fetch reports it instead of throwing', async () => {
  const source = createInboxSource({ dir: join(root, 'does-not-exist') });
  const batch = await source.fetch();
  assert.deepEqual(batch.papers, []);
  assert.deepEqual(batch.problems, ['inbox folder cannot be read (ENOENT)']);
});

test('GIVEN an empty or paperless file THEN it says so', async () => {
  const dir = await folder('empty', { 'nothing.jsonl': '\n\n' });
  const batch = await createInboxSource({ dir, now: () => LATER }).fetch();
  assert.deepEqual(batch.problems, ['nothing.jsonl: no papers found']);
});
