/**
 * The JSON Schema of a definition's `parameter`: what `vela show` prints and
 * what ajv validates Appfile values against. Built on the CUE engine's Value
 * API. The rule it keeps: the schema is never stricter than CUE. Whatever
 * the parameter accepts, the schema accepts; what the schema cannot say
 * (validators such as `strings.MinRunes`, a regular expression JavaScript
 * does not read the same way) it leaves out, and CUE still checks it.
 *
 * - kinds → `type`; bounds → minimum/maximum/exclusive*, `=~` → pattern,
 *   `!~` → not pattern, `!=""` → minLength 1;
 * - disjunctions of concrete scalars → `enum`; other disjunctions → `anyOf`
 *   with every branch; a marked default → `default`;
 * - a field is required exactly when CUE cannot export it without a value:
 *   `[...T]`, `[string]: T`, `{...}`, a default, a struct of optional fields
 *   all need nothing;
 * - KubeVela's comments (field-doc.ts) give the description and the
 *   `x-short`, `x-alias`, `x-ignore` extensions.
 */
import { DiagnosticError, type Diagnostic } from '../source/index.js';
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
    // Every branch stays, but a concrete default that another branch accepts too (`*80 | int`) is only its default.
    let parts = alts.map((a) => schemaOf(a.value, depth + 1));
    parts = parts.filter((_, i) => !(alts[i]!.isDefault && values[i] !== undefined && parts.some((q, j) => j !== i && !alts[j]!.isDefault && scalarMatches(q, values[i]))));
    schema = parts.length === 1 ? { ...parts[0]! } : { anyOf: parts };
    if (parts.length > 1) {
      const types = parts.map((p) => p.type).filter((t): t is NonNullable<JsonSchema['type']> => t !== undefined && !Array.isArray(t));
      if (types.length === parts.length && new Set(types).size === 1) {
        const rest = parts.map(({ type: _type, ...p }) => p);
        // A branch that says nothing beyond the type accepts every value of it: the others add nothing.
        schema = rest.some((p) => !constrains(p)) ? { type: types[0] } : { type: types[0], anyOf: rest };
      } else if (parts.some((p) => !constrains(p) && p.type === undefined)) {
        schema = {};
      }
    }
  }
  if (def !== undefined) schema.default = def;
  return schema;
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
    // Required exactly when CUE needs a value: the field is `!`, or a regular field that does not export as it is.
    if (f.required || (!f.optional && !f.value.isConcrete())) required.push(f.label);
  }
  const schema: JsonSchema = { type: 'object', properties };
  if (required.length) schema.required = required;
  let unexpressed = false;
  const patternProperties: Record<string, JsonSchema> = {};
  for (const p of v.patterns()) {
    const valueSchema = schemaOf(p.value, depth + 1);
    if (p.anyLabel) schema.additionalProperties = valueSchema;
    else if (p.regex !== undefined && jsRegex(p.regex)) patternProperties[p.regex] = valueSchema;
    else unexpressed = true; // a label constraint JSON Schema cannot say: fields it allows must not be refused
  }
  if (Object.keys(patternProperties).length) schema.patternProperties = patternProperties;
  if (v.isOpen() || unexpressed) schema.additionalProperties = true;
  else if (v.isClosed() && schema.additionalProperties === undefined) schema.additionalProperties = false;
  return schema;
}

/**
 * Whether an RE2 expression means the same as a JavaScript one (as ajv reads `pattern`): it compiles with the
 * `u` flag and uses none of RE2's own syntax (inline flags, `\z`, `\A`, `\C`, POSIX classes).
 */
function jsRegex(re: string): boolean {
  if (/\\[zACQE]|\\p\{|\(\?[a-zA-Z]|\[\[:/.test(re)) return false;
  try {
    new RegExp(re, 'u');
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether a scalar value satisfies a schema made of scalar keywords only (type, const, enum, bounds, pattern,
 * minLength, maxLength, allOf, not); false for any other schema, so that nothing is dropped on a guess.
 */
function scalarMatches(s: JsonSchema, x: unknown): boolean {
  if (x === null || typeof x === 'object') return false;
  for (const [k, v] of Object.entries(s)) {
    if (k === 'default' || k === 'description' || k.startsWith('x-')) continue;
    switch (k) {
      case 'type': {
        const t = jsonType(x);
        const types = Array.isArray(v) ? (v as string[]) : [v as string];
        if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) return false;
        break;
      }
      case 'const':
        if (v !== x) return false;
        break;
      case 'enum':
        if (!(v as unknown[]).includes(x)) return false;
        break;
      case 'minimum':
        if (!(typeof x === 'number' && x >= (v as number))) return false;
        break;
      case 'maximum':
        if (!(typeof x === 'number' && x <= (v as number))) return false;
        break;
      case 'exclusiveMinimum':
        if (!(typeof x === 'number' && x > (v as number))) return false;
        break;
      case 'exclusiveMaximum':
        if (!(typeof x === 'number' && x < (v as number))) return false;
        break;
      case 'pattern':
        if (!(typeof x === 'string' && new RegExp(v as string, 'u').test(x))) return false;
        break;
      case 'minLength':
        if (!(typeof x === 'string' && [...x].length >= (v as number))) return false;
        break;
      case 'maxLength':
        if (!(typeof x === 'string' && [...x].length <= (v as number))) return false;
        break;
      case 'allOf':
        if (!(v as JsonSchema[]).every((member) => onlyScalarKeywords(member) && scalarMatches(member, x))) return false;
        break;
      case 'not':
        if (scalarMatches(v as JsonSchema, x) || !onlyScalarKeywords(v as JsonSchema)) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

function onlyScalarKeywords(s: JsonSchema): boolean {
  return Object.keys(s).every((k) => ['type', 'const', 'enum', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'pattern', 'minLength', 'maxLength', 'allOf', 'not', 'default', 'description'].includes(k) || k.startsWith('x-'));
}

/** Whether a schema restricts values (beyond annotations: default, description, the x- extensions). */
function constrains(s: JsonSchema): boolean {
  return Object.keys(s).some((k) => k !== 'default' && k !== 'description' && !k.startsWith('x-'));
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
  // A closed list: exactly its elements, each as its own schema (an element that is an open struct accepts more).
  const schema: JsonSchema = { type: 'array', prefixItems: elems.map((e) => schemaOf(e, depth + 1)), minItems: elems.length, maxItems: elems.length };
  const data = concreteData(v);
  if (data !== undefined) schema.default = data;
  return schema;
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
  const patterns: string[] = [];
  for (const b of bounds) {
    if (b.op === 'validator') {
      // Rune counts are what JSON Schema's lengths count (code points); other validators are CUE's to check.
      const [n] = b.args ?? [];
      if ((b.builtin === 'MaxRunes' || b.builtin === 'MinRunes') && n !== undefined) {
        if (schema.type === undefined) schema.type = 'string'; // only a string has runes to count
        if (b.builtin === 'MaxRunes') schema.maxLength = Math.min(n, schema.maxLength ?? n);
        else schema.minLength = Math.max(n, schema.minLength ?? n);
      }
      continue;
    }
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
        if (typeof x === 'string' && jsRegex(x)) patterns.push(x);
        break;
      case '!~':
        if (typeof x === 'string' && jsRegex(x)) nots.push({ pattern: x });
        break;
      case '!=':
        if (x === '') schema.minLength = Math.max(1, schema.minLength ?? 1);
        else nots.push({ const: x });
        break;
    }
  }
  // Every `=~` holds: one is `pattern`, more join `allOf` with the `!~`s.
  const [firstPattern, ...morePatterns] = patterns;
  if (firstPattern !== undefined) schema.pattern = firstPattern;
  const all = [...morePatterns.map((p) => ({ pattern: p })), ...nots.map((n) => ({ not: n }))];
  if (all.length === 1 && nots.length === 1) schema.not = nots[0];
  else if (all.length > 0) schema.allOf = all;
  return schema;
}
