/**
 * vela's help: oclif's, plus an EXIT CODES section on every command and at the
 * root, and a root page that lists every command (not only the topics).
 */
import { Help } from '@oclif/core/help';
import type { Command } from '@oclif/core';
import { ExitCode } from '../host/index.js';

/** APPFILE.md §5, as shown in `--help`. */
export const EXIT_CODES: readonly (readonly [number, string])[] = [
  [ExitCode.ok, 'success'],
  [ExitCode.userError, "the user's input is wrong (Appfile, definition, flags)"],
  [ExitCode.environment, 'the environment failed (Docker, registry, cluster unreachable, forbidden)'],
  [ExitCode.notHealthy, 'deployed, but not healthy before --timeout'],
  [ExitCode.internal, 'an internal error: a bug, printed with a request to report it'],
];

export class VelaHelp extends Help {
  protected exitCodesSection(): string {
    return this.section(
      'EXIT CODES',
      this.renderList(
        EXIT_CODES.map(([code, meaning]) => [String(code), meaning]),
        { indentation: 2, stripAnsi: this.opts.stripAnsi },
      ),
    );
  }

  protected override formatCommand(command: Command.Loadable): string {
    return `${super.formatCommand(command)}\n\n${this.exitCodesSection()}`;
  }

  protected override async showRootHelp(): Promise<void> {
    this.log(this.formatRoot());
    this.log('');
    // Every visible command, `cue export` as well as `up`: a short CLI reads best as one list.
    const commands = this.sortedCommands.filter((c) => c.id);
    if (commands.length > 0) {
      this.log(this.formatCommands(commands));
      this.log('');
    }
    const topics = this.sortedTopics.filter((t) => !t.name.includes(':'));
    if (topics.length > 0) {
      this.log(this.formatTopics(topics));
      this.log('');
    }
    this.log(this.exitCodesSection());
    this.log('');
  }
}
