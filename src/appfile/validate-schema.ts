/**
 * Validation of parameters and trait properties against a definition's JSON
 * Schema with ajv, and the translation of ajv's errors into diagnostics that
 * point at the offending Appfile node:
 *   vela.yaml:12:7: services.web.port: must be integer (got "80")
 * ajv is loaded on first use: commands that never validate should not pay for it.
 */
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Ajv2020 as Ajv2020Class } from 'ajv/dist/2020.js';
import type { JsonSchema } from '../capability/index.js';
import { closest, error, SCHEMA_VALIDATOR_OPTIONS, type Diagnostic, type Span } from '../source/index.js';
import { formatDocPath } from './doc-path.js';
import type { DocPath, JsonValue } from './model.js';
import { describeValue } from './yaml-tree.js';

export interface SchemaTarget {
  /** Span of the value at a document path (or of its closest existing ancestor). */
  locate(path: DocPath): Span | undefined;
  /** Span of the key at a document path; used for unknown and missing keys. Falls back to `locate`. */
  locateKey?(path: DocPath): Span | undefined;
  /** Where `value` sits in the document, e.g. ['services', 'web']. */
  basePath: DocPath;
  /** What the top-level keys are called in messages (default `parameter`). */
  noun?: string;
}

let ajvInstance: Ajv2020Class | undefined;
function ajv(): Ajv2020Class {
  if (!ajvInstance) {
    const require = createRequire(import.meta.url);
    const { Ajv2020 } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
    ajvInstance = new Ajv2020({ ...SCHEMA_VALIDATOR_OPTIONS });
  }
  return ajvInstance;
}

/** One compiled validator per schema object, i.e. per definition. */
const compiled = new WeakMap<object, ValidateFunction | Error>();

/**
 * Registers a validator compiled ahead of time for a schema object (the
 * built-in definitions' validators are compiled by the build), so that
 * validating them neither loads nor runs the ajv compiler.
 */
export function registerCompiledValidator(schema: object, validate: ValidateFunction): void {
  compiled.set(schema, validate);
}

function compile(schema: JsonSchema): ValidateFunction | Error {
  let v = compiled.get(schema);
  if (!v) {
    try {
      v = ajv().compile(schema as object);
    } catch (e) {
      v = e instanceof Error ? e : new Error(String(e));
    }
    compiled.set(schema, v);
  }
  return v;
}

export function validateAgainstSchema(value: JsonValue, schema: JsonSchema, at: SchemaTarget): Diagnostic[] {
  const v = compile(schema);
  if (v instanceof Error) {
    return [
      error(`the parameter schema cannot be compiled: ${v.message}`, at.locate(at.basePath), {
        path: formatDocPath(at.basePath),
        code: 'appfile/bad-schema',
        hint: 'this is a problem in the definition, not in the Appfile',
      }),
    ];
  }
  if (v(value)) return [];
  const errs = simplifyAlternatives((v.errors ?? []) as AjvError[]);
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const e of errs) {
    const d = toDiagnostic(e, value, schema, at);
    if (!d) continue;
    const key = `${d.span?.start}|${d.path}|${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out;
}

/** ajv's error, plus our own `x-alternatives` for a value that matched none of several shapes. */
type AjvError = Pick<ErrorObject, 'keyword' | 'instancePath' | 'schemaPath' | 'params' | 'message'>;

function toDiagnostic(e: AjvError, root: JsonValue, schema: JsonSchema, at: SchemaTarget): Diagnostic | undefined {
  const rel = instanceSegments(e.instancePath, root);
  const path = [...at.basePath, ...rel];
  const data = valueAt(root, rel);
  const got = ` (got ${describeValue(data)})`;
  const gotScalar = data !== null && typeof data === 'object' ? '' : got;
  const noun = rel.length === 0 ? (at.noun ?? 'parameter') : 'field';
  const keyAt = (p: DocPath) => (at.locateKey ?? at.locate)(p);
  const d = (message: string, extra: { path?: DocPath; span?: Span; hint?: string } = {}) =>
    error(message, extra.span ?? at.locate(path), {
      path: formatDocPath(extra.path ?? path),
      code: 'appfile/schema',
      ...(extra.hint ? { hint: extra.hint } : {}),
    });
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'type':
      return d(`must be ${typeWords(p.type)}${got}`, { hint: typeHint(typeList(p.type), data) });
    case 'enum': {
      const allowed = p.allowedValues as unknown[];
      const near = typeof data === 'string' ? closest(data, allowed.filter((x): x is string => typeof x === 'string')) : undefined;
      return d(`${oneOf(allowed)}${got}`, near !== undefined ? { hint: `did you mean ${JSON.stringify(near)}?` } : {});
    }
    case 'const':
      return d(`must be ${describeValue(p.allowedValue)}${got}`);
    case 'x-alternatives': {
      const values = p.values as unknown[];
      const types = p.types as string[];
      const words = [...values.map((x) => describeValue(x)), ...types];
      const msg =
        values.length === 0
          ? `must be ${typeWords(types)}`
          : words.length === 1
            ? `must be ${words[0]}`
            : `must be one of ${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
      return d(`${msg}${got}`);
    }
    case 'required': {
      const name = String(p.missingProperty);
      return d(`missing required ${noun} "${name}"`, { span: keyAt(path) });
    }
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const name = String(p.additionalProperty ?? p.unevaluatedProperty);
      const parent = schemaAt(schema, e.schemaPath.split('/').slice(1, -1));
      const allowed = Object.keys(parent?.properties ?? {}).filter((k) => !parent?.properties?.[k]?.['x-ignore']);
      const near = closest(name, allowed);
      const hint = near
        ? `did you mean \`${near}\`?`
        : allowed.length === 0
          ? undefined
          : allowed.length <= 10
            ? `allowed: ${allowed.join(', ')}`
            : undefined;
      return d(`unknown ${noun} "${name}"`, { span: keyAt([...path, name]), hint });
    }
    case 'pattern':
      return d(`must match the pattern ${JSON.stringify(p.pattern)}${gotScalar}`);
    case 'format':
      return d(`must be a valid ${String(p.format)}${gotScalar}`);
    case 'minLength':
      return d(`must have at least ${plural(p.limit, 'character')}${gotScalar}`);
    case 'maxLength':
      return d(`must have at most ${plural(p.limit, 'character')}${gotScalar}`);
    case 'minItems':
      return d(`must have at least ${plural(p.limit, 'item')}`);
    case 'maxItems':
      return d(`must have at most ${plural(p.limit, 'item')}`);
    case 'minProperties':
      return d(`must have at least ${plural(p.limit, 'entry', 'entries')}`);
    case 'maxProperties':
      return d(`must have at most ${plural(p.limit, 'entry', 'entries')}`);
    case 'uniqueItems':
      return d(`must not repeat an item (items ${Math.min(Number(p.i), Number(p.j))} and ${Math.max(Number(p.i), Number(p.j))} are equal)`);
    case 'false schema':
      return d(`is not allowed here`);
    case 'not':
      return d(`is not allowed${gotScalar}`);
    case 'oneOf':
      return d(`matches more than one of the allowed shapes`);
    case 'if':
      return undefined; // the failing `then`/`else` branch is reported on its own
    default:
      return d(`${e.message ?? `fails \`${e.keyword}\``}${gotScalar}`);
  }
}

/**
 * With `allErrors`, a value that fails `anyOf`/`oneOf` yields every branch's
 * errors plus a summary. Keep what helps: when no branch has the value's shape,
 * one "must be one of ..." error; otherwise the errors of the branch that did
 * have its shape and came closest (fewest errors).
 */
function simplifyAlternatives(input: AjvError[]): AjvError[] {
  let errs = [...input];
  const combinators = errs
    .filter((e) => (e.keyword === 'anyOf' || e.keyword === 'oneOf') && !(e.keyword === 'oneOf' && (e.params as { passingSchemas?: unknown }).passingSchemas))
    .sort((a, b) => b.schemaPath.length - a.schemaPath.length); // innermost first
  for (const c of combinators) {
    const prefix = `${c.schemaPath}/`;
    const branches = new Map<string, AjvError[]>();
    for (const e of errs) {
      if (!e.schemaPath.startsWith(prefix)) continue;
      // The same subschema is checked at many places (list items): only this place's errors.
      if (e.instancePath !== c.instancePath && !e.instancePath.startsWith(`${c.instancePath}/`)) continue;
      const idx = e.schemaPath.slice(prefix.length).split('/')[0]!;
      (branches.get(idx) ?? branches.set(idx, []).get(idx)!).push(e);
    }
    const isShape = (e: AjvError) =>
      e.instancePath === c.instancePath && (e.keyword === 'type' || e.keyword === 'enum' || e.keyword === 'const' || e.keyword === 'x-alternatives');
    const fitting = [...branches.values()].filter((b) => !b.some(isShape));
    let replacement: AjvError[];
    if (fitting.length > 0) {
      replacement = fitting.reduce((best, b) => (b.length < best.length ? b : best));
    } else {
      const types: string[] = [];
      const values: unknown[] = [];
      for (const b of branches.values()) {
        const shape = b.filter(isShape);
        const vals = shape.filter((e) => e.keyword !== 'type');
        if (vals.length > 0) {
          for (const e of vals) {
            const p = e.params as Record<string, unknown>;
            if (e.keyword === 'enum') values.push(...(p.allowedValues as unknown[]));
            else if (e.keyword === 'const') values.push(p.allowedValue);
            else {
              values.push(...(p.values as unknown[]));
              types.push(...(p.types as string[]));
            }
          }
        } else {
          for (const e of shape) types.push(...typeList(((e.params as Record<string, unknown>).type)));
        }
      }
      replacement = [
        {
          keyword: 'x-alternatives',
          instancePath: c.instancePath,
          schemaPath: c.schemaPath,
          params: { types: [...new Set(types)], values: dedupeValues(values) },
          message: 'must match one of the alternatives',
        },
      ];
    }
    const drop = new Set<AjvError>([c, ...[...branches.values()].flat()]);
    const firstIdx = errs.findIndex((e) => drop.has(e));
    const kept = errs.filter((e) => !drop.has(e));
    const insertAt = errs.slice(0, firstIdx).filter((e) => !drop.has(e)).length;
    kept.splice(insertAt, 0, ...replacement);
    errs = kept;
  }
  return errs;
}

function dedupeValues(vs: unknown[]): unknown[] {
  const seen = new Set<string>();
  return vs.filter((v) => {
    const k = JSON.stringify(v);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The usual YAML slips: quoted numbers, and YAML 1.1 booleans that YAML 1.2 reads as strings. */
function typeHint(expected: readonly string[], data: unknown): string | undefined {
  if (typeof data !== 'string') return undefined;
  if ((expected.includes('integer') || expected.includes('number')) && /^-?\d+(\.\d+)?$/.test(data.trim())) {
    return `write ${data.trim()} without quotes`;
  }
  if (expected.includes('boolean')) {
    const v = data.toLowerCase();
    if (['yes', 'y', 'on', 'true'].includes(v)) return `write true (YAML 1.2 reads "${data}" as a string)`;
    if (['no', 'n', 'off', 'false'].includes(v)) return `write false (YAML 1.2 reads "${data}" as a string)`;
  }
  return undefined;
}

function typeList(t: unknown): string[] {
  if (Array.isArray(t)) return t.map(String);
  return String(t).split(',');
}

function typeWords(t: unknown): string {
  const ts = typeList(t);
  return ts.length <= 1 ? (ts[0] ?? '') : `${ts.slice(0, -1).join(', ')} or ${ts.at(-1)}`;
}

function oneOf(values: readonly unknown[]): string {
  if (values.length === 1) return `must be ${describeValue(values[0])}`;
  return `must be one of ${values.map((v) => describeValue(v)).join(', ')}`;
}

function plural(n: unknown, word: string, many = `${word}s`): string {
  return `${String(n)} ${n === 1 ? word : many}`;
}

/** ajv's instancePath (a JSON pointer) → document path segments; list indexes become numbers. */
function instanceSegments(pointer: string, root: JsonValue): (string | number)[] {
  if (pointer === '') return [];
  const out: (string | number)[] = [];
  let cur: JsonValue | undefined = root;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      const i = Number(seg);
      out.push(i);
      cur = cur[i];
    } else {
      out.push(seg);
      cur = cur !== null && typeof cur === 'object' ? cur[seg] : undefined;
    }
  }
  return out;
}

function valueAt(root: JsonValue, path: readonly (string | number)[]): unknown {
  let cur: unknown = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

/** The schema at a schemaPath's segments (after `#`). */
function schemaAt(schema: JsonSchema, segs: readonly string[]): JsonSchema | undefined {
  let cur: unknown = schema;
  for (const raw of segs) {
    const seg = decodeURIComponent(raw.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur !== null && typeof cur === 'object' ? (cur as JsonSchema) : undefined;
}
