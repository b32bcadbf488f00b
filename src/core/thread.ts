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
  /**
   * Set when the thread has more messages than were read (the reader stopped at `maxMessages`): which were read, its
   * first ones, or its latest (a platform that pages back from the newest).
   */
  read?: 'first' | 'latest';
  /** Says what else the adapter could not read (text the platform hides from the bot). */
  notice?: string;
}

/** The thread a request was made in. */
export interface ThreadReader {
  /**
   * Reads up to `maxMessages` of the thread's messages (returned oldest first). Rejects with a ThreadReadError the
   * user can act on, or any other error (a bug).
   */
  read(limits: { maxMessages: number }): Promise<ThreadRead>;
}

/** The platform refused to show the thread (a missing scope or permission): `message` tells the user what to do. */
export class ThreadReadError extends Error {
  override name = 'ThreadReadError';
}
