/**
 * Override policies applied to services, as KubeVela patches components for a
 * deploy step (pkg/policy/envbinding): the policies in the order given, each
 * policy's component entries in order. An entry selects services by `name`
 * (`*` matches any run of characters) and/or `type`, or every service when it
 * names neither; for each selected service:
 *   - `properties` are merged into its parameters as a JSON merge patch (RFC
 *     7396: maps merge, `null` removes a key, anything else replaces);
 *   - each trait entry is merged into the service's trait of that type the same
 *     way, removes it (`disable: true`), or adds it at the end.
 * A policy's `selector` then keeps only the services it names (the others are
 * not delivered by that step; dependsOn on them is dropped).
 *
 * Differences from KubeVela, on purpose: a `name` matches the whole service
 * name, not any part of it; an entry whose name matches nothing is reported
 * (to the caller, which decides how loudly), instead of adding a new component
 * made only of the override; an entry naming a service and another type
 * selects nothing, instead of replacing the component.
 *
 * Positions: every key an override sets is recorded in `origins`, so an error
 * in the merged value points at the override that wrote it.
 */
import type { Registry } from '../../capability/index.js';
import { error, type Diagnostic } from '../../source/index.js';
import type { ComponentOverride, OverridePolicy } from '../delivery-model.js';
import type { JsonObject, JsonValue, ServiceModel, TraitSection } from '../model.js';
import type { Origins } from '../origins.js';
import { applies, traitHint } from './definitions.js';

export interface OverrideOutcome {
  readonly services: ServiceModel[];
  /** Component entries that selected no service. */
  readonly unmatched: readonly ComponentOverride[];
  /** Names of the services an override changed (their parameters or traits), in service order. */
  readonly changed: readonly string[];
  /** Traits an override adds that are not defined or do not apply to the service's component. */
  readonly diagnostics: Diagnostic[];
}

export interface OverrideContext {
  readonly registry: Registry;
  /** Positions are recorded here (a fork of the app's origins: the caller's model gets its own). */
  readonly origins: Origins;
  /** The path shown in diagnostics about policies: `policies` or `spec.policies`. */
  readonly label: string;
}

export function applyOverridePolicies(base: readonly ServiceModel[], policies: readonly OverridePolicy[], ctx: OverrideContext): OverrideOutcome {
  let services = base.map((s) => ({ ...s, params: s.params, traits: [...s.traits] }));
  const unmatched: ComponentOverride[] = [];
  const changed = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const policy of policies) {
    for (const entry of policy.components) {
      const targets = services.filter((s) => selects(entry, s));
      if (targets.length === 0) {
        unmatched.push(entry);
        continue;
      }
      for (const service of targets) {
        if (patchService(service, entry, ctx, diagnostics)) changed.add(service.name);
      }
    }
    if (policy.selector) {
      const keep = new Set(policy.selector.map((x) => x.value));
      services = services.filter((s) => keep.has(s.name)).map((s) => ({ ...s, dependsOn: s.dependsOn.filter((d) => keep.has(d)) }));
    }
  }
  return { services, unmatched, changed: services.filter((s) => changed.has(s.name)).map((s) => s.name), diagnostics };
}

/** Whether a component entry selects a service: by whole-name glob and/or type, or every service when it names neither. */
export function selects(entry: ComponentOverride, service: Pick<ServiceModel, 'name' | 'type'>): boolean {
  if (entry.type && entry.type.value !== service.type) return false;
  return !entry.name || globMatch(entry.name.value, service.name);
}

export function globMatch(pattern: string, name: string): boolean {
  if (!pattern.includes('*')) return pattern === name;
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(name);
}

type MutableService = { -readonly [K in keyof ServiceModel]: ServiceModel[K] } & { traits: TraitSection[] };

/** Patches one service in place; true when something changed. */
function patchService(service: MutableService, entry: ComponentOverride, ctx: OverrideContext, diagnostics: Diagnostic[]): boolean {
  const base = ['services', service.name];
  let touched = false;
  if (entry.properties) {
    service.params = mergePatch(service.params, entry.properties) as JsonObject;
    // `image` mirrors the parameter of that name (builds and image references read it).
    if (typeof service.params.image === 'string') service.image = service.params.image;
    else delete service.image;
    for (const key of Object.keys(entry.properties)) ctx.origins.addTree([...base, key], [...entry.path, 'properties', key]);
    touched = true;
  }
  const component = ctx.registry.component(service.type);
  for (const t of entry.traits) {
    const name = t.type.value;
    const at = service.traits.findIndex((x) => x.name === name);
    if (t.disable) {
      if (at >= 0) {
        service.traits.splice(at, 1);
        touched = true;
      }
      continue;
    }
    const props = t.properties ?? {};
    if (at >= 0) {
      const existing = service.traits[at]!;
      service.traits[at] = { ...existing, properties: mergePatch(existing.properties, props) as JsonObject };
      for (const key of Object.keys(props)) ctx.origins.addTree([...existing.path, key], [...t.path, 'properties', key]);
      touched = true;
      continue;
    }
    const definition = ctx.registry.trait(name);
    if (!definition || (component && !applies(definition, component))) {
      diagnostics.push(
        error(definition ? `trait "${name}" does not apply to component type "${service.type}"` : `unknown trait "${name}"`, t.type.span, {
          path: ctx.label,
          code: 'policy/unknown-trait',
          hint: definition ? `${name} applies to ${definition.appliesTo.join(', ')}` : traitHint(ctx.registry, name),
        }),
      );
      continue;
    }
    const path = [...base, 'traits', name];
    ctx.origins.addTree(path, [...t.path, 'properties']);
    service.traits.push({ name, properties: props, span: t.type.span, path });
    touched = true;
  }
  return touched;
}

/** RFC 7396 JSON merge patch: maps merge, null deletes, everything else replaces (KubeVela merges override properties this way). */
export function mergePatch(target: JsonValue, patch: JsonValue): JsonValue {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: JsonObject = target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k] ?? null, v);
  }
  return out;
}
