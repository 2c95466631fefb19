/**
 * From cluster names (as topologies and `--cluster` give them) to how vela
 * reaches each: directly, through a kubeconfig context (`local`, a registered
 * cluster), or through an OCM hub (a managed cluster: ManifestWork on the
 * hub). Also the clusters a planner may choose from, with their labels.
 */
import { DiagnosticError, didYouMean, error } from '../../source/index.js';
import { KubeClient } from '../api/index.js';
import type { ClusterTarget } from '../kubeconfig.js';
import { LOCAL } from './cluster-registry.js';
import { loadLocalTarget, registeredTarget, type LocalClusterOptions } from './list-clusters.js';
import type { ManagedClusterInfo } from './ocm/managed-cluster.js';
import { listManagedClusters } from './ocm/ocm-client.js';
import { readRegistry, type RegisteredCluster, type RegistryDeps } from './registry-file.js';

export type ClusterAccess =
  | { readonly kind: 'direct'; readonly name: string; readonly target: ClusterTarget }
  | { readonly kind: 'ocm'; readonly name: string; readonly hub: string; readonly hubTarget: ClusterTarget };

export interface ClusterDirectory {
  /** Every cluster by name, with its labels (the planner's KnownCluster). */
  readonly clusters: readonly { readonly name: string; readonly labels: Readonly<Record<string, string>> }[];
  /** How to reach a cluster by name; a user error for a name that is not there. */
  access(name: string): Promise<ClusterAccess>;
}

export interface DirectoryOptions extends RegistryDeps {
  readonly local?: LocalClusterOptions;
  readonly signal?: AbortSignal;
  /** Seam for tests: a hub's managed clusters. */
  readonly managedClusters?: (hub: ClusterTarget) => Promise<ManagedClusterInfo[]>;
}

/**
 * The registry, with the managed clusters of each hub (listed once, here: a hub that
 * cannot be read is an environment error, as delivery through it could not work).
 */
export async function clusterDirectory(opts: DirectoryOptions = {}): Promise<ClusterDirectory> {
  const entries = await readRegistry(opts);
  const managed = new Map<string, { hub: RegisteredCluster; hubTarget: ClusterTarget; info: ManagedClusterInfo }>();
  const readManaged =
    opts.managedClusters ??
    (async (hub: ClusterTarget) => {
      const client = new KubeClient(hub, { ...(opts.signal ? { signal: opts.signal } : {}) });
      try {
        return await listManagedClusters(client, opts.signal);
      } finally {
        client.close();
      }
    });
  for (const hub of entries.filter((e) => e.ocmHub)) {
    const hubTarget = await registeredTarget(hub, opts);
    for (const info of await readManaged(hubTarget)) {
      if (info.name !== LOCAL && !entries.some((e) => e.name === info.name) && !managed.has(info.name)) managed.set(info.name, { hub, hubTarget, info });
    }
  }
  const clusters = [{ name: LOCAL, labels: {} }, ...entries.map((e) => ({ name: e.name, labels: e.labels })), ...[...managed.values()].map((m) => ({ name: m.info.name, labels: m.info.labels }))];
  let local: Promise<ClusterTarget> | undefined;
  return {
    clusters,
    async access(name) {
      if (name === LOCAL) return { kind: 'direct', name, target: await (local ??= loadLocalTarget(opts.local, opts)) };
      const entry = entries.find((e) => e.name === name);
      if (entry) return { kind: 'direct', name, target: await registeredTarget(entry, opts) };
      const m = managed.get(name);
      if (m) return { kind: 'ocm', name, hub: m.hub.name, hubTarget: m.hubTarget };
      const names = clusters.map((c) => c.name);
      throw new DiagnosticError([error(`no cluster named "${name}"`, undefined, { code: 'cluster/unknown', hint: didYouMean(name, names) ?? `clusters: ${names.join(', ')}` })]);
    },
  };
}
