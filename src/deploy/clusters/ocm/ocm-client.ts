/**
 * The hub side of Open Cluster Management, over a KubeClient of the hub: list
 * its ManagedClusters, and apply, read, wait for and delete the ManifestWork
 * that carries an app to one of them (manifest-work.ts builds and reads it).
 */
import { UnknownKindError, type KubeClient, type KubeObject } from '../../api/index.js';
import { EnvironmentError } from '../../../host/index.js';
import { MANAGED_CLUSTER, readManagedCluster, type ManagedClusterInfo } from './managed-cluster.js';
import { buildManifestWork, manifestWorkName, manifestWorkStatus, MANIFEST_WORK, type ManifestWorkRequest, type WorkPhase, type WorkStatus } from './manifest-work.js';

/** The hub's managed clusters, by name; an EnvironmentError when the server is no OCM hub. */
export async function listManagedClusters(hub: KubeClient, signal?: AbortSignal): Promise<ManagedClusterInfo[]> {
  try {
    const items = await hub.list(MANAGED_CLUSTER.apiVersion, MANAGED_CLUSTER.kind, signal ? { signal } : {});
    return items.map(readManagedCluster).sort((a, b) => a.name.localeCompare(b.name));
  } catch (err) {
    if (err instanceof UnknownKindError) {
      throw new EnvironmentError(`${hub.target.server} is not an Open Cluster Management hub: it does not serve ManagedCluster (${MANAGED_CLUSTER.apiVersion})`, {
        code: 'cluster/not-a-hub',
        hint: 'join it without --ocm-hub, or install OCM on it (clusteradm init)',
        cause: err,
      });
    }
    throw err;
  }
}

/** Creates or updates the app's ManifestWork for one managed cluster (server-side apply, field manager vela). */
export async function applyManifestWork(hub: KubeClient, req: ManifestWorkRequest, signal?: AbortSignal): Promise<KubeObject> {
  return hub.apply(buildManifestWork(req), signal ? { signal } : {});
}

export async function readManifestWork(hub: KubeClient, cluster: string, app: string, namespace: string, signal?: AbortSignal): Promise<{ work: KubeObject; status: WorkStatus } | undefined> {
  const work = await hub.get({ ...MANIFEST_WORK, name: manifestWorkName(app, namespace), namespace: cluster }, signal);
  return work ? { work, status: manifestWorkStatus(work) } : undefined;
}

/** Waits until the work reaches `want` (or is degraded); resolves to the last status seen, `undefined` when it is gone. */
export async function waitForManifestWork(hub: KubeClient, cluster: string, app: string, namespace: string, opts: { want: Exclude<WorkPhase, 'pending' | 'degraded'>; timeoutMs: number; intervalMs?: number; signal?: AbortSignal }): Promise<WorkStatus | undefined> {
  let last: WorkStatus | undefined;
  const rank: Record<WorkPhase, number> = { pending: 0, applied: 1, available: 2, degraded: 3 };
  await hub.waitFor(
    { ...MANIFEST_WORK, name: manifestWorkName(app, namespace), namespace: cluster },
    (live) => {
      last = live ? manifestWorkStatus(live) : undefined;
      return last !== undefined && (last.phase === 'degraded' || rank[last.phase] >= rank[opts.want]);
    },
    { timeoutMs: opts.timeoutMs, ...(opts.intervalMs !== undefined ? { intervalMs: opts.intervalMs } : {}), ...(opts.signal ? { signal: opts.signal } : {}) },
  );
  return last;
}

/** Deletes the app's ManifestWork: the agent then deletes its resources from the managed cluster. */
export async function deleteManifestWork(hub: KubeClient, cluster: string, app: string, namespace: string, signal?: AbortSignal): Promise<boolean> {
  return hub.delete({ ...MANIFEST_WORK, name: manifestWorkName(app, namespace), namespace: cluster }, signal ? { signal } : {});
}

/** The apps vela carries to one managed cluster: its ManifestWorks on the hub (in the cluster's namespace there). */
export async function listManifestWorkApps(hub: KubeClient, cluster: string, signal?: AbortSignal): Promise<{ app: string; namespace: string; services: string[] }[]> {
  const works = await hub.list(MANIFEST_WORK.apiVersion, MANIFEST_WORK.kind, { namespace: cluster, labelSelector: 'app.kubernetes.io/managed-by=vela', ...(signal ? { signal } : {}) });
  return works.map((work) => {
    const labels = work.metadata?.labels ?? {};
    const manifests = ((work.spec as { workload?: { manifests?: KubeObject[] } } | undefined)?.workload?.manifests ?? []) as KubeObject[];
    const services = [...new Set(manifests.map((m) => m.metadata?.labels?.['app.oam.dev/component']).filter((s): s is string => typeof s === 'string'))].sort();
    return { app: labels['app.oam.dev/name'] ?? '', namespace: labels['vela.dev/target-namespace'] ?? '', services };
  });
}
