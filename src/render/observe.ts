/**
 * Live objects for templates (vela's extension of KubeVela's template
 * format): a template may declare
 *
 *   observe: NAME: {apiVersion, kind, name, namespace?}           // one object
 *   observe: NAME: {apiVersion, kind, labelSelector, namespace?}  // a list
 *
 * and then reads `context.observed.NAME`: the live object (or the list of
 * those matching the labels), without `status` and `metadata.managedFields`.
 * A name that is not found is absent; with no cluster, every NAME is absent.
 *
 * Rendering then takes two passes. Pass 1 (`planObservation`, here, pure)
 * evaluates only `observe` of the templates that declare it, with
 * `parameter` and the service's `context` and nothing that rendering makes
 * (`output`, `outputs`, `observed`), and collects distinct queries. The
 * pipeline runs them against the cluster, read-only. Pass 2 is the ordinary
 * rendering with `context.observed` filled (`observedFrom`). Apps whose
 * templates declare no `observe` take one pass, as before.
 */
import type { AppModel, JsonObject, JsonValue, ServiceModel } from '../appfile/index.js';
import type { DefinitionSource, DefinitionRegistry } from '../capability/index.js';
import { evaluate, labelKey, type ast, type Program } from '../cue/index.js';
import { error, type Diagnostic, type Span } from '../source/index.js';
import { componentParameters, serviceContext, type RenderOptions } from './render-app.js';

/** One query of a template's `observe`: an object by name, or the objects of a kind matching labels. */
export type ObjectQuery =
  | { readonly apiVersion: string; readonly kind: string; readonly namespace: string; readonly name: string }
  | { readonly apiVersion: string; readonly kind: string; readonly namespace: string; readonly labelSelector: Readonly<Record<string, string>> };

/** What the cluster answered for a query: the object, the list (label queries), or undefined (no such object). */
export type QueryAnswer = JsonObject | JsonObject[] | undefined;

export interface ObservePlan {
  /** Distinct queries, in the order the templates first ask them. */
  readonly queries: readonly ObjectQuery[];
  /** Per template (`templateKey`): NAME → index in `queries`. */
  readonly templates: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

/** `context.observed` of every template, as pass 2 sees it. */
export interface ObservedObjects {
  /** The template's `context.observed` (`{}` when it declares no `observe` or no cluster was read). */
  of(service: string, trait?: string): JsonObject;
}

/** The identity of one template evaluation: a service's component (no trait) or one of its traits. */
export function templateKey(service: string, trait?: string): string {
  return trait === undefined ? service : `${service}\u0000${trait}`;
}

const declares = new WeakMap<Program, boolean>();

/**
 * Whether a template declares `observe`, read from its syntax: a field at the
 * top level of the template, or inside a top-level `if`/`for` or embedded
 * struct. Cached per definition, so apps without it pay nothing more.
 */
export function declaresObserve(def: DefinitionSource): boolean {
  let known = declares.get(def.program);
  if (known === undefined) {
    known = def.program.files.some((f) => declsHaveObserve(f.decls));
    declares.set(def.program, known);
  }
  return known;
}

function declsHaveObserve(decls: readonly ast.Decl[]): boolean {
  return decls.some(
    (d) =>
      (d.kind === 'Field' && labelKey(d.label) === 'observe') ||
      (d.kind === 'Comprehension' && declsHaveObserve(d.body.decls)) ||
      (d.kind === 'EmbedDecl' && d.expr.kind === 'StructLit' && declsHaveObserve(d.expr.decls)),
  );
}

/** The templates an app evaluates that declare `observe`, with what pass 1 gives them. */
function observingTemplates(app: AppModel, registry: DefinitionRegistry): { svc: ServiceModel; def: DefinitionSource; trait?: { name: string; properties: JsonObject; span: Span; path: readonly (string | number)[] } }[] {
  const out: ReturnType<typeof observingTemplates> = [];
  for (const svc of app.services) {
    const comp = registry.component(svc.type);
    if (comp && declaresObserve(comp.source)) out.push({ svc, def: comp.source });
    for (const t of svc.traits) {
      const def = registry.trait(t.name);
      if (def && declaresObserve(def.source)) out.push({ svc, def: def.source, trait: t });
    }
  }
  return out;
}

/** Whether rendering this app reads the cluster (some template declares `observe`). */
export function appObserves(app: AppModel, registry: DefinitionRegistry): boolean {
  return observingTemplates(app, registry).length > 0;
}

const HINT = 'observe is evaluated before the rest of the template, from `parameter` and `context` alone (not context.output, context.outputs or context.observed)';

/**
 * Pass 1: evaluates `observe` of every template that declares it and collects
 * the distinct queries. Errors (an `observe` that needs more than `parameter`
 * and `context`, or that is not a query) point at the service or trait section.
 */
export function planObservation(app: AppModel & { namespace?: string }, registry: DefinitionRegistry, opts: RenderOptions = {}): { plan: ObservePlan; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const queries: ObjectQuery[] = [];
  const index = new Map<string, number>();
  const templates = new Map<string, Map<string, number>>();
  for (const { svc, def, trait } of observingTemplates(app, registry)) {
    const context = serviceContext(app, svc, opts);
    const parameter = trait ? trait.properties : componentParameters(svc, opts);
    const span = trait?.span ?? svc.span;
    const path = (trait?.path ?? ['services', svc.name]).join('.');
    const what = trait ? `trait ${trait.name}` : def.name;
    const evaluated = evaluate(def.program, { inject: { parameter, context } });
    // Syntax and compile errors, and a parameter the definition refuses, are pass 2's to report.
    if (!evaluated.ok) continue;
    if (evaluated.root.lookup('parameter')?.validate().length) continue;
    const value = evaluated.root.lookup('observe');
    if (!value || !value.isSet) continue;
    const exported = value.export();
    if (!exported.ok) {
      for (const d of exported.diagnostics) {
        diagnostics.push(error(`${what}: ${d.path ? `${d.path}: ` : ''}${d.message}`, span, { path, hint: HINT, related: d.span ? [d.span] : [], code: 'render/observe' }));
      }
      continue;
    }
    const names = new Map<string, number>();
    const data = exported.data;
    if (!isObject(data)) {
      diagnostics.push(error(`${what}: observe must be a struct of queries`, span, { path, code: 'render/observe' }));
      continue;
    }
    for (const [name, spec] of Object.entries(data)) {
      const q = toQuery(spec, context.namespace as string);
      if (typeof q === 'string') {
        diagnostics.push(
          error(`${what}: observe.${name}: ${q}`, span, { path, hint: 'a query is {apiVersion, kind, name, namespace?} or {apiVersion, kind, labelSelector, namespace?}', code: 'render/observe' }),
        );
        continue;
      }
      const key = JSON.stringify(q);
      let at = index.get(key);
      if (at === undefined) {
        at = queries.push(q) - 1;
        index.set(key, at);
      }
      names.set(name, at);
    }
    templates.set(templateKey(svc.name, trait?.name), names);
  }
  return { plan: { queries, templates }, diagnostics };
}

function toQuery(spec: unknown, namespace: string): ObjectQuery | string {
  if (!isObject(spec)) return 'must be a struct';
  const { apiVersion, kind, name, labelSelector } = spec;
  const ns = spec.namespace ?? namespace;
  if (typeof apiVersion !== 'string' || apiVersion === '') return 'apiVersion must be a non-empty string';
  if (typeof kind !== 'string' || kind === '') return 'kind must be a non-empty string';
  if (typeof ns !== 'string' || ns === '') return 'namespace must be a non-empty string';
  const unknown = Object.keys(spec).filter((k) => !['apiVersion', 'kind', 'name', 'labelSelector', 'namespace'].includes(k));
  if (unknown.length) return `unknown field ${unknown.map((k) => JSON.stringify(k)).join(', ')}`;
  if ((name === undefined) === (labelSelector === undefined)) return 'give either name or labelSelector';
  if (name !== undefined) {
    if (typeof name !== 'string' || name === '') return 'name must be a non-empty string';
    return { apiVersion, kind, namespace: ns, name };
  }
  if (!isObject(labelSelector) || Object.values(labelSelector).some((v) => typeof v !== 'string')) return 'labelSelector must be a map of label to value';
  // Sorted, so that the same selector written in another order is one query.
  const sorted = Object.fromEntries(Object.entries(labelSelector as Record<string, string>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { apiVersion, kind, namespace: ns, labelSelector: sorted };
}

/**
 * Pass 2's `context.observed`: each template's NAMEs with the answers to its
 * queries. Without answers (no cluster), every NAME is absent. Answers are
 * given without `status` and `metadata.managedFields`; label queries as lists
 * in the order of namespace and name.
 */
export function observedFrom(plan: ObservePlan, answers: readonly QueryAnswer[] | undefined): ObservedObjects {
  const cleaned = answers?.map((a) => (a === undefined ? undefined : Array.isArray(a) ? a.map(cleanObject).sort(byNamespaceAndName) : cleanObject(a)));
  const byTemplate = new Map<string, JsonObject>();
  for (const [key, names] of plan.templates) {
    const observed: JsonObject = {};
    for (const [name, at] of names) {
      const answer = cleaned?.[at];
      if (answer !== undefined) observed[name] = answer;
    }
    byTemplate.set(key, observed);
  }
  return { of: (service, trait) => byTemplate.get(templateKey(service, trait)) ?? {} };
}

function cleanObject(obj: JsonObject): JsonObject {
  const { status: _status, ...rest } = obj;
  if (!isObject(rest.metadata)) return rest;
  const { managedFields: _managedFields, ...metadata } = rest.metadata;
  return { ...rest, metadata };
}

function byNamespaceAndName(a: JsonObject, b: JsonObject): number {
  const key = (o: JsonObject) => {
    const m = isObject(o.metadata) ? o.metadata : {};
    return `${String(m.namespace ?? '')}/${String(m.name ?? '')}`;
  };
  const ka = key(a);
  const kb = key(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function isObject(x: unknown): x is Record<string, JsonValue> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}
