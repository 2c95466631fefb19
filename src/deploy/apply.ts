/**
 * `vela up` against a cluster: server-side apply of a rendered app with field
 * manager `vela`, in waves (Namespaces and CRDs first, then services in
 * `dependsOn` order, each wave after the services it depends on are healthy),
 * bounded concurrency, an ApplySet inventory, and prune of what left the
 * Appfile. An object that is already as rendered is not written: it is
 * compared with the server's dry-run answer first.
 */
import type { Manifest, RenderedApp, RenderedService } from '../render/types.js';
import { DiagnosticError, type Diagnostic } from '../source/index.js';
import { silentReporter, type Reporter } from '../host/index.js';
import { APP_DATA_KEY, asMember, groupKind, parentObject } from './applyset.js';
import { describeRef, refOf, type KubeClient, type KubeObject, type ObjectRef } from './client.js';
import { settleLimit } from './concurrency.js';
import { withClient, type ClusterOptions } from './connect.js';
import { objectFailure } from './errors.js';
import type { PolicyEvaluator } from './health.js';
import { foreignOwnership, loadInventory, objectKey, type Inventory } from './inventory.js';
import { fillApplyDefaults } from './defaults.js';
import { sameObject } from './object-diff.js';
import { provablyUnchanged } from './no-op.js';
import { waitForServices, type ServiceHealth } from './wait.js';

export type ObjectAction = 'created' | 'updated' | 'unchanged' | 'pruned';

export interface AppliedObject {
  readonly ref: ObjectRef;
  readonly service?: string;
  readonly action: ObjectAction;
}

export interface ApplyOptions extends ClusterOptions {
  /** `--force-conflicts`: take fields owned by other managers. */
  readonly force?: boolean;
  /** Delete members of the applyset that are no longer rendered (default true). */
  readonly prune?: boolean;
  /** Wait until every service is healthy (dependsOn waits happen regardless). */
  readonly wait?: boolean;
  /** For `wait` and dependsOn waits; default 5 minutes. */
  readonly timeoutMs?: number;
  readonly pollIntervalMs?: number;
  /** Requests in flight at once (default 8). */
  readonly concurrency?: number;
  readonly reporter?: Reporter;
  readonly evaluatePolicy?: PolicyEvaluator;
}

export interface ApplyResult {
  readonly app: string;
  readonly namespace: string;
  readonly context: string;
  readonly server: string;
  readonly applySetId: string;
  readonly objects: readonly AppliedObject[];
  /** Mutating requests sent (dry runs excluded); 0 when nothing changed. */
  readonly writes: number;
  /** Server-side dry runs sent to find out whether objects changed. */
  readonly dryRuns: number;
  /** Present when the app was waited for. */
  readonly health?: readonly ServiceHealth[];
}

const FIRST_KINDS = new Set(['Namespace', 'CustomResourceDefinition']);

/** What the parent's `app.json` holds: enough for `vela status` and `vela ls` without the Appfile. */
export interface StoredApp {
  readonly name: string;
  readonly services: ReadonlyArray<{ name: string; type: string; dependsOn: readonly string[]; healthPolicy?: string; customStatus?: string }>;
}

export function storedApp(app: RenderedApp): string {
  const data: StoredApp = {
    name: app.name,
    services: app.services.map((s) => ({
      name: s.name,
      type: s.type,
      dependsOn: [...s.dependsOn],
      ...(s.status?.healthPolicy ? { healthPolicy: s.status.healthPolicy } : {}),
      ...(s.status?.customStatus ? { customStatus: s.status.customStatus } : {}),
    })),
  };
  return JSON.stringify(data);
}

/** Services grouped by dependsOn depth: level 0 depends on nothing, level n on something at level n-1. */
export function dependencyLevels(services: readonly RenderedService[]): string[][] {
  const byName = new Map(services.map((s) => [s.name, s]));
  const level = new Map<string, number>();
  const visiting = new Set<string>();
  const depth = (name: string): number => {
    const known = level.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) return 0; // a cycle: the renderer reports it; do not loop here
    visiting.add(name);
    const s = byName.get(name);
    const d = s && s.dependsOn.length ? 1 + Math.max(...s.dependsOn.filter((x) => byName.has(x)).map(depth), -1) : 0;
    visiting.delete(name);
    level.set(name, d);
    return d;
  };
  const out: string[][] = [];
  for (const s of services) (out[depth(s.name)] ??= []).push(s.name);
  return out.filter((l) => l && l.length);
}

/** The object with the app's namespace when it names none (cluster-scoped kinds never match a namespaced key anyway). */
function withNamespace(obj: KubeObject, namespace: string): KubeObject {
  return obj.metadata?.namespace || obj.kind === 'Namespace' || obj.kind === 'CustomResourceDefinition' ? obj : { ...obj, metadata: { ...obj.metadata, namespace } };
}

/** A manifest's object, namespaced (when its kind is) and labelled as a member. */
async function prepare(client: KubeClient, m: Manifest, namespace: string, id: string): Promise<KubeObject> {
  const obj = fillApplyDefaults(asMember(m.object as KubeObject, id));
  const ref = refOf(obj);
  const info = await client.tryResourceFor(ref.apiVersion, ref.kind);
  if (info?.namespaced && !obj.metadata?.namespace) obj.metadata = { ...obj.metadata, namespace };
  if (info && !info.namespaced && obj.metadata?.namespace) {
    const { namespace: _ns, ...rest } = obj.metadata;
    obj.metadata = rest;
  }
  return obj;
}

/** Apply one object unless the dry run shows it is already as rendered. */
async function applyObject(client: KubeClient, obj: KubeObject, live: KubeObject | undefined, opts: ApplyOptions): Promise<'created' | 'updated' | 'unchanged'> {
  if (live) {
    // Most objects of a repeated `vela up` are unchanged: prove it locally when we can, ask the server otherwise.
    if (provablyUnchanged(obj, live)) return 'unchanged';
    const dry = await client.apply(obj, { dryRun: true, force: opts.force, signal: opts.signal });
    if (sameObject(live, dry)) return 'unchanged';
  }
  const r = await client.applyFull(obj, { force: opts.force, signal: opts.signal });
  return r.created ? 'created' : 'updated';
}

async function ensureNamespace(client: KubeClient, namespace: string, signal?: AbortSignal): Promise<boolean> {
  const ns = await client.get({ apiVersion: 'v1', kind: 'Namespace', name: namespace }, signal);
  if (ns) return false;
  await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }, { signal });
  return true;
}

async function waitEstablished(client: KubeClient, crd: KubeObject, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const ref = refOf(crd);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const live = (await client.get(ref, signal)) as { status?: { conditions?: Array<{ type: string; status: string }> } } | undefined;
    if (live?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) return;
    if (Date.now() > deadline) throw new Error(`CustomResourceDefinition ${ref.name} is not established after ${Math.round(timeoutMs / 1000)}s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Apply the rendered app, prune what left it, and (with `wait`) wait until it is healthy. */
export async function applyApp(app: RenderedApp, opts: ApplyOptions = {}): Promise<ApplyResult> {
  return withClient(opts, (client) => applyWithClient(client, app, opts));
}

async function applyWithClient(client: KubeClient, app: RenderedApp, opts: ApplyOptions): Promise<ApplyResult> {
  const reporter = opts.reporter ?? silentReporter;
  const namespace = app.namespace;
  const concurrency = opts.concurrency ?? 8;
  const timeoutMs = opts.timeoutMs ?? 5 * 60_000;
  const writesBefore = client.stats.writes;
  const dryRunsBefore = client.stats.dryRuns;
  const results: AppliedObject[] = [];
  const failures: Diagnostic[] = [];

  await ensureNamespace(client, namespace, opts.signal);

  // The inventory: what we own now, and what this rendering will add.
  const gkVersions = new Map<string, string>();
  for (const m of app.manifests) gkVersions.set(groupKind(String(m.object.apiVersion), String(m.object.kind)), String(m.object.apiVersion));
  const desiredNamespaces = new Set(app.manifests.map((m) => (m.object.metadata as { namespace?: string } | undefined)?.namespace ?? namespace));
  const inv = await loadInventory(client, app.name, namespace, { groupKinds: gkVersions.keys(), namespaces: desiredNamespaces, apiVersions: gkVersions, signal: opts.signal });

  // Objects another app owns are not ours to take: say so before writing anything.
  const foreign = foreignOwnership(
    inv,
    app.manifests.map((m) => ({ object: withNamespace(m.object as KubeObject, namespace), origin: m.origin })),
  );
  if (foreign.length) throw new DiagnosticError(foreign);

  // Record the superset (old ∪ new kinds) before writing members, so that an
  // interrupted apply still leaves every object it made findable for prune.
  // (A first apply writes the final parent right away, so it is written once.)
  await writeParent(client, inv, [...(inv.state?.groupKinds ?? []), ...gkVersions.keys()], [...(inv.state?.additionalNamespaces ?? []), ...desiredNamespaces], inv.parent ? currentAppData(inv.parent) : storedApp(app), opts.signal);

  const prepared = new Map<Manifest, KubeObject>();
  const applyWave = async (manifests: readonly Manifest[], title: string) => {
    if (!manifests.length) return;
    const task = reporter.task(title, `applying ${manifests.length} object${manifests.length === 1 ? '' : 's'}`);
    const settled = await settleLimit(
      manifests,
      concurrency,
      async (m) => {
        const obj = prepared.get(m) ?? (await prepare(client, m, namespace, inv.id));
        prepared.set(m, obj);
        const action = await applyObject(client, obj, inv.members.get(objectKey(obj)), opts);
        if (action !== 'unchanged') task.update(`${action} ${describeRef(refOf(obj))}`);
        return { ref: refOf(obj), service: m.origin.service, action };
      },
      opts.signal,
    );
    let environment: Error | undefined;
    // Results in manifest order, whatever order the requests finished in.
    settled.forEach((s, i) => {
      if (s.ok) return void results.push(s.value);
      const m = manifests[i]!;
      const f = objectFailure(s.error, refOf(m.object as KubeObject), m.origin);
      failures.push(...f.diagnostics);
      environment ??= f.environment;
    });
    if (environment || failures.length) {
      task.fail(`${failures.length || 1} object${failures.length === 1 ? '' : 's'} failed`);
      if (environment) throw environment;
      throw new DiagnosticError(failures);
    }
    const changed = settled.filter((s) => s.ok && s.value.action !== 'unchanged').length;
    task.succeed(changed ? `${changed} of ${manifests.length} objects changed` : 'unchanged');
  };

  // Wave 0: Namespaces and CRDs, then wait until the CRDs are served.
  const first = app.manifests.filter((m) => FIRST_KINDS.has(String(m.object.kind)));
  await applyWave(first, 'namespaces and CRDs');
  for (const m of first) {
    if (m.object.kind === 'CustomResourceDefinition') await waitEstablished(client, m.object as KubeObject, 60_000, opts.signal);
  }

  // Then the services, level by level.
  const healthy = new Set<string>();
  const serviceByName = new Map(app.services.map((s) => [s.name, s]));
  for (const level of dependencyLevels(app.services)) {
    const deps = [...new Set(level.flatMap((s) => serviceByName.get(s)?.dependsOn ?? []))].filter((d) => !healthy.has(d) && serviceByName.has(d));
    if (deps.length) {
      await waitForServices(client, app, deps, { timeoutMs, pollIntervalMs: opts.pollIntervalMs, signal: opts.signal, reporter, evaluatePolicy: opts.evaluatePolicy, purpose: `before ${level.join(', ')}` });
      for (const d of deps) healthy.add(d);
    }
    for (const name of level) {
      await applyWave(app.manifests.filter((m) => m.origin.service === name && !FIRST_KINDS.has(String(m.object.kind))), name);
    }
  }
  // Objects of no known service (should not happen, but never drop them silently).
  const known = new Set(app.services.map((s) => s.name));
  await applyWave(app.manifests.filter((m) => !known.has(m.origin.service) && !FIRST_KINDS.has(String(m.object.kind))), 'other objects');

  // Prune: members we own that are no longer rendered.
  if (opts.prune !== false) {
    const desired = new Set([...prepared.values()].map(objectKey));
    const stale = [...inv.members.values()].filter((o) => !desired.has(objectKey(o)));
    // Namespaces and CRDs last: deleting them first would take other members with them.
    stale.sort((a, b) => Number(FIRST_KINDS.has(String(a.kind))) - Number(FIRST_KINDS.has(String(b.kind))));
    if (stale.length) {
      const task = reporter.task('prune', `deleting ${stale.length} object${stale.length === 1 ? '' : 's'} no longer in the Appfile`);
      for (const o of stale) {
        const ref = refOf(o);
        const service = o.metadata?.labels?.['app.oam.dev/component'];
        try {
          await client.delete(ref, { signal: opts.signal });
        } catch (err) {
          if ((err as Error).name === 'AbortError') throw err;
          const f = objectFailure(err, ref, { service }, 'delete');
          task.fail(`cannot delete ${describeRef(ref)}`);
          throw f.environment ?? new DiagnosticError(f.diagnostics);
        }
        results.push({ ref, service, action: 'pruned' });
      }
      task.succeed(`${stale.length} deleted`);
    }
  }

  // The final inventory: exactly what is rendered now.
  await writeParent(client, inv, gkVersions.keys(), desiredNamespaces, storedApp(app), opts.signal);

  let health: ServiceHealth[] | undefined;
  if (opts.wait) {
    health = await waitForServices(client, app, app.services.map((s) => s.name), { timeoutMs, pollIntervalMs: opts.pollIntervalMs, signal: opts.signal, reporter, evaluatePolicy: opts.evaluatePolicy });
  }

  return {
    app: app.name,
    namespace,
    context: client.target.context,
    server: client.target.server,
    applySetId: inv.id,
    objects: results,
    writes: client.stats.writes - writesBefore,
    dryRuns: client.stats.dryRuns - dryRunsBefore,
    health,
  };
}

function currentAppData(parent: KubeObject | undefined): string | undefined {
  return (parent?.data as Record<string, string> | undefined)?.[APP_DATA_KEY];
}

/** Apply the parent only when it would change, and keep the inventory's view of it current. */
async function writeParent(client: KubeClient, inv: Inventory, groupKinds: Iterable<string>, namespaces: Iterable<string>, appData: string | undefined, signal?: AbortSignal): Promise<void> {
  const desired = parentObject(inv.parentRef, inv.id, groupKinds, namespaces, appData);
  const live = (inv as { parent: KubeObject | undefined }).parent;
  if (live) {
    const la = live.metadata?.annotations ?? {};
    const da = desired.metadata?.annotations ?? {};
    const keys = new Set([...Object.keys(da), 'applyset.kubernetes.io/contains-group-kinds', 'applyset.kubernetes.io/additional-namespaces', 'applyset.kubernetes.io/tooling']);
    const same = [...keys].every((k) => (la[k] ?? '') === (da[k] ?? '')) && live.metadata?.labels?.['applyset.kubernetes.io/id'] === inv.id && currentAppData(live) === appData;
    if (same) return;
  }
  const written = await client.apply(desired, { force: true, signal });
  (inv as { parent: KubeObject | undefined }).parent = written;
}
