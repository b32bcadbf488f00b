/**
 * The button stash: a key at once, while the card is built; the value stored before the reply leaves, so a click on
 * any instance sharing the database finds it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { commands } from '../../commands/index.ts';
import { ButtonStash, stashKey } from '../../src/core/button-stash.ts';
import { Dispatcher } from '../../src/core/dispatcher.ts';
import { createLogger, silentLogger } from '../../src/core/logger.ts';
import type { Services } from '../../src/core/services.ts';
import type { StashStore } from '../../src/core/store/store.ts';
import { openPaperboy } from '../../src/paperboy.ts';

const dir = mkdtempSync(join(tmpdir(), 'paperboy-stash-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A stash store whose writes finish only when the test says so. */
class SlowStore implements StashStore {
  readonly values = new Map<string, string>();
  private pending: (() => void)[] = [];
  fail = false;
  put(key: string, value: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push(() => {
        if (this.fail) return reject(new Error('database is gone'));
        this.values.set(key, value);
        resolve();
      });
    });
  }
  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }
  async deleteOlderThan(): Promise<number> {
    return 0;
  }
  finishWrites(): void {
    for (const finish of this.pending.splice(0)) finish();
  }
}

const LONG_QUERY = `"speculative decoding" ${'draft model verification '.repeat(8)}`.trim();

test(
  'GIVEN a value' + ' THEN its key is the same on every instance and known at once; get finds it while it is written',
  async () => {
    const store = new SlowStore();
    const stash = new ButtonStash(store, silentLogger);
    const key = stash.put(LONG_QUERY);
    assert.equal(key, stashKey(LONG_QUERY));
    assert.equal(new ButtonStash(new SlowStore(), silentLogger).put(LONG_QUERY), key, 'deterministic');
    assert.equal(await stash.get(key), LONG_QUERY, 'this instance knows it before the write lands');
    let settled = false;
    const waiting = stash.settled().then(() => {
      settled = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(settled, false, 'settled waits for the write');
    store.finishWrites();
    await waiting;
    assert.equal(store.values.get(key), LONG_QUERY);
  },
);

test('GIVEN a write that fails THEN settled still resolves and the failure is logged', async () => {
  const store = new SlowStore();
  store.fail = true;
  const lines: string[] = [];
  const stash = new ButtonStash(store, createLogger({ write: (line) => lines.push(line) }));
  stash.put(LONG_QUERY);
  store.finishWrites();
  await stash.settled();
  assert.ok(lines.some((line) => /could not keep a button value in the stash/.test(line)));
});

test('GIVEN a reply with a stashed button THEN the dispatcher answers only once the value is stored', async () => {
  const store = new SlowStore();
  const paper = {
    id: '2501.00001',
    title: 'Speculative Decoding',
    abstract: '',
    authors: [],
    categories: [],
    source: 't',
  };
  const services: Services = {
    papers: { get: async () => paper, count: async () => 1, randomId: async () => paper.id },
    search: {
      // A corrected query: the reply offers to search what was typed instead, and that long query is stashed.
      search: async () => ({
        hits: [{ paper, score: 1, matched: [], fields: [] }],
        total: 1,
        correctedQuery: 'speculative decoding',
      }),
      related: async () => ({ hits: [], total: 0 }),
      suggestTitles: async () => [],
      matchDates: async () => ({ total: 0, dates: [] }),
    },
    summarize: () => ({ tldr: '', keyTerms: [], links: [] }),
    stash: new ButtonStash(store, silentLogger),
  };
  const dispatcher = new Dispatcher({ commands, services, logger: silentLogger });
  const invoker = { platform: 'console' as const, userId: 'u', channelId: 'c' };
  const replying = dispatcher.runText(LONG_QUERY, invoker);
  const timeout = new Promise((resolve) => setTimeout(() => resolve('still waiting'), 30));
  assert.equal(await Promise.race([replying, timeout]), 'still waiting', 'the reply waits for the stash write');
  store.finishWrites();
  const reply = await replying;
  const key = JSON.stringify(reply).match(/pb:q!?:#([\w-]+)/)?.[1];
  assert.ok(key, 'the reply carries a stashed button');
  assert.equal(store.values.get(key), LONG_QUERY);
});

test(
  'GIVEN two instances on one database file WHEN a button made by one is clicked on the other' + ' THEN it works',
  async () => {
    const dbPath = join(dir, 'shared.db');
    const a = await openPaperboy({ dbPath, logger: silentLogger, useWorker: false });
    const b = await openPaperboy({ dbPath, logger: silentLogger, useWorker: false, builtinCorpus: false });
    try {
      const invoker = { platform: 'slack' as const, userId: 'U1', channelId: 'C1' };
      const reply = await a.dispatcher.runText(`${LONG_QUERY} diffusion`, invoker);
      const ids = JSON.stringify(reply).match(/pb:q\d*!?:#[\w-]+/g) ?? [];
      assert.ok(ids.length > 0, 'a paging button keeps its long query in the stash');
      const clicked = await b.dispatcher.runAction(ids[0]!, invoker);
      assert.doesNotMatch(clicked.fallback, /no longer valid/);
      assert.match(clicked.fallback, /speculative decoding|Results for|No (more )?(results|papers)/);
    } finally {
      await a.close();
      await b.close();
    }
  },
);
