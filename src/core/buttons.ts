/**
 * The buttons of a command list: each command declares its own (`Command.buttons`: code, label, options);
 * this maps verbs to ids when a reply is made and ids back to a command and its options when one is pressed.
 */
import {
  BUTTON_CODE,
  type ButtonRequest,
  type Buttons,
  type ButtonWire,
  decodeButtonId,
  encodeButtonId,
  type Stash,
} from './actions.ts';
import type { ButtonSpec, Command, OptionValues } from './command.ts';
import type { Action } from './reply.ts';

/** What a pressed button asks for. */
export interface PressedButton {
  command: Command;
  options: OptionValues;
  /** The answer replaces the message that held the button (paging). */
  replaces: boolean;
}

interface Declared {
  command: Command;
  spec: ButtonSpec;
}

export class CommandButtons implements Buttons {
  private readonly byVerb = new Map<string, Declared>();
  private readonly byCode = new Map<string, Declared>();

  /** Throws at start on a clash (two commands declaring one verb or code), a programming error. */
  constructor(
    commands: readonly Command[],
    private readonly stash?: Stash,
  ) {
    for (const command of commands) {
      for (const [verb, spec] of Object.entries(command.buttons ?? {})) {
        if (!BUTTON_CODE.test(spec.code)) throw new Error(`button ${verb}: code "${spec.code}" is not one letter a-z`);
        const clash = this.byVerb.get(verb) ?? this.byCode.get(spec.code);
        if (clash) throw new Error(`button ${verb} (${spec.code}) clashes with one of command ${clash.command.name}`);
        this.byVerb.set(verb, { command, spec });
        this.byCode.set(spec.code, { command, spec });
      }
    }
  }

  /** The button's id: `pb:s:2503.20680`. */
  id(request: ButtonRequest): string {
    const { spec } = this.declared(request.verb);
    return encodeButtonId(
      { code: spec.code, arg: request.arg, page: request.page, literal: request.literal },
      this.stash,
    );
  }

  action(request: ButtonRequest): Action {
    const { spec } = this.declared(request.verb);
    return { label: request.label ?? spec.label, id: this.id(request), ...(spec.style ? { style: spec.style } : {}) };
  }

  settled(): Promise<void> {
    return this.stash?.settled() ?? Promise.resolve();
  }

  /** What a pressed id asks for; undefined for ids that are not ours or no longer mean anything. */
  async press(id: string): Promise<PressedButton | undefined> {
    const wire: ButtonWire | undefined = await decodeButtonId(id, this.stash);
    const declared = wire && this.byCode.get(wire.code);
    if (!wire || !declared) return undefined;
    const press = { arg: wire.arg, page: wire.page, literal: wire.literal };
    return {
      command: declared.command,
      options: declared.spec.options(press),
      replaces: declared.spec.replaces?.(press) ?? false,
    };
  }

  /**
   * The paper a button acts on (its command's `paper` option), when it is one of ours about a paper: how an adapter
   * knows the paper of a card that shows no id (see cards.ts readableId).
   */
  async paperOf(id: string): Promise<string | undefined> {
    const paper = (await this.press(id))?.options.paper;
    return typeof paper === 'string' && paper ? paper : undefined;
  }

  private declared(verb: string): Declared {
    const declared = this.byVerb.get(verb);
    if (!declared) throw new Error(`no registered command declares the button "${verb}"`);
    return declared;
  }
}
