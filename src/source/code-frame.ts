/**
 * The one printer of diagnostics: `file:line:col: path: message`, a code
 * frame with a caret under the span, the hint, and related positions.
 */
import { formatDiagnosticLine, type Diagnostic } from './diagnostic.js';
import { formatPos, type Span } from './position.js';

export interface FrameOptions {
  /** Colourise with ANSI codes (the caller decides: TTY and no NO_COLOR). */
  color?: boolean;
  /** Lines of context above the offending line. */
  context?: number;
}

const paint = (on: boolean, code: string, s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

export function codeFrame(s: Span, opts: FrameOptions = {}): string {
  const color = opts.color ?? false;
  const ctx = opts.context ?? 1;
  const { line, column } = s.file.lineCol(s.start);
  const endLc = s.file.lineCol(Math.max(s.start, s.end - 1));
  const first = Math.max(1, line - ctx);
  const width = String(line).length;
  const out: string[] = [];
  for (let l = first; l <= line; l++) {
    const text = s.file.lineText(l).replace(/\t/g, ' ');
    const gutter = `${String(l).padStart(width)} | `;
    out.push((l === line ? paint(color, '1', '> ') : '  ') + paint(color, '2', gutter) + text);
  }
  const len = endLc.line === line ? Math.max(1, endLc.column - column + 1) : Math.max(1, s.file.lineText(line).length - column + 1);
  out.push('  ' + paint(color, '2', `${' '.repeat(width)} | `) + ' '.repeat(column - 1) + paint(color, '31;1', '^'.repeat(len)));
  return out.join('\n');
}

export function formatDiagnostic(d: Diagnostic, opts: FrameOptions = {}): string {
  const color = opts.color ?? false;
  const label = d.severity === 'error' ? paint(color, '31;1', 'error') : paint(color, '33;1', 'warning');
  const parts = [`${label}: ${formatDiagnosticLine(d)}`];
  if (d.span) parts.push(codeFrame(d.span, opts));
  if (d.hint) parts.push(`  hint: ${d.hint}`);
  for (const r of d.related ?? []) parts.push(`  see ${formatPos(r)}`);
  return parts.join('\n');
}

export function formatDiagnostics(ds: readonly Diagnostic[], opts: FrameOptions = {}): string {
  return ds.map((d) => formatDiagnostic(d, opts)).join('\n\n');
}
