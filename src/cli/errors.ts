/**
 * The one place where an error becomes output and an exit code (APPFILE.md §5):
 * - DiagnosticError (and EnvironmentError / NotHealthyError, which are ones) →
 *   each diagnostic with its code frame, exit `err.exitCode` (1, 2 or 3);
 * - oclif parse errors (unknown flag, missing argument…) → the message and a usage hint, exit 1;
 * - anything else is a bug → "internal error", exit 70, the stack only with VELA_DEBUG=1.
 * With --json the same facts go to stdout as `{"error": {...}}` (like oclif's own
 * --json handling), so a consumer always reads one JSON document; stderr stays empty.
 */
import { CLIError, ExitError } from '@oclif/core/errors';
import { ExitCode } from '../host/index.js';
import { DiagnosticError, didYouMean, error, formatDiagnostics, formatPos, type Diagnostic, type Span } from '../source/index.js';
import { formatJson } from './format.js';
import type { Writable } from './progress-display.js';

export type FailureKind = 'user' | 'usage' | 'environment' | 'not-healthy' | 'internal';

export interface Failure {
  readonly kind: FailureKind;
  readonly exitCode: number;
  readonly diagnostics: readonly Diagnostic[];
  /** Only for internal errors: the original error, for the stack with VELA_DEBUG=1. */
  readonly cause?: unknown;
}

export interface ErrorContext {
  /** How the user names the command, e.g. `vela cue export` (for the usage hint). */
  readonly commandLine?: string;
  /** Where to report bugs. */
  readonly issuesUrl?: string;
  /** The command's long flag names, for did-you-mean on an unknown flag. */
  readonly flagNames?: readonly string[];
}

/** Thrown by the CLI layer when it must stop with an exit code and has already said why. */
export { ExitError };

const kindOfExitCode = (code: number): FailureKind =>
  code === ExitCode.environment ? 'environment' : code === ExitCode.notHealthy ? 'not-healthy' : code === ExitCode.internal ? 'internal' : 'user';

/** `did you mean \`--output\`?` for oclif's "Nonexistent flag: --outptu" (its error carries the flags it did not know). */
function unknownFlagSuggestion(err: CLIError, flagNames: readonly string[]): string | undefined {
  const unknown = (err as CLIError & { flags?: unknown }).flags;
  if (!Array.isArray(unknown) || unknown.length === 0 || typeof unknown[0] !== 'string') return undefined;
  const first = unknown[0].replace(/=.*$/, '');
  if (!first.startsWith('--')) return undefined;
  return didYouMean(first, flagNames.map((n) => `--${n}`));
}

/** What an error means to the user. */
export function classifyError(err: unknown, ctx: ErrorContext = {}): Failure {
  if (err instanceof DiagnosticError) {
    return { kind: kindOfExitCode(err.exitCode), exitCode: err.exitCode, diagnostics: err.diagnostics };
  }
  if (err instanceof CLIError) {
    // oclif's parser errors carry `parse`; their message ends with its own "See more help with --help".
    // Keep oclif's detail lines (e.g. which argument is missing) indented under the first.
    const message = err.message.replace(/\n*See more help with --help\s*$/, '').trim().replace(/\n/g, '\n  ');
    const usage = ctx.commandLine ? `see \`${ctx.commandLine} --help\` for usage` : undefined;
    const suggestion = unknownFlagSuggestion(err, ctx.flagNames ?? []);
    const hint = suggestion && usage ? `${suggestion}; ${usage}` : (suggestion ?? usage);
    return { kind: 'usage', exitCode: ExitCode.userError, diagnostics: [error(message, undefined, { hint, code: 'cli/usage' })] };
  }
  const message = err instanceof Error ? err.message : String(err);
  const where = ctx.issuesUrl ? ` at ${ctx.issuesUrl}` : '';
  return {
    kind: 'internal',
    exitCode: ExitCode.internal,
    diagnostics: [
      error(`internal error: ${message}`, undefined, {
        hint: `this is a bug in vela; please report this${where} with the command you ran (set VELA_DEBUG=1 to see the stack)`,
        code: 'internal',
      }),
    ],
    cause: err,
  };
}

export interface ReportOptions extends ErrorContext {
  readonly json?: boolean;
  readonly color?: boolean;
  /** VELA_DEBUG=1: print stacks of internal errors. */
  readonly debug?: boolean;
  readonly stdout?: Writable;
  readonly stderr?: Writable;
}

/** Print an error the way the user should see it and return the exit code. */
export function reportError(err: unknown, opts: ReportOptions = {}): number {
  if (err instanceof ExitError) return err.oclif.exit ?? ExitCode.userError;
  const failure = classifyError(err, opts);
  if (opts.json) {
    (opts.stdout ?? process.stdout).write(formatJson(failureToJson(failure)));
    return failure.exitCode;
  }
  let text = formatDiagnostics(failure.diagnostics, { color: opts.color ?? false });
  if (failure.kind === 'internal' && opts.debug && failure.cause instanceof Error && failure.cause.stack) {
    text += `\n\n${failure.cause.stack}`;
  }
  (opts.stderr ?? process.stderr).write(text + '\n');
  return failure.exitCode;
}

const spanToJson = (s: Span) => {
  const start = s.file.lineCol(s.start);
  const end = s.file.lineCol(s.end);
  return { file: s.file.name, line: start.line, column: start.column, endLine: end.line, endColumn: end.column, pos: formatPos(s) };
};

export function diagnosticToJson(d: Diagnostic): Record<string, unknown> {
  return {
    severity: d.severity,
    message: d.message,
    ...(d.code !== undefined && { code: d.code }),
    ...(d.path !== undefined && { path: d.path }),
    ...(d.span && spanToJson(d.span)),
    ...(d.hint !== undefined && { hint: d.hint }),
    ...(d.related?.length && { related: d.related.map(spanToJson) }),
  };
}

/** `{"error": {kind, exitCode, message, diagnostics}}`: the --json shape of a failure. */
export function failureToJson(f: Failure): { error: Record<string, unknown> } {
  return {
    error: {
      kind: f.kind,
      exitCode: f.exitCode,
      message: f.diagnostics.map((d) => d.message).join('\n'),
      diagnostics: f.diagnostics.map(diagnosticToJson),
    },
  };
}
