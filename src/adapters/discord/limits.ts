/**
 * Discord's documented size limits in one place, so rendering, definitions and tests agree on them.
 * Sources: Discord API reference (message, embed, component, application command objects).
 */
export const LIMITS = {
  /** Message `content`. */
  content: 2000,
  embedsPerMessage: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  embedFieldName: 256,
  embedFieldValue: 1024,
  embedFooter: 2048,
  /** An attachment's description (its alt text). */
  attachmentDescription: 1024,
  embedAuthorName: 256,
  /** Title + description + field names/values + footer + author name, summed over ALL embeds of a message. */
  embedTotal: 6000,
  actionRows: 5,
  buttonsPerRow: 5,
  customId: 100,
  buttonLabel: 80,
  autocompleteChoices: 25,
  choiceName: 100,
  choiceValue: 100,
  commandName: 32,
  commandDescription: 100,
  commandOptions: 25,
  commandChoices: 25,
  threadName: 100,
  /** Answer (or defer) an interaction within this many ms. */
  interactionAckMs: 3000,
  /** Interaction tokens (follow-ups, edits) stay valid this long. */
  interactionTokenMs: 15 * 60 * 1000,
} as const;

/** Slash command and option names: 1-32 chars, lower case letters, digits, `-` and `_`. */
export const COMMAND_NAME = /^[-_\p{Ll}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
