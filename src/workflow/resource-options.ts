/**
 * The resource policies of an app (`garbage-collect`, `apply-once`,
 * `shared-resource`, `read-only`, `take-over`) as one set of options for
 * delivery. KubeVela honours them app-wide, whichever step delivers; the first
 * garbage-collect and apply-once policy count (a second one is redundant), the
 * rules of the others add up.
 */
import type { Policy } from '../appfile/index.js';
import type { DeliveryOptions } from './plan.js';

export function resourceOptions(policies: readonly Policy[]): DeliveryOptions {
  const gc = policies.find((p) => p.kind === 'garbage-collect');
  const once = policies.find((p) => p.kind === 'apply-once');
  const selectors = (kind: 'shared-resource' | 'read-only' | 'take-over') => policies.flatMap((p) => (p.kind === kind ? p.rules.map((r) => r.selector) : []));
  return {
    ...(gc ? { garbageCollect: { keepLegacyResource: gc.keepLegacyResource, continueOnFailure: gc.continueOnFailure, rules: gc.rules } } : {}),
    ...(once ? { applyOnce: { enable: once.enable, rules: once.rules.map((r) => ({ ...(r.selector ? { selector: r.selector } : {}), paths: r.paths })) } } : {}),
    sharedResource: selectors('shared-resource'),
    readOnly: selectors('read-only'),
    takeOver: selectors('take-over'),
  };
}
