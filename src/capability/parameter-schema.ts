/**
 * The JSON Schema of a definition's `parameter`: what `vela show` prints and
 * what ajv validates Appfile values against. Built on the CUE engine's Value
 * API.
 *
 * - kinds → `type`; bounds → minimum/maximum/exclusive*, `=~` → pattern,
 *   `!~` → not pattern, `!=""` → minLength 1;
 * - disjunctions of concrete values → `enum`; a marked default → `default`;
 *   other disjunctions → `anyOf` with every branch (and the default);
 * - a field is required when it is neither optional (`?`) nor defaulted (`*`)
 *   nor fixed to a concrete value;
 * - KubeVela's comments (field-doc.ts) give the description and the
 *   `x-short`, `x-alias`, `x-ignore` extensions.
 */
import { DiagnosticError, type Diagnostic } from '../source/diagnostic.js';
import { evaluate, type Bound, type Kind, type Program, type Value } from '../cue/index.js';
import { fieldDoc } from './field-doc.js';
import type { JsonSchema } from './json-schema.js';

type JsonType = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'array' | 'object';

const MAX_DEPTH = 32;

/**
 * The schema of a template's `parameter`. Throws a DiagnosticError (pointing into the definition) when the
 * parameter has errors other than incompleteness: the definition is then unusable.
 */
export function parameterSchema(program: Program, name: string): JsonSchema {
  const fail = (diags: readonly Diagnostic[]): never => {
    throw new DiagnosticError(diags.map((d) => ({ ...d, message: `definition ${name}: ${d.message}` })));
  };
  const r = evaluate(program);
  if (!r.ok) return fail(r.diagnostics);
  const param = r.root.lookup('parameter');
  if (!param) return { type: 'object', properties: {}, additionalProperties: false };
  const errors = param.validate();
  if (errors.length) fail(errors);
  return schemaOf(param);
}

/** The JSON Schema of a CUE value. */
export function schemaOf(v: Value, depth = 0): JsonSchema {
  if (depth > MAX_DEPTH) return {};
  const alts = v.disjuncts();
  if (alts) return disjunction(alts, depth);
  if (v.error()) return {};
  const kind = v.kind();
  if (kind === 'struct') return struct(v, depth);
  if (kind === 'list') return list(v, depth);
  return scalar(v);
}

/** Concrete data of a value, or undefined when it is not concrete. */
function concreteData(v: Value): unknown {
  const r = v.export();
  return r.ok ? r.data : undefined;
}

function disjunction(alts: readonly { value: Value; isDefault: boolean }[], depth: number): JsonSchema {
  const values = alts.map((a) => concreteData(a.value));
  const defIdx = alts.map((a, i) => (a.isDefault ? i : -1)).filter((i) => i >= 0);
  const hasMarked = defIdx.length > 0 && defIdx.length < alts.length;
  const def = hasMarked && defIdx.length === 1 ? values[defIdx[0]!] : undefined;
  let schema: JsonSchema;
  if (values.every((x) => x !== undefined && (x === null || typeof x !== 'object'))) {
    const types = [...new Set(values.map(jsonType))];
    schema = { type: types.length === 1 ? types[0]! : types, enum: values };
  } else {
    // Drop concrete alternatives that only serve as the default of a type (`*80 | int`).
    const rest = alts.filter((a, i) => !(hasMarked && a.isDefault && values[i] !== undefined && alts.some((b, j) => j !== i && accepts(b.value, values[i]))));
    const parts = rest.map((a) => schemaOf(a.value, depth + 1));
    schema = parts.length === 1 ? { ...parts[0]! } : { anyOf: parts };
    if (parts.length > 1) {
      const types = parts.map((p) => p.type).filter((t): t is NonNullable<JsonSchema['type']> => t !== undefined && !Array.isArray(t));
      if (types.length === parts.length && new Set(types).size === 1) {
        schema = { type: types[0], anyOf: parts.map(({ type: _type, ...p }) => p).filter((p) => Object.keys(p).length) };
      }
      if (schema.anyOf && (schema.anyOf as JsonSchema[]).length === 0) delete schema.anyOf;
    }
  }
  if (def !== undefined) schema.default = def;
  return schema;
}

/** Whether a non-concrete alternative admits a concrete value (for `*80 | int`). */
function accepts(alt: Value, value: unknown): boolean {
  const kinds = alt.allowedKinds();
  if (kinds.length === 1 && (kinds[0] === 'struct' || kinds[0] === 'list')) {
    return value !== null && typeof value === 'object' && Array.isArray(value) === (kinds[0] === 'list');
  }
  if (alt.kind() !== undefined) return false;
  const t = jsonType(value);
  const kind: Kind | undefined = t === 'integer' ? 'int' : t === 'number' ? 'float' : t === 'string' ? 'string' : t === 'boolean' ? 'bool' : t === 'null' ? 'null' : undefined;
  return (kind !== undefined && kinds.includes(kind)) || (t === 'integer' && kinds.includes('float'));
}

function struct(v: Value, depth: number): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const f of v.fields({ optional: true })) {
    const doc = fieldDoc(f.value.doc());
    const s = schemaOf(f.value, depth + 1);
    if (doc.usage) s.description = doc.usage;
    if (doc.short) s['x-short'] = doc.short;
    if (doc.alias) s['x-alias'] = doc.alias;
    if (doc.ignore) s['x-ignore'] = true;
    properties[f.label] = s;
    if (f.required || (!f.optional && s.default === undefined && s.const === undefined && !hasDefault(f.value) && !needsNothing(s))) required.push(f.label);
  }
  const schema: JsonSchema = { type: 'object', properties };
  if (required.length) schema.required = required;
  const patterns = v.patterns();
  if (patterns.length) {
    const patternProperties: Record<string, JsonSchema> = {};
    for (const p of patterns) {
      const valueSchema = schemaOf(p.value, depth + 1);
      if (p.regex === undefined) schema.additionalProperties = valueSchema;
      else patternProperties[p.regex] = valueSchema;
    }
    if (Object.keys(patternProperties).length) schema.patternProperties = patternProperties;
  } else if (v.isOpen()) {
    schema.additionalProperties = true;
  }
  if (v.isClosed() && schema.additionalProperties === undefined) schema.additionalProperties = false;
  return schema;
}

function hasDefault(v: Value): boolean {
  const alts = v.disjuncts();
  return !!alts && alts.some((a) => a.isDefault) && !alts.every((a) => a.isDefault);
}

function list(v: Value, depth: number): JsonSchema {
  const elems = v.elements();
  if (v.isOpenList()) {
    const schema: JsonSchema = { type: 'array' };
    const el = v.elementType();
    if (el) schema.items = schemaOf(el, depth + 1);
    if (elems.length) {
      const data = concreteData(v);
      if (data !== undefined) schema.default = data;
      else schema.minItems = elems.length;
    }
    return schema;
  }
  const data = concreteData(v);
  if (data !== undefined) return { type: 'array', default: data };
  return { type: 'array', prefixItems: elems.map((e) => schemaOf(e, depth + 1)), minItems: elems.length, maxItems: elems.length };
}

/** A struct whose fields are all optional or defaulted needs nothing from the user. */
function needsNothing(s: JsonSchema): boolean {
  return s.type === 'object' && Object.keys(s.properties ?? {}).length > 0 && !s.required?.length && !s.patternProperties && s.additionalProperties === undefined;
}

function jsonType(x: unknown): JsonType {
  if (x === null) return 'null';
  if (typeof x === 'boolean') return 'boolean';
  if (typeof x === 'number' || typeof x === 'bigint') return typeof x === 'bigint' || Number.isInteger(x) ? 'integer' : 'number';
  if (typeof x === 'string') return 'string';
  return Array.isArray(x) ? 'array' : 'object';
}

function kindsToTypes(kinds: readonly Kind[]): JsonSchema['type'] | undefined {
  if (kinds.length === 8) return undefined;
  const t: JsonType[] = [];
  if (kinds.includes('null')) t.push('null');
  if (kinds.includes('bool')) t.push('boolean');
  if (kinds.includes('float')) t.push('number');
  else if (kinds.includes('int')) t.push('integer');
  if (kinds.includes('string') || kinds.includes('bytes')) t.push('string');
  if (kinds.includes('list')) t.push('array');
  if (kinds.includes('struct')) t.push('object');
  return t.length === 1 ? t[0] : t;
}

function scalar(v: Value): JsonSchema {
  const kind = v.kind();
  if (kind !== undefined) {
    const value = v.scalar();
    const plain = typeof value === 'bigint' ? Number(value) : value;
    return { type: jsonType(plain), const: plain };
  }
  return constraintSchema(v.allowedKinds(), v.bounds());
}

function constraintSchema(kinds: readonly Kind[], bounds: readonly Bound[]): JsonSchema {
  const schema: JsonSchema = {};
  const type = kindsToTypes(kinds);
  if (type !== undefined) schema.type = type;
  const nots: JsonSchema[] = [];
  for (const b of bounds) {
    if (b.op === 'validator') continue;
    const x = b.value;
    switch (b.op) {
      case '>=':
        if (typeof x === 'number') schema.minimum = x;
        break;
      case '>':
        if (typeof x === 'number') schema.exclusiveMinimum = x;
        break;
      case '<=':
        if (typeof x === 'number') schema.maximum = x;
        break;
      case '<':
        if (typeof x === 'number') schema.exclusiveMaximum = x;
        break;
      case '=~':
        if (typeof x === 'string') schema.pattern = x;
        break;
      case '!~':
        if (typeof x === 'string') nots.push({ pattern: x });
        break;
      case '!=':
        if (x === '') schema.minLength = 1;
        else nots.push({ const: x });
        break;
    }
  }
  if (nots.length === 1) schema.not = nots[0];
  else if (nots.length > 1) schema.allOf = nots.map((n) => ({ not: n }));
  return schema;
}
