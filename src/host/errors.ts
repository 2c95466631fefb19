/**
 * Failures that are not the user's input but the world around vela. They are
 * DiagnosticErrors with their own exit code, so the one diagnostic printer and
 * the one exit-code mapping (src/cli) serve them too. They live here, not in
 * src/cli, because image/ and deploy/ throw them and may import host/ but not cli/.
 */
import { DiagnosticError, error, type Diagnostic, type Span } from '../source/index.js';

/** Exit codes, the contract of APPFILE.md section 5. */
export const ExitCode = {
  ok: 0,
  /** The user's input is wrong (Appfile, definition, flags). */
  userError: 1,
  /** The environment failed (Docker, registry, cluster unreachable, forbidden). */
  environment: 2,
  /** Deployed, but not healthy before `--timeout`. */
  notHealthy: 3,
  /** A bug in vela (EX_SOFTWARE of sysexits.h). */
  internal: 70,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface FailureDetails {
  /** Where in the user's files the failing request came from, if known. */
  readonly span?: Span;
  readonly hint?: string;
  /** A stable machine-readable code, e.g. `docker/unreachable`. */
  readonly code?: string;
  /** The underlying error (kept for VELA_DEBUG and --json, never printed as a stack by default). */
  readonly cause?: unknown;
}

function diagnosticsOf(message: string | readonly Diagnostic[], d: FailureDetails): readonly Diagnostic[] {
  return typeof message === 'string' ? [error(message, d.span, { hint: d.hint, code: d.code })] : message;
}

/** The environment failed: Docker, a registry or the cluster is unreachable, refused or forbade us. Exit 2. */
export class EnvironmentError extends DiagnosticError {
  constructor(message: string | readonly Diagnostic[], details: FailureDetails = {}) {
    super(diagnosticsOf(message, details), ExitCode.environment);
    this.name = 'EnvironmentError';
    if (details.cause !== undefined) this.cause = details.cause;
  }
}

/** The app was deployed but did not become healthy before the timeout. Exit 3. */
export class NotHealthyError extends DiagnosticError {
  constructor(message: string | readonly Diagnostic[], details: FailureDetails = {}) {
    super(diagnosticsOf(message, details), ExitCode.notHealthy);
    this.name = 'NotHealthyError';
    if (details.cause !== undefined) this.cause = details.cause;
  }
}
