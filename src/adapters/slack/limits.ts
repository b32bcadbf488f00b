/**
 * Slack's Block Kit limits in one place, so the renderer cuts or splits content itself instead of
 * having Slack reject a message (`invalid_blocks`, `msg_too_long`).
 * https://docs.slack.dev/reference/block-kit/blocks
 */
export const SLACK_LIMITS = {
  /** Blocks in one message (also in one unfurl). */
  blocksPerMessage: 50,
  /** Characters in a section block's text. */
  sectionText: 3000,
  /** Characters in a context block's text element (kept under the 3,000 allowed by text objects). */
  contextText: 2000,
  /** Characters in a header block's plain text. */
  headerText: 150,
  /** Characters of text across all blocks of one message: above this Slack may answer `msg_too_long`. */
  messageText: 12000,
  /** The `text` fallback / notification text we send alongside blocks. */
  fallbackText: 3000,
  /** Elements in one actions block. */
  actionsPerBlock: 25,
  /** Characters in a button's label. */
  buttonText: 75,
  /** Characters in a button's value. */
  buttonValue: 2000,
  /** Characters in an action_id or block_id. */
  actionId: 255,
  blockId: 255,
} as const;
