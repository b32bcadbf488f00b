/**
 * Buttons are declared by their commands (`Command.buttons`), and ids already posted keep their meaning:
 * the wire format (`pb:s:2503.20680`, page and literal flags, stash keys) is byte-compatible across upgrades.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commands } from '../../commands/index.ts';
import { decodeButtonId, MAX_ACTION_ID, type Stash } from '../../src/core/actions.ts';
import { CommandButtons } from '../../src/core/buttons.ts';
import type { Command } from '../../src/core/command.ts';
import { Dispatcher } from '../../src/core/dispatcher.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { textReply } from '../../src/core/reply.ts';
import type { Services } from '../../src/core/services.ts';

class MemoryStash implements Stash {
  readonly values = new Map<string, string>();
  put(value: string): string {
    const key = `k${this.values.size}`;
    this.values.set(key, value);
    return key;
  }
  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }
  async settled(): Promise<void> {}
}

// Ids exactly as earlier releases posted them, and what pressing each must run.
const POSTED: [id: string, command: string, options: Record<string, unknown>, replaces: boolean][] = [
  ['pb:s:2503.20680', 'summary', { paper: '2503.20680' }, false],
  ['pb:r:2503.20680', 'related', { paper: '2503.20680', page: 1 }, false],
  ['pb:r3:2503.20680', 'related', { paper: '2503.20680', page: 3 }, true],
  ['pb:x:2503.20680', 'related', { paper: '2503.20680', random: true }, false],
  ['pb:h:2503.20680', 'share', { paper: '2503.20680' }, false],
  ['pb:q2:lora adapter', 'search', { query: 'lora adapter', page: 2, literal: false }, true],
  ['pb:q!:lroa', 'search', { query: 'lroa', page: 1, literal: true }, true],
  ['pb:q12!:diffusion', 'search', { query: 'diffusion', page: 12, literal: true }, true],
  ['pb:u:7', 'unsubscribe', { id: '7' }, false],
];

test('GIVEN ids posted by earlier releases THEN each still runs the same command with the same options', async () => {
  const buttons = new CommandButtons(commands, new MemoryStash());
  for (const [id, command, options, replaces] of POSTED) {
    const pressed = await buttons.press(id);
    assert.ok(pressed, id);
    assert.equal(pressed.command.name, command, id);
    assert.deepEqual(pressed.options, options, id);
    assert.equal(pressed.replaces, replaces, id);
  }
});

test('GIVEN the verbs the commands declare THEN they encode to the same bytes as before', () => {
  const buttons = new CommandButtons(commands);
  const encoded = [
    buttons.id({ verb: 'summary', arg: '2503.20680' }),
    buttons.id({ verb: 'related', arg: '2503.20680' }),
    buttons.id({ verb: 'related', arg: '2503.20680', page: 3 }),
    buttons.id({ verb: 'random-related', arg: '2503.20680' }),
    buttons.id({ verb: 'share', arg: '2503.20680' }),
    buttons.id({ verb: 'search', arg: 'lora adapter', page: 2 }),
    buttons.id({ verb: 'search', arg: 'lroa', literal: true }),
    buttons.id({ verb: 'search', arg: 'diffusion', page: 12, literal: true }),
    buttons.id({ verb: 'unsubscribe', arg: '7' }),
  ];
  assert.deepEqual(
    encoded,
    POSTED.map(([id]) => id),
  );
  const codes = commands.flatMap((command) => Object.values(command.buttons ?? {}).map((spec) => spec.code));
  assert.deepEqual(
    codes.sort(),
    // a: ask (issue 24), b: library export (issue 24), n: 👎 Not for us, w: take a 👎 back (issue 23).
    ['a', 'b', 'h', 'k', 'l', 'n', 'q', 'r', 's', 'u', 'v', 'w', 'x'],
    'no code was added, dropped or changed by accident',
  );
});

test(
  'GIVEN a query too long for an id' + ' THEN it is stashed, the id stays within 100 characters and decodes',
  async () => {
    const stash = new MemoryStash();
    const buttons = new CommandButtons(commands, stash);
    const query = `"speculative decoding" ${'draft model verification '.repeat(8)}`.trim();
    const id = buttons.id({ verb: 'search', arg: query, page: 2 });
    assert.equal(id, 'pb:q2:#k0');
    assert.ok(id.length <= MAX_ACTION_ID);
    assert.deepEqual((await buttons.press(id))?.options, { query, page: 2, literal: false });
    // An id written by an earlier release against the same stash row reads the same.
    assert.deepEqual(await decodeButtonId('pb:q2:#k0', stash), { code: 'q', arg: query, page: 2, literal: false });
    // An argument that itself starts with # is stashed, so it is never read as a key.
    assert.equal(buttons.id({ verb: 'search', arg: '#k0' }), 'pb:q:#k1');
    assert.equal((await buttons.press('pb:q:#k1'))?.options.query, '#k0');
  },
);

test(
  'GIVEN unknown, forged or stale ids' + ' THEN nothing runs and the user is told the button is no longer valid',
  async () => {
    const ran: string[] = [];
    const spy = commands.map((command) => ({
      ...command,
      run: (ctx: Parameters<Command['run']>[0]) => {
        ran.push(command.name);
        return command.run(ctx);
      },
    }));
    const dispatcher = new Dispatcher({ commands: spy, services: fakeServices(), logger: silentLogger });
    const forged = [
      'pb:z:2503.20680', // no command declares z
      'pb:q:#missing', // a stash key that is not there
      'pb:S:2503.20680',
      'pb:s2503.20680',
      'pb::2503.20680',
      'garbage',
      '',
      `pb:s:${'1'.repeat(MAX_ACTION_ID)}`,
    ];
    for (const id of forged) {
      assert.equal(await dispatcher.buttons.press(id), undefined, id);
      const reply = await dispatcher.runAction(id, { platform: 'slack', userId: 'U1', channelId: 'C1' });
      assert.equal(reply.fallback, 'That button is no longer valid. Run the command again.', id);
    }
    assert.deepEqual(ran, []);
  },
);

test(
  'GIVEN a new command with its own button and mention' + ' THEN the dispatcher runs them with no other change',
  async () => {
    const seen: unknown[] = [];
    const cite: Command = {
      name: 'cite',
      description: 'A BibTeX entry',
      usage: '/paper cite <paper>',
      examples: ['/paper cite 2503.20680'],
      options: [{ name: 'paper', description: 'paper', type: 'string', required: true }],
      buttons: { cite: { code: 'c', label: 'Cite', options: ({ arg }) => ({ paper: arg, format: 'bibtex' }) } },
      threadMention: (words, paperId) => (/^cite\b/i.test(words) ? { paper: paperId, format: 'bibtex' } : undefined),
      run(ctx) {
        seen.push(ctx.options);
        return textReply(`@misc{${ctx.options.paper}}`);
      },
    };
    const dispatcher = new Dispatcher({
      commands: [...commands, cite],
      services: fakeServices(),
      logger: silentLogger,
    });
    const action = dispatcher.buttons.action({ verb: 'cite', arg: '2503.20680' });
    assert.deepEqual(action, { label: 'Cite', id: 'pb:c:2503.20680' });
    const invoker = { platform: 'console' as const, userId: 'you', channelId: 'console' };
    assert.equal((await dispatcher.runAction(action.id, invoker)).fallback, '@misc{2503.20680}');
    assert.equal((await dispatcher.runMention('cite please', invoker, '2503.20680')).fallback, '@misc{2503.20680}');
    assert.deepEqual(seen, [
      { paper: '2503.20680', format: 'bibtex' },
      { paper: '2503.20680', format: 'bibtex' },
    ]);
  },
);

test('GIVEN two commands declaring one verb or one code, or a bad code THEN the registry refuses at start', () => {
  const withButton = (name: string, verb: string, code: string): Command => ({
    name,
    description: name,
    usage: `/paper ${name}`,
    examples: [],
    options: [],
    buttons: { [verb]: { code, label: verb, options: () => ({}) } },
    run: () => textReply(name),
  });
  assert.throws(() => new CommandButtons([...commands, withButton('a', 'again', 's')]), /clashes with .*summary/);
  assert.throws(() => new CommandButtons([...commands, withButton('a', 'share', 'c')]), /clashes with .*share/);
  assert.throws(() => new CommandButtons([withButton('a', 'a', 'ab')]), /not one letter/);
  assert.throws(() => new CommandButtons(commands).id({ verb: 'nope', arg: '1' }), /declares the button "nope"/);
});

function fakeServices(): Services {
  return {
    papers: { get: async () => undefined, count: async () => 0, randomId: async () => undefined },
    search: {
      search: async () => ({ hits: [], total: 0 }),
      related: async () => ({ hits: [], total: 0 }),
      suggestTitles: async () => [],
      matchDates: async () => ({ total: 0, dates: [] }),
    },
    summarize: () => ({ tldr: '', keyTerms: [], links: [] }),
    stash: new MemoryStash(),
  };
}
