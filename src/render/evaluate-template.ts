/**
 * Evaluates one capability template with `parameter` and `context` filled in
 * (APPFILE.md section 3) and reads what it gives: `output` and `outputs`
 * (components), `outputs` and `patch` with its strategy annotations
 * (traits), `errs` (user errors) and `warnings` (told to the user; the
 * rendering goes on).
 */
import { type DefinitionSource, mayHavePatchMeta, patchMetaOf, type PatchMeta } from '../capability/index.js';
import type { JsonObject, JsonValue } from '../appfile/index.js';
import { evaluate, formatPath, type Value } from '../cue/index.js';
import type { Diagnostic } from '../source/index.js';

/** Template fields (`spec.replicas`) that come from injected data, with the data's path (`parameter`, `replicas`). */
export type FieldSources = ReadonlyMap<string, readonly string[]>;

export interface TemplateResult {
  output?: JsonObject;
  /**
   * Where fields came from, as the export found it: of `output` (`spec.replicas`), of `outputs`
   * (`NAME.` + field) and of `patch`. Kept as exported, not merged under prefixes: positions are only
   * looked up for an error (render-app.ts).
   */
  sources: { output?: FieldSources; outputs?: FieldSources; patch?: FieldSources };
  /** In the order the template gives them. */
  outputs: [string, JsonObject][];
  patch?: JsonValue;
  patchMeta?: PatchMeta;
  errs: string[];
  /** The template's `warnings: [...string]`. */
  warnings: string[];
  /** Evaluation errors, with the template path (e.g. `output.spec.replicas`) and positions in the definition. */
  diagnostics: Diagnostic[];
}

export function evaluateTemplate(def: DefinitionSource, parameter: JsonValue, context: JsonObject): TemplateResult {
  const result: TemplateResult = { outputs: [], errs: [], warnings: [], diagnostics: [], sources: {} };
  const evaluated = evaluate(def.program, { inject: { parameter, context } });
  if (!evaluated.ok) {
    result.diagnostics.push(...evaluated.diagnostics);
    return result;
  }
  const root = evaluated.root;
  // Positions are looked up only for what came from `parameter` (render-app.ts): only that is recorded.
  const take = (name: string, sources: false | 'parameter' = false): { v?: Value; data?: unknown; sources?: FieldSources } => {
    const v = root.lookup(name);
    if (!v || !v.isSet) return {};
    const r = v.export({ sources });
    if (!r.ok) {
      result.diagnostics.push(...r.diagnostics);
      return { v };
    }
    return { v, data: r.data, sources: r.sources };
  };
  // `parameter` itself must be valid: a conflict there is the user's value against the definition.
  const p = root.lookup('parameter');
  if (p) result.diagnostics.push(...p.validate());
  const stopped = root.failure();
  if (stopped && !result.diagnostics.includes(stopped)) result.diagnostics.push(stopped);
  if (result.diagnostics.length) return result;
  const errs = take('errs');
  if (Array.isArray(errs.data)) result.errs = errs.data.map(messageText);
  const warnings = take('warnings');
  if (Array.isArray(warnings.data)) result.warnings = warnings.data.map(messageText);
  if (result.errs.length) return result;
  const out = take('output', 'parameter');
  result.sources.output = out.sources;
  if (out.data !== undefined) {
    if (!isObject(out.data)) result.diagnostics.push({ severity: 'error', message: 'output must be a Kubernetes object', path: 'output' });
    else result.output = out.data;
  }
  const outs = takeOutputs(root, result.diagnostics);
  result.sources.outputs = outs.sources;
  if (outs.data !== undefined) {
    if (!isObject(outs.data)) result.diagnostics.push({ severity: 'error', message: 'outputs must be a struct of objects', path: 'outputs' });
    else
      for (const [k, o] of Object.entries(outs.data)) {
        if (!isObject(o)) result.diagnostics.push({ severity: 'error', message: 'must be a Kubernetes object', path: formatPath(['outputs', k]) });
        else result.outputs.push([k, o]);
      }
  }
  const patch = take('patch', 'parameter');
  result.sources.patch = patch.sources;
  if (patch.data !== undefined && patch.v) {
    result.patch = patch.data as JsonValue;
    if (mayHavePatchMeta(def.program)) result.patchMeta = patchMetaOf(patch.v);
  }
  const failure = root.failure();
  if (failure && !result.diagnostics.includes(failure)) result.diagnostics.push(failure);
  return result;
}

/**
 * The template's `outputs`. A struct left incomplete by a comprehension over a parameter that was not given
 * (`for v in parameter.pvc` without `pvc`) gives the objects it has so far, as KubeVela iterates its fields.
 */
function takeOutputs(root: Value, diagnostics: Diagnostic[]): { data?: unknown; sources?: FieldSources } {
  const v = root.lookup('outputs');
  if (!v || !v.isSet) return {};
  const whole = v.export({ sources: 'parameter' });
  if (whole.ok) return { data: whole.data, sources: whole.sources };
  if (!v.error()?.incomplete) {
    diagnostics.push(...whole.diagnostics);
    return {};
  }
  const data: Record<string, unknown> = {};
  const sources = new Map<string, readonly string[]>();
  for (const field of v.fields({ incomplete: true })) {
    const r = field.value.export({ sources: 'parameter' });
    if (!r.ok) {
      diagnostics.push(...r.diagnostics);
      continue;
    }
    data[field.label] = r.data;
    for (const [k, from] of r.sources ?? []) sources.set(`${field.label}.${k}`, from);
  }
  return { data, sources };
}

function isObject(x: unknown): x is JsonObject {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/** An `errs`/`warnings` entry as text: strings as they are, anything else as JSON (never `[object Object]`). */
function messageText(entry: unknown): string {
  return typeof entry === 'string' ? entry : JSON.stringify(entry);
}
