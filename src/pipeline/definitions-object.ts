/**
 * Definitions as the objects a KubeVela cluster stores, and back: a CUE
 * definition file (`NAME: {type, description, attributes, labels,
 * annotations}` and `template: {...}`) becomes a ComponentDefinition,
 * TraitDefinition, PolicyDefinition or WorkflowStepDefinition
 * (core.oam.dev/v1beta1) the way KubeVela converts it:
 *
 * - `description` and `alias` → the annotations `definition.oam.dev/description`
 *   and `definition.oam.dev/alias`; other annotations and labels keep their
 *   key when it names `oam.dev`, else get the prefix `custom.definition.oam.dev/`;
 * - `attributes` → `spec` as they are (workload, status, appliesToWorkloads, …);
 * - the template's body, as written (comments carry `+usage`), with the file's
 *   imports above it → `spec.schematic.cue.template`.
 *
 * And an object → a CUE definition file (`vela def get`), the other way round.
 */
import { evaluate, labelKey, parseFile, programFromSyntax, type ast } from '../cue/index.js';
import { error, SourceFile, type Diagnostic, type Span } from '../source/index.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type DefinitionObject = { [key: string]: Json };

export const DEFINITION_API = 'core.oam.dev/v1beta1';

/** KubeVela's definition types and the kinds that hold them. */
export const KIND_OF_TYPE = {
  component: 'ComponentDefinition',
  trait: 'TraitDefinition',
  policy: 'PolicyDefinition',
  'workflow-step': 'WorkflowStepDefinition',
} as const;
export type DefinitionType = keyof typeof KIND_OF_TYPE;
export const DEFINITION_TYPES = Object.keys(KIND_OF_TYPE) as DefinitionType[];
export const TYPE_OF_KIND: Record<string, DefinitionType> = Object.fromEntries(Object.entries(KIND_OF_TYPE).map(([t, k]) => [k, t as DefinitionType]));

const DESCRIPTION = 'definition.oam.dev/description';
const ALIAS = 'definition.oam.dev/alias';
const USER_PREFIX = 'custom.definition.oam.dev/';

const obj = (x: unknown): Record<string, Json> => (x !== null && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, Json>) : {});
const spanOf = (n: { src: SourceFile; start: number; end: number }): Span => ({ file: n.src, start: n.start, end: n.end });

/** The parts of a CUE definition file: its header's data, its template's text and where things are. */
export interface CueDefinitionParts {
  readonly name: string;
  readonly type: string;
  readonly header: Record<string, Json>;
  /** The imports and the template's body, as the object's template. */
  readonly template: string;
  readonly nameSpan: Span;
}

/** Dedents lines by their common leading whitespace (the template's own indentation in the file). */
function dedent(text: string): string {
  const lines = text.replace(/^\s*\n/, '').replace(/\s+$/, '').split('\n');
  const indents = lines.filter((l) => l.trim()).map((l) => /^[\t ]*/.exec(l)![0]);
  let common = indents[0] ?? '';
  for (const i of indents) while (!i.startsWith(common)) common = common.slice(0, -1);
  return lines.map((l) => (l.startsWith(common) ? l.slice(common.length) : l.trimStart())).join('\n') + '\n';
}

function importsText(file: ast.File): string {
  if (!file.imports.length) return '';
  const lines = file.imports.map((i) => `\t${i.name ? `${i.name} ` : ''}${JSON.stringify(i.path)}`);
  return `import (\n${lines.join('\n')}\n)\n\n`;
}

/** Reads a CUE definition file's header and template (any of KubeVela's types). */
export function readCueDefinition(src: SourceFile): { parts?: CueDefinitionParts; diagnostics: Diagnostic[] } {
  const { file, diagnostics } = parseFile(src);
  if (diagnostics.length) return { diagnostics: [...diagnostics] };
  let template: ast.Field | undefined;
  const headers: ast.Field[] = [];
  for (const d of file.decls) {
    if (d.kind !== 'Field') continue;
    const key = labelKey(d.label);
    if (key === 'template') template = d;
    else if (key !== undefined && d.value.kind === 'StructLit') headers.push(d);
  }
  const top: Span = { file: src, start: 0, end: 0 };
  if (!template || template.value.kind !== 'StructLit') return { diagnostics: [error('definition file has no `template: {...}` block', template ? spanOf(template.value) : top, { code: 'def/shape' })] };
  if (headers.length !== 1) return { diagnostics: [error(headers.length ? 'definition file has more than one header' : 'definition file has no header `NAME: {type: ...}`', headers[1] ? spanOf(headers[1].label) : top, { code: 'def/shape' })] };
  const header = headers[0]!;
  const name = labelKey(header.label)!;
  // The header alone: a package vela lacks (KubeVela's `vela/op`, which most workflow steps import) is the template's business.
  const withImports = programFromSyntax(file, { kind: 'StructLit', src, start: header.start, end: header.end, decls: [header] });
  const evaluated = evaluate({ ...withImports, diagnostics: withImports.diagnostics.filter((d) => d.code !== 'cue/unknown-package') });
  const data = evaluated.ok ? evaluated.root.export() : evaluated;
  if (!data.ok) return { diagnostics: [...data.diagnostics] };
  const h = obj(obj(data.data)[name]);
  const type = typeof h.type === 'string' ? h.type : '';
  if (!(type in KIND_OF_TYPE)) {
    return { diagnostics: [error(`${name}: type must be one of ${DEFINITION_TYPES.map((t) => `"${t}"`).join(', ')}${type ? ` (got ${JSON.stringify(type)})` : ''}`, spanOf(header.label), { code: 'def/type' })] };
  }
  // The body between the braces, as written.
  const body = src.text.slice(template.value.start + 1, template.value.end - 1);
  return { parts: { name, type, header: h, template: importsText(file) + dedent(body), nameSpan: spanOf(header.label) }, diagnostics: [] };
}

/** A CUE definition file → its cluster object in `namespace`. */
export function cueDefinitionObject(parts: CueDefinitionParts, namespace: string): DefinitionObject {
  const h = parts.header;
  const annotations: Record<string, string> = {};
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(h.annotations))) annotations[k.includes('oam.dev') ? k : USER_PREFIX + k] = String(v);
  for (const [k, v] of Object.entries(obj(h.labels))) labels[k.includes('oam.dev') ? k : USER_PREFIX + k] = String(v);
  if (typeof h.description === 'string' && h.description) annotations[DESCRIPTION] = h.description;
  if (typeof h.alias === 'string' && h.alias) annotations[ALIAS] = h.alias;
  const metadata: Record<string, Json> = { name: parts.name, namespace };
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  if (Object.keys(labels).length) metadata.labels = labels;
  return {
    apiVersion: DEFINITION_API,
    kind: KIND_OF_TYPE[parts.type as DefinitionType],
    metadata,
    spec: { ...obj(h.attributes), schematic: { cue: { template: parts.template } } },
  };
}

// --------------------------------------------------------------------------- CUE text

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const KEYWORDS = new Set(['package', 'import', 'for', 'in', 'if', 'let', 'true', 'false', 'null', '_', '_|_']);

/** A label as CUE writes it: bare when it can be, else quoted. */
export function cueLabel(key: string): string {
  return IDENT.test(key) && !KEYWORDS.has(key) && !key.startsWith('#') && !key.startsWith('_') ? key : JSON.stringify(key);
}

/** Plain data as CUE text (tabs, one field per line), for scaffolds and `vela def get`. */
export function cueLiteral(value: unknown, indent = ''): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value.includes('\n') ? multiline(value, indent) : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const inner = `${indent}\t`;
  if (Array.isArray(value)) {
    if (!value.length) return '[]';
    return `[\n${value.map((v) => `${inner}${cueLiteral(v, inner)},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (!entries.length) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${cueLabel(k)}: ${cueLiteral(v, inner)}`).join('\n')}\n${indent}}`;
}

/** A multi-line string as a CUE `"""` block (escapes kept for backslashes and `"""`). */
function multiline(s: string, indent: string): string {
  const inner = `${indent}\t`;
  const body = s.replace(/\\/g, '\\\\').replace(/"""/g, '\\"""').replace(/\n$/, '').split('\n').map((l) => (l ? inner + l : l)).join('\n');
  return `"""\n${body}\n${inner}"""`;
}

/** A definition object → a CUE definition file (`vela def get`). */
export function definitionObjectToCue(o: DefinitionObject): string {
  const meta = obj(o.metadata);
  const type = TYPE_OF_KIND[String(o.kind)] ?? 'component';
  const spec = { ...obj(o.spec) };
  const template = typeof obj(obj(spec.schematic).cue).template === 'string' ? String(obj(obj(spec.schematic).cue).template) : '';
  delete spec.schematic;
  const annotations = { ...obj(meta.annotations) } as Record<string, Json>;
  const description = annotations[DESCRIPTION];
  const alias = annotations[ALIAS];
  delete annotations[DESCRIPTION];
  delete annotations[ALIAS];
  delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
  const strip = (m: Record<string, Json>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k.startsWith(USER_PREFIX) ? k.slice(USER_PREFIX.length) : k, v]));
  const header: Record<string, unknown> = { type };
  if (typeof alias === 'string') header.alias = alias;
  header.annotations = strip(annotations);
  header.labels = strip({ ...obj(meta.labels) });
  header.description = typeof description === 'string' ? description : '';
  header.attributes = spec;
  // Imports stay at the top of the file; the rest is the template's body.
  const src = new SourceFile('template', template);
  const parsed = parseFile(src);
  const imports = parsed.diagnostics.length ? '' : importsText(parsed.file);
  // Everything after the import clauses (`import "x"`, `import (...)`) at the top.
  const body = imports ? template.replace(/^(?:\s*(?:\/\/[^\n]*\n)*\s*import\s*(?:\([^)]*\)|(?:[A-Za-z_]\w*\s+)?"[^"\n]*"))+/, '') : template;
  const indented = body.replace(/^\s*\n/, '').replace(/\s+$/, '').split('\n').map((l) => (l ? `\t${l}` : l)).join('\n');
  return `${imports}${cueLabel(String(meta.name))}: ${cueLiteral(header)}\ntemplate: {\n${indented}\n}\n`;
}
