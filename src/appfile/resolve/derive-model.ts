/**
 * Another AppModel from the same app: its services as written with other
 * override policies applied (a deploy step's own), or only some of them (an
 * apply-component step), in another namespace. Every service of the result is
 * validated against its definitions, errors pointing at the override or the
 * service that wrote the value; the result has positions of its own, so two
 * derived models never mix up whose override set what.
 */
import type { Registry } from '../../capability/index.js';
import type { Diagnostic } from '../../source/index.js';
import type { ComponentOverride, OverridePolicy } from '../delivery-model.js';
import type { AppModel } from '../model.js';
import { Origins } from '../origins.js';
import { applyOverridePolicies } from './override-policies.js';
import { writtenOrigins } from './resolve-app.js';
import { validateServices } from './validate-services.js';

export interface DerivedModel {
  readonly app: AppModel;
  /** Errors make the model unusable: the caller reports them and delivers nothing. */
  readonly diagnostics: readonly Diagnostic[];
  /** Override entries that selected no service. */
  readonly unmatched: readonly ComponentOverride[];
}

export interface DeriveOptions {
  /** Override policies, applied in this order. */
  readonly overrides?: readonly OverridePolicy[];
  /** Keep only these services (and their dependsOn among themselves). */
  readonly only?: readonly string[];
  /** Default: the namespace as written (not a topology's). */
  readonly namespace?: string;
}

export function deriveAppModel(app: AppModel, registry: Registry, opts: DeriveOptions = {}): DerivedModel {
  const record = writtenOrigins.get(app);
  // A model made by hand (tests) has no record: its own positions stand in.
  const origins = record ? record.origins.fork() : new Origins({ locate: app.locate, locateKey: app.locate }, 'as-is');
  const outcome = applyOverridePolicies(app.baseServices ?? app.services, opts.overrides ?? [], { registry, origins, label: record?.policiesLabel ?? 'policies' });
  let services = outcome.services;
  if (opts.only) {
    const keep = new Set(opts.only);
    services = services.filter((s) => keep.has(s.name)).map((s) => ({ ...s, dependsOn: s.dependsOn.filter((d) => keep.has(d)) }));
  }
  const diagnostics = [...outcome.diagnostics, ...validateServices(services, registry, origins, record?.noun ? { noun: record.noun } : {})];
  const namespace = opts.namespace ?? (app.baseServices ? app.baseNamespace : app.namespace);
  const derived: AppModel = { ...app, services, ...(namespace !== undefined ? { namespace } : {}), locate: origins.locate };
  if (record) writtenOrigins.set(derived, record);
  return { app: derived, diagnostics, unmatched: outcome.unmatched };
}
