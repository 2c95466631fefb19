/**
 * Evaluates one capability template with `parameter` and `context` filled in
 * (APPFILE.md section 3) and reads what it gives: `output` and `outputs`
 * (components), `outputs` and `patch` with its strategy annotations
 * (traits), and `errs`.
 */
import type { DefinitionSource } from '../capability/definition-file.js';
import type { JsonObject, JsonValue } from '../appfile/model.js';
import { instantiate, Exporter, toPlain, formatPath } from '../cue/index.js';
import { guard } from '../cue/export.js';
import { patchMetaOf, type PatchMeta } from '../cue/patch-meta.js';
import type { Diagnostic } from '../source/diagnostic.js';
import type { Vertex } from '../cue/adt/vertex.js';

export interface TemplateResult {
  output?: JsonObject;
  /** Fields of `output` (`spec.replicas`) and of each output (`outputs.NAME.` + field) that come from `parameter`, with the parameter's path. */
  sources: Map<string, readonly string[]>;
  /** In the order the template gives them. */
  outputs: [string, JsonObject][];
  patch?: JsonValue;
  patchMeta?: PatchMeta;
  errs: string[];
  /** Evaluation errors, with the template path (e.g. `output.spec.replicas`) and positions in the definition. */
  diagnostics: Diagnostic[];
}

export function evaluateTemplate(def: DefinitionSource, parameter: JsonValue, context: JsonObject): TemplateResult {
  const result: TemplateResult = { outputs: [], errs: [], diagnostics: [], sources: new Map() };
  const r = guard(() => {
    const inst = instantiate(def.program, { inject: { parameter, context } });
    const ev = inst.evaluator;
    ev.evalVertex(inst.root);
    const arcs = inst.root.arcs;
    const take = (name: string, sources?: Map<string, readonly string[]>): { v?: Vertex; data?: unknown } => {
      const v = arcs?.get(name);
      if (!v || v.arcType !== 'regular') return {};
      const ex = new Exporter(ev, { sources });
      const d = ex.export(v, [name]);
      if (ex.errors.length) {
        result.diagnostics.push(...ex.diagnostics());
        return { v };
      }
      return { v, data: d === undefined ? undefined : toPlain(d) };
    };
    // `parameter` itself must be valid: a conflict there is the user's value against the definition.
    const p = arcs?.get('parameter');
    if (p) {
      const ex = new Exporter(ev, { allowIncomplete: true });
      ex.export(p, ['parameter']);
      result.diagnostics.push(...ex.diagnostics());
      if (result.diagnostics.length) return;
    }
    const errs = take('errs');
    if (Array.isArray(errs.data)) result.errs = errs.data.map(String);
    if (result.errs.length) return;
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
      result.patchMeta = patchMetaOf(ev, patch.v);
    }
  });
  if (r && typeof r === 'object' && 'severity' in r) result.diagnostics.push(r);
  return result;
}

function isObject(x: unknown): x is JsonObject {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}
