import { parseAppfile } from '../../src/appfile/index.js';
import { formatDiagnosticLine, SourceFile, type Diagnostic } from '../../src/source/index.js';
import { makeRegistry } from './registry.js';

/** Lines of YAML joined with newlines (keeps test sources readable). */
export const yaml = (...lines: string[]) => lines.join('\n') + '\n';

export function parse(text: string, opts: { maxBytes?: number; name?: string } = {}) {
  const file = new SourceFile(opts.name ?? 'vela.yaml', text);
  return parseAppfile(file, makeRegistry(), { dir: '/home/me/shop', ...(opts.maxBytes !== undefined ? { maxBytes: opts.maxBytes } : {}) });
}

/** `file:line:col: path: message` plus ` [hint]` when there is one: what a user reads, minus the frame. */
export function show(d: Diagnostic): string {
  return formatDiagnosticLine(d) + (d.hint ? ` [${d.hint}]` : '');
}

export function errorsOf(text: string, opts: { maxBytes?: number } = {}): string[] {
  const r = parse(text, opts);
  return r.diagnostics.filter((d) => d.severity === 'error').map(show);
}
