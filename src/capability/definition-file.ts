/**
 * Reads capability definitions from one file, whatever its format
 * (APPFILE.md section 2):
 * - a KubeVela CUE definition file: a header `NAME: {type, description,
 *   attributes, ...}` and a `template: {...}` block, imports above;
 * - YAML custom resources: `ComponentDefinition` / `TraitDefinition`
 *   (core.oam.dev/v1beta1, `spec.schematic.cue.template`) and the legacy
 *   `WorkloadDefinition` / `TraitDefinition` (core.oam.dev/v1alpha2,
 *   `spec.extension.template`).
 * Pure: text in, definitions and diagnostics out.
 */
import { createRequire } from 'node:module';
import type { Document } from 'yaml';
import { error, type Diagnostic, SourceFile, type Span } from '../source/index.js';
import { evaluate, labelKey, parseFile, programFromSyntax, type ast, type Program } from '../cue/index.js';
import type { DefinitionKind, DefinitionOrigin, JsonSchema } from './types.js';

/** A definition as read from its file, before its schema is derived. */
export interface DefinitionSource {
  readonly name: string;
  readonly kind: DefinitionKind;
  readonly description: string;
  readonly appliesTo: readonly string[];
  readonly workloadType?: string;
  readonly status?: { readonly healthPolicy?: string; readonly customStatus?: string };
  readonly podDisruptive?: boolean;
  readonly origin: DefinitionOrigin;
  readonly path: string;
  readonly span?: Span;
  /** The template as a program whose top level is the template's body. */
  readonly program: Program;
  /** The parameter schema when it is known without evaluation (from the build's index). */
  readonly schema?: JsonSchema;
  /** Name of the build-time compiled validator of `schema` (see pipeline/registry.ts). */
  readonly validator?: string;
}

// Loaded on first use: listing CUE definitions should not pay for the YAML parser.
let yamlModule: typeof import('yaml') | undefined;
const yaml = () => (yamlModule ??= createRequire(import.meta.url)('yaml') as typeof import('yaml'));

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function obj(x: unknown): Record<string, Json> {
  return x && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, Json>) : {};
}

function str(x: unknown): string | undefined {
  return typeof x === 'string' ? x : undefined;
}

function strList(x: unknown): string[] {
  return Array.isArray(x) ? x.filter((e): e is string => typeof e === 'string') : [];
}

/** `deployments.apps` from `{apiVersion: apps/v1, kind: Deployment}`. */
export function workloadTypeOf(def: { apiVersion?: string; kind?: string } | undefined): string | undefined {
  if (!def?.kind) return undefined;
  const group = def.apiVersion?.includes('/') ? def.apiVersion.slice(0, def.apiVersion.indexOf('/')) : '';
  const plural = def.kind.toLowerCase().endsWith('s') ? `${def.kind.toLowerCase()}es` : def.kind.toLowerCase().endsWith('y') ? `${def.kind.toLowerCase().slice(0, -1)}ies` : `${def.kind.toLowerCase()}s`;
  return group ? `${plural}.${group}` : plural;
}

function templateProgram(file: ast.File, body: ast.StructLit | ast.File): Program {
  return programFromSyntax(file, body);
}

function spanOfNode(n: ast.Node): Span {
  return { file: n.src, start: n.start, end: n.end };
}

/** Reads a KubeVela CUE definition file. */
export function parseCueDefinition(src: SourceFile, origin: DefinitionOrigin): { definitions: DefinitionSource[]; diagnostics: Diagnostic[] } {
  const { file, diagnostics } = parseFile(src);
  if (diagnostics.length) return { definitions: [], diagnostics };
  let templateField: ast.Field | undefined;
  const headers: ast.Field[] = [];
  for (const d of file.decls) {
    if (d.kind !== 'Field') continue;
    const key = labelKey(d.label);
    if (key === 'template') templateField = d;
    else if (key !== undefined && d.value.kind === 'StructLit') headers.push(d);
  }
  const fileSpan: Span = { file: src, start: 0, end: 0 };
  if (!templateField) return { definitions: [], diagnostics: [error('definition file has no `template: {...}` block', fileSpan, { hint: 'a KubeVela CUE definition has a header `NAME: {type: "component" | "trait", ...}` and a `template: {...}` block' })] };
  if (templateField.value.kind !== 'StructLit') return { definitions: [], diagnostics: [error('`template` must be a struct', spanOfNode(templateField.value))] };
  if (headers.length !== 1) {
    return {
      definitions: [],
      diagnostics: [error(headers.length ? 'definition file has more than one header' : 'definition file has no header `NAME: {type: ...}`', headers[1] ? spanOfNode(headers[1].label) : fileSpan)],
    };
  }
  const header = headers[0]!;
  const name = labelKey(header.label)!;
  // Evaluate the header alone: the template is not concrete without parameters.
  const headerProgram = templateProgram(file, { kind: 'StructLit', src, start: header.start, end: header.end, decls: [header] });
  const evaluated = evaluate(headerProgram);
  const data = evaluated.ok ? evaluated.root.export() : evaluated;
  if (!data.ok) return { definitions: [], diagnostics: [...data.diagnostics] };
  const h = obj(obj(data.data)[name]);
  const type = str(h.type);
  const nameSpan = spanOfNode(header.label);
  if (type !== 'component' && type !== 'trait') {
    const at = header.value.kind === 'StructLit' ? header.value.decls.find((x) => x.kind === 'Field' && labelKey(x.label) === 'type') : undefined;
    return {
      definitions: [],
      diagnostics: [error(`${name}: type must be "component" or "trait"${type ? ` (got ${JSON.stringify(type)})` : ''}`, at ? spanOfNode(at) : nameSpan, { hint: 'workflow-step and policy definitions are not supported by vela' })],
    };
  }
  const attrs = obj(h.attributes);
  const workload = obj(attrs.workload);
  const status = obj(attrs.status);
  const def: DefinitionSource = {
    name,
    kind: type,
    description: str(h.description) ?? '',
    appliesTo: strList(attrs.appliesToWorkloads),
    workloadType: str(workload.type) ?? workloadTypeOf(obj(workload.definition) as { apiVersion?: string; kind?: string }),
    status: str(status.healthPolicy) || str(status.customStatus) ? { healthPolicy: str(status.healthPolicy), customStatus: str(status.customStatus) } : undefined,
    podDisruptive: typeof attrs.podDisruptive === 'boolean' ? attrs.podDisruptive : undefined,
    origin,
    path: src.name,
    span: nameSpan,
    program: templateProgram(file, templateField.value),
  };
  return { definitions: [def], diagnostics: [] };
}

const DEF_KINDS = new Set(['ComponentDefinition', 'TraitDefinition', 'WorkloadDefinition']);

/** Reads YAML definition resources (several documents allowed). */
export function parseYamlDefinitions(src: SourceFile, origin: DefinitionOrigin): { definitions: DefinitionSource[]; diagnostics: Diagnostic[] } {
  const definitions: DefinitionSource[] = [];
  const diagnostics: Diagnostic[] = [];
  let docs: Document.Parsed[];
  try {
    docs = yaml().parseAllDocuments(src.text, { uniqueKeys: true }) as Document.Parsed[];
  } catch (e) {
    return { definitions, diagnostics: [error(`invalid YAML: ${(e as Error).message}`, { file: src, start: 0, end: 0 })] };
  }
  if (!Array.isArray(docs)) return { definitions, diagnostics: [error('invalid YAML stream', { file: src, start: 0, end: 0 })] };
  for (const doc of docs) {
    if (doc.errors.length) {
      const e = doc.errors[0]!;
      diagnostics.push(error(e.message.split('\n')[0]!, { file: src, start: e.pos[0], end: e.pos[1] }));
      continue;
    }
    const v = obj(doc.toJS({ maxAliasCount: 50 }));
    if (Object.keys(v).length === 0) continue;
    const kind = str(v.kind);
    const at = (path: string[]): Span => {
      const n = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
      const r = n?.range ?? doc.contents?.range;
      return { file: src, start: r?.[0] ?? 0, end: r?.[1] ?? 0 };
    };
    if (!kind || !DEF_KINDS.has(kind)) {
      diagnostics.push(error(`not a definition: kind ${kind ? JSON.stringify(kind) : 'is missing'}`, at(['kind']), { hint: 'expected ComponentDefinition, TraitDefinition or WorkloadDefinition (core.oam.dev)' }));
      continue;
    }
    const meta = obj(v.metadata);
    const name = str(meta.name);
    if (!name) {
      diagnostics.push(error('metadata.name is missing', at(['metadata'])));
      continue;
    }
    const spec = obj(v.spec);
    const tplPath = obj(obj(spec.schematic).cue).template !== undefined ? ['spec', 'schematic', 'cue', 'template'] : ['spec', 'extension', 'template'];
    const tplText = str(obj(obj(spec.schematic).cue).template) ?? str(obj(spec.extension).template);
    if (tplText === undefined) {
      diagnostics.push(error(`${kind} ${name}: no CUE template (spec.schematic.cue.template or spec.extension.template)`, at(['spec'])));
      continue;
    }
    const tplSrc = templateSource(src, doc, tplPath, tplText);
    const parsed = parseFile(tplSrc);
    if (parsed.diagnostics.length) {
      diagnostics.push(...parsed.diagnostics);
      continue;
    }
    const annotations = obj(meta.annotations);
    const workload = obj(spec.workload);
    const status = obj(spec.status);
    definitions.push({
      name,
      kind: kind === 'TraitDefinition' ? 'trait' : 'component',
      description: str(annotations['definition.oam.dev/description']) ?? '',
      appliesTo: strList(spec.appliesToWorkloads),
      workloadType:
        kind === 'WorkloadDefinition'
          ? str(obj(spec.definitionRef).name) ?? name
          : str(workload.type) ?? workloadTypeOf(obj(workload.definition) as { apiVersion?: string; kind?: string }),
      status: str(status.healthPolicy) || str(status.customStatus) ? { healthPolicy: str(status.healthPolicy), customStatus: str(status.customStatus) } : undefined,
      podDisruptive: typeof spec.podDisruptive === 'boolean' ? spec.podDisruptive : undefined,
      origin,
      path: src.name,
      span: at(['metadata', 'name']),
      program: templateProgram(parsed.file, parsed.file),
    });
  }
  return { definitions, diagnostics };
}

/**
 * The template text as a CUE source whose positions are those of the YAML
 * file: for a block scalar, everything before the content is blanked out
 * (keeping line breaks), so line and column stay the same.
 */
function templateSource(src: SourceFile, doc: Document.Parsed, path: string[], text: string): SourceFile {
  const node = doc.getIn(path, true);
  if (yaml().isScalar(node) && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') && node.range) {
    const headerEnd = src.text.indexOf('\n', node.range[0]);
    if (headerEnd >= 0 && node.type === 'BLOCK_LITERAL') {
      const start = headerEnd + 1;
      const end = node.range[1];
      const raw = src.text.slice(start, end);
      // The raw block equals the value plus indentation, which CUE ignores.
      if (raw.replace(/^[ \t]+/gm, '').replace(/\s+$/, '') === text.replace(/^[ \t]+/gm, '').replace(/\s+$/, '')) {
        return new SourceFile(src.name, src.text.slice(0, start).replace(/[^\n]/g, ' ') + raw);
      }
    }
  }
  return new SourceFile(`${src.name} (${path.join('.')})`, text);
}

export function parseDefinitionFile(src: SourceFile, origin: DefinitionOrigin): { definitions: DefinitionSource[]; diagnostics: Diagnostic[] } {
  return /\.ya?ml$/i.test(src.name) ? parseYamlDefinitions(src, origin) : parseCueDefinition(src, origin);
}

/** What the build records about a built-in definition file, so listing needs no CUE evaluation. */
export interface DefinitionIndexEntry {
  readonly file: string;
  /** sha256 of the file's text: an entry is used only while the file is unchanged. */
  readonly hash: string;
  readonly definitions: readonly IndexedDefinition[];
}

export type IndexedDefinition = Omit<DefinitionSource, 'program' | 'origin' | 'path' | 'span'> & { readonly spanStart?: number; readonly spanEnd?: number };

export function indexEntry(file: string, hash: string, defs: readonly DefinitionSource[], extra: (d: DefinitionSource) => { schema?: JsonSchema; validator?: string } = () => ({})): DefinitionIndexEntry {
  return {
    file,
    hash,
    definitions: defs.map((d) => ({
      ...extra(d),
      name: d.name,
      kind: d.kind,
      description: d.description,
      appliesTo: d.appliesTo,
      ...(d.workloadType !== undefined && { workloadType: d.workloadType }),
      ...(d.status !== undefined && { status: d.status }),
      ...(d.podDisruptive !== undefined && { podDisruptive: d.podDisruptive }),
      ...(d.span && { spanStart: d.span.start, spanEnd: d.span.end }),
    })),
  };
}

/** Definitions from an index entry; the template is parsed only when first used. */
export function definitionsFromIndex(entry: DefinitionIndexEntry, src: SourceFile, origin: DefinitionOrigin): DefinitionSource[] {
  let parsed: DefinitionSource[] | undefined;
  const full = (): DefinitionSource[] => {
    if (!parsed) {
      const r = parseDefinitionFile(src, origin);
      if (r.diagnostics.length) throw new Error(`definition file ${src.name} no longer matches its index`);
      parsed = r.definitions;
    }
    return parsed;
  };
  return entry.definitions.map((d, i) => {
    const { spanStart, spanEnd, ...rest } = d;
    return {
      ...rest,
      origin,
      path: src.name,
      span: spanStart !== undefined ? { file: src, start: spanStart, end: spanEnd ?? spanStart } : undefined,
      get program() {
        return full()[i]!.program;
      },
    } as DefinitionSource;
  });
}
