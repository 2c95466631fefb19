/**
 * Discovery: what `vela components`, `vela traits` and `vela show` print
 * (`show` also describes policy and workflow-step definitions).
 * Listing reads the lookup path only (schemas stay underived, so a listing is
 * cheap and survives a definition whose template cannot be evaluated);
 * `show` derives one definition's parameter schema and turns it into tables,
 * one for the top-level parameters and one per nested struct.
 * The functions return plain data; formatting lives in src/cli/show-format.ts.
 */
import type { DefinitionKind, DefinitionOrigin, JsonSchema, TerraformSchematic, TraitAttributes } from '../capability/index.js';
import { DiagnosticError, didYouMean, error, type Diagnostic } from '../source/index.js';
import { addonOf, loadRegistry, type RegistryOptions } from './registry.js';

interface SummaryBase {
  readonly name: string;
  readonly description: string;
  readonly origin: DefinitionOrigin;
  /** The file it came from, relative to the working directory when inside it (`definitions/x.cue` for built-ins). */
  readonly path: string;
  /** The enabled addon that installed it (origin `addon`). */
  readonly addon?: string;
}

/** One row of `vela components` (and of its --json). */
export interface ComponentSummary extends SummaryBase {
  readonly kind: 'component';
  /** The workload it produces, e.g. `deployments.apps`; null when the definition does not say. */
  readonly workload: string | null;
  /** A Terraform component: where its module comes from (`hcl` inline, `remote` git URL). */
  readonly terraform?: { readonly type: TerraformSchematic['type']; readonly source?: string };
}

/** One row of `vela traits` (and of its --json), with the trait's KubeVela attributes when it sets them. */
export interface TraitSummary extends SummaryBase, Pick<TraitAttributes, (typeof TRAIT_ATTRIBUTES)[number]> {
  readonly kind: 'trait';
  /** The workloads or component types it applies to; `['*']` for all. */
  readonly appliesTo: readonly string[];
}

/** A policy or workflow-step definition (what `vela show` says about one). */
export interface OtherSummary extends SummaryBase {
  readonly kind: 'policy' | 'workflow-step';
}

export type DefinitionSummary = ComponentSummary | TraitSummary | OtherSummary;

export interface DefinitionList<T extends DefinitionSummary = DefinitionSummary> {
  readonly definitions: readonly T[];
  /** Warnings of the lookup (e.g. one name defined twice in one folder), for stderr. */
  readonly warnings: readonly Diagnostic[];
}

export type DiscoveryOptions = RegistryOptions;

interface DefinitionLike extends TraitAttributes {
  readonly name: string;
  readonly kind: DefinitionKind;
  readonly description: string;
  readonly appliesTo: readonly string[];
  readonly workloadType?: string;
  readonly terraform?: TerraformSchematic;
  readonly origin: DefinitionOrigin;
  readonly path: string;
}

const TRAIT_ATTRIBUTES = ['conflictsWith', 'podDisruptive', 'stage', 'workloadRefPath', 'manageWorkload', 'revisionEnabled'] as const;

function summarize(d: DefinitionLike): DefinitionSummary {
  const { name, description, origin, path } = d;
  const addon = origin === 'addon' ? addonOf(path) : undefined;
  const from = { origin, path, ...(addon !== undefined && { addon }) };
  if (d.kind === 'component') {
    const terraform = d.terraform && { type: d.terraform.type, ...(d.terraform.type === 'remote' && { source: d.terraform.path ? `${d.terraform.configuration}//${d.terraform.path}` : d.terraform.configuration }) };
    return { name, kind: 'component', description, workload: d.workloadType ?? null, ...(terraform && { terraform }), ...from };
  }
  if (d.kind === 'trait') {
    const attributes = Object.fromEntries(TRAIT_ATTRIBUTES.filter((k) => d[k] !== undefined).map((k) => [k, d[k]]));
    // An empty list means "everything" in KubeVela; say so instead of printing nothing.
    return { name, kind: 'trait', description, appliesTo: d.appliesTo.length ? d.appliesTo : ['*'], ...attributes, ...from };
  }
  return { name, kind: d.kind, description, ...from };
}

/** The component types of the lookup path, sorted by name; the first definition of a name wins. */
export async function listComponents(opts: DiscoveryOptions): Promise<DefinitionList<ComponentSummary>> {
  const { registry, warnings } = await loadRegistry(opts);
  return { definitions: registry.components().map((d) => summarize(d) as ComponentSummary), warnings };
}

/** The traits of the lookup path, sorted by name; the first definition of a name wins. */
export async function listTraits(opts: DiscoveryOptions): Promise<DefinitionList<TraitSummary>> {
  const { registry, warnings } = await loadRegistry(opts);
  return { definitions: registry.traits().map((d) => summarize(d) as TraitSummary), warnings };
}

/** The policies, then the workflow steps, of the lookup path, each sorted by name (what `vela def list` adds). */
export async function listPoliciesAndSteps(opts: DiscoveryOptions): Promise<DefinitionList<OtherSummary>> {
  const { registry, warnings } = await loadRegistry(opts);
  return { definitions: [...registry.policies(), ...registry.workflowSteps()].map((d) => summarize(d) as OtherSummary), warnings };
}

// ---------------------------------------------------------------------------
// vela show

export interface ParameterRow {
  /** The field name as written in an Appfile. */
  readonly name: string;
  /** `+short=x`: the one-letter flag name. */
  readonly short?: string;
  /** `+alias=...`: another name for the field. */
  readonly alias?: string;
  readonly description: string;
  /** A readable type, e.g. `int`, `[]string`, `"TCP" | "UDP"`, `map[string]string`. */
  readonly type: string;
  readonly required: boolean;
  /** The default as JSON text; absent when there is none. */
  readonly default?: string;
  /** `+ignore`: hidden from the reference unless asked for. */
  readonly hidden: boolean;
}

export interface ParameterTable {
  /** Where the struct sits: `` for the top level, `ports[]`, `livenessProbe.httpGet`, `labels[string]`. */
  readonly path: string;
  /** The description of the field that holds the struct (empty for the top level). */
  readonly description: string;
  readonly rows: readonly ParameterRow[];
}

export interface DefinitionReference {
  readonly definition: DefinitionSummary;
  /** The JSON Schema of `parameter`, as a standalone 2020-12 document (what `vela show --json` prints). */
  readonly schema: JsonSchema;
  readonly tables: readonly ParameterTable[];
}

export interface ShowOptions extends DiscoveryOptions {
  /** Include fields marked `+ignore`. */
  readonly includeHidden?: boolean;
}

export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/**
 * The parameter reference of one definition: a component type, else a trait,
 * a policy or a workflow step of that name. An unknown name is a user error with a
 * did-you-mean hint over every component and trait name; a template that
 * cannot be evaluated is a user error pointing into its file.
 */
export async function showDefinition(name: string, opts: ShowOptions): Promise<DefinitionReference> {
  const { registry } = await loadRegistry(opts);
  const def = registry.find(name);
  if (!def) {
    const names = [...registry.components(), ...registry.traits(), ...registry.policies(), ...registry.workflowSteps()].map((d) => d.name);
    const hint = didYouMean(name, names) ?? 'run `vela components` or `vela traits` to list the names';
    throw new DiagnosticError([error(`unknown component type, trait, policy or workflow step "${name}"`, undefined, { hint, code: 'discovery/unknown-definition' })]);
  }
  const schema = def.schema; // throws DiagnosticError for a broken template
  return {
    definition: summarize(def),
    schema: standaloneSchema(def.name, def.description, schema),
    tables: parameterTables(schema, { includeHidden: opts.includeHidden }),
  };
}

/** The parameter schema as a document of its own: the dialect, a title and the definition's description. */
export function standaloneSchema(name: string, description: string, schema: JsonSchema): JsonSchema {
  return {
    $schema: JSON_SCHEMA_DIALECT,
    title: name,
    ...(description && schema.description === undefined && { description }),
    ...schema,
  };
}

/**
 * The reference tables of a parameter schema, depth first in field order: the
 * top level, then for each field holding a struct (directly, as list items,
 * as map values or as one alternative of several) a table titled with its path.
 * Hidden (`+ignore`) fields and everything under them are left out unless asked for.
 */
export function parameterTables(schema: JsonSchema, opts: { includeHidden?: boolean } = {}): ParameterTable[] {
  const tables: ParameterTable[] = [];
  const visit = (s: JsonSchema, path: string, description: string) => {
    const rows: ParameterRow[] = [];
    const nested: [JsonSchema, string, string][] = [];
    const required = new Set(s.required ?? []);
    for (const [key, field] of Object.entries(s.properties ?? {})) {
      const hidden = field['x-ignore'] === true;
      if (hidden && !opts.includeHidden) continue;
      rows.push(row(key, field, required.has(key), hidden));
      const fieldPath = path ? `${path}.${key}` : key;
      for (const [inner, suffix] of structsWithin(field)) nested.push([inner, fieldPath + suffix, field.description ?? '']);
    }
    // Keys beyond the named ones: `[string]: T` in CUE, additionalProperties / patternProperties here.
    for (const [label, value] of extraKeys(s)) {
      rows.push(row(label, value, false, false, rows.length ? 'any other key' : 'any key'));
      for (const [inner, suffix] of structsWithin(value)) nested.push([inner, `${path}${label}${suffix}`, value.description ?? '']);
    }
    tables.push({ path, description, rows });
    for (const [inner, p, d] of nested) visit(inner, p, d);
  };
  // A map at the top (`parameter: [string]: string`) still gets its table, with a `[string]` row.
  const roots: [JsonSchema, string][] = isStruct(schema) || isMap(schema) ? [[schema, '']] : structsWithin(schema);
  for (const [inner, suffix] of roots) visit(inner, suffix.trim(), '');
  if (tables.length === 0) tables.push({ path: '', description: '', rows: [] });
  return tables;
}

function row(name: string, s: JsonSchema, required: boolean, hidden: boolean, fallbackDescription = ''): ParameterRow {
  return {
    name,
    ...(typeof s['x-short'] === 'string' && { short: s['x-short'] }),
    ...(typeof s['x-alias'] === 'string' && { alias: s['x-alias'] }),
    description: s.description ?? fallbackDescription,
    type: typeName(s),
    required,
    ...(s.default !== undefined && { default: JSON.stringify(s.default) }),
    hidden,
  };
}

/** A struct worth a table of its own: an object with named fields. */
function isStruct(s: JsonSchema): boolean {
  return Object.keys(s.properties ?? {}).length > 0;
}

/** An object whose keys are not named in advance (additional or pattern properties). */
function isMap(s: JsonSchema): boolean {
  return typeof s.additionalProperties === 'object' || s.patternProperties !== undefined;
}

/** The `[string]` / `[=~"re"]` rows of a struct: its additional and pattern properties. */
function extraKeys(s: JsonSchema): [string, JsonSchema][] {
  const out: [string, JsonSchema][] = [];
  for (const [re, value] of Object.entries(s.patternProperties ?? {})) out.push([`[=~${JSON.stringify(re)}]`, value]);
  if (typeof s.additionalProperties === 'object') out.push(['[string]', s.additionalProperties]);
  return out;
}

/** The structs reachable from a field without passing another struct, with the path suffix that leads to each. */
function structsWithin(s: JsonSchema): [JsonSchema, string][] {
  if (isStruct(s)) return [[s, '']];
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) {
    const found = alternatives.flatMap((a) => structsWithin(a));
    // Several struct shapes: number them, so each table says which one it is.
    return found.length > 1 ? found.map(([inner, suffix], i) => [inner, `${suffix} (option ${i + 1})`]) : found;
  }
  if (s.items) return structsWithin(s.items).map(([inner, suffix]) => [inner, `[]${suffix}`]);
  if (s.prefixItems) return s.prefixItems.flatMap((item, i) => structsWithin(item).map(([inner, suffix]): [JsonSchema, string] => [inner, `[${i}]${suffix}`]));
  if (isMap(s)) {
    return extraKeys(s).flatMap(([label, value]) => structsWithin(value).map(([inner, suffix]): [JsonSchema, string] => [inner, `${label}${suffix}`]));
  }
  return [];
}

const SCALAR_NAMES: Record<string, string> = { string: 'string', integer: 'int', number: 'number', boolean: 'bool', null: 'null', array: '[]any', object: 'map[string]any' };

/**
 * A short, Go/CUE-flavoured name for a schema: `string`, `int`, `bool`,
 * `[]string`, `[]{...}`, `struct`, `map[string]string`, `"TCP" | "UDP"`,
 * with bounds in CUE syntax (`int & >=1 & <=65535`, `string & =~"^[a-z]+$"`).
 */
export function typeName(s: JsonSchema, nested = false): string {
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives?.length) {
    // `type` shared by the alternatives was hoisted out of them by the schema builder.
    const parts = alternatives.map((a) => typeName(s.type && a.type === undefined ? { type: s.type, ...a } : a, true));
    return parts.join(' | ');
  }
  if (Array.isArray(s.type)) return s.type.map((t) => typeName({ ...s, type: t }, true)).join(' | ');
  if (isStruct(s)) return nested ? '{...}' : 'struct';
  if (s.type === 'array' || s.items !== undefined || s.prefixItems !== undefined) {
    if (s.prefixItems) return `[${s.prefixItems.map((p) => typeName(p, true)).join(', ')}]`;
    return `[]${s.items ? wrap(typeName(s.items, true)) : 'any'}`;
  }
  if (s.type === 'object' || s.additionalProperties !== undefined || s.patternProperties !== undefined) {
    const value = typeof s.additionalProperties === 'object' ? s.additionalProperties : Object.values(s.patternProperties ?? {})[0];
    return `map[string]${value ? wrap(typeName(value, true)) : 'any'}`;
  }
  if (s.type === undefined) return s.pattern !== undefined || s.minLength !== undefined ? withBounds('string', s) : 'any';
  const t = s.type as string;
  return withBounds(SCALAR_NAMES[t] ?? t, s);
}

/** Parenthesise alternatives inside a list or map type: `[](int | string)`. */
const wrap = (t: string) => (t.includes(' | ') ? `(${t})` : t);

function withBounds(base: string, s: JsonSchema): string {
  const bounds: string[] = [];
  if (s.minimum !== undefined) bounds.push(`>=${s.minimum}`);
  if (s.exclusiveMinimum !== undefined) bounds.push(`>${s.exclusiveMinimum}`);
  if (s.maximum !== undefined) bounds.push(`<=${s.maximum}`);
  if (s.exclusiveMaximum !== undefined) bounds.push(`<${s.exclusiveMaximum}`);
  if (s.minLength === 1) bounds.push('!=""');
  if (s.pattern !== undefined) bounds.push(`=~${JSON.stringify(s.pattern)}`);
  if (s.not?.pattern !== undefined) bounds.push(`!~${JSON.stringify(s.not.pattern)}`);
  return [base, ...bounds].join(' & ');
}
