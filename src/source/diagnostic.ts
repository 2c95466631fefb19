/**
 * Diagnostics are values: every stage collects them and stops at its end;
 * one printer (code-frame.ts) formats them.
 */
import { formatPos, type Span } from './position.js';

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  readonly severity: Severity;
  /** What is wrong, one line, no trailing period (e.g. `must be integer (got "80")`). */
  readonly message: string;
  /** Where it is wrong; absent for errors with no source (a flag, the environment). */
  readonly span?: Span;
  /** The data path (e.g. `services.web.port`), printed before the message. */
  readonly path?: string;
  /** A suggestion, e.g. "did you mean `scaler`?". */
  readonly hint?: string;
  /** Other positions that contributed (e.g. both sides of a conflict). */
  readonly related?: readonly Span[];
  /** A stable machine-readable code, e.g. `appfile/unknown-key`. */
  readonly code?: string;
}

export function error(message: string, span?: Span, extra: Partial<Omit<Diagnostic, 'message' | 'span'>> = {}): Diagnostic {
  return { severity: 'error', message, span, ...extra };
}

export function warning(message: string, span?: Span, extra: Partial<Omit<Diagnostic, 'message' | 'span'>> = {}): Diagnostic {
  return { ...extra, severity: 'warning', message, span };
}

/** One line: `file:line:col: path: message`. */
export function formatDiagnosticLine(d: Diagnostic): string {
  const where = d.span ? `${formatPos(d.span)}: ` : '';
  const path = d.path ? `${d.path}: ` : '';
  return `${where}${path}${d.message}`;
}

/** Thrown by a stage that stops with user-facing diagnostics (exit code 1 unless `exitCode` says otherwise). */
export class DiagnosticError extends Error {
  constructor(
    readonly diagnostics: readonly Diagnostic[],
    readonly exitCode: number = 1,
  ) {
    super(diagnostics.map(formatDiagnosticLine).join('\n'));
    this.name = 'DiagnosticError';
  }
}

/** Levenshtein distance, for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/** The closest candidate within a distance proportional to the word's length, if any. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const limit = Math.max(1, Math.floor(word.length / 3) + 1);
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD || (d === bestD && best !== undefined && c < best)) {
      best = c;
      bestD = d;
    }
  }
  return bestD <= limit ? best : undefined;
}

/** "did you mean `x`?" or undefined. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const c = closest(word, candidates);
  return c === undefined ? undefined : `did you mean \`${c}\`?`;
}
