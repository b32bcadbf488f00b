/** The real Bolt app in HTTP mode on 127.0.0.1 against a fake Slack Web API, as the integration tests start it. */
import { type SlackConfig, type SlackHandle, startSlack } from '../../src/adapters/slack/app.ts';
import type { Dispatcher } from '../../src/core/dispatcher.ts';
import type { FakeSlackApi } from '../fakes/slack-api.ts';
import { CaptureLogger } from '../fakes/slack-logger.ts';

export interface SlackHttpBot {
  handle: SlackHandle;
  /** Where signed events, commands and actions are POSTed. */
  eventsUrl: string;
}

export async function startSlackHttp(
  api: FakeSlackApi,
  dispatcher: Dispatcher,
  options: { botToken: string; signingSecret: string; botUserId: string } & Pick<SlackConfig, 'channelManagers'>,
): Promise<SlackHttpBot> {
  const handle = await startSlack(
    {
      ...options,
      port: 0,
      host: '127.0.0.1',
      apiUrl: api.apiUrl,
      botId: 'BBOT',
      retries: 0,
    },
    { dispatcher, logger: new CaptureLogger() },
  );
  return { handle, eventsUrl: `http://127.0.0.1:${handle.port}/slack/events` };
}
