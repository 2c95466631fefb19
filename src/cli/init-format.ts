/** Output of `vela init`: what was written and what to run next, on stderr. */
import type { InitResult } from '../pipeline/init.js';
import { formatDiagnostics } from '../source/index.js';
import type { CommandOutput } from './format.js';

/** `bin` is how the user calls vela, for the next commands to run. */
export function formatInit(r: InitResult, bin: string, opts: { color?: boolean } = {}): CommandOutput<InitResult> {
  const next = `next: \`${bin} dry-run\` to see the manifests, \`${bin} up\` to deploy\n`;
  if (r.written && r.convertedFrom) {
    const warnings = r.warnings?.length ? formatDiagnostics(r.warnings, { color: opts.color ?? false }) + '\n' : '';
    return { stderr: `${warnings}converted ${r.convertedFrom} to ${r.path} (app ${r.name}: ${r.services.join(', ')})\n${next}`, json: r };
  }
  if (r.written) return { stderr: `wrote ${r.path} (app ${r.name}: ${r.services.join(', ')})\n${next}`, json: r };
  if (r.next) return { stderr: `nothing written; run \`${r.next}\`\n`, json: r };
  return { stderr: `${r.path} left as it was\n`, json: r };
}
