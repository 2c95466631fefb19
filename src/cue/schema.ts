/**
 * JSON Schema from a CUE value (a definition's `parameter`): what `vela show`
 * prints and what ajv validates Appfile values against.
 *
 * - kinds → `type`; bounds → minimum/maximum/exclusive*, `=~` → pattern,
 *   `!~` → not pattern, `!=""` → minLength 1;
 * - disjunctions of concrete values → `enum`; a marked default → `default`;
 *   other disjunctions → `anyOf`;
 * - a field is required when it is neither optional (`?`) nor defaulted (`*`)
 *   nor fixed to a concrete value;
 * - `// +usage=` gives the description, `// +short=`, `// +alias=`,
 *   `// +ignore` give the `x-short`, `x-alias`, `x-ignore` extensions.
 */
import type { JsonSchema } from './json-schema.js';
import type * as ast from './ast.js';
import type { Evaluator } from './eval/index.js';
import { Exporter, toPlain } from './export.js';
import { K, K_ALL, K_NUMBER, isConcrete, mkKind, numberOf, type Concrete, type Constraint, type Scalar } from './adt/scalar.js';
import { deref, isRegularKey, Status, Vertex } from './adt/vertex.js';

export interface FieldDoc {
  usage?: string;
  short?: string;
  alias?: string;
  ignore?: boolean;
}

/** Reads the `+tag=value` documentation comments of a field declaration. */
export function fieldDoc(decls: readonly ast.Field[] | undefined): FieldDoc {
  const doc: FieldDoc = {};
  for (const d of decls ?? []) {
    const comments = [...d.doc, ...(d.lineComment ? [d.lineComment] : [])];
    for (const c of comments) {
      const m = /^\s*\+(usage|short|alias|ignore)\b(?:=(.*))?$/.exec(c.text);
      if (!m) continue;
      const value = (m[2] ?? '').trim();
      if (m[1] === 'ignore') doc.ignore = true;
      else if (m[1] === 'usage') doc.usage ??= value;
      else if (m[1] === 'short') doc.short ??= value;
      else doc.alias ??= value;
    }
  }
  return doc;
}

export class SchemaBuilder {
  constructor(private readonly ev: Evaluator) {}

  build(v0: Vertex, depth = 0): JsonSchema {
    if (depth > 32) return {};
    this.ev.evalVertex(v0);
    const v = deref(v0);
    if (v.err) return {};
    if (v.disj) return this.disjunction(v, depth);
    if (v.isStruct) return this.struct(v, depth);
    if (v.isList) return this.list(v, depth);
    return scalarSchema(v.scalar);
  }

  private concreteData(v: Vertex): unknown {
    const ex = new Exporter(this.ev, { maxErrors: 1 });
    const d = ex.export(v);
    return ex.errors.length || d === undefined ? undefined : toPlain(d);
  }

  private disjunction(v: Vertex, depth: number): JsonSchema {
    const { alts, defaults } = v.disj!;
    const values = alts.map((a) => this.concreteData(a));
    const defIdx = defaults.map((d, i) => (d ? i : -1)).filter((i) => i >= 0);
    const hasMarked = defIdx.length > 0 && defIdx.length < alts.length;
    const def = hasMarked && defIdx.length === 1 ? values[defIdx[0]!] : undefined;
    let schema: JsonSchema;
    if (values.every((x) => x !== undefined && (x === null || typeof x !== 'object'))) {
      const types = [...new Set(values.map(jsonType))];
      schema = { type: types.length === 1 ? types[0]! : types, enum: values };
    } else {
      // Drop concrete alternatives that only serve as the default of a type (`*80 | int`).
      const rest = alts.filter((a, i) => !(hasMarked && defaults[i] && values[i] !== undefined && alts.some((b, j) => j !== i && this.accepts(b, values[i]))));
      const parts = rest.map((a) => this.build(a, depth + 1));
      schema = parts.length === 1 ? { ...parts[0]! } : { anyOf: parts };
      if (parts.length > 1) {
        const types = parts.map((p) => p.type).filter((t): t is NonNullable<JsonSchema['type']> => t !== undefined && !Array.isArray(t));
        if (types.length === parts.length && new Set(types).size === 1) schema = { type: types[0], anyOf: parts.map(({ type: _t, ...p }) => p).filter((p) => Object.keys(p).length) };
        if (schema.anyOf && (schema.anyOf as JsonSchema[]).length === 0) delete schema.anyOf;
      }
    }
    if (def !== undefined) schema.default = def;
    return schema;
  }

  /** Whether a non-concrete alternative admits a concrete value (for `*80 | int`). */
  private accepts(alt: Vertex, value: unknown): boolean {
    const d = deref(alt);
    if (d.isStruct || d.isList) return value !== null && typeof value === 'object' && Array.isArray(value) === d.isList;
    const s = d.scalar;
    if (s.k === 'top') return true;
    if (s.k !== 'constraint') return false;
    const t = jsonType(value);
    const kind = t === 'integer' ? K.int : t === 'number' ? K.float : t === 'string' ? K.string : t === 'boolean' ? K.bool : t === 'null' ? K.null : 0;
    return (s.kinds & kind) !== 0 || (t === 'integer' && (s.kinds & K_NUMBER) !== 0);
  }

  private struct(v: Vertex, depth: number): JsonSchema {
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const [key, a] of v.arcs ?? []) {
      if (!isRegularKey(key)) continue;
      const doc = fieldDoc(a.decls);
      this.ev.evalVertex(a);
      const s = this.build(a, depth + 1);
      if (doc.usage) s.description = doc.usage;
      if (doc.short) s['x-short'] = doc.short;
      if (doc.alias) s['x-alias'] = doc.alias;
      if (doc.ignore) s['x-ignore'] = true;
      properties[key] = s;
      if (a.arcType === 'required' || (a.arcType === 'regular' && s.default === undefined && s.const === undefined && !this.hasDefault(a) && !needsNothing(s))) {
        required.push(key);
      }
    }
    const schema: JsonSchema = { type: 'object', properties };
    if (required.length) schema.required = required;
    if (v.patterns?.length) {
      const patternProperties: Record<string, JsonSchema> = {};
      for (const p of v.patterns) {
        const m = p.matcher ?? (this.ev.patternMatches(p, ''), p.matcher);
        const pv = new Vertex(undefined, '');
        // A pattern's alias (`[X=string]: ...`) is bound to the label: any string here.
        const env = p.decl.alias ? { vertex: p.env.vertex, parent: p.env, binds: [mkKind(K.string)] } : p.env;
        pv.addConjunct({ k: 'expr', expr: p.decl.value, env });
        const valueSchema = this.build(pv, depth + 1);
        const re = m && !(m instanceof Vertex) ? patternOf(m) : undefined;
        if (re === undefined) schema.additionalProperties = valueSchema;
        else patternProperties[re] = valueSchema;
      }
      if (Object.keys(patternProperties).length) schema.patternProperties = patternProperties;
    } else if (v.openEllipsis) {
      schema.additionalProperties = true;
    }
    if (v.closeInfos?.length && schema.additionalProperties === undefined) schema.additionalProperties = false;
    return schema;
  }

  private hasDefault(a: Vertex): boolean {
    const d = deref(a);
    if (d.disj) return d.disj.defaults.some((x) => x) && !d.disj.defaults.every((x) => x);
    // A struct whose every field is optional or defaulted needs nothing from the user.
    if (d.isStruct) return false;
    return false;
  }

  private list(v: Vertex, depth: number): JsonSchema {
    if (v.listOpen) {
      const schema: JsonSchema = { type: 'array' };
      if (v.listRest?.length) {
        const el = new Vertex(v, '*');
        for (const c of v.listRest) el.addConjunct(c);
        schema.items = this.build(el, depth + 1);
      }
      if (v.elems?.length) {
        const data = this.concreteData(v);
        if (data !== undefined) schema.default = data;
        else schema.minItems = v.elems.length;
      }
      return schema;
    }
    const data = this.concreteData(v);
    if (data !== undefined) return { type: 'array', default: data };
    return { type: 'array', prefixItems: (v.elems ?? []).map((e) => this.build(e, depth + 1)), minItems: v.elems?.length ?? 0, maxItems: v.elems?.length ?? 0 };
  }
}

/** A struct whose fields are all optional or defaulted needs nothing from the user. */
function needsNothing(s: JsonSchema): boolean {
  return s.type === 'object' && Object.keys(s.properties ?? {}).length > 0 && !s.required?.length && !s.patternProperties && s.additionalProperties === undefined;
}

function jsonType(x: unknown): 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'array' | 'object' {
  if (x === null) return 'null';
  if (typeof x === 'boolean') return 'boolean';
  if (typeof x === 'number') return Number.isInteger(x) ? 'integer' : 'number';
  if (typeof x === 'string') return 'string';
  return Array.isArray(x) ? 'array' : 'object';
}

function kindsToTypes(kinds: number): JsonSchema['type'] | undefined {
  if (kinds === K_ALL) return undefined;
  const t: ('null' | 'boolean' | 'integer' | 'number' | 'string' | 'array' | 'object')[] = [];
  if (kinds & K.null) t.push('null');
  if (kinds & K.bool) t.push('boolean');
  if ((kinds & K_NUMBER) === K_NUMBER || kinds & K.float) t.push('number');
  else if (kinds & K.int) t.push('integer');
  if (kinds & K.string || kinds & K.bytes) t.push('string');
  if (kinds & K.list) t.push('array');
  if (kinds & K.struct) t.push('object');
  return t.length === 1 ? t[0] : t;
}

export function scalarSchema(s: Scalar): JsonSchema {
  if (s.k === 'top' || s.k === 'bottom') return {};
  if (isConcrete(s)) {
    const v = plainOf(s);
    return { type: jsonType(v) as JsonSchema['type'], const: v };
  }
  return constraintSchema(s);
}

function constraintSchema(c: Constraint): JsonSchema {
  const schema: JsonSchema = {};
  const type = kindsToTypes(c.kinds);
  if (type !== undefined) schema.type = type;
  const nots: JsonSchema[] = [];
  for (const b of c.bounds) {
    const v = b.v;
    switch (b.op) {
      case '>=':
        if (v.k === 'int' || v.k === 'float') schema.minimum = numberOf(v);
        break;
      case '>':
        if (v.k === 'int' || v.k === 'float') schema.exclusiveMinimum = numberOf(v);
        break;
      case '<=':
        if (v.k === 'int' || v.k === 'float') schema.maximum = numberOf(v);
        break;
      case '<':
        if (v.k === 'int' || v.k === 'float') schema.exclusiveMaximum = numberOf(v);
        break;
      case '=~':
        if (v.k === 'string') schema.pattern = v.v;
        break;
      case '!~':
        if (v.k === 'string') nots.push({ pattern: v.v });
        break;
      case '!=':
        if (v.k === 'string' && v.v === '') schema.minLength = 1;
        else nots.push({ const: plainOf(v) });
        break;
      case 'call':
        break;
    }
  }
  if (nots.length === 1) schema.not = nots[0];
  else if (nots.length > 1) schema.allOf = nots.map((n) => ({ not: n }));
  return schema;
}

function patternOf(m: Scalar): string | undefined {
  if (m.k === 'top') return undefined;
  if (m.k === 'constraint') {
    if (m.bounds.length === 0) return undefined; // [string]
    const re = m.bounds.find((b) => b.op === '=~');
    if (re && re.v.k === 'string') return re.v.v;
    return undefined;
  }
  if (m.k === 'string') return `^${m.v.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&')}$`;
  return undefined;
}

export { Status };

function plainOf(s: Concrete): unknown {
  switch (s.k) {
    case 'null':
      return null;
    case 'int':
    case 'float':
      return numberOf(s);
    case 'bytes':
      return Buffer.from(s.v, 'latin1').toString('base64');
    default:
      return s.v;
  }
}
