/**
 * Prune: the members of the app's applyset that this apply did not send
 * leave the app, one at a time, Namespaces and CRDs last (deleting them first
 * would take other members with them). What vela created or adopted is
 * deleted; what it may not delete (a Namespace it did not create, a member it
 * has no record of) is released: its `part-of` label is removed and the
 * object stays (ownership.ts). The first failure stops the prune.
 */
import { DiagnosticError } from '../../source/index.js';
import type { Reporter } from '../../host/index.js';
import { describeRef, refOf, type KubeClient, type KubeObject, type ObjectRef } from '../api/index.js';
import { ApplySetLabels } from '../applyset.js';
import { objectFailure } from '../errors.js';
import { objectKey, type Inventory } from '../inventory.js';
import { ComponentLabel } from '../labels.js';
import { leaveVerdict } from '../ownership.js';
import { isFoundation } from './plan-waves.js';

export interface LeftObject {
  readonly ref: ObjectRef;
  readonly service?: string;
  /** `pruned`: deleted; `released`: kept, no longer a member. */
  readonly action: 'pruned' | 'released';
}

/** Members of the inventory that are not among `kept`, in inventory order. */
export function staleMembers(inv: Inventory, kept: readonly KubeObject[]): KubeObject[] {
  const desired = new Set(kept.map(objectKey));
  return [...inv.members.values()].filter((member) => !desired.has(objectKey(member)));
}

/** A garbage-collect policy's say on a member leaving the app: deleted (as usual), kept as a member until the app is deleted, or released. */
export type LeavePolicy = (member: KubeObject) => 'delete' | 'keep' | 'release';

/** The stale members with what leaving will do to each, in the order it is done; members a policy keeps are not among them. */
export function leavingMembers(inv: Inventory, kept: readonly KubeObject[], onLeave?: LeavePolicy): Array<{ member: KubeObject; verdict: 'delete' | 'release' }> {
  return staleMembers(inv, kept)
    .filter((member) => onLeave?.(member) !== 'keep')
    .sort((a, b) => Number(isFoundation(a.kind)) - Number(isFoundation(b.kind)))
    .map((member) => {
      const verdict = leaveVerdict(member, inv, objectKey(member));
      return { member, verdict: onLeave?.(member) === 'release' ? 'release' : verdict };
    });
}

/** The stale members a policy keeps in the app (until it is deleted). */
export function heldMembers(inv: Inventory, kept: readonly KubeObject[], onLeave?: LeavePolicy): KubeObject[] {
  return onLeave ? staleMembers(inv, kept).filter((member) => onLeave(member) === 'keep') : [];
}

/** Remove vela's membership label: the object stays as it is, no longer part of the app. */
export async function releaseMember(client: KubeClient, ref: ObjectRef, signal?: AbortSignal): Promise<void> {
  await client.mergePatch(ref, { metadata: { labels: { [ApplySetLabels.partOf]: null } } }, { signal });
}

/** Delete or release the stale members; what became of each, with the service it belonged to. */
export async function pruneStale(client: KubeClient, inv: Inventory, kept: readonly KubeObject[], opts: { reporter: Reporter; signal?: AbortSignal; onLeave?: LeavePolicy }): Promise<LeftObject[]> {
  const leaving = leavingMembers(inv, kept, opts.onLeave);
  if (!leaving.length) return [];
  const task = opts.reporter.task('prune', `${leaving.length} object${leaving.length === 1 ? '' : 's'} no longer in the Appfile`);
  const left: LeftObject[] = [];
  for (const { member, verdict } of leaving) {
    const ref = refOf(member);
    const service = member.metadata?.labels?.[ComponentLabel];
    try {
      if (verdict === 'delete') await client.delete(ref, { signal: opts.signal });
      else await releaseMember(client, ref, opts.signal);
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      const failure = objectFailure(err, ref, { service }, verdict);
      task.fail(`cannot ${verdict} ${describeRef(ref)}`);
      throw failure.environment ?? new DiagnosticError(failure.diagnostics);
    }
    left.push({ ref, service, action: verdict === 'delete' ? 'pruned' : 'released' });
  }
  const deleted = left.filter((entry) => entry.action === 'pruned').length;
  const released = left.length - deleted;
  task.succeed([deleted ? `${deleted} deleted` : '', released ? `${released} released (kept, not vela's to delete)` : ''].filter(Boolean).join(', '));
  return left;
}
