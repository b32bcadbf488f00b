/**
 * The platform-neutral reply that every command returns. Adapters render it (Block Kit, Discord embeds,
 * console text) and never need to know which command produced it. All strings here are plain text:
 * adapters escape them for their platform, so paper text can never ping or smuggle markup.
 */

/** A button. `id` is a compact, self-contained encoding of the command to run (see actions.ts). */
export interface Action {
  label: string;
  id: string;
  style?: 'primary' | 'secondary';
}

export interface Link {
  label: string;
  url: string;
}

/** What a card shows of a paper (display-ready, already shortened). */
export interface PaperCard {
  paperId: string;
  title: string;
  url?: string;
  /** Shortened author line: "A. Author, B. Author et al." */
  authors: string;
  /** `YYYY-MM-DD` when known. */
  date?: string;
  /** A one-line gist. */
  gist?: string;
  /** Why it matched: terms shared with the query or the paper it is related to. */
  matched?: string[];
  /**
   * Why the bot brought it (alerts, recommendations, trending): one short plain-text line ("Like "X" (saved by
   * alice): shared terms …"). Cards with one show it instead of `matched`.
   */
  why?: string;
  upvotes?: number;
  /** Who brought the paper up, where the card lists papers from a conversation (a thread digest). */
  sharedBy?: string;
  actions: Action[];
}

export type Block =
  | { kind: 'text'; text: string; style?: 'heading' | 'muted' | 'error' }
  | { kind: 'paper'; card: PaperCard }
  | { kind: 'section'; title: string; text: string }
  /** A paper's own words, shown as a quotation (a block quote), never as the bot's. */
  | { kind: 'quote'; text: string }
  | { kind: 'links'; links: Link[] }
  | { kind: 'actions'; actions: Action[] };

/**
 * A file the reply carries (a library's BibTeX, a trend chart): uploaded to Slack, attached on Discord; in the console
 * a text file is printed and an image is described by its alt text.
 */
export interface ReplyFile {
  name: string;
  /** Plain text (UTF-8), or the bytes of an image (a PNG). */
  content: string | Uint8Array;
  /** Shown with the file where the platform has a place for it. */
  title?: string;
  /** What an image shows, for screen readers (Slack's alt text, Discord's attachment description) and the console. */
  altText?: string;
}

export interface Reply {
  blocks: Block[];
  /** Ephemeral replies are seen only by the person who asked (search results); public ones by the channel. */
  visibility: 'ephemeral' | 'public';
  /** Messages to post in the thread of this reply once it is posted (e.g. a paper card's summary). */
  thread?: Reply[];
  /** A short plain-text rendering for notifications and platforms' fallback text. */
  fallback: string;
  /** Replace the message whose button produced this reply (paging) instead of posting a new one. */
  replace?: boolean;
  /** Files to post with the reply (in the channel: a file is public even when the reply is not). */
  files?: ReplyFile[];
  /** The reply says itself who asked for it (a library removal): adapters add no "Requested by" line of their own. */
  attributed?: boolean;
}

export function textReply(text: string, visibility: Reply['visibility'] = 'ephemeral'): Reply {
  return { blocks: [{ kind: 'text', text }], visibility, fallback: text };
}

export function errorReply(text: string): Reply {
  return { blocks: [{ kind: 'text', text, style: 'error' }], visibility: 'ephemeral', fallback: text };
}
