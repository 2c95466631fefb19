/**
 * `vela delete APP`: under the app's lock, every member of its applyset that
 * vela may delete (ownership.ts: what it created or adopted, never a
 * Namespace it did not create), Namespaces and CRDs last; the members it may
 * not delete are released (kept, no longer the app's); then the parent.
 */
import { EnvironmentError, type Reporter } from '../host/index.js';
import { acquireLock, underLock, type HeldLock } from './app-lock.js';
import { ApiError, describeRef, refOf, type KubeClient, type ObjectRef } from './api/index.js';
import { withClient, type ClusterOptions } from './connect.js';
import { leavingMembers, releaseMember } from './apply/prune.js';
import { loadInventory } from './inventory.js';
import { abortedByDeadline, RunDeadline } from './run-deadline.js';
import { notFound } from './status.js';

export interface DeleteOptions extends ClusterOptions {
  /** Wait until the objects are gone (finalizers done). */
  readonly wait?: boolean;
  /** The bound on the whole run, `--timeout`; default 5 minutes. */
  readonly timeoutMs?: number;
  /** `--lock-timeout`; default 60 s. */
  readonly lockTimeoutMs?: number;
  /** `--force-unlock`. */
  readonly forceUnlock?: boolean;
  readonly lockHolder?: string;
  readonly reporter?: Reporter;
}

export interface DeleteResult {
  readonly app: string;
  readonly namespace: string;
  readonly deleted: readonly ObjectRef[];
  /** Members left in the cluster, no longer the app's: what vela did not create (e.g. an adopted Namespace). */
  readonly released: readonly ObjectRef[];
}

export async function deleteApp(app: string, opts: DeleteOptions = {}): Promise<DeleteResult> {
  const timeoutMs = opts.timeoutMs ?? 5 * 60_000;
  const deadline = new RunDeadline(timeoutMs, opts.signal);
  try {
    return await withClient({ ...opts, signal: deadline.signal }, async (client) => {
      const namespace = client.target.namespace;
      const signal = deadline.signal;
      let lock: HeldLock | undefined;
      try {
        try {
          lock = await acquireLock(client, app, namespace, {
            timeoutMs: opts.lockTimeoutMs ?? 60_000,
            forceUnlock: opts.forceUnlock,
            holder: opts.lockHolder,
            reporter: opts.reporter,
            signal,
            whileWaiting: (wait) => deadline.paused(wait),
          });
        } catch (err) {
          // No namespace, no app.
          if (err instanceof ApiError && err.missingNamespace === namespace) throw notFound(app, namespace, client.target.context);
          throw err;
        }
        const runSignal = underLock(lock, signal);
        const inv = await loadInventory(client, app, namespace, { signal: runSignal });
        if (!inv.parent) throw notFound(app, namespace, client.target.context);
        const deleted: ObjectRef[] = [];
        const released: ObjectRef[] = [];
        for (const { member, verdict } of leavingMembers(inv, [])) {
          const ref = refOf(member);
          if (verdict === 'release') {
            await releaseMember(client, ref, runSignal);
            released.push(ref);
          } else if (await client.delete(ref, { signal: runSignal })) deleted.push(ref);
        }
        if (opts.wait) await waitGone(client, app, namespace, deleted, deadline, runSignal);
        // The parent last: while members remain, it is what finds them.
        await client.delete(inv.parentRef, { signal: runSignal });
        return { app, namespace, deleted, released };
      } catch (err) {
        if (lock?.lost.aborted && (err as Error)?.name === 'AbortError') throw lock.lost.reason;
        throw deadline.explain(err, client, 'vela delete');
      } finally {
        await lock?.release();
      }
    });
  } finally {
    deadline.dispose();
  }
}

async function waitGone(client: KubeClient, app: string, namespace: string, deleted: readonly ObjectRef[], deadline: RunDeadline, signal: AbortSignal): Promise<void> {
  for (const ref of deleted) {
    let gone = false;
    try {
      gone = await client.waitFor(ref, (live) => live === undefined, { timeoutMs: deadline.remainingMs(), intervalMs: 250, signal });
    } catch (err) {
      if (!abortedByDeadline(signal)) throw err;
    }
    if (!gone) {
      // Usually a finalizer the cluster does not complete (e.g. no controller to release a PVC).
      throw new EnvironmentError(`${describeRef(ref)} of app ${app} is still being deleted after ${Math.round(deadline.timeoutMs / 1000)}s`, {
        code: 'kube/delete-timeout',
        hint: `look at its finalizers: \`kubectl get ${ref.kind.toLowerCase()} ${ref.name} -n ${ref.namespace ?? namespace} -o jsonpath='{.metadata.finalizers}'\`; run \`vela delete ${app}\` again to finish`,
      });
    }
  }
}
