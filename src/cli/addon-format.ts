/**
 * Output of `vela addon ...`: what was enabled, upgraded or disabled (talk on
 * stderr), the list of addons, an addon's status, and the registries (tables
 * on stdout). Pure text from the pipeline's typed results.
 */
import type { AddonListEntry, AddonStatusResult, DisableResult } from '../pipeline/addon-manage.js';
import type { AddonEnableEntry, EnableResult } from '../pipeline/addon-enable.js';
import { formatDiagnostics, type Diagnostic } from '../source/index.js';
import { formatStatus } from './cluster-format.js';
import { formatTable, type CommandOutput } from './format.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function warningsText(warnings: readonly Diagnostic[], color: boolean): string {
  return warnings.length ? formatDiagnostics(warnings, { color }) + '\n' : '';
}

function enabledLine(a: AddonEnableEntry, verb: string): string {
  const version = a.version ? ` ${a.version}` : '';
  const why = a.dependency ? ' (a dependency)' : a.previousVersion !== undefined && a.previousVersion !== a.version ? ` (was ${a.previousVersion || 'unversioned'})` : '';
  const where = a.mode === 'definitions-only' ? 'definitions only, no cluster touched' : `app ${a.app} in namespace ${a.namespace}`;
  const s = a.summary;
  const objects = s ? `: ${s.created} created, ${s.updated} updated, ${s.unchanged} unchanged, ${s.pruned} pruned` : '';
  const defs = a.definitions.length ? `\n  definitions: ${a.definitions.join(', ')}` : '';
  const notes = a.notes ? `\n  ${a.notes.trim().replace(/\n/g, '\n  ')}` : '';
  return `addon ${a.name}${version} ${verb}${why}: ${where}${objects}${defs}${notes}\n`;
}

/** `vela addon enable` / `upgrade`: warnings, then a line per addon in the order they were enabled. */
export function formatAddonEnabled(r: EnableResult, opts: { color: boolean; verb: 'enabled' | 'upgraded' }): CommandOutput {
  const lines = r.addons.map((a) => enabledLine(a, a.dependency ? 'enabled' : opts.verb)).join('');
  return { stderr: warningsText(r.warnings, opts.color) + lines, json: { addons: r.addons.map(jsonEntry), warnings: r.warnings.map((w) => w.message) } };
}

function jsonEntry(a: AddonEnableEntry) {
  const { rendered, application, ...rest } = a;
  return { ...rest, ...(application && { application }), ...(rendered && { manifests: rendered.manifests.map((m) => m.object) }) };
}

/** `vela addon enable --dry-run`: the Applications and manifests on stdout (`text`), warnings and a summary on stderr. */
export function formatAddonDryRun(r: EnableResult, text: string, opts: { color: boolean }): CommandOutput {
  const summary = r.addons.map((a) => `addon ${a.name}${a.version ? ` ${a.version}` : ''}${a.dependency ? ' (a dependency)' : ''}: ${plural(a.rendered?.manifests.length ?? 0, 'object')} in namespace ${a.namespace}; nothing applied or installed\n`).join('');
  return { stdout: text, stderr: warningsText(r.warnings, opts.color) + summary, json: { addons: r.addons.map(jsonEntry), warnings: r.warnings.map((w) => w.message) } };
}

const statusText = (a: AddonListEntry) => (a.status === 'disabled' ? 'disabled' : `${a.status === 'enabled' ? 'enabled' : 'definitions only'} (${a.enabledVersion || 'unversioned'})`);

/** NAME | REGISTRY | DESCRIPTION | AVAILABLE-VERSIONS | STATUS. */
export function formatAddonList(r: { addons: readonly AddonListEntry[]; registries: number }): string {
  if (!r.addons.length) return r.registries ? 'no addons\n' : 'no addons: no registry is configured (vela addon registry add NAME SRC) and none is enabled\n';
  return formatTable(r.addons, [
    { header: 'NAME', get: (a) => a.name },
    { header: 'REGISTRY', get: (a) => a.registry },
    { header: 'DESCRIPTION', get: (a) => a.description },
    { header: 'AVAILABLE-VERSIONS', get: (a) => (a.availableVersions.length ? `[${a.availableVersions.slice(0, 3).join(', ')}${a.availableVersions.length > 3 ? ', …' : ''}]` : '-') },
    { header: 'STATUS', get: statusText },
  ]);
}

/** `vela addon status NAME`. */
export function formatAddonStatus(r: AddonStatusResult, opts: { color?: boolean } = {}): string {
  if (r.status === 'disabled') return `addon ${r.name}: disabled\n`;
  const lines = [
    `addon ${r.name}: ${r.status === 'enabled' ? 'enabled' : 'definitions only'}${r.version ? `, version ${r.version}` : ''}`,
    `  from: ${r.registry === 'local' ? r.source : `registry ${r.registry} (${r.source})`}`,
    `  installed for: ${r.scope === 'project' ? 'this project (.vela/addons)' : 'this user ($VELA_HOME/addons)'}`,
  ];
  if (r.dependencies.length) lines.push(`  depends on: ${r.dependencies.join(', ')}`);
  lines.push(`  definitions: ${r.definitions.length ? r.definitions.join(', ') : 'none'}`);
  if (r.parameters) lines.push(`  parameters: ${Object.keys(r.parameters).length ? JSON.stringify(r.parameters) : 'none (defaults)'}`);
  const head = lines.join('\n') + '\n';
  return r.health ? `${head}\n${formatStatus(r.health, opts)}` : head;
}

/** `vela addon disable NAME`. */
export function formatAddonDisabled(r: DisableResult, opts: { color: boolean }): CommandOutput {
  const what = r.app ? `deleted ${plural(r.deleted.length, 'object')} of app ${r.app} in namespace ${r.namespace}` : 'no cluster objects (definitions only)';
  const defs = r.definitions.length ? `; removed ${plural(r.definitions.length, 'definition file')}` : '';
  return {
    stderr: `${warningsText(r.warnings, opts.color)}addon ${r.name} disabled: ${what}${defs}\n`,
    json: { name: r.name, app: r.app, namespace: r.namespace, deleted: r.deleted, definitions: r.definitions, warnings: r.warnings.map((w) => w.message) },
  };
}

/** NAME | SOURCE. */
export function formatRegistryList(list: readonly { name: string; source: string }[]): string {
  if (!list.length) return 'no addon registries; add one with `vela addon registry add NAME SRC`\n';
  return formatTable(list, [
    { header: 'NAME', get: (r) => r.name },
    { header: 'SOURCE', get: (r) => r.source },
  ]);
}
