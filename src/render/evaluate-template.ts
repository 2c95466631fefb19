/**
 * Evaluates one capability template with `parameter` and `context` filled in
 * (APPFILE.md section 3) and reads what it gives: `output` and `outputs`
 * (components), `outputs` and `patch` with its strategy annotations
 * (traits), `errs` (user errors) and `warnings` (told to the user; the
 * rendering goes on).
 */
import { type DefinitionSource, patchMetaOf, type PatchMeta } from '../capability/index.js';
import type { JsonObject, JsonValue } from '../appfile/index.js';
import { evaluate, formatPath, type Value } from '../cue/index.js';
import type { Diagnostic } from '../source/index.js';

export interface TemplateResult {
  output?: JsonObject;
  /** Fields of `output` (`spec.replicas`) and of each output (`outputs.NAME.` + field) that come from `parameter`, with the parameter's path. */
  sources: Map<string, readonly string[]>;
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
  const result: TemplateResult = { outputs: [], errs: [], warnings: [], diagnostics: [], sources: new Map() };
  const evaluated = evaluate(def.program, { inject: { parameter, context } });
  if (!evaluated.ok) {
    result.diagnostics.push(...evaluated.diagnostics);
    return result;
  }
  const root = evaluated.root;
  const take = (name: string, sources?: Map<string, readonly string[]>): { v?: Value; data?: unknown } => {
    const v = root.lookup(name);
    if (!v || !v.isSet) return {};
    const r = v.export({ sources: sources !== undefined });
    if (!r.ok) {
      result.diagnostics.push(...r.diagnostics);
      return { v };
    }
    if (sources && r.sources) for (const [k, from] of r.sources) sources.set(k, from);
    return { v, data: r.data };
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
  const out = take('output', result.sources);
  if (out.data !== undefined) {
    if (!isObject(out.data)) result.diagnostics.push({ severity: 'error', message: 'output must be a Kubernetes object', path: 'output' });
    else result.output = out.data;
  }
  const outSources = new Map<string, readonly string[]>();
  const outs = take('outputs', outSources);
  for (const [k, from] of outSources) result.sources.set(`outputs.${k}`, from);
  if (outs.data !== undefined) {
    if (!isObject(outs.data)) result.diagnostics.push({ severity: 'error', message: 'outputs must be a struct of objects', path: 'outputs' });
    else
      for (const [k, o] of Object.entries(outs.data)) {
        if (!isObject(o)) result.diagnostics.push({ severity: 'error', message: 'must be a Kubernetes object', path: formatPath(['outputs', k]) });
        else result.outputs.push([k, o]);
      }
  }
  const patchSources = new Map<string, readonly string[]>();
  const patch = take('patch', patchSources);
  for (const [k, from] of patchSources) result.sources.set(`patch.${k}`, from);
  if (patch.data !== undefined && patch.v) {
    result.patch = patch.data as JsonValue;
    result.patchMeta = patchMetaOf(patch.v);
  }
  const failure = root.failure();
  if (failure && !result.diagnostics.includes(failure)) result.diagnostics.push(failure);
  return result;
}

function isObject(x: unknown): x is JsonObject {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/** An `errs`/`warnings` entry as text: strings as they are, anything else as JSON (never `[object Object]`). */
function messageText(entry: unknown): string {
  return typeof entry === 'string' ? entry : JSON.stringify(entry);
}
