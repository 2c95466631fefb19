/**
 * The app as one cluster gets it, for the commands that do not plan a
 * delivery (`vela dry-run --emit application`, `vela build`, `vela convert`,
 * and the day-2 commands finding an app's namespace): every override policy
 * applied, in order, as KubeVela delivers when there is no workflow; the first
 * topology's namespace is the app's. `vela up`, `vela dry-run` and `vela diff`
 * plan instead (src/workflow): each deploy step with its own overrides, to the
 * clusters of its topologies. Only what no command honours is warned about
 * here: policy types vela does not know.
 */
import type { Registry } from '../../capability/index.js';
import { warning, type Diagnostic } from '../../source/index.js';
import type { OverridePolicy } from '../delivery-model.js';
import type { ServiceModel } from '../model.js';
import type { Origins } from '../origins.js';
import type { Delivery } from '../read-delivery.js';
import { applyOverridePolicies } from './override-policies.js';

export interface SingleClusterView {
  readonly services: ServiceModel[];
  /** Services whose parameters or traits an override changed. */
  readonly changed: readonly string[];
  /** The namespace of the first topology, if it gives one. */
  readonly namespace?: string;
}

export function applyPoliciesOnOneCluster(delivery: Delivery, base: readonly ServiceModel[], registry: Registry, origins: Origins, label: { policies: string }, diags: Diagnostic[]): SingleClusterView {
  let namespace: string | undefined;
  let topologies = 0;
  const overrides: OverridePolicy[] = [];
  for (const p of delivery.policies) {
    if (p.kind === 'override') overrides.push(p);
    else if (p.kind === 'other') diags.push(warning(`policy type "${p.type}" is not supported by vela; ignored`, p.typeSpan, { path: label.policies, code: 'application/ignored' }));
    else if (p.kind === 'topology' && ++topologies === 1) namespace = p.namespace?.value;
  }
  const outcome = applyOverridePolicies(base, overrides, { registry, origins, label: label.policies });
  diags.push(...outcome.diagnostics);
  for (const entry of outcome.unmatched) diags.push(warning('this override matches no component', entry.span, { path: label.policies, code: 'application/override' }));
  return { services: outcome.services, changed: outcome.changed, ...(namespace !== undefined ? { namespace } : {}) };
}
