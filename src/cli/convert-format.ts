/** Output of `vela convert`: the Appfile on stdout (or where it was written), the warnings of the conversion on stderr. */
import type { ConvertResult } from '../pipeline/convert.js';
import { formatDiagnostics } from '../source/index.js';
import type { CommandOutput } from './format.js';

export function formatConversion(r: ConvertResult, opts: { color: boolean }): CommandOutput {
  const warnings = r.warnings.length ? formatDiagnostics(r.warnings, { color: opts.color }) + '\n' : '';
  const json = { source: r.source, format: r.format, ...(r.written ? { written: r.written } : { appfile: r.text }), warnings: r.warnings.length };
  if (r.written) return { stderr: `${warnings}wrote ${r.written} (from ${r.source})\n`, json };
  return { stderr: warnings, stdout: r.text, json };
}
