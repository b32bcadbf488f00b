/**
 * Slash-command definitions generated from the command list, and registration against the fake
 * Discord REST API: created once, a no-op while nothing changed, updated when something did.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { FakeDiscord } from '../fakes/discord-api.ts';
import { defaultWorld } from '../fakes/discord-payloads.ts';
import { createTestDispatcher } from '../fakes/discord-dispatcher.ts';
import { TEST_TOKEN } from '../fakes/discord-harness.ts';
import { buildDefinitions, commandNameFor, discordUsage } from '../../src/adapters/discord/definitions.ts';
import { registerCommands, sameDefinitions } from '../../src/adapters/discord/register.ts';
import { LIMITS } from '../../src/adapters/discord/limits.ts';
import { silentLogger } from '../../src/core/logger.ts';
import type { Command } from '../../src/core/command.ts';
import { commands as realCommands } from '../../commands/index.ts';

const world = defaultWorld();
const testCommands = createTestDispatcher().commands;
let fake: FakeDiscord;

before(async () => {
  fake = await new FakeDiscord(world).start();
});
after(async () => {
  await fake?.close();
});

function walk(definitions: any[], visit: (item: any, depth: number) => void, depth = 0): void {
  for (const item of definitions) {
    visit(item, depth);
    if (item.options) walk(item.options, visit, depth + 1);
  }
}

test('GIVEN the command list THEN /paper searches and every other command is a /paperboy sub-command', () => {
  const [paper, paperboy] = buildDefinitions(testCommands) as any[];
  assert.equal(paper.name, 'paper');
  assert.deepEqual(paper.options.map((o: any) => [o.name, o.type, o.required ?? false]), [['query', 3, true], ['page', 4, false]]);
  assert.equal(paper.options[1].min_value, 1);
  assert.equal(paper.options[1].max_value, 50);
  assert.equal(paperboy.name, 'paperboy');
  assert.deepEqual(paperboy.options.map((o: any) => o.name), ['random', 'related', 'summary', 'share', 'subscribe', 'help']);
  assert.ok(paperboy.options.every((o: any) => o.type === 1), 'paperboy.options.every((o: any) => o.type === 1)');
  const related = paperboy.options.find((o: any) => o.name === 'related');
  assert.deepEqual(related.options[0], { name: 'paper', description: 'arXiv id, link, or title words', required: true, type: 3, autocomplete: true });
  assert.deepEqual(paper.contexts, [0], 'guild only');
  assert.equal(commandNameFor('paper', null), 'search');
  assert.equal(commandNameFor('paperboy', 'related'), 'related');
  assert.equal(commandNameFor('other', 'x'), undefined);
  assert.equal(discordUsage(testCommands.find((c) => c.name === 'related')!), '/paperboy related paper:…');
});

test('GIVEN the project\'s real commands THEN every definition respects Discord\'s limits', () => {
  const definitions = buildDefinitions(realCommands);
  assert.deepEqual(definitions.map((d) => d.name), ['paper', 'paperboy']);
  walk(definitions, (item) => {
    assert.match(item.name, /^[-_a-z0-9]{1,32}$/, item.name);
    assert.ok(item.description.length >= 1 && item.description.length <= LIMITS.commandDescription, item.description);
    if (item.options) {
      assert.ok(item.options.length <= LIMITS.commandOptions, 'item.options.length <= LIMITS.commandOptions');
      const required = item.options.map((o: any) => Boolean(o.required));
      assert.deepEqual(required, [...required].sort((a, b) => Number(b) - Number(a)), `required options first in ${item.name}`);
    }
    if (item.choices) assert.ok(!item.autocomplete, 'autocomplete and choices exclude each other');
  });
});

test('GIVEN an over-long description or a bad name THEN it is cut to 100 characters, or refused', () => {
  const long: Command = { ...testCommands[1]!, name: 'long', description: 'word '.repeat(60) };
  const definition = buildDefinitions([long])[0] as any;
  assert.ok(definition.options[0].description.length <= 100, 'definition.options[0].description.length <= 100');
  assert.ok(definition.options[0].description.endsWith('…'), 'definition.options[0].description.endsWith(\'…\')');
  assert.throws(() => buildDefinitions([{ ...long, name: 'Bad Name' }]), /lower-case/);
});

test('GIVEN no commands registered THEN registration creates them; run again THEN nothing is sent', async () => {
  const config = { token: TEST_TOKEN, appId: world.appId, guildId: world.guildId, apiUrl: fake.apiUrl };
  const route = `/applications/${world.appId}/guilds/${world.guildId}/commands`;
  const from = fake.requests.length;
  const first = await registerCommands(config, testCommands, silentLogger);
  assert.equal(first.status, 'created');
  assert.equal(first.scope, 'guild');
  const calls = fake.since(from).map((r) => `${r.method} ${r.path}`);
  assert.deepEqual(calls, [`GET ${route}`, `PUT ${route}`]);
  assert.equal(fake.registered.get(route)!.length, 2);

  const before = fake.requests.length;
  const second = await registerCommands(config, testCommands, silentLogger);
  assert.equal(second.status, 'unchanged');
  assert.deepEqual(fake.since(before).map((r) => r.method), ['GET'], 'compared, not re-registered');

  const changed = testCommands.map((c) => (c.name === 'help' ? { ...c, description: 'How to use paperboy, briefly' } : c));
  const third = await registerCommands(config, changed, silentLogger);
  assert.equal(third.status, 'updated');
});

test('GIVEN no guild id THEN commands are registered globally', async () => {
  const config = { token: TEST_TOKEN, appId: world.appId, apiUrl: fake.apiUrl };
  const result = await registerCommands(config, realCommands, silentLogger);
  assert.equal(result.scope, 'global');
  assert.ok(fake.registered.has(`/applications/${world.appId}/commands`), 'fake.registered.has(`/applications/${world.appId}/commands`)');
  assert.equal((await registerCommands(config, realCommands, silentLogger)).status, 'unchanged');
});

test('GIVEN what Discord returns (ids, versions, omitted defaults) THEN it compares equal to what we send', () => {
  const wanted = buildDefinitions(testCommands);
  const returned = wanted.map((d) => ({
    ...JSON.parse(JSON.stringify(d)),
    id: '1',
    application_id: world.appId,
    version: '2',
    default_member_permissions: null,
    nsfw: false,
    name_localizations: null,
    description_localizations: null,
  }));
  assert.equal(sameDefinitions(returned.reverse(), wanted), true);
  const renamed = returned.map((d) => ({ ...d, description: d.description + '!' }));
  assert.equal(sameDefinitions(renamed, wanted), false);
});

test('GIVEN the register CLI with config in the environment THEN it registers, then reports no change', async () => {
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  const run = promisify(execFile);
  const guildId = '1111111111111111111';
  const env = {
    PATH: process.env.PATH,
    DISCORD_TOKEN: TEST_TOKEN,
    DISCORD_APP_ID: world.appId,
    DISCORD_GUILD_ID: guildId,
    DISCORD_API_URL: fake.apiUrl,
    LOG_LEVEL: 'error',
  };
  const cli = ['--import', 'tsx', 'src/adapters/discord/register-cli.ts'];
  const first = await run(process.execPath, cli, { env, timeout: 30_000 });
  assert.match(first.stdout, new RegExp(`Slash commands created in server ${guildId}: /paper, /paperboy`));
  assert.ok(!first.stderr.includes(TEST_TOKEN) && !first.stdout.includes(TEST_TOKEN), 'the token is never printed');
  const second = await run(process.execPath, cli, { env, timeout: 30_000 });
  assert.match(second.stdout, /Slash commands unchanged/);
});
