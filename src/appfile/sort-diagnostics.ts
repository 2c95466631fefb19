/** The order diagnostics are shown in: by file position (those without one first), stable otherwise. */
import type { Diagnostic } from '../source/index.js';

export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  return ds
    .map((d, i) => ({ d, i }))
    .sort((a, b) => (a.d.span?.start ?? -1) - (b.d.span?.start ?? -1) || a.i - b.i)
    .map((x) => x.d);
}
