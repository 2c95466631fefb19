/** `vela delete APP`: every member of the app's applyset, then the parent. */
import { EnvironmentError } from '../host/index.js';
import { describeRef, refOf, type ObjectRef } from './api/index.js';
import { withClient, type ClusterOptions } from './connect.js';
import { isFoundation } from './apply/plan-waves.js';
import { loadInventory } from './inventory.js';
import { notFound } from './status.js';

export interface DeleteOptions extends ClusterOptions {
  /** Wait until the objects are gone (finalizers done). */
  readonly wait?: boolean;
  readonly timeoutMs?: number;
}

export interface DeleteResult {
  readonly app: string;
  readonly namespace: string;
  readonly deleted: readonly ObjectRef[];
}

export async function deleteApp(app: string, opts: DeleteOptions = {}): Promise<DeleteResult> {
  return withClient(opts, async (client) => {
    const namespace = client.target.namespace;
    const inv = await loadInventory(client, app, namespace, { signal: opts.signal });
    if (!inv.parent) throw notFound(app, namespace, client.target.context);
    // Namespaces and CRDs last: deleting them first would take other members with them.
    const members = [...inv.members.values()].sort((a, b) => Number(isFoundation(a.kind)) - Number(isFoundation(b.kind)));
    const deleted: ObjectRef[] = [];
    for (const member of members) {
      const ref = refOf(member);
      if (await client.delete(ref, { signal: opts.signal })) deleted.push(ref);
    }
    if (opts.wait) {
      const timeoutMs = opts.timeoutMs ?? 5 * 60_000;
      const deadline = Date.now() + timeoutMs;
      for (const ref of deleted) {
        const gone = await client.waitFor(ref, (live) => live === undefined, { timeoutMs: Math.max(0, deadline - Date.now()), intervalMs: 250, signal: opts.signal });
        if (!gone) {
          // Usually a finalizer the cluster does not complete (e.g. no controller to release a PVC).
          throw new EnvironmentError(`${describeRef(ref)} of app ${app} is still being deleted after ${Math.round(timeoutMs / 1000)}s`, {
            code: 'kube/delete-timeout',
            hint: `look at its finalizers: \`kubectl get ${ref.kind.toLowerCase()} ${ref.name} -n ${ref.namespace ?? namespace} -o jsonpath='{.metadata.finalizers}'\`; run \`vela delete ${app}\` again to finish`,
          });
        }
      }
    }
    // The parent last: while members remain, it is what finds them.
    await client.delete(inv.parentRef, { signal: opts.signal });
    return { app, namespace, deleted };
  });
}
