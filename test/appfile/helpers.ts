import { parseAppfile, resolveAppModel } from '../../src/appfile/index.js';
import type { Registry } from '../../src/capability/types.js';
import { formatDiagnosticLine, SourceFile, type Diagnostic } from '../../src/source/index.js';
import { makeRegistry } from './registry.js';

/** Lines of YAML joined with newlines (keeps test sources readable). */
export const yaml = (...lines: string[]) => lines.join('\n') + '\n';

/** Parse and resolve an Appfile, as `vela dry-run` reads it. */
export function parse(text: string, opts: { maxBytes?: number; name?: string; registry?: Registry; dir?: string } = {}) {
  const file = new SourceFile(opts.name ?? 'vela.yaml', text);
  const parsed = parseAppfile(file, { dir: opts.dir ?? '/home/me/shop', ...(opts.maxBytes !== undefined ? { maxBytes: opts.maxBytes } : {}) });
  return resolveAppModel(parsed, opts.registry ?? makeRegistry());
}

/** `file:line:col: path: message` plus ` [hint]` when there is one: what a user reads, minus the frame. */
export function show(d: Diagnostic): string {
  return formatDiagnosticLine(d) + (d.hint ? ` [${d.hint}]` : '');
}

export function errorsOf(text: string, opts: { maxBytes?: number; registry?: Registry } = {}): string[] {
  const r = parse(text, opts);
  return r.diagnostics.filter((d) => d.severity === 'error').map(show);
}
