/**
 * The base of every vela command: the global flags, colour and reporter
 * choices, and the one `catch` that turns errors into output and exit codes.
 * Commands stay thin: parse flags (done here, in init), map them to options,
 * call one pipeline function, and hand its typed result to one formatter
 * (src/cli/*-format.ts) whose output `print` writes; the --json document is
 * what `run()` returns.
 */
import { Command } from '@oclif/core/command';
import { boolean } from '@oclif/core/flags';
import type { Interfaces } from '@oclif/core';
import { colorAllowed, nodeEnvironment, type Environment, type Reporter } from '../host/index.js';
import { ExitError, reportError } from './errors.js';
import { formatJson, type CommandOutput } from './format.js';
import { createReporter, reporterMode, type Writable } from './progress-display.js';

export type CommandFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>;
export type CommandArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>;

export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override baseFlags = {
    'no-color': boolean({
      description: 'Print no ANSI colours (also when NO_COLOR is set or output is not a terminal).',
      helpGroup: 'GLOBAL',
    }),
  };

  protected flags!: CommandFlags<T>;
  protected args!: CommandArgs<T>;
  /** Every positional argument, for commands with `strict = false` that take a list (e.g. FILE...). */
  protected positional: string[] = [];
  /** The process environment, read through one seam so tests can replace it. */
  protected env: Environment = nodeEnvironment();

  override async init(): Promise<void> {
    await super.init();
    const { args, argv, flags } = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (super.ctor as typeof BaseCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      args: this.ctor.args,
      strict: this.ctor.strict,
    });
    this.flags = flags as CommandFlags<T>;
    this.args = args as CommandArgs<T>;
    this.positional = argv.map(String);
  }

  /** Colour for a stream: not with --no-color or NO_COLOR, only on a TTY. */
  protected useColor(stream: { isTTY?: boolean } = process.stderr): boolean {
    // Read argv too: a parse error is reported before `this.flags` exists.
    const noColor = (this.flags as { 'no-color'?: boolean } | undefined)?.['no-color'] ?? this.argv.includes('--no-color');
    return !noColor && colorAllowed(stream, this.env);
  }

  /** A person can answer a question: stdin and stderr are terminals, no --json. */
  protected canAsk(): boolean {
    return process.stdin.isTTY === true && process.stderr.isTTY === true && !this.jsonEnabled();
  }

  /** Progress on stderr: spinners for a person at a terminal, plain lines in CI or a pipe, nothing with --json. */
  protected async reporter(): Promise<Reporter> {
    // A terminal that reports no width (e.g. `script` without a size) cannot redraw spinners: plain lines there.
    const tty = process.stderr.isTTY === true && (process.stderr.columns ?? 0) > 0;
    const mode = reporterMode({ json: this.jsonEnabled(), ci: Boolean(this.env.get('CI')), tty });
    return createReporter({ mode, color: this.useColor(process.stderr) });
  }

  /** Data for stdout, written as is (no newline added); nothing with --json, where the returned result is printed. */
  protected write(text: string, stream: Writable = process.stdout): void {
    if (!this.jsonEnabled()) stream.write(text);
  }

  /**
   * Prints a formatter's output, talk on stderr before data on stdout (neither
   * with --json), and returns the --json document for `run()` to return.
   */
  protected print<Json>(output: CommandOutput<Json>): Json {
    if (output.stderr) this.write(output.stderr, process.stderr);
    if (output.stdout) this.write(output.stdout);
    return output.json;
  }

  /** The --json document: plain, stable JSON on stdout (oclif's version colourises and goes through console.log). */
  override logJson(json: unknown): void {
    process.stdout.write(formatJson(json));
  }

  /** Every error of every command ends here: print it once, then stop with its exit code. */
  override async catch(err: Error & { exitCode?: number }): Promise<never> {
    const code = reportError(err, {
      json: this.jsonEnabled(),
      color: this.useColor(process.stderr),
      debug: Boolean(this.env.get('VELA_DEBUG')),
      commandLine: `${this.config.bin} ${(this.id ?? '').replaceAll(':', ' ')}`.trim(),
      flagNames: [...Object.keys(this.ctor.flags ?? {}), ...Object.keys(this.ctor.baseFlags ?? {}), ...(this.ctor.enableJsonFlag ? ['json'] : [])],
      issuesUrl: issuesUrl(this.config.pjson),
    });
    throw new ExitError(code);
  }
}

/** Where bugs are reported, from package.json `bugs` (or `repository` on GitHub). */
export function issuesUrl(pjson: object): string | undefined {
  const { bugs, repository } = pjson as { bugs?: unknown; repository?: unknown };
  if (typeof bugs === 'string') return bugs;
  if (bugs && typeof bugs === 'object' && typeof (bugs as { url?: unknown }).url === 'string') return (bugs as { url: string }).url;
  const repo = typeof repository === 'string' ? repository : (repository as { url?: string } | undefined)?.url;
  const m = repo && /github\.com[/:]([^/]+\/[^/.]+)/.exec(repo);
  return m ? `https://github.com/${m[1]}/issues` : undefined;
}
