/**
 * `vela up --plan` and `vela diff`: what applying would do, object by object
 * (create / update with the changed fields / unchanged / prune), found with
 * server-side dry runs. Nothing is written.
 */
import type { RenderedApp } from '../render/types.js';
import { DiagnosticError, type Diagnostic } from '../source/index.js';
import { asMember, groupKind } from './applyset.js';
import { refOf, type KubeClient, type KubeObject, type ObjectRef } from './client.js';
import { settleLimit } from './concurrency.js';
import { withClient, type ClusterOptions } from './connect.js';
import { objectFailure } from './errors.js';
import { foreignOwnership, loadInventory, objectKey } from './inventory.js';
import { fillApplyDefaults } from './defaults.js';
import { changedFields, sameObject, type FieldChange } from './object-diff.js';

export type PlanAction = 'create' | 'update' | 'unchanged' | 'prune';

export interface PlanEntry {
  readonly ref: ObjectRef;
  readonly service?: string;
  readonly action: PlanAction;
  /** For `update`: the fields that would change. */
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
}

/** Dry-run the app against the cluster and report what would change. */
export async function planApp(app: RenderedApp, opts: PlanOptions = {}): Promise<PlanResult> {
  return withClient(opts, (client) => planWithClient(client, app, opts));
}

async function planWithClient(client: KubeClient, app: RenderedApp, opts: PlanOptions): Promise<PlanResult> {
  const namespace = app.namespace;
  const gkVersions = new Map<string, string>();
  for (const m of app.manifests) gkVersions.set(groupKind(String(m.object.apiVersion), String(m.object.kind)), String(m.object.apiVersion));
  const nsExists = !!(await client.get({ apiVersion: 'v1', kind: 'Namespace', name: namespace }, opts.signal));
  const inv = await loadInventory(client, app.name, namespace, { groupKinds: gkVersions.keys(), apiVersions: gkVersions, signal: opts.signal });
  const foreign = foreignOwnership(
    inv,
    app.manifests.map((m) => ({ object: (m.object.metadata as { namespace?: string } | undefined)?.namespace ? (m.object as KubeObject) : { ...(m.object as KubeObject), metadata: { ...(m.object.metadata as object), namespace } }, origin: m.origin })),
  );
  if (foreign.length) throw new DiagnosticError(foreign);
  const newNamespaces = new Set(app.manifests.filter((m) => m.object.kind === 'Namespace').map((m) => String((m.object.metadata as { name?: string }).name)));

  const settled = await settleLimit(
    app.manifests,
    opts.concurrency ?? 8,
    async (m): Promise<PlanEntry> => {
      const obj = fillApplyDefaults(asMember(m.object as KubeObject, inv.id));
      const info = await client.tryResourceFor(String(obj.apiVersion), String(obj.kind));
      if (info?.namespaced && !obj.metadata?.namespace) obj.metadata = { ...obj.metadata, namespace };
      const ref = refOf(obj);
      const ns = ref.namespace;
      // A kind that a CRD of this app will define, or a namespace that does not exist yet, cannot be dry-run.
      const nsMissing = ns !== undefined && (ns === namespace ? !nsExists : newNamespaces.has(ns) && !(await client.get({ apiVersion: 'v1', kind: 'Namespace', name: ns }, opts.signal)));
      if (!info || nsMissing) return { ref, service: m.origin.service, action: 'create' };
      const live = inv.members.get(objectKey(obj)) ?? (await client.get(ref, opts.signal));
      const dry = await client.apply(obj, { dryRun: true, force: opts.force, signal: opts.signal });
      if (!live) return { ref, service: m.origin.service, action: 'create' };
      if (sameObject(live, dry)) return { ref, service: m.origin.service, action: 'unchanged' };
      return { ref, service: m.origin.service, action: 'update', changes: changedFields(live, dry) };
    },
    opts.signal,
  );
  const entries: PlanEntry[] = [];
  const failures: Diagnostic[] = [];
  let environment: Error | undefined;
  settled.forEach((s, i) => {
    if (s.ok) return void entries.push(s.value);
    const m = app.manifests[i]!;
    const f = objectFailure(s.error, refOf(m.object as KubeObject), m.origin, 'apply');
    failures.push(...f.diagnostics);
    environment ??= f.environment;
  });
  if (environment) throw environment;
  if (failures.length) throw new DiagnosticError(failures);

  if (opts.prune !== false) {
    const desired = new Set(entries.map((e) => objectKey({ apiVersion: e.ref.apiVersion, kind: e.ref.kind, metadata: { name: e.ref.name, namespace: e.ref.namespace } })));
    for (const o of inv.members.values()) {
      if (!desired.has(objectKey(o))) entries.push({ ref: refOf(o), service: o.metadata?.labels?.['app.oam.dev/component'], action: 'prune' });
    }
  }
  const summary = { create: 0, update: 0, unchanged: 0, prune: 0 };
  for (const e of entries) summary[e.action]++;
  return { app: app.name, namespace, context: client.target.context, entries, summary };
}
