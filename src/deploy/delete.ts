/** `vela delete APP`: every member of the app's applyset, then the parent. */
import { EnvironmentError } from '../host/errors.js';
import { describeRef, refOf, type ObjectRef } from './client.js';
import { withClient, type ClusterOptions } from './connect.js';
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

const LAST = new Set(['Namespace', 'CustomResourceDefinition']);

export async function deleteApp(app: string, opts: DeleteOptions = {}): Promise<DeleteResult> {
  return withClient(opts, async (client) => {
    const namespace = client.target.namespace;
    const inv = await loadInventory(client, app, namespace, { signal: opts.signal });
    if (!inv.parent) throw notFound(app, namespace, client.target.context);
    const members = [...inv.members.values()].sort((a, b) => Number(LAST.has(String(a.kind))) - Number(LAST.has(String(b.kind))));
    const deleted: ObjectRef[] = [];
    for (const o of members) {
      const ref = refOf(o);
      if (await client.delete(ref, { signal: opts.signal })) deleted.push(ref);
    }
    if (opts.wait) {
      const timeoutMs = opts.timeoutMs ?? 5 * 60_000;
      const deadline = Date.now() + timeoutMs;
      for (const ref of deleted) {
        while (await client.get(ref, opts.signal)) {
          if (Date.now() > deadline) {
            // Usually a finalizer the cluster does not complete (e.g. no controller to release a PVC).
            throw new EnvironmentError(`${describeRef(ref)} of app ${app} is still being deleted after ${Math.round(timeoutMs / 1000)}s`, {
              code: 'kube/delete-timeout',
              hint: `look at its finalizers: \`kubectl get ${ref.kind.toLowerCase()} ${ref.name} -n ${ref.namespace ?? namespace} -o jsonpath='{.metadata.finalizers}'\`; run \`vela delete ${app}\` again to finish`,
            });
          }
          await new Promise((r) => setTimeout(r, 250));
        }
      }
    }
    // The parent last: while members remain, it is what finds them.
    await client.delete(inv.parentRef, { signal: opts.signal });
    return { app, namespace, deleted };
  });
}
