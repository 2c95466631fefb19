/**
 * In which order an app's objects are applied, decided before anything is
 * sent (pure): Namespaces and CustomResourceDefinitions first, so that what
 * lives in them can be applied; then the services by `dependsOn` level, one
 * service per wave in Appfile order, a level starting only once the services
 * it depends on are healthy; then objects of no known service, last.
 */
import type { Manifest, RenderedService } from '../../render/index.js';

/** Kinds that other objects live in or are defined by: applied first, pruned last. */
export const FOUNDATION_KINDS: ReadonlySet<string> = new Set(['Namespace', 'CustomResourceDefinition']);

export const isFoundation = (kind: unknown): boolean => FOUNDATION_KINDS.has(String(kind));

export interface Wave {
  /** The progress task's name: `namespaces and CRDs`, a service's name, or `other objects`. */
  readonly title: string;
  /** In manifest order; may be empty when the wave only waits. */
  readonly manifests: readonly Manifest[];
  /** Services to wait for (healthy) before this wave is applied; each is waited for once, before the first wave that needs it. */
  readonly waitFor: readonly string[];
  /** Said while waiting: `before api, web`. */
  readonly waitPurpose?: string;
  /** After applying, wait until this wave's CustomResourceDefinitions are established. */
  readonly establish: boolean;
}

/** Services grouped by dependsOn depth: level 0 depends on nothing, level n on something at level n-1. */
export function dependencyLevels(services: readonly Pick<RenderedService, 'name' | 'dependsOn'>[]): string[][] {
  const byName = new Map(services.map((s) => [s.name, s]));
  const levelOf = new Map<string, number>();
  const visiting = new Set<string>();
  const depth = (name: string): number => {
    const known = levelOf.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) return 0; // a cycle: the renderer reports it; do not loop here
    visiting.add(name);
    const service = byName.get(name);
    const level = service && service.dependsOn.length ? 1 + Math.max(...service.dependsOn.filter((dep) => byName.has(dep)).map(depth), -1) : 0;
    visiting.delete(name);
    levelOf.set(name, level);
    return level;
  };
  const levels: string[][] = [];
  for (const service of services) (levels[depth(service.name)] ??= []).push(service.name);
  return levels.filter((level) => level && level.length);
}

/**
 * The waves of an app. Every manifest is in exactly one wave. A wave with no
 * manifests is kept only when it waits (a service whose objects are all
 * Namespaces still makes the next level wait for what it depends on).
 */
export function planWaves(app: { readonly manifests: readonly Manifest[]; readonly services: readonly Pick<RenderedService, 'name' | 'dependsOn'>[] }): Wave[] {
  const waves: Wave[] = [];
  const foundation = app.manifests.filter((m) => isFoundation(m.object.kind));
  if (foundation.length) waves.push({ title: 'namespaces and CRDs', manifests: foundation, waitFor: [], establish: foundation.some((m) => m.object.kind === 'CustomResourceDefinition') });

  const serviceByName = new Map(app.services.map((s) => [s.name, s]));
  const waited = new Set<string>();
  for (const level of dependencyLevels(app.services)) {
    const waitFor = [...new Set(level.flatMap((name) => serviceByName.get(name)?.dependsOn ?? []))].filter((dep) => !waited.has(dep) && serviceByName.has(dep));
    for (const dep of waitFor) waited.add(dep);
    level.forEach((name, index) => {
      const manifests = app.manifests.filter((m) => m.origin.service === name && !isFoundation(m.object.kind));
      const waits = index === 0 ? waitFor : [];
      if (!manifests.length && !waits.length) return;
      waves.push({ title: name, manifests, waitFor: waits, ...(waits.length ? { waitPurpose: `before ${level.join(', ')}` } : {}), establish: false });
    });
  }

  // Objects of no known service (should not happen, but never drop them silently).
  const orphans = app.manifests.filter((m) => !serviceByName.has(m.origin.service) && !isFoundation(m.object.kind));
  if (orphans.length) waves.push({ title: 'other objects', manifests: orphans, waitFor: [], establish: false });
  return waves;
}
