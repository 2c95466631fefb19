/**
 * Adopting objects on purpose: `--take-over` adopts every foreign object the
 * app renders; a KubeVela `take-over` policy adopts those its rules select.
 * A rule's selector matches as KubeVela's resource-policy selectors do: each
 * condition given must hold (they are ANDed), and at least one must be given.
 * Objects of another app (another applyset) are never taken over.
 */
import type { Manifest } from '../render/index.js';

/** A take-over rule's `selector` (KubeVela's field names). */
export interface TakeOverSelector {
  readonly componentNames?: readonly string[];
  readonly componentTypes?: readonly string[];
  /** `WORKLOAD` (or `COMPONENT`) for a component's objects, `TRAIT` for a trait's. */
  readonly oamTypes?: readonly string[];
  readonly traitTypes?: readonly string[];
  /** Kinds, e.g. `Deployment`. */
  readonly resourceTypes?: readonly string[];
  readonly resourceNames?: readonly string[];
}

export interface TakeOver {
  /** `--take-over`: adopt every foreign object. */
  readonly all?: boolean;
  /** The selectors of the app's take-over policies. */
  readonly rules?: readonly TakeOverSelector[];
}

/** Does this selector pick the manifest? */
export function selects(selector: TakeOverSelector, manifest: Pick<Manifest, 'object' | 'origin'>): boolean {
  const { origin, object } = manifest;
  const oamTypes = origin.trait ? ['TRAIT'] : ['WORKLOAD', 'COMPONENT'];
  const name = String((object.metadata as { name?: unknown } | undefined)?.name ?? '');
  const conditions: Array<[readonly string[] | undefined, readonly string[]]> = [
    [selector.componentNames, [origin.service]],
    [selector.componentTypes, [origin.definition]],
    [selector.oamTypes, oamTypes],
    [selector.traitTypes, origin.trait ? [origin.trait] : []],
    [selector.resourceTypes, [String(object.kind ?? '')]],
    [selector.resourceNames, [name]],
  ];
  let matched = false;
  for (const [wanted, values] of conditions) {
    if (!wanted || wanted.length === 0) continue;
    if (!values.some((value) => value !== '' && wanted.includes(value))) return false;
    matched = true;
  }
  return matched;
}

/** May this (foreign) object be adopted? */
export function mayTakeOver(takeOver: TakeOver | undefined, manifest: Pick<Manifest, 'object' | 'origin'>): boolean {
  if (!takeOver) return false;
  return takeOver.all === true || (takeOver.rules ?? []).some((rule) => selects(rule, manifest));
}
