/**
 * Slash-command definitions generated from the command list, and registration against the fake
 * Discord REST API: created once, a no-op while nothing changed, updated when something did.
 */

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type APIApplicationCommandOption, ApplicationCommandOptionType } from 'discord.js';
import { commands as realCommands } from '../../commands/index.ts';
import {
  buildDefinitions,
  type CommandDefinition,
  commandNameFor,
  discordUsage,
} from '../../src/adapters/discord/definitions.ts';
import { LIMITS } from '../../src/adapters/discord/limits.ts';
import { registerCommands, sameDefinitions } from '../../src/adapters/discord/register.ts';
import type { Command } from '../../src/core/command.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { FakeDiscord } from '../fakes/discord-api.ts';
import { createTestDispatcher } from '../fakes/discord-dispatcher.ts';
import { TEST_TOKEN } from '../fakes/discord-harness.ts';
import { defaultWorld } from '../fakes/discord-payloads.ts';

const world = defaultWorld();
const testCommands = createTestDispatcher().commands;
let fake: FakeDiscord;

before(async () => {
  fake = await new FakeDiscord(world).start();
});
after(async () => {
  await fake?.close();
});

/** A definition or one of its options, at any depth. */
type DefinitionItem = CommandDefinition | APIApplicationCommandOption;

/** The nested options of a definition or a sub-command (none for a leaf option). */
function optionsOf(item: DefinitionItem): APIApplicationCommandOption[] | undefined {
  return 'options' in item ? item.options : undefined;
}

function walk(
  definitions: readonly DefinitionItem[],
  visit: (item: DefinitionItem, depth: number) => void,
  depth = 0,
): void {
  for (const item of definitions) {
    visit(item, depth);
    const options = optionsOf(item);
    if (options) walk(options, visit, depth + 1);
  }
}

const isRequired = (option: APIApplicationCommandOption) => ('required' in option && option.required) ?? false;

test('GIVEN the command list THEN /paper searches, alert changes are /paperboy-alerts, the rest /paperboy', () => {
  const [paper, paperboy, alerts, ...more] = buildDefinitions(testCommands);
  assert.ok(paper && paperboy && alerts && !more.length, 'three definitions');
  assert.equal(paper.name, 'paper');
  const paperOptions = paper.options ?? [];
  assert.deepEqual(
    paperOptions.map((o) => [o.name, o.type, isRequired(o)]),
    [
      ['query', 3, true],
      ['page', 4, false],
    ],
  );
  const page = paperOptions[1];
  assert.ok(page?.type === ApplicationCommandOptionType.Integer, 'page is an integer option');
  assert.equal(page.min_value, 1);
  assert.equal(page.max_value, 50);
  assert.equal(paperboy.name, 'paperboy');
  const subcommands = paperboy.options ?? [];
  assert.deepEqual(
    subcommands.map((o) => o.name),
    ['random', 'related', 'summary', 'share', 'help'],
  );
  assert.equal(paperboy.default_member_permissions, undefined, 'everyone sees /paperboy');
  // Sub-commands share their top-level command's default_member_permissions: the alert changes have their own.
  assert.equal(alerts.name, 'paperboy-alerts');
  assert.deepEqual(
    alerts.options?.map((o) => o.name),
    ['subscribe'],
  );
  assert.equal(alerts.default_member_permissions, '16', 'Manage Channels');
  assert.deepEqual(alerts.contexts, [0], 'guild only');
  assert.equal(commandNameFor('paperboy-alerts', 'subscribe'), 'subscribe');
  assert.equal(
    discordUsage(testCommands.find((c) => c.name === 'subscribe')!, { topic: 'gans' }),
    '/paperboy-alerts subscribe topic:gans',
  );
  assert.ok(
    subcommands.every((o) => o.type === 1),
    'paperboy.options.every((o) => o.type === 1)',
  );
  const related = subcommands.find((o) => o.name === 'related');
  assert.ok(related?.type === ApplicationCommandOptionType.Subcommand, 'related is a sub-command');
  assert.deepEqual(related.options?.[0], {
    name: 'paper',
    description: 'arXiv id, link, or title words',
    required: true,
    type: 3,
    autocomplete: true,
  });
  assert.deepEqual(paper.contexts, [0], 'guild only');
  assert.equal(commandNameFor('paper', null), 'search');
  assert.equal(commandNameFor('paperboy', 'related'), 'related');
  assert.equal(commandNameFor('other', 'x'), undefined);
  assert.equal(discordUsage(testCommands.find((c) => c.name === 'related')!), '/paperboy related paper:…');
});

test("GIVEN the project's real commands THEN every definition respects Discord's limits", () => {
  const definitions = buildDefinitions(realCommands);
  assert.deepEqual(
    definitions.map((d) => [d.name, d.default_member_permissions ?? null]),
    [
      ['paper', null],
      ['paperboy', null],
      ['paperboy-alerts', '16'],
    ],
  );
  const subcommands = (name: string) => definitions.find((d) => d.name === name)?.options?.map((o) => o.name);
  assert.deepEqual(subcommands('paperboy-alerts'), ['subscribe', 'unsubscribe']);
  assert.ok(subcommands('paperboy')?.includes('subscriptions'), 'anyone may list what a channel follows');
  assert.ok(subcommands('paperboy')?.includes('library'), "the library's removal is checked per paper");
  walk(definitions, (item) => {
    assert.match(item.name, /^[-_a-z0-9]{1,32}$/, item.name);
    assert.ok(item.description.length >= 1 && item.description.length <= LIMITS.commandDescription, item.description);
    const options = optionsOf(item);
    if (options) {
      assert.ok(options.length <= LIMITS.commandOptions, 'item.options.length <= LIMITS.commandOptions');
      const required = options.map(isRequired);
      assert.deepEqual(
        required,
        [...required].sort((a, b) => Number(b) - Number(a)),
        `required options first in ${item.name}`,
      );
    }
    if ('choices' in item && item.choices) {
      assert.ok(!('autocomplete' in item && item.autocomplete), 'autocomplete and choices exclude each other');
    }
  });
});

test('GIVEN an over-long description or a bad name THEN it is cut to 100 characters, or refused', () => {
  const long: Command = { ...testCommands[1]!, name: 'long', description: 'word '.repeat(60) };
  const option = buildDefinitions([long])[0]!.options![0]!;
  assert.ok(option.description.length <= 100, 'definition.options[0].description.length <= 100');
  assert.ok(option.description.endsWith('…'), "definition.options[0].description.endsWith('…')");
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
  // /paper, /paperboy, /paperboy-alerts and the two message context menus (Summarize papers, Save to library).
  assert.equal(fake.registered.get(route)!.length, 5);

  const before = fake.requests.length;
  const second = await registerCommands(config, testCommands, silentLogger);
  assert.equal(second.status, 'unchanged');
  assert.deepEqual(
    fake.since(before).map((r) => r.method),
    ['GET'],
    'compared, not re-registered',
  );

  const changed = testCommands.map((c) =>
    c.name === 'help' ? { ...c, description: 'How to use paperboy, briefly' } : c,
  );
  const third = await registerCommands(config, changed, silentLogger);
  assert.equal(third.status, 'updated');
});

test('GIVEN no guild id THEN commands are registered globally', async () => {
  const config = { token: TEST_TOKEN, appId: world.appId, apiUrl: fake.apiUrl };
  const result = await registerCommands(config, realCommands, silentLogger);
  assert.equal(result.scope, 'global');
  assert.ok(
    fake.registered.has(`/applications/${world.appId}/commands`),
    `registered on /applications/${world.appId}/commands`,
  );
  assert.equal((await registerCommands(config, realCommands, silentLogger)).status, 'unchanged');
});

test('GIVEN what Discord returns (ids, versions, omitted defaults) THEN it compares equal to what we send', () => {
  const wanted = buildDefinitions(testCommands);
  const returned = wanted.map((d) => ({
    ...JSON.parse(JSON.stringify(d)),
    id: '1',
    application_id: world.appId,
    version: '2',
    default_member_permissions: d.default_member_permissions ?? null,
    nsfw: false,
    name_localizations: null,
    description_localizations: null,
  }));
  assert.equal(sameDefinitions(returned.reverse(), wanted), true);
  const renamed = returned.map((d) => ({ ...d, description: `${d.description}!` }));
  assert.equal(sameDefinitions(renamed, wanted), false);
  const openToAll = returned.map((d) => ({ ...d, default_member_permissions: null }));
  assert.equal(sameDefinitions(openToAll, wanted), false, 'a lost permission default is registered again');
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
