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

/** SOURCE: the origin (an addon by its name), and the file for anything but a built-in. */
export function sourceLabel(d: Pick<DefinitionSummary, 'origin' | 'path' | 'addon'>): string {
  if (d.origin === 'builtin') return 'builtin';
  return d.origin === 'addon' && d.addon ? `addon ${d.addon} (${d.path})` : `${d.origin} (${d.path})`;
}

/** `NAME | DESCRIPTION | WORKLOAD | SOURCE`: the rows of `vela components`. */
export function formatComponentList(defs: readonly ComponentSummary[], opts: ListFormatOptions = {}): string {
  return formatList(defs, { header: 'WORKLOAD', get: (d) => d.workload ?? '-' }, opts);
}

/** `NAME | DESCRIPTION | APPLIES-TO | SOURCE`: the rows of `vela traits`. */
export function formatTraitList(defs: readonly TraitSummary[], opts: ListFormatOptions = {}): string {
  return formatList(defs, { header: 'APPLIES-TO', get: (d) => d.appliesTo.join(', ') }, opts);
}

function formatList<T extends DefinitionSummary>(defs: readonly T[], third: Column<T>, opts: ListFormatOptions): string {
  const columns: Column<T>[] = [{ header: 'NAME', get: (d) => d.name }, { header: 'DESCRIPTION', get: (d) => d.description }, third, { header: 'SOURCE', get: sourceLabel }];
  return formatTable(defs, fitColumn(defs, columns, 1, opts.width), { color: opts.color, gap: GAP });
}

/** Cut one column's cells (with …) so the table fits `width`; unchanged when there is no width or too little room. */
export function fitColumn<Row>(rows: readonly Row[], columns: readonly Column<Row>[], index: number, width: number | undefined): Column<Row>[] {
  if (!width) return [...columns];
  const widest = (c: Column<Row>) => Math.max(c.header.length, ...rows.map((r) => c.get(r).length));
  const others = columns.reduce((sum, c, i) => (i === index ? sum : sum + widest(c)), 0) + GAP * (columns.length - 1);
  const room = width - others;
  if (room < MIN_DESCRIPTION) return [...columns];
  return columns.map((c, i) => (i === index ? { ...c, get: (r: Row) => truncate(c.get(r), room) } : c));
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

const KIND_LABEL = { component: 'component type', trait: 'trait' } as const;

function facts(d: DefinitionSummary): string {
  const what = d.kind === 'component' ? (d.workload ? `workload ${d.workload}` : '') : `applies to ${d.appliesTo.join(', ')}`;
  return [KIND_LABEL[d.kind], what, `source ${d.origin} (${d.path})`].filter(Boolean).join(', ');
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
