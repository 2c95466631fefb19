/**
 * Which clusters a day-2 command means for an app delivered by a workflow:
 * the one `--cluster NAME` picks, else every cluster and namespace the app's
 * workflow state (in the local cluster) says it delivered to. `vela delete`
 * deletes there, then the state; `vela status` shows every one.
 */
import { deleteManifestWork, listApps, listManifestWorkApps, type AppSummary, type ClusterDirectory } from '../deploy/index.js';
import { appStatus, deleteApp, withClient, type AppStatus, type ClusterOptions, type DeleteOptions, type DeleteResult } from '../deploy/index.js';
import { EnvironmentError, settleLimit } from '../host/index.js';
import { allSteps } from '../workflow/index.js';
import { resolveApp, type AppRef } from './cluster.js';
import { directoryFor } from './clusters.js';
import { definitionHealth } from './health.js';
import { clusterStateStore } from './workflow.js';

export interface AppTarget {
  readonly cluster: string;
  readonly namespace: string;
}

/** The cluster options for one cluster by name (`--cluster`); a user error for a name not in the registry. */
export async function namedCluster(name: string, cluster: ClusterOptions, directory?: ClusterDirectory): Promise<{ options: ClusterOptions; via?: 'ocm' }> {
  const access = await (directory ?? (await directoryFor(cluster))).access(name);
  if (access.kind === 'ocm') return { options: { ...cluster, target: access.hubTarget }, via: 'ocm' };
  return { options: { ...cluster, target: access.target } };
}

/** Where the workflow delivered the app, from its state in the local cluster; undefined when it has no state (not delivered by a workflow). */
export async function deliveredTargets(ref: AppRef, cluster: ClusterOptions): Promise<{ app: string; namespace: string; targets: AppTarget[]; cluster: ClusterOptions } | undefined> {
  const r = await resolveApp(ref, cluster);
  return withClient(r.cluster, async (client) => {
    const stored = await clusterStateStore(client, r.app, client.target.namespace).read(cluster.signal);
    if (!stored) return undefined;
    const seen = new Map<string, AppTarget>();
    for (const step of allSteps(stored.state.steps)) {
      for (const result of step.results ?? []) {
        const namespace = result.namespace ?? client.target.namespace;
        seen.set(`${result.cluster}\u0000${namespace}`, { cluster: result.cluster, namespace });
      }
    }
    return { app: r.app, namespace: client.target.namespace, targets: [...seen.values()], cluster: r.cluster };
  });
}

export interface TargetDeleted extends AppTarget {
  readonly ok: boolean;
  readonly message?: string;
  readonly result?: DeleteResult;
}

/**
 * `vela delete` of an app a workflow delivered: deleted in every cluster it
 * went to (each on its own; one failing does not stop the others), then its
 * workflow state once every one succeeded. Undefined when the app has no state.
 */
export async function deleteEverywhere(ref: AppRef, cluster: ClusterOptions, opts: Omit<DeleteOptions, keyof ClusterOptions> = {}): Promise<TargetDeleted[] | undefined> {
  const found = await deliveredTargets(ref, cluster);
  if (!found) return undefined;
  const directory = await directoryFor(cluster);
  const results = await Promise.all(
    found.targets.map(async (t): Promise<TargetDeleted> => {
      try {
        const { options, via } = await namedCluster(t.cluster, cluster, directory);
        if (via === 'ocm') {
          await withClient(options, (hub) => deleteManifestWork(hub, t.cluster, found.app, t.namespace, cluster.signal));
          return { ...t, ok: true };
        }
        return { ...t, ok: true, result: await deleteApp(found.app, { ...options, ...opts, namespace: t.namespace }) };
      } catch (err) {
        return { ...t, ok: false, message: (err as Error).message };
      }
    }),
  );
  if (results.every((x) => x.ok)) await withClient(found.cluster, (client) => clusterStateStore(client, found.app, found.namespace).remove(cluster.signal));
  return results;
}

export interface TargetStatus extends AppTarget {
  readonly ok: boolean;
  readonly message?: string;
  readonly status?: AppStatus;
}

/** `vela status` of an app a workflow delivered: every cluster it went to; undefined when it has no state. */
export async function statusEverywhere(ref: AppRef, cluster: ClusterOptions): Promise<{ app: string; clusters: TargetStatus[] } | undefined> {
  const found = await deliveredTargets(ref, cluster);
  if (!found) return undefined;
  const directory = await directoryFor(cluster);
  const clusters = await Promise.all(
    found.targets.map(async (t): Promise<TargetStatus> => {
      try {
        const { options, via } = await namedCluster(t.cluster, cluster, directory);
        if (via === 'ocm') return { ...t, ok: false, message: 'a managed cluster of an OCM hub: see `vela workflow status` for its ManifestWork' };
        return { ...t, ok: true, status: await appStatus(found.app, { ...options, namespace: t.namespace, definitionHealth: definitionHealth() }) };
      } catch (err) {
        return { ...t, ok: false, message: (err as Error).message };
      }
    }),
  );
  return { app: found.app, clusters };
}

export interface ClusterApps {
  readonly cluster: string;
  readonly ok: boolean;
  readonly message?: string;
  readonly apps: readonly AppSummary[];
}

/**
 * `vela ls` across clusters: the apps in `local` and in every registered cluster (or the one `--cluster` names),
 * four at a time; a cluster that cannot be read is reported with its message and stops no other. In each cluster
 * the namespace is the command's (`-n`, the environment, the context's), or every one with `-A`; a managed
 * cluster of an OCM hub lists the ManifestWorks vela wrote for it. None answering is an environment error (exit 2).
 * Undefined when there is only `local` and no `--cluster`: the one-cluster listing (clusterList) is the answer.
 */
export async function listEverywhere(cluster: ClusterOptions, opts: { allNamespaces?: boolean; only?: string } = {}): Promise<ClusterApps[] | undefined> {
  const directory = await directoryFor(cluster);
  if (opts.only === undefined && directory.clusters.length === 1) return undefined;
  const names = opts.only !== undefined ? [opts.only] : directory.clusters.map((c) => c.name);
  // An unknown --cluster is a user error before anything is read.
  if (opts.only !== undefined) await directory.access(opts.only);
  const namespace = cluster.namespace;
  const settled = await settleLimit(names, 4, async (name): Promise<ClusterApps> => {
    const access = await directory.access(name);
    if (access.kind === 'ocm') {
      const apps = await withClient({ ...cluster, target: access.hubTarget }, (hub) => listManifestWorkApps(hub, name, cluster.signal));
      const wanted = apps.filter((a) => opts.allNamespaces || namespace === undefined || a.namespace === namespace);
      return { cluster: name, ok: true, apps: wanted.map((a) => ({ name: a.app, namespace: a.namespace, services: a.services, groupKinds: [] })).sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name)) };
    }
    return { cluster: name, ok: true, apps: await listApps({ ...cluster, target: access.target, allNamespaces: opts.allNamespaces === true }) };
  }, cluster.signal);
  const listed = settled.map((r, i): ClusterApps => (r.ok ? r.value : { cluster: names[i]!, ok: false, message: (r.error as Error).message, apps: [] }));
  if (listed.every((c) => !c.ok)) {
    throw new EnvironmentError(listed.map((c) => `cluster ${c.cluster}: ${c.message ?? 'unreachable'}`).join('\n'), { code: 'cluster/unreachable', hint: '`vela cluster list` shows which clusters answer' });
  }
  return listed;
}
