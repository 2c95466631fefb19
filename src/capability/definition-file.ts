/**
 * Reads capability definitions from one file, whatever its format
 * (APPFILE.md section 2):
 * - a KubeVela CUE definition file: a header `NAME: {type, description,
 *   labels, attributes}` and a `template: {...}` block, imports above. As in
 *   KubeVela, `attributes` is the resource's `spec` (appliesToWorkloads,
 *   conflictsWith, stage, workload, status, schematic, ...);
 * - YAML custom resources: `ComponentDefinition`, `TraitDefinition`,
 *   `PolicyDefinition`, `WorkflowStepDefinition` (core.oam.dev/v1beta1,
 *   `spec.schematic.cue.template`, or `spec.schematic.terraform` for a
 *   Terraform component) and the legacy `WorkloadDefinition` /
 *   `TraitDefinition` (core.oam.dev/v1alpha2, `spec.extension.template`).
 * Pure: text in, definitions and diagnostics out.
 */
import { createRequire } from 'node:module';
import type { Document } from 'yaml';
import { error, type Diagnostic, SourceFile, type Span } from '../source/index.js';
import { compile, evaluate, labelKey, parseFile, programFromSyntax, type ast, type Program } from '../cue/index.js';
import { terraformSchematic } from './terraform.js';
import { workloadTypeOf } from './workload-type.js';
import { TRAIT_STAGES, type DefinitionKind, type DefinitionOrigin, type JsonSchema, type TerraformSchematic, type TraitAttributes, type TraitStage } from './types.js';

/** A definition as read from its file, before its schema is derived. */
export interface DefinitionSource extends TraitAttributes {
  readonly name: string;
  readonly kind: DefinitionKind;
  readonly description: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly appliesTo: readonly string[];
  readonly workloadType?: string;
  readonly status?: { readonly healthPolicy?: string; readonly customStatus?: string };
  /** Read from a core.oam.dev/v1alpha2 resource (`spec.extension.template`): the service's image also goes to `context.image`. */
  readonly legacyFormat?: boolean;
  /** A Terraform component: rendered to a Configuration, its `program` is empty. */
  readonly terraform?: TerraformSchematic;
  /** The resource's annotations, when a Terraform Configuration carries them (as in KubeVela). */
  readonly annotations?: Readonly<Record<string, string>>;
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

function templateProgram(file: ast.File, body: ast.StructLit | ast.File): Program {
  return programFromSyntax(file, body);
}

function spanOfNode(n: ast.Node): Span {
  return { file: n.src, start: n.start, end: n.end };
}

const DESCRIPTION = 'definition.oam.dev/description';

const isKind = (k: string | undefined): k is DefinitionKind => k === 'component' || k === 'trait' || k === 'policy' || k === 'workflow-step';

/** The program of a definition without a CUE template (a Terraform component). */
const EMPTY_PROGRAM: Program = compile([{ name: '<no template>', text: '' }]);

function labelsOf(x: unknown): { labels?: Record<string, string> } {
  const entries = Object.entries(obj(x)).filter((e): e is [string, string] => typeof e[1] === 'string');
  return entries.length ? { labels: Object.fromEntries(entries) } : {};
}

type SpecFields = Omit<DefinitionSource, 'name' | 'kind' | 'description' | 'labels' | 'origin' | 'path' | 'span' | 'program' | 'schema' | 'validator'>;

/**
 * What vela reads of a definition's spec (the `attributes` of a CUE definition
 * file): the same fields in both formats, as KubeVela encodes one into the other.
 */
function readSpec(kind: DefinitionKind, spec: Record<string, Json>, name: string): { fields: SpecFields } | { problem: string } {
  const workload = obj(spec.workload);
  const status = obj(spec.status);
  const fields: { -readonly [K in keyof SpecFields]: SpecFields[K] } = {
    appliesTo: strList(spec.appliesToWorkloads),
    workloadType: str(workload.type) ?? workloadTypeOf(obj(workload.definition) as { apiVersion?: string; kind?: string }),
    status: str(status.healthPolicy) || str(status.customStatus) ? { healthPolicy: str(status.healthPolicy), customStatus: str(status.customStatus) } : undefined,
  };
  if (typeof spec.podDisruptive === 'boolean') fields.podDisruptive = spec.podDisruptive;
  if (kind === 'trait') {
    const conflicts = strList(spec.conflictsWith);
    if (conflicts.length) fields.conflictsWith = conflicts;
    const stage = str(spec.stage);
    if (stage !== undefined && stage !== '') {
      if (!TRAIT_STAGES.includes(stage as TraitStage)) return { problem: `${name}: stage must be one of ${TRAIT_STAGES.join(', ')} (got ${JSON.stringify(stage)})` };
      fields.stage = stage as TraitStage;
    }
    if (str(spec.workloadRefPath)) fields.workloadRefPath = str(spec.workloadRefPath);
    if (spec.manageWorkload === true) fields.manageWorkload = true;
    if (spec.revisionEnabled === true) fields.revisionEnabled = true;
    const resource = str(obj(spec.definitionRef).name);
    if (resource) fields.resource = resource;
  }
  const terraform = obj(obj(spec.schematic).terraform);
  if (kind === 'component' && Object.keys(terraform).length) {
    const t = terraformSchematic(terraform);
    if ('problem' in t) return { problem: `${name}: schematic.terraform: ${t.problem}` };
    fields.terraform = t.schematic;
    fields.workloadType ??= 'configurations.terraform.core.oam.dev';
  }
  return { fields };
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
  // Evaluate the header alone: the template is not concrete without parameters. A package vela does not
  // have (KubeVela's `vela/op`, `vela/kube`) is the template's problem, reported when the template is used.
  const withImports = templateProgram(file, { kind: 'StructLit', src, start: header.start, end: header.end, decls: [header] });
  const headerProgram: Program = { ...withImports, diagnostics: withImports.diagnostics.filter((d) => d.code !== 'cue/unknown-package') };
  const evaluated = evaluate(headerProgram);
  const data = evaluated.ok ? evaluated.root.export() : evaluated;
  if (!data.ok) return { definitions: [], diagnostics: [...data.diagnostics] };
  const h = obj(obj(data.data)[name]);
  const type = str(h.type);
  const nameSpan = spanOfNode(header.label);
  const kind = type === 'workload' ? 'component' : type;
  if (!isKind(kind)) {
    const at = header.value.kind === 'StructLit' ? header.value.decls.find((x) => x.kind === 'Field' && labelKey(x.label) === 'type') : undefined;
    return {
      definitions: [],
      diagnostics: [
        error(`${name}: type must be "component", "trait", "policy" or "workflow-step"${type ? ` (got ${JSON.stringify(type)})` : ''}`, at ? spanOfNode(at) : nameSpan, {
          hint: 'a KubeVela CUE definition starts with `NAME: {type: "component", ...}`',
        }),
      ],
    };
  }
  const annotations = obj(h.annotations);
  const spec = readSpec(kind, obj(h.attributes), name);
  if ('problem' in spec) return { definitions: [], diagnostics: [error(spec.problem, nameSpan)] };
  const def: DefinitionSource = {
    name,
    kind,
    description: str(h.description) ?? str(annotations[DESCRIPTION]) ?? '',
    ...labelsOf(h.labels),
    ...spec.fields,
    origin,
    path: src.name,
    span: nameSpan,
    program: spec.fields.terraform ? EMPTY_PROGRAM : templateProgram(file, templateField.value),
  };
  return { definitions: [def], diagnostics: [] };
}

/** The definition resources vela reads, by kind, with the kind of definition each one is. */
const DEF_KINDS: Readonly<Record<string, DefinitionKind>> = {
  ComponentDefinition: 'component',
  WorkloadDefinition: 'component',
  TraitDefinition: 'trait',
  PolicyDefinition: 'policy',
  WorkflowStepDefinition: 'workflow-step',
};

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
    const resourceKind = str(v.kind);
    const at = (path: string[]): Span => {
      const n = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
      const r = n?.range ?? doc.contents?.range;
      return { file: src, start: r?.[0] ?? 0, end: r?.[1] ?? 0 };
    };
    const kind = resourceKind !== undefined && Object.hasOwn(DEF_KINDS, resourceKind) ? DEF_KINDS[resourceKind]! : undefined;
    if (!resourceKind || !kind) {
      diagnostics.push(
        error(`not a definition: kind ${resourceKind ? JSON.stringify(resourceKind) : 'is missing'}`, at(['kind']), {
          hint: `expected ${Object.keys(DEF_KINDS).join(', ')} (core.oam.dev)`,
        }),
      );
      continue;
    }
    const meta = obj(v.metadata);
    const name = str(meta.name);
    if (!name) {
      diagnostics.push(error('metadata.name is missing', at(['metadata'])));
      continue;
    }
    const spec = obj(v.spec);
    const read = readSpec(kind, spec, `${resourceKind} ${name}`);
    if ('problem' in read) {
      diagnostics.push(error(read.problem, at(['spec'])));
      continue;
    }
    const fields: SpecFields = resourceKind === 'WorkloadDefinition' ? { ...read.fields, workloadType: str(obj(spec.definitionRef).name) ?? read.fields.workloadType ?? name } : read.fields;
    const annotations = obj(meta.annotations);
    const common = { name, kind, description: str(annotations[DESCRIPTION]) ?? '', ...labelsOf(meta.labels), ...fields, origin, path: src.name, span: at(['metadata', 'name']) };
    if (fields.terraform) {
      // Terraform wins over a CUE template, as in KubeVela; its parameters are the configuration's variables.
      definitions.push({ ...common, ...(Object.keys(annotations).length && { annotations: stringMap(annotations) }), program: EMPTY_PROGRAM });
      continue;
    }
    const fromSchematic = obj(obj(spec.schematic).cue).template !== undefined;
    const tplPath = fromSchematic ? ['spec', 'schematic', 'cue', 'template'] : ['spec', 'extension', 'template'];
    const tplText = str(obj(obj(spec.schematic).cue).template) ?? str(obj(spec.extension).template);
    if (tplText === undefined) {
      diagnostics.push(error(`${resourceKind} ${name}: no CUE template (spec.schematic.cue.template or spec.extension.template)`, at(['spec'])));
      continue;
    }
    const tplSrc = templateSource(src, doc, tplPath, tplText);
    const parsed = parseFile(tplSrc);
    if (parsed.diagnostics.length) {
      diagnostics.push(...parsed.diagnostics);
      continue;
    }
    const legacy = !fromSchematic || str(v.apiVersion) === 'core.oam.dev/v1alpha2';
    definitions.push({ ...common, ...(legacy && { legacyFormat: true }), program: templateProgram(parsed.file, parsed.file) });
  }
  return { definitions, diagnostics };
}

function stringMap(x: Record<string, Json>): Record<string, string> {
  return Object.fromEntries(Object.entries(x).filter((e): e is [string, string] => typeof e[1] === 'string'));
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
    definitions: defs.map((d) => {
      // Everything the header says; the template stays in the file.
      const { program: _program, origin: _origin, path: _path, span, schema: _schema, validator: _validator, ...header } = d;
      const defined = Object.fromEntries(Object.entries(header).filter(([, value]) => value !== undefined)) as typeof header;
      return { ...extra(d), ...defined, ...(span && { spanStart: span.start, spanEnd: span.end }) };
    }),
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
