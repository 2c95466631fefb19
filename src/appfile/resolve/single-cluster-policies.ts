/**
 * Policies and the workflow as vela's single-cluster delivery uses them
 * (`vela up`, `vela dry-run` today): every override policy is applied, in
 * order, as KubeVela does when there is no workflow; the first topology's
 * namespace is the app's. What one cluster cannot honour is warned about:
 * other clusters and selectors, later topologies, the other policy types and
 * the workflow. The multi-cluster planner (src/workflow) reads the same
 * typed policies and workflow from the AppModel and supersedes this view.
 */
import type { Registry } from '../../capability/index.js';
import { warning, type Diagnostic } from '../../source/index.js';
import type { OverridePolicy, TopologyPolicy } from '../delivery-model.js';
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

export function applyPoliciesOnOneCluster(delivery: Delivery, base: readonly ServiceModel[], registry: Registry, origins: Origins, label: { policies: string; workflow: string }, diags: Diagnostic[]): SingleClusterView {
  const ignored = (message: string, span: TopologyPolicy['span'], path?: string, hint?: string) => diags.push(warning(message, span, { ...(path ? { path } : {}), code: 'application/ignored', ...(hint ? { hint } : {}) }));
  if (delivery.workflow) ignored(`${label.workflow} is not run by vela: components are applied in dependsOn order; ignored`, delivery.workflow.span);

  let namespace: string | undefined;
  let topologies = 0;
  const overrides: OverridePolicy[] = [];
  for (const p of delivery.policies) {
    if (p.kind === 'override') overrides.push(p);
    // take-over reaches delivery as AppModel.takeOver (deploy adopts what it selects).
    else if (p.kind === 'take-over') continue;
    else if (p.kind !== 'topology') ignored(`policy type "${p.type}" is not supported by vela; ignored`, p.typeSpan, label.policies);
    else if (++topologies > 1) ignored('only the first topology policy is used: vela deploys to one cluster and namespace; ignored', p.typeSpan, label.policies);
    else {
      namespace = p.namespace?.value;
      const hint = 'choose the cluster with the kubeconfig context';
      const other = p.clusters?.find((c) => c.value !== 'local');
      if (other) ignored('topology clusters has no meaning for vela, which deploys to the cluster of the current kubeconfig context; ignored', other.span, label.policies, hint);
      if (p.clusterLabelSelector) ignored('topology clusterLabelSelector has no meaning for vela, which deploys to the cluster of the current kubeconfig context; ignored', p.clusterLabelSelector.span, label.policies, hint);
    }
  }
  const outcome = applyOverridePolicies(base, overrides, { registry, origins, label: label.policies });
  diags.push(...outcome.diagnostics);
  for (const entry of outcome.unmatched) diags.push(warning('this override matches no component', entry.span, { path: label.policies, code: 'application/override' }));
  return { services: outcome.services, changed: outcome.changed, ...(namespace !== undefined ? { namespace } : {}) };
}
