/**
 * One line of setup for Discord integration tests: the fake Discord, the real client started against
 * it with a given dispatcher, and `interact()` (dispatch an interaction, resolve with its callback).
 */

import { type DiscordConfig, type RunningDiscord, startDiscord } from '../../src/adapters/discord/client.ts';
import type { Turns } from '../../src/adapters/turns.ts';
import type { Dispatcher } from '../../src/core/dispatcher.ts';
import { type Logger, silentLogger } from '../../src/core/logger.ts';
import type { WorkspaceEvents } from '../../src/core/workspaces.ts';
import { FakeDiscord, type RecordedRequest } from './discord-api.ts';
import { defaultWorld, type FakeWorld, type InteractionPayload } from './discord-payloads.ts';

/** Shaped like a bot token (three dot-separated parts) so the logger's redaction applies to it. */
export const TEST_TOKEN = 'MTQ1NzQ2OTQ4MzcyNjY2ODA0OA.fake.discord-test-token';

export interface DiscordHarness {
  world: FakeWorld;
  fake: FakeDiscord;
  bot: RunningDiscord;
  /** Dispatches INTERACTION_CREATE and resolves with the client's callback for it. */
  interact(payload: InteractionPayload): Promise<RecordedRequest>;
  close(): Promise<void>;
}

export async function startHarness(options: {
  world?: FakeWorld;
  dispatcher: Dispatcher;
  logger?: Logger;
  config?: Partial<DiscordConfig>;
  workspaces?: WorkspaceEvents;
  /** The work queue (default: the client's own). */
  turns?: Turns;
}): Promise<DiscordHarness> {
  const world = options.world ?? defaultWorld();
  const fake = await new FakeDiscord(world).start();
  const bot = await startDiscord(
    { token: TEST_TOKEN, appId: world.appId, apiUrl: fake.apiUrl, ...options.config },
    {
      dispatcher: options.dispatcher,
      logger: options.logger ?? silentLogger,
      turns: options.turns,
      ...(options.workspaces ? { workspaces: options.workspaces } : {}),
    },
  );
  return {
    world,
    fake,
    bot,
    interact(payload) {
      fake.dispatch('INTERACTION_CREATE', payload);
      return fake.waitFor((r) => r.path === `/interactions/${payload.id}/${payload.token}/callback`);
    },
    async close() {
      await bot.stop();
      await fake.close();
    },
  };
}
