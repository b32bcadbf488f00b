/**
 * A chat thread as the core sees it: platform-neutral messages, read by the adapter that knows the platform (Slack
 * `conversations.replies`, Discord thread messages, the console's own thread) only when a command asks for them.
 */

/** One message of a thread, reduced to what commands read from it. */
export interface ThreadMessage {
  /** Who wrote it: a display name (or a user id when the platform gives none), never a mention that could ping. */
  author: string;
  /** The message's text, as plain text (links may still appear in it). */
  text: string;
  /** Every link the message holds or previews (its text's URLs, unfurls, embeds), in order. */
  links: string[];
  /** Papers the bot's own cards in this message show, by paper id. */
  paperIds: string[];
  /** The platform's timestamp or id of the message; messages come oldest first. */
  ts: string;
}

export interface ThreadRead {
  messages: ThreadMessage[];
  /** Says what the adapter could not read (a capped long thread, text the platform hides from the bot). */
  notice?: string;
}

/** The thread a request was made in. */
export interface ThreadReader {
  /** Reads the whole thread. Rejects with a ThreadReadError the user can act on, or any other error (a bug). */
  read(): Promise<ThreadRead>;
}

/** The platform refused to show the thread (a missing scope or permission): `message` tells the user what to do. */
export class ThreadReadError extends Error {
  override name = 'ThreadReadError';
}
