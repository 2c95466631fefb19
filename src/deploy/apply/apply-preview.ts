/**
 * `vela up --plan` and `vela diff`: what applying would do, object by object
 * (create / update with the changed fields / unchanged / prune), found with
 * server-side dry runs. Nothing is written.
 */
import type { Manifest, RenderedApp } from '../../render/types.js';
import { DiagnosticError, type Diagnostic } from '../../source/index.js';
import { settleLimit } from '../../host/index.js';
import { asMember, groupKind } from '../applyset.js';
import { refOf, type KubeClient, type KubeObject, type ObjectRef } from '../api/index.js';
import { withClient, type ClusterOptions } from '../connect.js';
import { objectFailure } from '../errors.js';
import { foreignOwnership, loadInventory, objectKey, withNamespace, type Inventory } from '../inventory.js';
import { ComponentLabel } from '../labels.js';
import { fillApplyDefaults } from './apply-defaults.js';
import { changedFields, sameObject, type FieldChange } from './object-diff.js';
import { staleMembers } from './prune.js';

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

interface PreviewContext {
  readonly client: KubeClient;
  readonly inv: Inventory;
  readonly namespace: string;
  /** Whether the app's namespace exists already. */
  readonly namespaceExists: boolean;
  /** Namespaces the app itself creates. */
  readonly newNamespaces: ReadonlySet<string>;
  readonly force?: boolean;
  readonly signal?: AbortSignal;
}

/** What applying one manifest would do, by a server-side dry run where the server can answer one. */
async function previewObject(ctx: PreviewContext, manifest: Manifest): Promise<PlanEntry> {
  const { client, signal } = ctx;
  const obj = fillApplyDefaults(asMember(manifest.object as KubeObject, ctx.inv.id));
  const info = await client.discovery.tryResourceFor(String(obj.apiVersion), String(obj.kind));
  if (info?.namespaced && !obj.metadata?.namespace) obj.metadata = { ...obj.metadata, namespace: ctx.namespace };
  const ref = refOf(obj);
  const service = manifest.origin.service;
  const target = ref.namespace;
  // A kind that a CRD of this app will define, or a namespace that does not exist yet, cannot be dry-run.
  const namespaceMissing =
    target !== undefined && (target === ctx.namespace ? !ctx.namespaceExists : ctx.newNamespaces.has(target) && !(await client.get({ apiVersion: 'v1', kind: 'Namespace', name: target }, signal)));
  if (!info || namespaceMissing) return { ref, service, action: 'create' };
  const live = ctx.inv.members.get(objectKey(obj)) ?? (await client.get(ref, signal));
  const dryRun = await client.apply(obj, { dryRun: true, force: ctx.force, signal });
  if (!live) return { ref, service, action: 'create' };
  if (sameObject(live, dryRun)) return { ref, service, action: 'unchanged' };
  return { ref, service, action: 'update', changes: changedFields(live, dryRun) };
}

async function planWithClient(client: KubeClient, app: RenderedApp, opts: PlanOptions): Promise<PlanResult> {
  const namespace = app.namespace;
  const groupKinds = new Map<string, string>();
  for (const m of app.manifests) groupKinds.set(groupKind(String(m.object.apiVersion), String(m.object.kind)), String(m.object.apiVersion));
  const namespaceExists = !!(await client.get({ apiVersion: 'v1', kind: 'Namespace', name: namespace }, opts.signal));
  const inv = await loadInventory(client, app.name, namespace, { groupKinds: groupKinds.keys(), apiVersions: groupKinds, signal: opts.signal });
  const foreign = foreignOwnership(
    inv,
    app.manifests.map((m) => ({ object: withNamespace(m.object as KubeObject, namespace), origin: m.origin })),
  );
  if (foreign.length) throw new DiagnosticError(foreign);
  const newNamespaces = new Set(app.manifests.filter((m) => m.object.kind === 'Namespace').map((m) => String((m.object.metadata as { name?: string }).name)));
  const ctx: PreviewContext = { client, inv, namespace, namespaceExists, newNamespaces, force: opts.force, signal: opts.signal };

  const settled = await settleLimit(app.manifests, opts.concurrency ?? 8, (manifest) => previewObject(ctx, manifest), opts.signal);
  const entries: PlanEntry[] = [];
  const failures: Diagnostic[] = [];
  let environment: Error | undefined;
  settled.forEach((result, index) => {
    if (result.ok) {
      entries.push(result.value);
      return;
    }
    const manifest = app.manifests[index]!;
    const failure = objectFailure(result.error, refOf(manifest.object as KubeObject), manifest.origin, 'apply');
    failures.push(...failure.diagnostics);
    environment ??= failure.environment;
  });
  if (environment) throw environment;
  if (failures.length) throw new DiagnosticError(failures);

  if (opts.prune !== false) {
    const kept = entries.map((e) => ({ apiVersion: e.ref.apiVersion, kind: e.ref.kind, metadata: { name: e.ref.name, namespace: e.ref.namespace } }));
    for (const member of staleMembers(inv, kept)) entries.push({ ref: refOf(member), service: member.metadata?.labels?.[ComponentLabel], action: 'prune' });
  }
  const summary = { create: 0, update: 0, unchanged: 0, prune: 0 };
  for (const entry of entries) summary[entry.action]++;
  return { app: app.name, namespace, context: client.target.context, entries, summary };
}
