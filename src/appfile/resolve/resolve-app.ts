/**
 * Raw app → AppModel: the step that consults the definitions. Parameters and
 * traits are told apart and validated, the 2020 shorthands rewritten, the
 * policies applied as one cluster delivers them; each format by its own rules
 * (resolve-appfile.ts, resolve-compose.ts, resolve-application.ts). The
 * policies and the workflow also go into the model typed, with the services
 * as written, for the multi-cluster planner (src/workflow).
 *
 * It runs even when parsing found errors, on whatever could be read, so that
 * one run reports every problem; the model is returned only when neither step
 * found an error. Diagnostics of both come back together, sorted by position.
 */
import type { Registry } from '../../capability/index.js';
import type { Diagnostic } from '../../source/index.js';
import type { AppModel, ServiceModel } from '../model.js';
import type { Origins } from '../origins.js';
import type { ParseResult } from '../raw-app.js';
import { sortDiagnostics } from '../sort-diagnostics.js';
import { resolveApplication } from './resolve-application.js';
import { resolveAppfileService } from './resolve-appfile.js';
import { resolveComposeService } from './resolve-compose.js';
import { applyPoliciesOnOneCluster } from './single-cluster-policies.js';
import { uniqueDiagnostics, validateServices } from './validate-services.js';

export interface ResolveResult {
  readonly app?: AppModel;
  readonly diagnostics: Diagnostic[];
}

/**
 * The origins of each model's services as written (before any override
 * policy), for models derived from it with other overrides (override-app.ts).
 */
export const writtenOrigins = new WeakMap<AppModel, WrittenRecord>();

export interface WrittenRecord {
  readonly origins: Origins;
  /** How diagnostics name parameters (`property` in an Application) and the policies (`spec.policies`). */
  readonly noun?: string;
  readonly policiesLabel: string;
}

export function resolveAppModel(parsed: ParseResult, registry: Registry): ResolveResult {
  const { raw } = parsed;
  const diags = [...parsed.diagnostics];
  if (!raw) return { diagnostics: sortDiagnostics(diags) };
  // Positions the raw app does not know yet: values resolution moves (build.image → image) or policies add.
  const origins = raw.origins.fork();
  let baseServices: ServiceModel[];
  let namespace = raw.namespace;
  switch (raw.format) {
    case 'appfile':
      baseServices = raw.services.map((s) => resolveAppfileService(s, registry, origins, diags));
      break;
    case 'compose':
      baseServices = raw.services.flatMap((s) => resolveComposeService(s, registry, origins, diags) ?? []);
      break;
    case 'application':
      baseServices = resolveApplication(raw, registry, origins, diags);
      break;
  }
  // The services delivered to one cluster: what override policies make of those as written, positions of their own.
  let services = baseServices;
  const viewOrigins = origins.fork();
  let changed: readonly string[] = [];
  if (raw.delivery) {
    const label = raw.format === 'application' ? { policies: 'spec.policies', workflow: 'spec.workflow' } : { policies: 'policies', workflow: 'workflow' };
    const view = applyPoliciesOnOneCluster(raw.delivery, baseServices, registry, viewOrigins, label, diags);
    services = view.services;
    changed = view.changed;
    namespace = view.namespace ?? namespace;
  }
  // An Application's properties are validated merged (an override may supply a required one); an Appfile's
  // services were validated as written, so only what an override changed is validated again.
  if (raw.format === 'application') diags.push(...validateServices(services, registry, viewOrigins, { noun: 'property' }));
  else if (changed.length) diags.push(...validateServices(services.filter((s) => changed.includes(s.name)), registry, viewOrigins));

  const diagnostics = sortDiagnostics(uniqueDiagnostics(diags));
  if (diagnostics.some((d) => d.severity === 'error') || raw.name === undefined) return { diagnostics };
  const delivery = raw.delivery;
  // What delivery may adopt on purpose: the selectors of every take-over policy (deploy/take-over.ts matches them).
  const takeOver = (delivery?.policies ?? []).flatMap((p) => (p.kind === 'take-over' ? p.rules.map((r) => r.selector) : []));
  const app: AppModel = {
    file: raw.file,
    dir: raw.dir,
    name: raw.name,
    ...(namespace !== undefined ? { namespace, ...(raw.namespaceSpan ? { namespaceSpan: raw.namespaceSpan } : {}) } : {}),
    services,
    ...(takeOver.length ? { takeOver } : {}),
    ...(delivery ? { policies: delivery.policies, ...(delivery.workflow ? { workflow: delivery.workflow } : {}), baseServices, ...(raw.namespace !== undefined ? { baseNamespace: raw.namespace } : {}) } : {}),
    locate: viewOrigins.locate,
  };
  writtenOrigins.set(app, raw.format === 'application' ? { origins, noun: 'property', policiesLabel: 'spec.policies' } : { origins, policiesLabel: 'policies' });
  return { app, diagnostics };
}
