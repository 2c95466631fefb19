/**
 * Renders an Appfile into Kubernetes manifests (APPFILE.md sections 3–4):
 * for each service, its component template with `parameter` and `context`,
 * then its traits in order (outputs added, patches merged into the workload);
 * then labels, namespaces, ordering. Pure and deterministic.
 */
import type { AppModel, JsonObject, JsonValue, ServiceModel, TraitSection } from '../appfile/index.js';
import { traitConflict, type CapabilityDefinition, type DefinitionRegistry } from '../capability/index.js';
import { error, warning, type Diagnostic, type Span } from '../source/index.js';
import { evaluateTemplate, type FieldSources, type TemplateResult } from './evaluate-template.js';
import { applyPatch, PatchError } from './patch.js';
import { finalizeObject, identityOf, objectProblems, orderManifests } from './manifest.js';
import { terraformConfiguration } from './terraform.js';
import { assembleComponent, type TraitFacts } from './workload-contract.js';
import type { FieldSpans, Manifest, RenderedApp, RenderedService } from './types.js';
import type { ObservedObjects } from './observe.js';

export interface ClusterVersion {
  readonly major: number;
  readonly minor: number;
  readonly gitVersion: string;
}

/** The cluster version templates see when no cluster was asked. */
export const DEFAULT_CLUSTER_VERSION: ClusterVersion = { major: 1, minor: 29, gitVersion: 'v1.29.0' };

export interface RenderOptions {
  /** Target namespace (default: the Appfile's `namespace`, else `default`). */
  readonly namespace?: string;
  /** Image references that replace a service's `image` parameter (built and pushed images). */
  readonly images?: Readonly<Record<string, string>>;
  readonly clusterVersion?: ClusterVersion;
  /** The app revision number (`context.appRevisionNum`), default 1. */
  readonly revision?: number;
  /** Live objects the templates declared in `observe` (observe.ts): `context.observed`; `{}` without. */
  readonly observed?: ObservedObjects;
  /** `context.clusterConnected`: rendering for a cluster that was read (default false). */
  readonly clusterConnected?: boolean;
}

export interface RenderResult {
  readonly app?: RenderedApp;
  /** Errors (then there is no `app`) and warnings (from templates' `warnings`). */
  readonly diagnostics: Diagnostic[];
}

const isError = (d: Diagnostic) => d.severity === 'error';

export function renderApp(app: AppModel & { namespace?: string }, registry: DefinitionRegistry, opts: RenderOptions = {}): RenderResult {
  const namespace = opts.namespace ?? app.namespace ?? 'default';
  const diagnostics: Diagnostic[] = [];
  const manifests: Manifest[] = [];
  const services: RenderedService[] = [];
  const baseContext = appContext(app, opts);
  for (const svc of app.services) {
    const comp = registry.component(svc.type);
    if (!comp) {
      diagnostics.push(error(`unknown component type "${svc.type}"`, svc.typeSpan ?? svc.span, { path: `services.${svc.name}.type` }));
      continue;
    }
    services.push({ name: svc.name, type: svc.type, dependsOn: svc.dependsOn, status: comp.status, span: svc.span });
    const r = renderService(app, svc, comp, registry, serviceContext(app, svc, opts, baseContext), opts);
    diagnostics.push(...r.diagnostics);
    manifests.push(...r.manifests);
  }
  if (diagnostics.some(isError)) return { diagnostics };
  const seen = new Map<string, Manifest>();
  for (const m of manifests) {
    const problems = objectProblems(m.object);
    if (problems.length) {
      const what = m.origin.trait ? `trait ${m.origin.trait}` : m.origin.definition;
      const which = m.origin.outputName ? `outputs.${m.origin.outputName}` : 'output';
      for (const p of problems) diagnostics.push(error(`${what}: ${which}: ${p}`, m.origin.span, { path: `services.${m.origin.service}` }));
      continue;
    }
    finalizeObject(m, app.name, namespace);
    const id = identityOf(m.object);
    const prev = seen.get(id);
    if (prev) {
      diagnostics.push(
        error(`${id} is produced twice (by ${describeOrigin(prev)} and by ${describeOrigin(m)})`, m.origin.span, {
          path: `services.${m.origin.service}`,
          hint: 'give the objects different names',
          related: prev.origin.span ? [prev.origin.span] : [],
        }),
      );
    } else seen.set(id, m);
  }
  if (diagnostics.some(isError)) return { diagnostics };
  return { app: { name: app.name, namespace, manifests: orderManifests(manifests), services }, diagnostics };
}

/** The `context` every template of the app sees (APPFILE.md section 3). */
function appContext(app: AppModel & { namespace?: string }, opts: RenderOptions): JsonObject {
  const revision = opts.revision ?? 1;
  return {
    appName: app.name,
    namespace: opts.namespace ?? app.namespace ?? 'default',
    appRevision: `${app.name}-v${revision}`,
    appRevisionNum: revision,
    appLabels: {},
    appAnnotations: {},
    clusterVersion: { ...(opts.clusterVersion ?? DEFAULT_CLUSTER_VERSION) },
    publishVersion: `${app.name}-v${revision}`,
    clusterConnected: opts.clusterConnected ?? false,
  };
}

/** The `context` of a service's templates, before rendering adds `output`, `outputs` and `observed`. */
export function serviceContext(app: AppModel & { namespace?: string }, svc: ServiceModel, opts: RenderOptions, base: JsonObject = appContext(app, opts)): JsonObject {
  return { ...base, name: svc.name, revision: `${svc.name}-v${opts.revision ?? 1}` };
}

/** The component's `parameter`: the service's parameters, with the image built for it. */
export function componentParameters(svc: ServiceModel, opts: RenderOptions): JsonObject {
  const params: JsonObject = { ...svc.params };
  const image = opts.images?.[svc.name];
  if (image !== undefined) params.image = image;
  return params;
}

function describeOrigin(m: Manifest): string {
  return m.origin.trait ? `trait ${m.origin.trait} of ${m.origin.service}` : `service ${m.origin.service}`;
}

interface ServiceRender {
  manifests: Manifest[];
  diagnostics: Diagnostic[];
}

function renderService(
  app: AppModel,
  svc: ServiceModel,
  comp: CapabilityDefinition,
  registry: DefinitionRegistry,
  context: JsonObject,
  opts: RenderOptions,
): ServiceRender {
  const diagnostics: Diagnostic[] = [];
  const traitDefs = svc.traits.map((t) => registry.trait(t.name));
  const conflict = conflictDiagnostic(svc, traitDefs);
  if (conflict) return { manifests: [], diagnostics: [conflict] };
  const componentContext = { ...context, observed: opts.observed?.of(svc.name) ?? {} };
  const component = renderComponent(app, svc, comp, componentParameters(svc, opts), componentContext, diagnostics);
  if (!component) return { manifests: [], diagnostics };
  let workload: JsonValue = component.workload;
  const workloadFields = component.fields;
  const outputs = component.outputs;
  const facts = new Map<Manifest, TraitFacts>();
  svc.traits.forEach((t, index) => {
    const def = traitDefs[index];
    if (!def) {
      diagnostics.push(error(`unknown trait "${t.name}"`, t.span, { path: `services.${svc.name}.${t.name}` }));
      return;
    }
    const traitContext: JsonObject = {
      ...context,
      output: workload,
      outputs: Object.fromEntries(outputs.filter((o) => o.origin.outputName).map((o) => [o.origin.outputName!, o.object])),
      observed: opts.observed?.of(svc.name, t.name) ?? {},
    };
    const tr = evaluateTemplate(def.source, t.properties, traitContext);
    if (report(tr, diagnostics, app, t.span, t.path, `trait ${t.name}`)) return;
    for (const [name, object] of tr.outputs) {
      const m: Manifest = { object, origin: { service: svc.name, definition: comp.name, trait: t.name, outputName: name, span: t.span, fields: new LazyFieldSpans().add(tr.sources.outputs, `${name}.`, app, t.path) } };
      outputs.push(m);
      facts.set(m, def);
    }
    if (tr.patch !== undefined) {
      workloadFields.add(tr.sources.patch, '', app, t.path);
      try {
        workload = applyPatch(workload, tr.patch, tr.patchMeta);
      } catch (e) {
        if (!(e instanceof PatchError)) throw e;
        diagnostics.push(patchDiagnostic(e, t, svc));
      }
    }
  });
  if (diagnostics.some(isError)) return { manifests: [], diagnostics };
  const workloadManifest: Manifest = { object: workload as JsonObject, origin: { service: svc.name, definition: comp.name, span: svc.span, workload: true, fields: workloadFields } };
  return { manifests: assembleComponent(workloadManifest, outputs, (m) => facts.get(m)), diagnostics };
}

/** The component's own objects: its workload and outputs, from its CUE template or its Terraform schematic. */
function renderComponent(
  app: AppModel,
  svc: ServiceModel,
  comp: CapabilityDefinition,
  params: JsonObject,
  context: JsonObject,
  diagnostics: Diagnostic[],
): { workload: JsonObject; fields: LazyFieldSpans; outputs: Manifest[] } | undefined {
  const base = ['services', svc.name];
  if (comp.terraform) {
    const r = terraformConfiguration({ component: svc.name, namespace: String(context.namespace), schematic: comp.terraform, annotations: comp.source.annotations, properties: params });
    if (!r.ok) {
      diagnostics.push(error(`component ${comp.name}: ${r.message}`, svc.typeSpan ?? svc.span, { path: `services.${svc.name}`, hint: r.hint, related: comp.span ? [comp.span] : [] }));
      return undefined;
    }
    return { workload: r.object, fields: new LazyFieldSpans(), outputs: [] };
  }
  let parameter = params;
  let componentContext = context;
  if (comp.source.legacyFormat && typeof params.image === 'string') {
    // The 2020 format passed the service's image as context.image; a template without an image parameter takes it only there.
    componentContext = { ...context, image: params.image };
    if (comp.imageInContext) parameter = Object.fromEntries(Object.entries(params).filter(([key]) => key !== 'image'));
  }
  const r = evaluateTemplate(comp.source, parameter, componentContext);
  if (report(r, diagnostics, app, svc.span, base, comp.name)) return undefined;
  if (!r.output) {
    diagnostics.push(error(`component ${comp.name} gives no output`, svc.span, { path: `services.${svc.name}`, hint: `the definition's template must set \`output\` (${comp.path})` }));
    return undefined;
  }
  const fields = new LazyFieldSpans().add(r.sources.output, '', app, base);
  const outputs: Manifest[] = r.outputs.map(([name, object]) => ({
    object,
    origin: { service: svc.name, definition: comp.name, outputName: name, span: svc.span, fields: new LazyFieldSpans().add(r.sources.outputs, `${name}.`, app, base) },
  }));
  return { workload: r.output, fields, outputs };
}

/** Two traits of the service that KubeVela's `conflictsWith` keeps apart, as an error naming both. */
function conflictDiagnostic(svc: ServiceModel, defs: readonly (CapabilityDefinition | undefined)[]): Diagnostic | undefined {
  const known = defs.flatMap((d, i) => (d ? [{ def: d, section: svc.traits[i]! }] : []));
  const found = traitConflict(known.map((k) => k.def));
  if (!found) return undefined;
  const owner = known[found.owner]!;
  const other = known[found.other]!;
  const ownerName = owner.def.name;
  const why =
    found.rule === '*'
      ? `${ownerName} conflicts with every other trait (conflictsWith: ["*"])`
      : found.rule === other.def.name
        ? `the conflictsWith of ${ownerName} lists ${other.def.name}`
        : `the conflictsWith rule "${found.rule}" of ${ownerName} matches ${other.def.name}`;
  const later = owner.section.span.start > other.section.span.start ? owner : other;
  const earlier = later === owner ? other : owner;
  return error(`traits "${owner.def.name}" and "${other.def.name}" cannot be on the same service: ${why} (${owner.def.path})`, later.section.span, {
    path: `services.${svc.name}.${later.def.name}`,
    hint: 'remove one of the two traits',
    related: [earlier.section.span],
    code: 'render/trait-conflict',
  });
}

/**
 * Which fields of an object came from parameters, and so where in the Appfile
 * they were written. Each layer is a template's `sources` (template field
 * paths, under `prefix`, to paths in the injected data such as
 * `parameter.ports.0.port`) whose parameters sit at `base` in the Appfile; a
 * later layer (a trait's patch) wins over an earlier one (the component) for
 * the same field. Nothing is computed until a position is asked for, which
 * only an error does.
 */
class LazyFieldSpans implements FieldSpans {
  private readonly layers: { sources: FieldSources; prefix: string; app: AppModel; base: readonly (string | number)[] }[] = [];

  add(sources: FieldSources | undefined, prefix: string, app: AppModel, base: readonly (string | number)[]): this {
    if (sources?.size) this.layers.push({ sources, prefix, app, base });
    return this;
  }

  get(field: string): Span | undefined {
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const { sources, prefix, app, base } = this.layers[i]!;
      const from = sources.get(prefix + field);
      if (from?.[0] !== 'parameter') continue;
      return app.locate([...base, ...from.slice(1).map((p) => (/^\d+$/.test(p) ? Number(p) : p))]);
    }
    return undefined;
  }
}

function patchDiagnostic(e: PatchError, t: TraitSection, svc: ServiceModel): Diagnostic {
  const where = e.path.length ? e.path.join('.') : 'the workload';
  return error(`trait ${t.name} cannot patch ${where}: ${e.message.replace(/^[^:]*: /, '')}`, t.span, {
    path: `services.${svc.name}.${t.name}`,
    hint: 'another trait or the component already sets this field differently; remove one of them or use a patch strategy',
    code: 'render/patch-conflict',
  });
}

/**
 * Turns template errors and warnings into diagnostics at the Appfile. An
 * error under `parameter` points at the user's value; others at the service
 * (or trait) with the definition's positions as related places. Returns
 * whether there were errors.
 */
function report(r: TemplateResult, out: Diagnostic[], app: AppModel, span: Span, base: readonly (string | number)[], what: string): boolean {
  for (const msg of r.warnings) out.push(warning(`${what}: ${msg}`, span, { path: base.join('.'), code: 'render/warnings' }));
  for (const msg of r.errs) out.push(error(`${what}: ${msg}`, span, { path: base.join('.'), code: 'render/errs' }));
  for (const d of r.diagnostics) {
    const path = d.path ?? '';
    let at: Span | undefined = span;
    let shown = base.join('.');
    if (path.startsWith('parameter.') || path === 'parameter') {
      const rest = path === 'parameter' ? [] : path.slice('parameter.'.length).split('.');
      at = app.locate([...base, ...rest]) ?? span;
      shown = [...base, ...rest].join('.');
    }
    const related = [...(d.span ? [d.span] : []), ...(d.related ?? [])];
    out.push(error(`${what}: ${path && !shown.endsWith(path.replace(/^parameter\.?/, '')) ? `${path}: ` : ''}${d.message}`, at, { path: shown, related, code: d.code ?? 'render/template' }));
  }
  return r.errs.length > 0 || r.diagnostics.length > 0;
}
