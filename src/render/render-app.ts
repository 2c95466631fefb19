/**
 * Renders an Appfile into Kubernetes manifests (APPFILE.md sections 3–4):
 * for each service, its component template with `parameter` and `context`,
 * then its traits in order (outputs added, patches merged into the workload);
 * then labels, namespaces, ordering. Pure and deterministic.
 */
import type { AppModel, JsonObject, JsonValue, ServiceModel, TraitSection } from '../appfile/index.js';
import type { DefinitionRegistry, DefinitionSource } from '../capability/index.js';
import { error, warning, type Diagnostic, type Span } from '../source/index.js';
import { evaluateTemplate, type TemplateResult } from './evaluate-template.js';
import { applyPatch, PatchError } from './patch.js';
import { finalizeObject, identityOf, objectProblems, orderManifests } from './manifest.js';
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
    const r = renderService(app, svc, comp.source, registry, serviceContext(app, svc, opts, baseContext), opts);
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
  comp: DefinitionSource,
  registry: DefinitionRegistry,
  context: JsonObject,
  opts: RenderOptions,
): ServiceRender {
  const diagnostics: Diagnostic[] = [];
  const base = ['services', svc.name];
  const r = evaluateTemplate(comp, componentParameters(svc, opts), { ...context, observed: opts.observed?.of(svc.name) ?? {} });
  if (report(r, diagnostics, app, svc.span, base, comp.name)) return { manifests: [], diagnostics };
  if (!r.output) {
    diagnostics.push(error(`component ${comp.name} gives no output`, svc.span, { path: `services.${svc.name}`, hint: `the definition's template must set \`output\` (${comp.path})` }));
    return { manifests: [], diagnostics };
  }
  let workload: JsonValue = r.output;
  const workloadFields = new LazyFieldSpans();
  addFields(workloadFields, r.sources, '', app, base);
  const outputs: Manifest[] = r.outputs.map(([name, object]) => ({
    object,
    origin: { service: svc.name, definition: comp.name, outputName: name, span: svc.span, fields: addFields(new LazyFieldSpans(), r.sources, `outputs.${name}.`, app, base) },
  }));
  for (const t of svc.traits) {
    const def = registry.trait(t.name);
    if (!def) {
      diagnostics.push(error(`unknown trait "${t.name}"`, t.span, { path: `services.${svc.name}.${t.name}` }));
      continue;
    }
    const traitContext: JsonObject = {
      ...context,
      output: workload,
      outputs: Object.fromEntries(outputs.filter((o) => o.origin.outputName).map((o) => [o.origin.outputName!, o.object])),
      observed: opts.observed?.of(svc.name, t.name) ?? {},
    };
    const tr = evaluateTemplate(def.source, t.properties, traitContext);
    if (report(tr, diagnostics, app, t.span, t.path, `trait ${t.name}`)) continue;
    for (const [name, object] of tr.outputs) {
      outputs.push({ object, origin: { service: svc.name, definition: comp.name, trait: t.name, outputName: name, span: t.span, fields: addFields(new LazyFieldSpans(), tr.sources, `outputs.${name}.`, app, t.path) } });
    }
    if (tr.patch !== undefined) {
      addFields(workloadFields, tr.sources, 'patch.', app, t.path);
      try {
        workload = applyPatch(workload, tr.patch, tr.patchMeta);
      } catch (e) {
        if (!(e instanceof PatchError)) throw e;
        diagnostics.push(patchDiagnostic(e, t, svc));
      }
    }
  }
  if (diagnostics.some(isError)) return { manifests: [], diagnostics };
  const manifests: Manifest[] = [
    { object: workload as JsonObject, origin: { service: svc.name, definition: comp.name, span: svc.span, workload: true, fields: workloadFields } },
    ...outputs,
  ];
  return { manifests, diagnostics };
}

/**
 * Records which fields came from parameters: `sources` maps template field
 * paths (under `prefix`) to paths in the injected data (`parameter.ports.0.port`),
 * which sit at `base` in the Appfile. Positions are looked up when asked for.
 */
function addFields(out: LazyFieldSpans, sources: ReadonlyMap<string, readonly string[]>, prefix: string, app: AppModel, base: readonly (string | number)[]): LazyFieldSpans {
  for (const [field, from] of sources) {
    if (from[0] !== 'parameter' || (prefix && !field.startsWith(prefix))) continue;
    if (!prefix && (field.startsWith('outputs.') || field.startsWith('patch.'))) continue;
    out.add(field.slice(prefix.length), app, base, from);
  }
  return out;
}

class LazyFieldSpans implements FieldSpans {
  private readonly paths = new Map<string, { app: AppModel; path: (string | number)[] }>();

  add(field: string, app: AppModel, base: readonly (string | number)[], from: readonly string[]): void {
    this.paths.set(field, { app, path: [...base, ...from.slice(1).map((p) => (/^\d+$/.test(p) ? Number(p) : p))] });
  }

  get(field: string): Span | undefined {
    const p = this.paths.get(field);
    return p && p.app.locate(p.path);
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
