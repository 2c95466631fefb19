/**
 * Prune: delete the members of the app's applyset that this apply did not
 * send, one at a time, Namespaces and CRDs last (deleting them first would
 * take other members with them). The first failure stops the prune.
 */
import { DiagnosticError } from '../../source/index.js';
import type { Reporter } from '../../host/index.js';
import { describeRef, refOf, type KubeClient, type KubeObject, type ObjectRef } from '../api/index.js';
import { objectFailure } from '../errors.js';
import { objectKey, type Inventory } from '../inventory.js';
import { ComponentLabel } from '../labels.js';
import { isFoundation } from './plan-waves.js';

/** Members of the inventory that are not among `kept`, in inventory order. */
export function staleMembers(inv: Inventory, kept: readonly KubeObject[]): KubeObject[] {
  const desired = new Set(kept.map(objectKey));
  return [...inv.members.values()].filter((member) => !desired.has(objectKey(member)));
}

/** Delete the stale members; what was deleted, with the service each belonged to. */
export async function pruneStale(client: KubeClient, inv: Inventory, kept: readonly KubeObject[], opts: { reporter: Reporter; signal?: AbortSignal }): Promise<Array<{ ref: ObjectRef; service?: string }>> {
  const stale = staleMembers(inv, kept).sort((a, b) => Number(isFoundation(a.kind)) - Number(isFoundation(b.kind)));
  if (!stale.length) return [];
  const task = opts.reporter.task('prune', `deleting ${stale.length} object${stale.length === 1 ? '' : 's'} no longer in the Appfile`);
  const pruned: Array<{ ref: ObjectRef; service?: string }> = [];
  for (const member of stale) {
    const ref = refOf(member);
    const service = member.metadata?.labels?.[ComponentLabel];
    try {
      await client.delete(ref, { signal: opts.signal });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      const failure = objectFailure(err, ref, { service }, 'delete');
      task.fail(`cannot delete ${describeRef(ref)}`);
      throw failure.environment ?? new DiagnosticError(failure.diagnostics);
    }
    pruned.push({ ref, service });
  }
  task.succeed(`${stale.length} deleted`);
  return pruned;
}
