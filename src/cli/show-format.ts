/**
 * Printers for the discovery commands: the `vela components` / `vela traits`
 * tables and the `vela show` parameter reference (aligned tables or Markdown).
 * Pure text from the typed results of src/pipeline/discovery.ts.
 */
import type { ComponentSummary, DefinitionReference, DefinitionSummary, ParameterRow, ParameterTable, TraitSummary } from '../pipeline/discovery.js';
import { formatTable, type Column } from './format.js';

export interface ListFormatOptions {
  readonly color?: boolean;
  /** The terminal's width: descriptions are cut to fit it. Absent (not a TTY): full text. */
  readonly width?: number;
}

const GAP = 3;
/** Below this, cutting the description helps nobody: print it whole and let the terminal wrap. */
const MIN_DESCRIPTION = 20;

/** ORIGIN: where it came from (an addon by its name), and the file for anything but a built-in. */
export function sourceLabel(d: Pick<DefinitionSummary, 'origin' | 'path' | 'addon'>): string {
  if (d.origin === 'builtin') return 'builtin';
  return d.origin === 'addon' && d.addon ? `addon ${d.addon} (${d.path})` : `${d.origin} (${d.path})`;
}

/** `NAME | DESCRIPTION | WORKLOAD | ORIGIN`: the rows of `vela components`. */
export function formatComponentList(defs: readonly ComponentSummary[], opts: ListFormatOptions = {}): string {
  return formatList(defs, { header: 'WORKLOAD', get: (d) => d.workload ?? '-' }, opts);
}

/** `NAME | DESCRIPTION | APPLIES-TO | ORIGIN`: the rows of `vela traits`. */
export function formatTraitList(defs: readonly TraitSummary[], opts: ListFormatOptions = {}): string {
  return formatList(defs, { header: 'APPLIES-TO', get: (d) => d.appliesTo.join(', ') }, opts);
}

function formatList<T extends DefinitionSummary>(defs: readonly T[], third: Column<T>, opts: ListFormatOptions): string {
  const columns: Column<T>[] = [{ header: 'NAME', get: (d) => d.name }, { header: 'DESCRIPTION', get: (d) => d.description }, third, { header: 'ORIGIN', get: sourceLabel }];
  // The description gives way first, then the third column (APPLIES-TO can list many workloads), then ORIGIN's path.
  const shrink = [
    { index: 1, min: MIN_DESCRIPTION },
    { index: 2, min: 16 },
    { index: 3, min: 16 },
    { index: 1, min: 10 },
  ];
  return formatTable(defs, fitColumns(defs, columns, shrink, opts.width), { color: opts.color, gap: GAP });
}

/** Cut one column's cells (with …) so the table fits `width`; unchanged when there is no width or too little room. */
export function fitColumn<Row>(rows: readonly Row[], columns: readonly Column<Row>[], index: number, width: number | undefined): Column<Row>[] {
  return fitColumns(rows, columns, [{ index, min: MIN_DESCRIPTION }], width);
}

/**
 * Cut columns (with …) so the table fits `width`: each column of `shrink` in
 * turn, down to its `min`, until the table fits. When it cannot fit even so,
 * or there is no width (not a terminal), every cell stays whole.
 */
export function fitColumns<Row>(rows: readonly Row[], columns: readonly Column<Row>[], shrink: readonly { index: number; min: number }[], width: number | undefined): Column<Row>[] {
  if (!width) return [...columns];
  const widths = columns.map((c) => Math.max(c.header.length, ...rows.map((r) => c.get(r).length)));
  let excess = widths.reduce((a, b) => a + b, 0) + GAP * (columns.length - 1) - width;
  if (excess <= 0) return [...columns];
  const limits = new Map<number, number>();
  for (const { index, min } of shrink) {
    const cut = Math.min(Math.max(0, widths[index]! - min), excess);
    if (cut > 0) limits.set(index, widths[index]! - cut);
    excess -= cut;
    if (excess <= 0) break;
  }
  if (excess > 0) return [...columns];
  return columns.map((c, i) => {
    const limit = limits.get(i);
    return limit === undefined ? c : { ...c, get: (r: Row) => truncate(c.get(r), limit) };
  });
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

export type ReferenceFormat = 'table' | 'markdown';

/** What the NAME cell adds to the field name: its short flag, its alias, whether it is hidden (only shown with --all). */
function parameterNotes(r: ParameterRow): string {
  const notes = [...(r.short ? [`-${r.short}`] : []), ...(r.alias ? [`alias: ${r.alias}`] : []), ...(r.hidden ? ['hidden'] : [])];
  return notes.length ? ` (${notes.join(', ')})` : '';
}

/** The NAME cell, e.g. `image (-i)`. */
export function parameterLabel(r: ParameterRow): string {
  return r.name + parameterNotes(r);
}

const KIND_LABEL = { component: 'component type', trait: 'trait', policy: 'policy', 'workflow-step': 'workflow step' } as const;

/** What a trait's KubeVela attributes mean for the user, in the order they matter. */
function traitFacts(d: TraitSummary): string[] {
  return [
    `applies to ${d.appliesTo.join(', ')}`,
    ...(d.conflictsWith?.length ? [`conflicts with ${d.conflictsWith.join(', ')}`] : []),
    ...(d.stage === 'PreDispatch' ? ['dispatched before the workload (PreDispatch)'] : d.stage === 'PostDispatch' ? ['dispatched after the workload is healthy (PostDispatch)'] : []),
    ...(d.podDisruptive === true ? ['restarts the pods (podDisruptive)'] : d.podDisruptive === false ? ['does not restart the pods'] : []),
    ...(d.workloadRefPath ? [`writes the workload's reference to ${d.workloadRefPath}`] : []),
    ...(d.manageWorkload ? ['creates the workload itself (manageWorkload: vela does not apply it)'] : []),
    ...(d.revisionEnabled ? ['revision-aware (context.revision)'] : []),
  ];
}

function componentFacts(d: ComponentSummary): string[] {
  const terraform = d.terraform ? [d.terraform.type === 'remote' ? `Terraform module ${d.terraform.source ?? ''}`.trim() : 'Terraform configuration (inline HCL)'] : [];
  return [...(d.workload ? [`workload ${d.workload}`] : []), ...terraform];
}

function facts(d: DefinitionSummary): string {
  const what = d.kind === 'component' ? componentFacts(d) : d.kind === 'trait' ? traitFacts(d) : [];
  return [KIND_LABEL[d.kind], ...what, `source ${d.origin} (${d.path})`].join(', ');
}

/** `vela show`: a heading, then one aligned table per struct. */
export function formatReference(ref: DefinitionReference, format: ReferenceFormat, opts: { color?: boolean } = {}): string {
  return format === 'markdown' ? referenceMarkdown(ref) : referenceText(ref, opts.color ?? false);
}

const PARAMETER_COLUMNS: readonly Column<ParameterRow>[] = [
  { header: 'NAME', get: parameterLabel },
  { header: 'DESCRIPTION', get: (r) => r.description },
  { header: 'TYPE', get: (r) => r.type },
  { header: 'REQUIRED', get: (r) => String(r.required) },
  { header: 'DEFAULT', get: (r) => r.default ?? '' },
];

function referenceText(ref: DefinitionReference, color: boolean): string {
  const bold = (s: string) => (color ? `\u001b[1m${s}\u001b[0m` : s);
  const d = ref.definition;
  const parts = [`${bold(d.name)}: ${facts(d)}\n${d.description ? `${d.description}\n` : ''}`];
  for (const t of ref.tables) {
    const title = t.path === '' ? '' : `${bold(t.path)}${t.description ? `: ${t.description}` : ''}\n`;
    parts.push(title + (t.rows.length ? formatTable(t.rows, PARAMETER_COLUMNS, { color, gap: GAP }) : '(no parameters)\n'));
  }
  return parts.join('\n');
}

/** A Markdown table cell: pipes escaped (also inside code spans, as GFM requires), no line breaks. */
const cell = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const code = (s: string) => (s ? `\`${s}\`` : '');

function markdownTable(t: ParameterTable): string {
  if (t.rows.length === 0) return 'No parameters.\n';
  const head = `| ${PARAMETER_COLUMNS.map((c) => c.header).join(' | ')} |\n|${PARAMETER_COLUMNS.map(() => ' --- |').join('')}\n`;
  const body = t.rows.map((r) => `| ${[code(r.name) + parameterNotes(r), r.description, code(r.type), String(r.required), code(r.default ?? '')].map(cell).join(' | ')} |`);
  return head + body.join('\n') + '\n';
}

function referenceMarkdown(ref: DefinitionReference): string {
  const d = ref.definition;
  const parts = [`# ${d.name}\n`];
  if (d.description) parts.push(`${d.description}\n`);
  parts.push(`${facts(d).replace(/^./, (c) => c.toUpperCase())}.\n`);
  for (const t of ref.tables) {
    parts.push(t.path === '' ? '## Parameters\n' : `### ${t.path}\n`);
    if (t.path !== '' && t.description) parts.push(`${t.description}\n`);
    parts.push(markdownTable(t));
  }
  return parts.join('\n');
}
