/**
 * Where a deploy step delivers: the targets of its topology policies, as
 * KubeVela places them (pkg/policy/topology.go):
 *   - `clusters` by name, each of which must be known (`local` always is);
 *     when given, `clusterLabelSelector` is not used;
 *   - else `clusterLabelSelector`: every known cluster whose labels include
 *     all of the selector's, in name order; none is an error unless
 *     `allowEmpty`;
 *   - else the local cluster;
 * each in the topology's `namespace`, else the app's. Targets of several
 * topologies are joined, each cluster-and-namespace once, in first-seen order.
 * A step with no topology delivers to the local cluster.
 */
import type { TopologyPolicy } from '../appfile/index.js';
import { didYouMean, error, warning, type Diagnostic } from '../source/index.js';
import { LOCAL_CLUSTER, type DeliveryTarget, type KnownCluster } from './plan.js';

export function placeTargets(topologies: readonly TopologyPolicy[], clusters: readonly KnownCluster[], appNamespace: string | undefined, diags: Diagnostic[]): DeliveryTarget[] {
  const known = new Map(clusters.map((c) => [c.name, c]));
  known.set(LOCAL_CLUSTER, known.get(LOCAL_CLUSTER) ?? { name: LOCAL_CLUSTER, labels: {} });
  const out: DeliveryTarget[] = [];
  const seen = new Set<string>();
  const add = (cluster: string, namespace: string | undefined) => {
    const key = `${cluster}\u0000${namespace ?? ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ cluster, ...(namespace !== undefined ? { namespace } : {}) });
  };
  if (topologies.length === 0) add(LOCAL_CLUSTER, appNamespace);
  for (const t of topologies) {
    const namespace = t.namespace?.value ?? appNamespace;
    if (t.clusters) {
      if (t.clusterLabelSelector) diags.push(warning('clusterLabelSelector is not used when clusters are given', t.clusterLabelSelector.span, { path: `policy ${t.name}`, code: 'workflow/selector-unused', hint: 'give one of the two' }));
      for (const c of t.clusters) {
        if (known.has(c.value)) add(c.value, namespace);
        else {
          diags.push(
            error(`unknown cluster "${c.value}"`, c.span, {
              path: `policy ${t.name}`,
              code: 'workflow/unknown-cluster',
              hint: didYouMean(c.value, known.keys()) ?? `known clusters: ${[...known.keys()].sort().join(', ')}; join one with \`vela cluster join KUBECONFIG --name ${c.value}\``,
            }),
          );
        }
      }
    } else if (t.clusterLabelSelector) {
      const wanted = Object.entries(t.clusterLabelSelector.value);
      const matching = [...known.values()].filter((c) => wanted.every(([k, v]) => c.labels[k] === v)).sort((a, b) => a.name.localeCompare(b.name));
      if (matching.length === 0 && !t.allowEmpty) {
        diags.push(
          error(`no cluster matches the labels ${wanted.map(([k, v]) => `${k}=${v}`).join(',')}`, t.clusterLabelSelector.span, {
            path: `policy ${t.name}`,
            code: 'workflow/no-cluster',
            hint: 'label a cluster with `vela cluster labels add NAME k=v`, or set `allowEmpty: true` to deliver nowhere',
          }),
        );
      }
      for (const c of matching) add(c.name, namespace);
    } else add(LOCAL_CLUSTER, namespace);
  }
  return out;
}
