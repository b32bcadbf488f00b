/** Reading Block Kit blocks in tests: rendered by the Slack adapter, or recorded by the fake Web API. */
import type { types } from '@slack/bolt';

type Block = types.KnownBlock;

/** The text of a block's text object (section, header), or undefined when it has none. */
export function blockText(block: Block | undefined): string | undefined {
  if (!block || !('text' in block) || typeof block.text !== 'object') return undefined;
  return block.text?.text;
}

/** The text of a block's text object; throws when the block is missing or has no text object. */
export function textOf(block: Block | undefined): string {
  const text = blockText(block);
  if (text === undefined) throw new Error(`no text in block ${JSON.stringify(block)}`);
  return text;
}

/** The ids of the blocks that have one, in order. */
export function blockIds(blocks: readonly Block[] | undefined): string[] {
  return (blocks ?? []).flatMap((block) => (block.block_id ? [block.block_id] : []));
}
