/**
 * `vela up --plan` and `vela diff`: what applying would do, object by object
 * (create / update with the changed fields / unchanged / adopt / prune /
 * release), found by the same checks `vela up` runs before its first write
 * (preflight.ts): what `up` would refuse, the plan refuses too. Nothing is
 * written, and no lock is taken. Secret values in the changes are redacted
 * unless `showSecrets` (redact.ts).
 */
import type { RenderedApp } from '../../render/index.js';
import { refOf, type KubeClient, type KubeObject, type ObjectRef } from '../api/index.js';
import { groupKind } from '../applyset.js';
import { withClient, type ClusterOptions } from '../connect.js';
import { loadInventory } from '../inventory.js';
import { ComponentLabel } from '../labels.js';
import { redactChanges, secretValues } from '../redact.js';
import type { TakeOver } from '../take-over.js';
import { changedFields, type FieldChange } from './object-diff.js';
import { preflight, type CheckedObject } from './preflight.js';
import { leavingMembers } from './prune.js';

/** `adopt`: a foreign object that would be taken over; `release`: a member that would stay in the cluster, no longer the app's. */
export type PlanAction = 'create' | 'update' | 'unchanged' | 'adopt' | 'prune' | 'release';

export interface PlanEntry {
  readonly ref: ObjectRef;
  readonly service?: string;
  readonly action: PlanAction;
  /** For `update` and `adopt`: the fields that would change (secret values redacted unless asked for). */
  readonly changes?: readonly FieldChange[];
}

export interface PlanResult {
  readonly app: string;
  readonly namespace: string;
  readonly context: string;
  readonly entries: readonly PlanEntry[];
  readonly summary: Readonly<Record<PlanAction, number>>;
}

export interface PlanOptions extends ClusterOptions {
  readonly force?: boolean;
  readonly prune?: boolean;
  readonly concurrency?: number;
  /** Plan as `vela up --take-over` (and the app's take-over policies) would apply. */
  readonly takeOver?: TakeOver;
  /** Show secret values in the changes (`--show-secrets`). */
  readonly showSecrets?: boolean;
}

/** Dry-run the app against the cluster and report what would change. */
export async function planApp(app: RenderedApp, opts: PlanOptions = {}): Promise<PlanResult> {
  return withClient(opts, (client) => planWithClient(client, app, opts));
}

function entryOf(checked: CheckedObject, known: ReadonlySet<string>, showSecrets: boolean): PlanEntry {
  const ref = refOf(checked.object);
  const service = checked.manifest.origin.service;
  if (checked.standing === 'new') return { ref, service, action: 'create' };
  if (checked.unchanged) return { ref, service, action: 'unchanged' };
  const changes = checked.live && checked.dryRun ? changedFields(checked.live, checked.dryRun) : [];
  const shown = showSecrets ? changes : redactChanges(ref.kind, changes, { before: checked.live, after: checked.dryRun }, known);
  return { ref, service, action: checked.standing === 'adopt' ? 'adopt' : 'update', changes: shown };
}

async function planWithClient(client: KubeClient, app: RenderedApp, opts: PlanOptions): Promise<PlanResult> {
  const namespace = app.namespace;
  const groupKinds = new Map<string, string>();
  for (const m of app.manifests) groupKinds.set(groupKind(String(m.object.apiVersion), String(m.object.kind)), String(m.object.apiVersion));
  // No look at the (cluster-scoped) Namespace: a missing one shows in the dry runs, and namespace rights suffice.
  const inv = await loadInventory(client, app.name, namespace, { groupKinds: groupKinds.keys(), apiVersions: groupKinds, signal: opts.signal });
  const namespacesToCreate = new Set([namespace, ...app.manifests.filter((m) => m.object.kind === 'Namespace').map((m) => String((m.object.metadata as { name?: string }).name))]);
  const checked = await preflight(client, app, inv, { force: opts.force, takeOver: opts.takeOver, namespacesToCreate, concurrency: opts.concurrency ?? 8, signal: opts.signal });

  const known = secretValues([...app.manifests.map((m) => m.object as KubeObject), ...checked.flatMap((c) => [c.live, c.dryRun])]);
  const entries: PlanEntry[] = checked.map((c) => entryOf(c, known, opts.showSecrets === true));
  if (opts.prune !== false) {
    for (const { member, verdict } of leavingMembers(inv, checked.map((c) => c.object))) {
      entries.push({ ref: refOf(member), service: member.metadata?.labels?.[ComponentLabel], action: verdict === 'delete' ? 'prune' : 'release' });
    }
  }
  const summary: Record<PlanAction, number> = { create: 0, update: 0, unchanged: 0, adopt: 0, prune: 0, release: 0 };
  for (const entry of entries) summary[entry.action]++;
  return { app: app.name, namespace, context: client.target.context, entries, summary };
}
