/** What every Discord event handler gets: the client, the dispatcher, a logger and the work queue. */
import type { Client } from 'discord.js';
import type { Dispatcher } from '../../../core/dispatcher.ts';
import type { Logger } from '../../../core/logger.ts';
import type { Turns } from '../../turns.ts';

export interface HandlerDeps {
  client: Client;
  dispatcher: Dispatcher;
  logger: Logger;
  /** Where command work waits its turn (shared by every platform of the process). */
  turns: Turns;
  /** Answer directly when the command is done within this many ms; defer otherwise (0: always defer). */
  deferAfterMs: number;
  /** Reply to arXiv / Hugging Face links with a paper card (needs the Message Content intent). */
  linkReplies: boolean;
}
