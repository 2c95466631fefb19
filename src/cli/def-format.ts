/**
 * Output of `vela def ...`: the list of definitions, what vet found, what
 * apply, delete, sync, install and uninstall did (talk on stderr, data on
 * stdout), each with the document `--json` prints. Pure text from the
 * pipeline's typed results.
 */
import type { ApplyDefinitionsResult, SyncResult } from '../pipeline/def-cluster.js';
import type { InstallResult } from '../pipeline/def-install.js';
import type { VetEntry } from '../pipeline/def-local.js';
import type { DefinitionSummary } from '../pipeline/discovery.js';
import { formatDiagnostics, type Diagnostic } from '../source/index.js';
import { formatTable, type CommandOutput } from './format.js';
import { sourceLabel } from './show-format.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** NAME | TYPE | DESCRIPTION | SOURCE. */
export function formatDefinitionList(defs: readonly DefinitionSummary[], opts: { color?: boolean } = {}): string {
  if (!defs.length) return 'no definitions\n';
  return formatTable(
    defs,
    [
      { header: 'NAME', get: (d) => d.name },
      { header: 'TYPE', get: (d) => d.kind },
      { header: 'DESCRIPTION', get: (d) => d.description },
      { header: 'SOURCE', get: sourceLabel },
    ],
    { color: opts.color },
  );
}

/** `vela def vet`: a line per good file; problems are thrown (and printed) by the command. */
export function formatVet(files: readonly VetEntry[]): CommandOutput {
  const lines = files.map((f) => `${f.file}: ok (${f.definitions.map((d) => `${d.type} ${d.name}`).join(', ') || 'no definitions'})\n`).join('');
  return { stdout: lines, json: { files } };
}

/** `vela def apply`: with --dry-run the objects as YAML on stdout; else a line per object on stderr. */
export function formatDefinitionsApplied(r: ApplyDefinitionsResult): CommandOutput {
  const json = { namespace: r.namespace, dryRun: r.dryRun, objects: r.objects.map(({ object, ...rest }) => (r.dryRun ? { ...rest, object } : rest)) };
  if (r.dryRun) {
    return { stdout: r.text ?? '', stderr: `${plural(r.objects.length, 'definition')} for namespace ${r.namespace}; nothing applied (--dry-run)\n`, json };
  }
  const lines = r.objects.map((o) => `${o.kind} ${o.name} ${o.action} (from ${o.file})\n`).join('');
  return { stderr: `${lines}${plural(r.objects.length, 'definition')} applied in namespace ${r.namespace}\n`, json };
}

/** `vela def sync --from-cluster`: added/updated/removed, then what was left out. */
export function formatSync(r: SyncResult, opts: { color: boolean }): CommandOutput {
  const list = (label: string, names: readonly string[]) => (names.length ? `  ${label}: ${names.join(', ')}\n` : '');
  const skipped = r.skipped.length ? `  skipped: ${r.skipped.map((s) => `${s.kind} ${s.name} (${s.reason})`).join('; ')}\n` : '';
  const head = `synced namespace ${r.namespace} into ${r.dir}: ${r.added.length} added, ${r.updated.length} updated, ${r.removed.length} removed, ${r.unchanged.length} unchanged\n`;
  return {
    stderr: warnings(r.warnings, opts.color) + head + list('added', r.added) + list('updated', r.updated) + list('removed', r.removed) + skipped,
    json: { namespace: r.namespace, dir: r.dir, added: r.added, updated: r.updated, removed: r.removed, unchanged: r.unchanged, skipped: r.skipped },
  };
}

function warnings(list: readonly Diagnostic[], color: boolean): string {
  return list.length ? formatDiagnostics(list, { color }) + '\n' : '';
}

/** `vela def install`: per source, its files and what happened to each. */
export function formatInstalled(r: InstallResult): CommandOutput {
  const lines = r.installed
    .map((s) => {
      const at = s.commit ? ` at ${s.commit.slice(0, 12)}` : '';
      const files = s.files.map((f) => `  ${f.action} .vela/definitions/${f.file}\n`).join('') + s.removed.map((f) => `  removed .vela/definitions/${f}\n`).join('');
      return `${s.name}: ${s.source}${at}\n${files}`;
    })
    .join('');
  return { stderr: `${lines}recorded in .vela/definitions.lock\n`, json: r };
}

/** `vela def uninstall NAME`. */
export function formatUninstalled(r: { name: string; source: string; removed: readonly string[] }): CommandOutput {
  return { stderr: `uninstalled ${r.name} (${r.source}): removed ${r.removed.map((f) => `.vela/definitions/${f}`).join(', ') || 'no files'}\n`, json: r };
}

/** `vela def get`: the CUE file, or the object as YAML; --json prints the object. */
export function formatDefinitionGot(r: { object: unknown; cue: string; yaml: string }, output: 'cue' | 'yaml'): CommandOutput {
  return { stdout: output === 'yaml' ? r.yaml : r.cue, json: r.object };
}
