/**
 * The contract between commands (top-level `commands/`) and adapters. A command is defined once:
 * name, description, typed options and a handler returning a neutral Reply. Adapters turn platform
 * events into a CommandContext and render the Reply; they never touch the store or index themselves.
 */
import type { Reply } from './reply.ts';
import type { Services } from './services.ts';

export type Platform = 'console' | 'slack' | 'discord' | 'cli';

export interface OptionSpec {
  name: string;
  description: string;
  type: 'string' | 'integer' | 'boolean';
  required?: boolean;
  /** Offer matching paper titles while the user types (Discord autocomplete). */
  autocomplete?: 'paper';
  choices?: { name: string; value: string }[];
  min?: number;
  max?: number;
}

export interface Invoker {
  platform: Platform;
  userId: string;
  channelId: string;
  /** Platform workspace (Slack team / Discord guild), when there is one. */
  workspaceId?: string;
  /** The user may change channel settings (subscriptions). Adapters fill it from platform permissions. */
  canManageChannel?: boolean;
}

export type OptionValues = Record<string, string | number | boolean | undefined>;

export interface CommandContext {
  services: Services;
  options: OptionValues;
  invoker: Invoker;
  /** Injected so tests are deterministic. */
  random: () => number;
}

export interface Choice {
  name: string;
  value: string;
}

export interface Command {
  name: string;
  description: string;
  /** One-line usage shown in help, e.g. `/paper related <paper>`. */
  usage: string;
  examples: string[];
  options: OptionSpec[];
  /** Subscription management and other channel settings: adapters check permission before running. */
  managesChannel?: boolean;
  run(ctx: CommandContext): Promise<Reply> | Reply;
  autocomplete?(ctx: CommandContext, option: string, partial: string): Choice[];
}
