/**
 * For viewers that stay open (the dashboard): when vela's app list, or one
 * app, has changed in a cluster, from the cluster's watches (deploy's
 * live-watch.ts). Each runs until the signal (resolves) or until a watch
 * breaks (rejects with the cluster's failure: the viewer shows it, and tries
 * again when it chooses).
 */
import { watchAppList, watchAppObjects, type ClusterOptions } from '../deploy/index.js';

/** Calls `onChange` when an app is deployed, changed or deleted in any namespace of the cluster. */
export function watchAppListChanges(cluster: ClusterOptions, onChange: () => void): Promise<void> {
  return watchAppList(cluster, { onChange });
}

/** Calls `onChange` when something an app's status or events are read from changes in its namespace (`cluster.namespace`). */
export function watchAppChanges(cluster: ClusterOptions, onChange: () => void): Promise<void> {
  return watchAppObjects(cluster, { onChange });
}
