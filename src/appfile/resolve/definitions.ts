/**
 * What every resolver asks of the definitions: whether a trait applies to a
 * component, and what to suggest for a name that is not defined.
 */
import type { Definition, Registry } from '../../capability/index.js';
import { didYouMean } from '../../source/index.js';

/** A trait applies when its appliesTo is empty or names `*`, the component, or the component's workload. */
export function applies(trait: Definition, component: Definition): boolean {
  const a = trait.appliesTo;
  return a.length === 0 || a.some((x) => x === '*' || x === component.name || (component.workloadType !== undefined && x === component.workloadType));
}

/** The hint for an unknown component type: the closest name, and the list when it is short. */
export function componentTypeHint(registry: Registry, type: string): string {
  const names = registry.components().map((d) => d.name);
  const near = didYouMean(type, names);
  const list = names.length > 0 && names.length <= 12 ? `available: ${names.join(', ')}` : 'see `vela components`';
  return near ? `${near} (${list})` : list;
}

/** The hint for an unknown trait: the closest name, else the list when it is short. */
export function traitHint(registry: Registry, name: string): string {
  const all = registry.traits().map((d) => d.name);
  return didYouMean(name, all) ?? (all.length <= 12 ? `available: ${all.join(', ')}` : 'see `vela traits`');
}
