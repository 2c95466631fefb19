/**
 * Engine-agnostic harness for the built-in definitions' fixtures: it turns a
 * case into evaluation requests (component first, then the trait that sees the
 * component's workload as `context.output`), so the same cases can be run by
 * real CUE (the oracle) now and by vela's own CUE engine later.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const DEFINITIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'definitions');

export function definitionPath(name: string): string {
  return join(DEFINITIONS_DIR, `${name}.cue`);
}

export function definitionText(name: string): string {
  return readFileSync(definitionPath(name), 'utf8');
}

/** One evaluation of a definition's `template` with concrete `parameter` and `context`. */
export interface TemplateRequest {
  /** The definition file's text. */
  readonly source: string;
  readonly parameter: Json;
  readonly context: JsonObject;
}

/** The exported regular fields of `template` (hidden fields and definitions are not exported). */
export interface TemplateResult {
  readonly output?: JsonObject;
  readonly outputs?: Record<string, JsonObject>;
  readonly patch?: JsonObject;
  readonly errs?: string[];
  readonly warnings?: string[];
  readonly parameter?: Json;
}

export type TemplateOutcome = { readonly ok: true; readonly value: TemplateResult } | { readonly ok: false; readonly error: string };

/** Evaluates several requests; one outcome per request, in order. */
export type EvaluateTemplates = (requests: readonly TemplateRequest[]) => Promise<TemplateOutcome[]>;

/** One evaluation of a status expression (`healthPolicy` / `customStatus`) over a live object. */
export interface StatusRequest {
  readonly source: string;
  readonly parameter: Json;
  readonly context: JsonObject;
}
export type EvaluateStatus = (requests: readonly StatusRequest[]) => Promise<({ ok: true; value: JsonObject } | { ok: false; error: string })[]>;

export const CLUSTER_1_20 = { major: 1, minor: 20, gitVersion: 'v1.20.15' } as const;
export const CLUSTER_1_28 = { major: 1, minor: 28, gitVersion: 'v1.28.4' } as const;

/** The context vela gives a template (APPFILE.md section 3). */
export function makeContext(service: string, extra: JsonObject = {}): JsonObject {
  return {
    name: service,
    appName: 'shop',
    namespace: 'default',
    appRevision: 'shop-v3',
    appRevisionNum: 3,
    appLabels: { team: 'web' },
    appAnnotations: {},
    clusterVersion: { ...CLUSTER_1_20 },
    publishVersion: 'v1',
    ...extra,
  };
}

export interface ComponentCase {
  readonly kind: 'component';
  readonly title: string;
  readonly definition: string;
  readonly service?: string;
  readonly parameter: Json;
  readonly context?: JsonObject;
  readonly check: (r: TemplateResult) => void;
}

export interface TraitCase {
  readonly kind: 'trait';
  readonly title: string;
  readonly definition: string;
  /** The component the trait is attached to; its result becomes context.output / context.outputs. */
  readonly base: { readonly definition: string; readonly parameter: Json; readonly service?: string };
  readonly parameter: Json;
  readonly context?: JsonObject;
  readonly check: (r: TemplateResult, base: TemplateResult) => void;
}

export interface StatusCase {
  readonly kind: 'status';
  readonly title: string;
  readonly definition: string;
  readonly field: 'healthPolicy' | 'customStatus';
  readonly parameter?: Json;
  readonly context: JsonObject;
  readonly check: (r: JsonObject) => void;
}

export type DefinitionCase = ComponentCase | TraitCase | StatusCase;

export interface CaseRun {
  /** What was evaluated (the definition's text aside): the trait's context includes its base's output. */
  readonly request?: { readonly parameter: Json; readonly context: JsonObject };
  readonly result?: TemplateResult;
  readonly base?: TemplateResult;
  readonly error?: string;
}

/** Runs all template cases with two batched evaluations (bases, then everything else). */
export async function runTemplateCases(
  cases: readonly (ComponentCase | TraitCase)[],
  evaluate: EvaluateTemplates,
): Promise<CaseRun[]> {
  const traitCases = cases.filter((c): c is TraitCase => c.kind === 'trait');
  // Many traits share a base component: evaluate each distinct base once.
  const baseKey = (c: TraitCase) => JSON.stringify([c.base.definition, c.base.service ?? 'web', c.base.parameter]);
  const distinct = [...new Map(traitCases.map((c) => [baseKey(c), c.base])).entries()];
  const baseOutcomes = await evaluate(
    distinct.map(([, b]) => ({ source: definitionText(b.definition), parameter: b.parameter, context: makeContext(b.service ?? 'web') })),
  );
  const outcomeByKey = new Map(distinct.map(([k], i) => [k, baseOutcomes[i]!]));
  const baseByCase = new Map<TraitCase, TemplateOutcome>();
  for (const c of traitCases) baseByCase.set(c, outcomeByKey.get(baseKey(c))!);

  const requests: TemplateRequest[] = [];
  const index: (number | undefined)[] = [];
  for (const c of cases) {
    if (c.kind === 'component') {
      index.push(requests.length);
      requests.push({ source: definitionText(c.definition), parameter: c.parameter, context: makeContext(c.service ?? 'web', c.context) });
      continue;
    }
    const base = baseByCase.get(c)!;
    if (!base.ok) {
      index.push(undefined);
      continue;
    }
    index.push(requests.length);
    requests.push({
      source: definitionText(c.definition),
      parameter: c.parameter,
      context: makeContext(c.base.service ?? 'web', {
        output: base.value.output ?? {},
        outputs: (base.value.outputs ?? {}) as JsonObject,
        ...c.context,
      }),
    });
  }
  const outcomes = await evaluate(requests);
  return cases.map((c, i) => {
    const base = c.kind === 'trait' ? baseByCase.get(c)! : undefined;
    if (c.kind === 'trait' && base && !base.ok) return { error: `base ${c.base.definition}: ${base.error}` };
    const req = requests[index[i]!]!;
    const o = outcomes[index[i]!]!;
    if (!o.ok) return { error: o.error };
    return { request: { parameter: req.parameter, context: req.context }, result: o.value, base: base?.ok ? base.value : undefined };
  });
}

/** Extracts `attributes.status.<field>` text from a definition file (a raw `#"""` string). */
export function statusSource(definition: string, field: 'healthPolicy' | 'customStatus'): string {
  const text = definitionText(definition);
  const m = new RegExp(`${field}:\\s*#"""\\n([\\s\\S]*?)\\n\\s*"""#`).exec(text);
  if (!m) throw new Error(`${definition}: no ${field}`);
  const lines = m[1]!.split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^\t*/.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n') + '\n';
}

/** Header facts read from a definition file's text (a test-side stand-in for the capability loader). */
export interface DefinitionHeader {
  readonly kind: 'component' | 'trait';
  readonly workloadType?: string;
  readonly appliesTo: readonly string[];
  /** Top-level fields of `parameter`. */
  readonly parameters: readonly string[];
}

export function definitionHeader(name: string): DefinitionHeader {
  const text = definitionText(name);
  const kind = /^\ttype:\s*"(component|trait)"/m.exec(text)?.[1] as 'component' | 'trait';
  const workloadType = /^\t\t\ttype:\s*"([^"]+)"/m.exec(text)?.[1] ?? /workload: type: "([^"]+)"/.exec(text)?.[1];
  const applies = /appliesToWorkloads:\s*\[([^\]]*)\]/.exec(text)?.[1];
  const appliesTo = applies ? [...applies.matchAll(/"([^"]+)"/g)].map((m) => m[1]!) : [];
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^\tparameter: \{\s*$/.test(l));
  const parameters: string[] = [];
  if (start >= 0) {
    for (let i = start + 1; i < lines.length && !/^\t\}/.test(lines[i]!); i++) {
      const m = /^\t\t("[^"]+"|[A-Za-z_$][\w$-]*)\??\s*:/.exec(lines[i]!);
      if (m) parameters.push(m[1]!.replace(/"/g, ''));
    }
  }
  return { kind, workloadType, appliesTo, parameters };
}

/**
 * Enough of the patch strategies to check validity: maps merge, lists of named
 * items merge by name (as +patchKey=name does), other lists replace, null deletes.
 */
export function applyPatch(target: Json, patch: Json): Json {
  if (patch === null || typeof patch !== 'object') return patch;
  if (Array.isArray(patch)) {
    if (!Array.isArray(target) || !patch.every((p) => p !== null && typeof p === 'object' && !Array.isArray(p) && typeof p['name'] === 'string')) return patch;
    const out = [...target];
    for (const item of patch as JsonObject[]) {
      const at = out.findIndex((t) => t !== null && typeof t === 'object' && !Array.isArray(t) && t['name'] === item['name']);
      if (at >= 0) out[at] = applyPatch(out[at]!, item);
      else out.push(item);
    }
    return out;
  }
  const base: JsonObject = target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete base[k];
    else base[k] = applyPatch(base[k] ?? null, v);
  }
  return base;
}
