/**
 * For viewers that stay open (the dashboard): when vela's app list, or one
 * app, has changed in a cluster, from the cluster's watches (deploy's
 * live-watch.ts). Each runs until the signal (resolves) or until a watch
 * breaks (rejects with the cluster's failure: the viewer shows it, and tries
 * again when it chooses).
 */
import { followLogs, watchAppList, watchAppObjects, withClient, type ClusterOptions } from '../deploy/index.js';

/** Calls `onChange` when an app is deployed, changed or deleted in any namespace of the cluster. */
export function watchAppListChanges(cluster: ClusterOptions, onChange: () => void): Promise<void> {
  return watchAppList(cluster, { onChange });
}

/** Calls `onChange` when something an app's status or events are read from changes in its namespace (`cluster.namespace`). */
export function watchAppChanges(cluster: ClusterOptions, onChange: () => void): Promise<void> {
  return watchAppObjects(cluster, { onChange });
}

export interface AppLogLine {
  readonly service: string;
  readonly pod: string;
  readonly container: string;
  readonly line: string;
}

/**
 * Follows an app's logs (as `vela logs -f` does: every pod of its workloads,
 * pods that start later joining) in the namespace of `cluster`, each line
 * told with where it came from, until `cluster.signal`.
 */
export async function followAppLogs(app: string, cluster: ClusterOptions, opts: { service?: string; tailLines?: number; onLine: (line: AppLogLine) => void }): Promise<void> {
  return withClient(cluster, async (client) => {
    const follower = await followLogs(client, app, { service: opts.service, tailLines: opts.tailLines, signal: cluster.signal, onLine: (source, line) => opts.onLine({ ...source, line }) });
    await follower.done;
  });
}
