/** The Slack app manifest stays in step with the commands: Slack shows its usage hint while `/paper` is typed. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { commands } from '../../commands/index.ts';
import { SLASH_COMMAND } from '../../src/adapters/slack/listeners/commands.ts';
import { DEFAULT_COMMAND } from '../../src/core/dispatcher.ts';

const manifest = JSON.parse(readFileSync(new URL('../../slack/manifest.json', import.meta.url), 'utf8')) as {
  features: { slash_commands: { command: string; usage_hint: string }[] };
};

test('GIVEN the manifest THEN /paper is declared and its usage hint names every command', () => {
  const slash = manifest.features.slash_commands.find((c) => c.command === SLASH_COMMAND);
  assert.ok(slash, `${SLASH_COMMAND} is in the manifest`);
  const hinted = slash.usage_hint.split('|').map((part) => part.trim().split(' ')[0]);
  const names = commands.map((command) => command.name).filter((name) => name !== DEFAULT_COMMAND);
  assert.deepEqual(
    names.filter((name) => !hinted.includes(name)),
    [],
    `usage_hint: ${slash.usage_hint}`,
  );
  assert.equal(hinted[0], '[words]', 'a bare /paper <words> searches');
});
