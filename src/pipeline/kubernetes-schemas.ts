/**
 * The OpenAPI schema checks of Kubernetes' built-in kinds, loaded only when
 * objects are checked (never at start-up), one kind at a time. The built CLI
 * reads the validators the build bundled into dist/kubernetes-schemas/
 * (scripts/kubernetes-schemas.mjs); from the sources (tests, bin/dev.js) they
 * come from the kubernetes-models package, a devDependency, which holds the
 * same code. A kind with neither (a custom resource) has no schema check.
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FieldProblem, SchemaCheck } from '../render/index.js';
import type { JsonObject } from '../appfile/index.js';

export const BUILT_SCHEMAS = fileURLToPath(new URL('../kubernetes-schemas/', import.meta.url));

interface AjvError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Record<string, unknown>;
}

/** A kubernetes-models class: its `validate` checks `this` against the kind's schema (and throws with ajv's errors). */
type Model = { prototype: { validate(this: unknown): void } };

const cache = new Map<string, Promise<SchemaCheck | undefined>>();

/** The schema check of an apiVersion and kind, or undefined when vela has no schema for it. */
export function schemaCheck(apiVersion: string, kind: string): Promise<SchemaCheck | undefined> {
  const key = `${apiVersion}/${kind}`;
  let hit = cache.get(key);
  if (!hit) cache.set(key, (hit = loadSchemaCheck(apiVersion, kind)));
  return hit;
}

async function loadSchemaCheck(apiVersion: string, kind: string): Promise<SchemaCheck | undefined> {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) as [string, string] : ['', apiVersion];
  // Names only from these characters: they become module paths.
  if (!/^[a-z0-9.-]*$/.test(group) || !/^v[0-9a-z]+$/.test(version) || !/^[A-Za-z0-9]+$/.test(kind)) return undefined;
  const model = (await importModel(pathToFileURL(join(BUILT_SCHEMAS, `${group || 'core'}.${version}.${kind}.mjs`)).href, kind)) ?? (await importModel(`kubernetes-models/${group ? `${group}/` : ''}${version}/${kind}`, kind));
  return model && ((o: JsonObject) => validateWith(model, o));
}

async function importModel(specifier: string, kind: string): Promise<Model | undefined> {
  try {
    const mod = (await import(specifier)) as Record<string, unknown>;
    return typeof mod[kind] === 'function' ? (mod[kind] as Model) : undefined;
  } catch {
    return undefined;
  }
}

function validateWith(model: Model, o: JsonObject): FieldProblem[] {
  try {
    // The object itself, not `new model(o)`: the constructor only deep-copies plain data (dropping undefined
    // fields, which exported data has none of) and sets the apiVersion and kind the object already has.
    model.prototype.validate.call(o);
    return [];
  } catch (err) {
    const errors = (err as { errors?: AjvError[] }).errors;
    if (!Array.isArray(errors)) throw err;
    return describeErrors(errors, o);
  }
}

/** `/spec/ports/0/port` → `spec.ports[0].port`, as the API server names fields. */
function fieldName(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((out, p) => (/^\d+$/.test(p) ? `${out}[${p}]` : out ? `${out}.${p}` : p), '');
}

function valueAt(o: unknown, instancePath: string): unknown {
  let v = o;
  for (const p of instancePath.split('/').slice(1)) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[p.replaceAll('~1', '/').replaceAll('~0', '~')] : undefined;
  return v;
}

const article = (type: string) => (type === 'integer' || type === 'object' || type === 'array' ? `an ${type === 'array' ? 'list' : type === 'object' ? 'map' : type}` : `a ${type === 'string' ? 'string' : type === 'number' ? 'number' : type === 'boolean' ? 'boolean' : type}`);

function shown(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v !== null && typeof v === 'object') return 'a map';
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

/** ajv's errors in words, one per field: a field that may be one of several types says so once. */
function describeErrors(errors: readonly AjvError[], o: JsonObject): FieldProblem[] {
  const byPath = new Map<string, AjvError[]>();
  for (const e of errors) {
    // Base64 and quantities are checked by api-rules.ts (as Go decodes base64, with a quantity's sign), the same with and without a build.
    if (e.keyword === 'format' && (e.params.format === 'byte' || e.params.format === 'quantity')) continue;
    const list = byPath.get(e.instancePath) ?? [];
    list.push(e);
    byPath.set(e.instancePath, list);
  }
  const out: FieldProblem[] = [];
  for (const [path, list] of byPath) {
    const got = valueAt(o, path);
    const field = fieldName(path);
    if (list.some((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf')) {
      const types = [...new Set(list.filter((e) => e.keyword === 'type').map((e) => article(String(e.params.type))))];
      out.push({ field, message: `must be ${types.join(' or ') || 'of another shape'} (got ${shown(got)})` });
      continue;
    }
    for (const e of list) {
      switch (e.keyword) {
        case 'required':
          out.push({ field: field ? `${field}.${String(e.params.missingProperty)}` : String(e.params.missingProperty), message: 'is required' });
          break;
        case 'type':
          out.push({ field, message: `must be ${article(String(e.params.type))} (got ${shown(got)})` });
          break;
        case 'format':
          out.push({ field, message: e.params.format === 'int32' ? `must be a 32-bit integer, from ${-(2 ** 31)} to ${2 ** 31 - 1} (got ${shown(got)})` : `must be ${String(e.params.format)} (got ${shown(got)})` });
          break;
        case 'enum':
          out.push({ field, message: `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')} (got ${shown(got)})` });
          break;
        default:
          out.push({ field, message: `fails the schema's ${e.keyword} rule ${JSON.stringify(e.params)}` });
      }
    }
  }
  return out;
}
