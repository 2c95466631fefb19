/**
 * `vela up` against a cluster: server-side apply of a rendered app with field
 * manager `vela`, wave by wave (plan-waves.ts), with an ApplySet inventory and
 * prune of what left the Appfile. The steps, in order:
 *
 *   1. make sure the app's namespace exists;
 *   2. read the inventory, and refuse objects another app owns (nothing written yet);
 *   3. record the superset of old and new kinds and namespaces in the parent;
 *   4. apply the waves (each waits for what it depends on);
 *   5. prune members that were not applied;
 *   6. record exactly what is rendered now in the parent;
 *   7. with `wait`, wait until every service is healthy.
 *
 * Checks that must pass before the first write (ownership today) belong
 * between 2 and 3; an object that is already as rendered is not written.
 */
import type { RenderedApp } from '../../render/types.js';
import { DiagnosticError } from '../../source/index.js';
import { silentReporter, type Reporter } from '../../host/index.js';
import { groupKind } from '../applyset.js';
import type { KubeClient, KubeObject, ObjectRef } from '../api/index.js';
import { withClient, type ClusterOptions } from '../connect.js';
import type { DefinitionHealth } from '../health.js';
import { foreignOwnership, loadInventory, withNamespace, writeInventory } from '../inventory.js';
import { storedApp, storedAppText } from '../stored-app.js';
import { waitForServices, type ServiceHealth } from '../wait.js';
import { applyWaves } from './apply-waves.js';
import { planWaves } from './plan-waves.js';
import { pruneStale } from './prune.js';

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
  /** The definitions' own health policies (see health.ts); without it, only the built-in rules judge. */
  readonly definitionHealth?: DefinitionHealth;
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

/** Apply the rendered app, prune what left it, and (with `wait`) wait until it is healthy. */
export async function applyApp(app: RenderedApp, opts: ApplyOptions = {}): Promise<ApplyResult> {
  return withClient(opts, (client) => applyWithClient(client, app, opts));
}

/** The group-kinds (with the apiVersion the app uses for each) and the namespaces of an app's objects. */
function inventoryOf(app: RenderedApp): { groupKinds: Map<string, string>; namespaces: Set<string> } {
  const groupKinds = new Map<string, string>();
  for (const m of app.manifests) groupKinds.set(groupKind(String(m.object.apiVersion), String(m.object.kind)), String(m.object.apiVersion));
  const namespaces = new Set(app.manifests.map((m) => (m.object.metadata as { namespace?: string } | undefined)?.namespace ?? app.namespace));
  return { groupKinds, namespaces };
}

async function ensureNamespace(client: KubeClient, namespace: string, signal?: AbortSignal): Promise<void> {
  if (await client.get({ apiVersion: 'v1', kind: 'Namespace', name: namespace }, signal)) return;
  await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }, { signal });
}

async function applyWithClient(client: KubeClient, app: RenderedApp, opts: ApplyOptions): Promise<ApplyResult> {
  const reporter = opts.reporter ?? silentReporter;
  const { signal } = opts;
  const timeoutMs = opts.timeoutMs ?? 5 * 60_000;
  const before = { ...client.stats };

  await ensureNamespace(client, app.namespace, signal);

  const desired = inventoryOf(app);
  const inv = await loadInventory(client, app.name, app.namespace, { groupKinds: desired.groupKinds.keys(), namespaces: desired.namespaces, apiVersions: desired.groupKinds, signal });
  // Objects another app owns are not ours to take: say so before writing anything.
  const foreign = foreignOwnership(
    inv,
    app.manifests.map((m) => ({ object: withNamespace(m.object as KubeObject, app.namespace), origin: m.origin })),
  );
  if (foreign.length) throw new DiagnosticError(foreign);

  // Record the superset (old ∪ new kinds) before writing members, so that an
  // interrupted apply still leaves every object it made findable for prune.
  // (A first apply writes the final parent right away, so it is written once.)
  await writeInventory(
    client,
    inv,
    [...(inv.state?.groupKinds ?? []), ...desired.groupKinds.keys()],
    [...(inv.state?.additionalNamespaces ?? []), ...desired.namespaces],
    inv.parent ? storedAppText(inv.parent) : storedApp(app),
    signal,
  );

  const { outcomes, sent } = await applyWaves(client, app, inv, planWaves(app), {
    reporter,
    force: opts.force,
    concurrency: opts.concurrency ?? 8,
    timeoutMs,
    pollIntervalMs: opts.pollIntervalMs,
    definitionHealth: opts.definitionHealth,
    signal,
  });
  const objects: AppliedObject[] = [...outcomes];
  if (opts.prune !== false) {
    for (const pruned of await pruneStale(client, inv, sent, { reporter, signal })) objects.push({ ...pruned, action: 'pruned' });
  }

  // The final inventory: exactly what is rendered now.
  await writeInventory(client, inv, desired.groupKinds.keys(), desired.namespaces, storedApp(app), signal);

  const health = opts.wait
    ? await waitForServices(client, app, app.services.map((s) => s.name), { timeoutMs, pollIntervalMs: opts.pollIntervalMs, signal, reporter, definitionHealth: opts.definitionHealth })
    : undefined;

  return {
    app: app.name,
    namespace: app.namespace,
    context: client.target.context,
    server: client.target.server,
    applySetId: inv.id,
    objects,
    writes: client.stats.writes - before.writes,
    dryRuns: client.stats.dryRuns - before.dryRuns,
    health,
  };
}
