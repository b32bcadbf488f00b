/**
 * The Slack App Home tab: what `/paper me` shows (the user's saved papers, newest first; the alerts of the channels
 * they are in and may manage, each with its last match; their channels' library exports), under a search box and a
 * Help button. Published with `views.publish` when the user opens the tab (`app_home_opened`) and again when they save
 * or remove a paper. Answers to what is clicked there (a search, Help, a card's button) open in a modal (`views.open`
 * with the click's trigger_id, `views.push` from a modal); files (a library export) go to the user's direct messages.
 */
import type { webApi } from '@slack/bolt';
import type { Invoker } from '../../core/command.ts';
import type { Dispatcher } from '../../core/dispatcher.ts';
import type { Logger } from '../../core/logger.ts';
import { describeError } from '../../core/logger.ts';
import type { Reply } from '../../core/reply.ts';
import { replyInTurn, type Turns } from '../turns.ts';
import { type DeliveryContext, uploadFiles } from './deliver.ts';
import { cutPlain } from './mrkdwn.ts';
import { renderReply, type SlackBlock } from './render.ts';
import { logSlackFailure, withRateLimitRetry } from './slack-errors.ts';

/** Action ids of the Home tab's own controls (every other action id is a paperboy button). */
export const HOME_SEARCH = 'pb-home:search';
export const HOME_HELP = 'pb-home:help';
const HOME_PREFIX = 'pb-home:';
/** Slack's limit for a Home tab or a modal. */
const VIEW_BLOCKS = 100;
const MODAL_TITLE = 24;

export function isHomeAction(actionId: string): boolean {
  return actionId.startsWith(HOME_PREFIX);
}

/** The Home tab's blocks: the header, the search box and Help, then the rendered `/paper me`. */
export function homeBlocks(reply: Reply): SlackBlock[] {
  const top: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'paperboy', emoji: true } },
    {
      type: 'input',
      block_id: 'pb-home-search',
      dispatch_action: true,
      label: { type: 'plain_text', text: 'Search papers' },
      element: {
        type: 'plain_text_input',
        action_id: HOME_SEARCH,
        placeholder: { type: 'plain_text', text: 'e.g. lora, "speculative decoding" -survey, author:hinton' },
        dispatch_action_config: { trigger_actions_on: ['on_enter_pressed'] },
      },
    },
    {
      type: 'actions',
      elements: [{ type: 'button', action_id: HOME_HELP, text: { type: 'plain_text', text: 'Help' } }],
    },
    { type: 'divider' },
  ];
  return [...top, ...renderReply(reply).blocks].slice(0, VIEW_BLOCKS);
}

export interface SlackHomeDeps {
  dispatcher: Dispatcher;
  logger: Logger;
  /** Where command work waits its turn (the process's one queue). */
  turns: Turns;
  sleep?: (ms: number) => Promise<void>;
}

export class SlackHome {
  constructor(private readonly deps: SlackHomeDeps) {}

  /** Publishes the user's Home tab; a failure is a log line (the tab keeps its last view). */
  async publish(client: webApi.WebClient, invoker: Invoker): Promise<void> {
    try {
      const reply = await replyInTurn(this.deps.turns, () => this.deps.dispatcher.run('me', {}, invoker));
      await withRateLimitRetry(
        () => client.views.publish({ user_id: invoker.userId, view: { type: 'home', blocks: homeBlocks(reply) } }),
        { logger: this.deps.logger, what: 'views.publish', sleep: this.deps.sleep },
      );
    } catch (error) {
      logSlackFailure(this.deps.logger, 'publish the Home tab', error);
    }
  }

  /** The search box or Help on the Home tab: the answer in a modal. */
  async homeAction(
    client: webApi.WebClient,
    actionId: string,
    value: string | undefined,
    triggerId: string | undefined,
    invoker: Invoker,
  ): Promise<void> {
    const reply =
      actionId === HOME_SEARCH
        ? await replyInTurn(this.deps.turns, () =>
            this.deps.dispatcher.run('search', { query: (value ?? '').slice(0, 500) }, invoker),
          )
        : await replyInTurn(this.deps.turns, () => this.deps.dispatcher.run('help', {}, invoker));
    await this.showInModal(client, triggerId, reply, invoker, { push: false });
  }

  /**
   * Shows a reply in a modal (a click in the Home tab or in a modal has no channel to answer in): `views.push` over a
   * modal, `views.open` otherwise. Its files go to the user's direct messages, said in the modal.
   */
  async showInModal(
    client: webApi.WebClient,
    triggerId: string | undefined,
    reply: Reply,
    invoker: Invoker,
    options: { push: boolean },
  ): Promise<void> {
    const ctx: DeliveryContext = { client, logger: this.deps.logger, sleep: this.deps.sleep };
    let note: string | undefined;
    if (reply.files?.length) {
      try {
        const opened = await client.conversations.open({ users: invoker.userId });
        if (!opened.channel?.id) throw new Error('conversations.open gave no channel');
        await uploadFiles(ctx, opened.channel.id, reply);
        note = 'The file is in your direct messages with paperboy.';
      } catch (error) {
        const failure = logSlackFailure(this.deps.logger, 'send a file to direct messages', error);
        note = `I could not send you the file: ${failure.userMessage}`;
      }
    }
    // Every thread item (a summary under its card) is shown in the modal too: there is no thread to post it in.
    const items = [reply, ...(reply.thread ?? [])];
    const blocks = items
      .flatMap((item) => renderReply(item).blocks)
      .concat(note ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: note }] }] : [])
      .slice(0, VIEW_BLOCKS);
    const view = {
      type: 'modal' as const,
      title: { type: 'plain_text' as const, text: cutPlain(modalTitle(reply), MODAL_TITLE) },
      close: { type: 'plain_text' as const, text: 'Close' },
      blocks: blocks.length
        ? blocks
        : renderReply({ ...reply, blocks: [{ kind: 'text', text: reply.fallback }] }).blocks,
    };
    if (!triggerId) {
      this.deps.logger.warn('slack: a Home click came without a trigger_id; nothing shown');
      return;
    }
    try {
      await (options.push
        ? client.views.push({ trigger_id: triggerId, view })
        : client.views.open({ trigger_id: triggerId, view }));
    } catch (error) {
      this.deps.logger.warn('slack: could not open a modal', { error: describeError(error) });
    }
  }
}

function modalTitle(reply: Reply): string {
  const heading = reply.blocks.find((block) => block.kind === 'text' && block.style === 'heading');
  return heading?.kind === 'text' ? heading.text : 'paperboy';
}
