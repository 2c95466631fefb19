/**
 * "Look again now" for a long-running viewer (the dashboard): watches, never
 * a timer. Two scopes: the list of vela's apps (the applyset parents vela
 * owns, in every namespace: an app deployed, changed or deleted moves its
 * parent) and one app (the kinds its status and events are read from, in its
 * namespace). What is shown stays a fresh read; the watches only say when a
 * read is worth making.
 *
 * The rule it keeps: a watch that breaks is said at once (the promise
 * rejects), never retried quietly, so the viewer can show the cluster as
 * unreachable while it is, and lists again (and so learns it is back) when it
 * tries later. A watch the server ends in the normal way (its timeout)
 * resumes from the last version seen (api/watch.ts) without a new list.
 */
import { UnknownKindError, type KubeClient } from './api/index.js';
import { ApplySetLabels } from './applyset.js';
import { withClient, type ClusterOptions } from './connect.js';
import { WATCHED_KINDS } from './status.js';

export interface LiveWatchEvents {
  /** Something watched changed (or every watch has just listed: the first look at the current state). */
  readonly onChange: () => void;
}

interface WatchedKind {
  readonly apiVersion: string;
  readonly kind: string;
  readonly labelSelector?: string;
}

/** The parents carry the applyset id label; vela's are told apart from kubectl's when read (status.ts). */
const APP_LIST_KINDS: readonly WatchedKind[] = [{ apiVersion: 'v1', kind: 'ConfigMap', labelSelector: ApplySetLabels.id }];

/** What an app's status and detail are read from: workloads, their pods, Services, Ingresses, the inventory, events. */
const APP_KINDS: readonly WatchedKind[] = [
  ...WATCHED_KINDS,
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' },
  { apiVersion: 'v1', kind: 'Event' },
];

/** Watches the applyset parents of every namespace until the signal (resolves) or a watch breaks (rejects). */
export function watchAppList(opts: ClusterOptions, events: LiveWatchEvents): Promise<void> {
  return withClient(opts, (client) => watchKinds(client, undefined, APP_LIST_KINDS, events, opts.signal));
}

/** Watches the namespace of the options for what an app's status is read from, until the signal or a broken watch. */
export function watchAppObjects(opts: ClusterOptions, events: LiveWatchEvents): Promise<void> {
  return withClient(opts, (client) => watchKinds(client, client.target.namespace, APP_KINDS, events, opts.signal));
}

async function watchKinds(client: KubeClient, namespace: string | undefined, kinds: readonly WatchedKind[], events: LiveWatchEvents, signal: AbortSignal | undefined): Promise<void> {
  const stop = new AbortController();
  const watching = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
  let waitingForFirstList = kinds.length;
  const runs = kinds.map(async ({ apiVersion, kind, labelSelector }) => {
    let listed = false;
    try {
      await client.watch(
        apiVersion,
        kind,
        () => {
          if (listed) events.onChange();
          else if (--waitingForFirstList === 0) events.onChange();
          listed = true;
        },
        // No quiet retries: a failure ends this watch (and the others), and the caller decides when to try again.
        { namespace, labelSelector, signal: watching, maxFailures: 0 },
      );
    } catch (err) {
      // A kind this server does not serve has nothing to watch.
      if (err instanceof UnknownKindError) {
        if (--waitingForFirstList === 0) events.onChange();
        return;
      }
      if ((err as Error).name === 'AbortError' && signal?.aborted) return;
      stop.abort();
      throw err;
    }
  });
  const settled = await Promise.allSettled(runs);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected' && (r.reason as Error)?.name !== 'AbortError');
  if (failed) throw failed.reason;
}
