/**
 * An addon's parameters: the schema of `parameter` in `parameter.cue` (what
 * `vela addon status -v` shows and what `--set` values are checked against),
 * and `--set key=value` (also KubeVela's positional `key=value`) read into a
 * nested map. `a.b=1` sets `b` inside `a`, as KubeVela's (Helm's) parser does;
 * each value is read in the light of the parameter's type: `--set replicas=3`
 * is the number 3, `--set name=3` the string "3" when `name` is a string.
 * Unknown parameters are errors with a did-you-mean: CUE's open structs would
 * let a typo through silently.
 */
import { parse as parseYaml } from 'yaml';
import { validateAgainstSchema } from '../appfile/index.js';
import { parameterSchema, type JsonSchema } from '../capability/index.js';
import { compile } from '../cue/index.js';
import { DiagnosticError, didYouMean, error, type Diagnostic } from '../source/index.js';
import type { AddonPackage } from './types.js';

export type ParameterValue = null | boolean | number | string | ParameterValue[] | { [key: string]: ParameterValue };
export type Parameters = { [key: string]: ParameterValue };

const EMPTY: JsonSchema = { type: 'object', properties: {}, additionalProperties: false };

/** The JSON Schema of the addon's `parameter` (an empty, closed object when it has none). Throws DiagnosticError for a broken parameter.cue. */
export function addonParameterSchema(addon: AddonPackage): JsonSchema {
  if (!addon.parameterCue) return EMPTY;
  const program = compile([{ name: addon.parameterCue.name, text: addon.parameterCue.text }]);
  return parameterSchema(program, `addon ${addon.meta.name}`);
}

function schemaAtPath(schema: JsonSchema, path: readonly string[]): JsonSchema | undefined {
  let s: JsonSchema | undefined = schema;
  for (const key of path) {
    if (!s) return undefined;
    const alternatives: readonly JsonSchema[] = s.anyOf ?? s.oneOf ?? [s];
    s = alternatives.map((a) => a.properties?.[key] ?? (typeof a.additionalProperties === 'object' ? a.additionalProperties : undefined)).find((x) => x !== undefined);
  }
  return s;
}

function typesOf(s: JsonSchema | undefined): string[] {
  if (!s) return [];
  const own = typeof s.type === 'string' ? [s.type] : Array.isArray(s.type) ? (s.type as string[]) : [];
  return [...own, ...(s.anyOf ?? s.oneOf ?? []).flatMap(typesOf), ...(s.enum ?? []).map((v) => (typeof v === 'number' ? 'number' : typeof v))];
}

/** A `--set` value read for its parameter: strings stay strings, numbers and booleans when the type takes them, YAML for lists and maps. */
function readValue(raw: string, s: JsonSchema | undefined): ParameterValue {
  const types = typesOf(s);
  if (types.length === 1 && types[0] === 'string') return raw;
  let parsed: unknown;
  try {
    parsed = parseYaml(raw);
  } catch {
    return raw;
  }
  if (parsed === null || parsed === undefined) return types.includes('null') ? null : raw;
  const kind = Array.isArray(parsed) ? 'array' : typeof parsed === 'object' ? 'object' : typeof parsed === 'number' ? (Number.isInteger(parsed) ? 'integer' : 'number') : typeof parsed;
  const fits = types.length === 0 || types.includes(kind) || (kind === 'integer' && types.includes('number'));
  return fits || !types.includes('string') ? (parsed as ParameterValue) : raw;
}

const usage = (message: string, hint?: string): Diagnostic => error(message, undefined, { code: 'addon/parameter', ...(hint ? { hint } : {}) });

/** `key=value` pairs → a nested map. Throws DiagnosticError (exit 1) for a pair that does not read. */
export function parseParameterPairs(pairs: readonly string[], schema: JsonSchema): Parameters {
  const out: Parameters = {};
  const problems: Diagnostic[] = [];
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      problems.push(usage(`--set ${JSON.stringify(pair)}: expected KEY=VALUE`, 'for example --set replicas=2 or --set image.tag=v1'));
      continue;
    }
    const path = pair.slice(0, eq).split('.');
    if (path.some((p) => p === '' || p === '__proto__' || p === 'constructor' || p === 'prototype')) {
      problems.push(usage(`--set ${pair.slice(0, eq)}: not a parameter name`));
      continue;
    }
    let target: Parameters = out;
    for (const key of path.slice(0, -1)) {
      const next = target[key];
      if (next === undefined || next === null || typeof next !== 'object' || Array.isArray(next)) target[key] = {};
      target = target[key] as Parameters;
    }
    target[path[path.length - 1]!] = readValue(pair.slice(eq + 1), schemaAtPath(schema, path));
  }
  if (problems.length) throw new DiagnosticError(problems);
  return out;
}

/**
 * Names under a struct with named fields that it does not name. CUE's structs
 * are open (the parameter schema says so), but a name parameter.cue never
 * mentions reaches nothing: it is a typo. Structs without named fields
 * (`values?: {...}`, maps) take anything.
 */
function unknownNames(value: ParameterValue, schema: JsonSchema | undefined, path: string[], addon: string, out: Diagnostic[]): void {
  if (!schema || value === null || typeof value !== 'object' || Array.isArray(value)) return;
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) {
    // Unknown only when no alternative names it.
    const structs = alternatives.filter((a) => a.properties && Object.keys(a.properties).length);
    if (structs.length !== alternatives.length) return;
    for (const [key, v] of Object.entries(value)) {
      const holder = structs.find((a) => a.properties![key]);
      if (!holder) out.push(unknownName(key, structs.flatMap((a) => Object.keys(a.properties!)), path, addon));
      else unknownNames(v, holder.properties![key], [...path, key], addon, out);
    }
    return;
  }
  const named = Object.keys(schema.properties ?? {});
  const open = !named.length || schema.patternProperties !== undefined || (schema.additionalProperties !== undefined && schema.additionalProperties !== false);
  for (const [key, v] of Object.entries(value)) {
    const field = schema.properties?.[key];
    if (field) unknownNames(v, field, [...path, key], addon, out);
    else if (!open) out.push(unknownName(key, named.filter((n) => !schema.properties?.[n]?.['x-ignore']), path, addon));
  }
}

function unknownName(key: string, known: string[], path: string[], addon: string): Diagnostic {
  const where = path.length ? ` in ${path.join('.')}` : '';
  return error(`addon ${addon} has no parameter "${[...path, key].join('.')}"`, undefined, {
    path: ['parameter', ...path, key].join('.'),
    code: 'addon/parameter',
    hint: didYouMean(key, known) ?? (known.length ? `parameters${where}: ${known.join(', ')}` : `addon ${addon} takes no parameters${where}`),
  });
}

/** Checks values against the schema: unknown names, wrong types, missing required ones, each named as `parameter.x`. */
export function checkParameters(params: Parameters, schema: JsonSchema, addon: string): Diagnostic[] {
  const unknown: Diagnostic[] = [];
  unknownNames(params, schema, [], addon, unknown);
  if (unknown.length) return unknown;
  return validateAgainstSchema(params, schema, { locate: () => undefined, basePath: ['parameter'] }).map((d) => ({
    ...d,
    message: `addon ${addon}: ${d.message}`,
    code: 'addon/parameter',
  }));
}

/** RFC 7396 merge of `patch` onto `base` (maps merge, anything else replaces, null removes): stored parameters updated by new ones. */
export function mergeParameters(base: Parameters, patch: Parameters): Parameters {
  const out: Parameters = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    const prev = out[k];
    if (v === null) delete out[k];
    else if (v && typeof v === 'object' && !Array.isArray(v) && prev && typeof prev === 'object' && !Array.isArray(prev)) out[k] = mergeParameters(prev as Parameters, v as Parameters);
    else out[k] = v;
  }
  return out;
}
