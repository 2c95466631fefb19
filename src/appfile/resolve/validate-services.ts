/**
 * Services checked against their definitions' schemas as a whole: the
 * parameters against the component's, each trait section against its
 * trait's. Used where services are put together from parts (an Application's
 * components, services after override policies), every error pointing where
 * the value was written.
 */
import type { Registry } from '../../capability/index.js';
import type { Diagnostic } from '../../source/index.js';
import type { Locator } from '../doc-path.js';
import type { ServiceModel } from '../model.js';
import { validateAgainstSchema } from '../validate-schema.js';

export interface ValidateServicesOptions {
  /** What parameters are called in messages (an Application's are `property`). */
  readonly noun?: string;
}

export function validateServices(services: readonly ServiceModel[], registry: Registry, locator: Locator, opts: ValidateServicesOptions = {}): Diagnostic[] {
  const at = { locate: locator.locate, locateKey: locator.locateKey, ...(opts.noun ? { noun: opts.noun } : {}) };
  const out: Diagnostic[] = [];
  for (const s of services) {
    const component = registry.component(s.type);
    if (!component) continue;
    const found = validateAgainstSchema(s.params, component.schema, { ...at, basePath: ['services', s.name] });
    // With `build`, a missing image is the build section's to report.
    out.push(...(s.build ? found.filter((d) => d.message !== 'missing required parameter "image"') : found));
    for (const t of s.traits) {
      const trait = registry.trait(t.name);
      if (trait) out.push(...validateAgainstSchema(t.properties, trait.schema, { ...at, basePath: t.path }));
    }
  }
  return out;
}

/** Diagnostics without repeats (the same problem found by two checks of the same value). */
export function uniqueDiagnostics(diags: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diags.filter((d) => {
    const key = JSON.stringify([d.severity, d.message, d.path, d.span?.file.name, d.span?.start, d.span?.end]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
