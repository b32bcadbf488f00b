import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client, GatewayIntentBits } from 'discord.js';
import { commands } from '../../commands/index.ts';
import { discordUsage } from '../../src/adapters/discord/definitions.ts';
import { platformDeliveries } from '../../src/alert-deliveries.ts';
import { loadConfig } from '../../src/config.ts';
import { commandLineIn, parseCommandText } from '../../src/core/command-line.ts';
import { silentLogger } from '../../src/core/logger.ts';

test('GIVEN command lines as typed after /paper THEN they parse to the command and its main argument', () => {
  const random = parseCommandText(commands, 'random diffusion models');
  assert.equal(random.command.name, 'random');
  assert.deepEqual(random.options, { topic: 'diffusion models' });
  assert.equal(parseCommandText(commands, 'lora adapters').command.name, 'search');
  assert.equal(parseCommandText(commands, '  ').command.name, 'help');
});

test('GIVEN Discord syntax THEN a /paper line is written as Discord users type it; Slack lines stay', () => {
  assert.equal(
    commandLineIn(commands, '/paper subscriptions resume', discordUsage),
    '/paperboy subscriptions action:resume',
  );
  assert.equal(commandLineIn(commands, '/paper unsubscribe 3', discordUsage), '/paperboy-alerts unsubscribe id:3');
  assert.equal(commandLineIn(commands, '/paper unsubscribe 3', undefined), '/paper unsubscribe 3');
});

test("GIVEN the bot's Discord alert delivery THEN its notices name commands in Discord's syntax", async () => {
  const config = loadConfig({});
  const client = new Client({ intents: [GatewayIntentBits.Guilds] });
  try {
    const discord = platformDeliveries(config, { discord: client }, silentLogger).find((d) => d.platform === 'discord');
    assert.equal(discord?.commandLine?.('/paper subscriptions resume'), '/paperboy subscriptions action:resume');
  } finally {
    await client.destroy();
  }
});
