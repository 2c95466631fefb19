/**
 * `vela up` against a cluster: server-side apply of a rendered app with field
 * manager `vela`, wave by wave (plan-waves.ts), with an ApplySet inventory and
 * prune of what left the Appfile. The steps, in order:
 *
 *   1. check what needs no server (Secret data is base64);
 *   2. take the app's lock (app-lock.ts), creating the namespace first when
 *      the lock cannot be taken for want of it;
 *   3. read the inventory, then check every object before the first write
 *      (preflight.ts: a server-side dry run of each, and none taken from
 *      another app or another manager unless taken over on purpose);
 *   4. record the superset of old and new kinds, namespaces and owned objects
 *      in the parent;
 *   5. apply the waves (each waits for what it depends on);
 *   6. prune members that were not applied (delete what vela may delete,
 *      release the rest);
 *   7. record exactly what is rendered now in the parent, release the lock;
 *   8. with `wait`, wait until every service is healthy.
 *
 * The whole run is bounded by one deadline (run-deadline.ts, `--timeout`);
 * every request by its own timeout (`--request-timeout`). An object that is
 * already as rendered is not written.
 */
import type { Manifest, RenderedApp } from '../../render/index.js';
import { DiagnosticError } from '../../source/index.js';
import { EnvironmentError, silentReporter, type Reporter } from '../../host/index.js';
import { acquireLock, underLock, type HeldLock } from '../app-lock.js';
import { groupKind } from '../applyset.js';
import { ApiError, type KubeClient, type ObjectRef } from '../api/index.js';
import { withClient, type ClusterOptions } from '../connect.js';
import type { DefinitionHealth } from '../health.js';
import { inventoryId, loadInventory, objectKey, writeInventory } from '../inventory.js';
import { standingOf, type Provenance } from '../ownership.js';
import { RunDeadline } from '../run-deadline.js';
import { storedApp, storedAppText } from '../stored-app.js';
import type { TakeOver } from '../take-over.js';
import { waitForServices, type ServiceHealth } from '../wait.js';
import { prepareObject } from './apply-object.js';
import { applyWaves } from './apply-waves.js';
import { planWaves } from './plan-waves.js';
import { preflight, type CheckedObject } from './preflight.js';
import { pruneStale } from './prune.js';
import { secretDataProblems } from './secret-data.js';

export type ObjectAction = 'created' | 'updated' | 'unchanged' | 'adopted' | 'pruned' | 'released';

export interface AppliedObject {
  readonly ref: ObjectRef;
  readonly service?: string;
  readonly action: ObjectAction;
}

export interface ApplyOptions extends ClusterOptions {
  /** `--force-conflicts`: take fields owned by other managers. */
  readonly force?: boolean;
  /** `--take-over` and the app's take-over policies: adopt foreign objects on purpose. */
  readonly takeOver?: TakeOver;
  /** Delete members of the applyset that are no longer rendered (default true). */
  readonly prune?: boolean;
  /** Wait until every service is healthy (dependsOn waits happen regardless). */
  readonly wait?: boolean;
  /** The bound on the whole run, `--timeout`; default 5 minutes. */
  readonly timeoutMs?: number;
  /** The run's deadline, when the caller started it earlier (then `timeoutMs` is not used). */
  readonly deadline?: RunDeadline;
  readonly pollIntervalMs?: number;
  /** Requests in flight at once (default 8). */
  readonly concurrency?: number;
  readonly reporter?: Reporter;
  /** The definitions' own health policies (see health.ts); without it, only the built-in rules judge. */
  readonly definitionHealth?: DefinitionHealth;
  /** How long to wait for another run's lock, `--lock-timeout`; default 60 s. */
  readonly lockTimeoutMs?: number;
  /** `--force-unlock`: take the lock from a holder that died. */
  readonly forceUnlock?: boolean;
  /** The lock's holder identity and duration (tests; defaults in app-lock.ts). */
  readonly lockHolder?: string;
  readonly leaseSeconds?: number;
}

export interface ApplyResult {
  readonly app: string;
  readonly namespace: string;
  readonly context: string;
  readonly server: string;
  readonly applySetId: string;
  readonly objects: readonly AppliedObject[];
  /** Mutating requests sent to the app's objects (dry runs and the lock excluded); 0 when nothing changed. */
  readonly writes: number;
  /** Server-side dry runs sent to check objects and find out whether they changed. */
  readonly dryRuns: number;
  /** Present when the app was waited for. */
  readonly health?: readonly ServiceHealth[];
}

export const DEFAULT_TIMEOUT_MS = 5 * 60_000;
export const DEFAULT_LOCK_TIMEOUT_MS = 60_000;

/** Apply the rendered app, prune what left it, and (with `wait`) wait until it is healthy. */
export async function applyApp(app: RenderedApp, opts: ApplyOptions = {}): Promise<ApplyResult> {
  const own = opts.deadline ? undefined : new RunDeadline(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, opts.signal);
  const deadline = opts.deadline ?? own!;
  try {
    return await withClient({ ...opts, signal: deadline.signal }, (client) => applyWithClient(client, app, deadline, opts));
  } finally {
    own?.dispose();
  }
}

/** The group-kinds (with the apiVersion the app uses for each) and the namespaces of an app's objects. */
function inventoryOf(app: RenderedApp): { groupKinds: Map<string, string>; namespaces: Set<string> } {
  const groupKinds = new Map<string, string>();
  for (const m of app.manifests) groupKinds.set(groupKind(String(m.object.apiVersion), String(m.object.kind)), String(m.object.apiVersion));
  const namespaces = new Set(app.manifests.map((m) => (m.object.metadata as { namespace?: string } | undefined)?.namespace ?? app.namespace));
  return { groupKinds, namespaces };
}

/**
 * Create the app's namespace: as the app's own Namespace object when it has
 * one (so that it is a member from the start), else a bare one.
 */
async function createNamespace(client: KubeClient, app: RenderedApp, signal: AbortSignal): Promise<void> {
  const own = app.manifests.find((m: Manifest) => m.object.kind === 'Namespace' && (m.object.metadata as { name?: string } | undefined)?.name === app.namespace);
  const namespace = own ? await prepareObject(client, own, app.namespace, inventoryId(app.name, app.namespace)) : { apiVersion: 'v1', kind: 'Namespace', metadata: { name: app.namespace } };
  try {
    await client.apply(namespace, { signal });
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) {
      throw new EnvironmentError(`namespace ${app.namespace} does not exist, and the cluster refused to create it: ${err.message}`, {
        code: 'kube/forbidden',
        hint: 'ask a cluster admin to create the namespace (vela needs only namespace rights once it exists), or pick another with -n',
        cause: err,
      });
    }
    throw err;
  }
}

/** Take the app's lock; a missing namespace is created (then `createdNamespace`) and the lock asked for again. */
async function takeLock(client: KubeClient, app: RenderedApp, deadline: RunDeadline, reporter: Reporter, opts: ApplyOptions): Promise<{ lock: HeldLock; createdNamespace: boolean }> {
  const lockOptions = {
    timeoutMs: opts.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
    forceUnlock: opts.forceUnlock,
    holder: opts.lockHolder,
    leaseSeconds: opts.leaseSeconds,
    reporter,
    signal: deadline.signal,
    // --lock-timeout bounds the wait for another run; --timeout the work.
    whileWaiting: <T>(wait: () => Promise<T>) => deadline.paused(wait),
  };
  try {
    return { lock: await acquireLock(client, app.name, app.namespace, lockOptions), createdNamespace: false };
  } catch (err) {
    if (!(err instanceof ApiError) || err.missingNamespace !== app.namespace) throw err;
  }
  await createNamespace(client, app, deadline.signal);
  return { lock: await acquireLock(client, app.name, app.namespace, lockOptions), createdNamespace: true };
}

async function applyWithClient(client: KubeClient, app: RenderedApp, deadline: RunDeadline, opts: ApplyOptions): Promise<ApplyResult> {
  const reporter = opts.reporter ?? silentReporter;
  const timeoutMs = deadline.timeoutMs;
  const before = { ...client.stats };

  const local = secretDataProblems(app.manifests);
  if (local.length) throw new DiagnosticError(local);

  let lock: HeldLock | undefined;
  try {
    const taken = await takeLock(client, app, deadline, reporter, opts);
    lock = taken.lock;
    const signal = underLock(lock, deadline.signal);
    const desired = inventoryOf(app);
    const inv = await loadInventory(client, app.name, app.namespace, { groupKinds: desired.groupKinds.keys(), namespaces: desired.namespaces, apiVersions: desired.groupKinds, signal });
    const namespacesToCreate = new Set(app.manifests.filter((m) => m.object.kind === 'Namespace').map((m) => String((m.object.metadata as { name?: string }).name)));
    const checked = await preflight(client, app, inv, { force: opts.force, takeOver: opts.takeOver, namespacesToCreate, concurrency: opts.concurrency ?? 8, signal });

    // Record the superset (old ∪ new kinds, namespaces and owned objects) before
    // writing members, so that an interrupted apply still leaves every object it
    // made findable, and known as vela's, for prune. (A first apply writes the
    // final parent right away, so it is written once.)
    const record = new Map<string, Provenance>(inv.record ?? []);
    for (const member of inv.members.values()) {
      const key = objectKey(member);
      const standing = standingOf(member, inv, key);
      if (standing.kind === 'ours') record.set(key, standing.provenance);
    }
    for (const object of checked) record.set(object.key, object.provenance);
    await writeInventory(
      client,
      inv,
      [...(inv.state?.groupKinds ?? []), ...desired.groupKinds.keys()],
      [...(inv.state?.additionalNamespaces ?? []), ...desired.namespaces],
      { appData: inv.parent ? storedAppText(inv.parent) : storedApp(app), record },
      signal,
    );

    const byManifest = new Map<Manifest, CheckedObject>(checked.map((object) => [object.manifest, object]));
    const { outcomes, sent } = await applyWaves(client, app, inv, planWaves(app), byManifest, {
      reporter,
      force: opts.force,
      concurrency: opts.concurrency ?? 8,
      timeoutMs,
      pollIntervalMs: opts.pollIntervalMs,
      definitionHealth: opts.definitionHealth,
      signal,
    });
    // The app's own Namespace object, made before the lock could be taken, was created by this run.
    const createdHere = (object: AppliedObject) => taken.createdNamespace && object.ref.kind === 'Namespace' && object.ref.name === app.namespace && object.action === 'unchanged';
    const objects: AppliedObject[] = outcomes.map((object) => (createdHere(object) ? { ...object, action: 'created' } : object));
    const prune = opts.prune !== false;
    const left = prune ? await pruneStale(client, inv, sent, { reporter, signal }) : [];
    objects.push(...left);

    // The final inventory: exactly what is rendered now (and, without prune, the members left in place).
    const gone = new Set(left.map((entry) => objectKey({ apiVersion: entry.ref.apiVersion, kind: entry.ref.kind, metadata: { name: entry.ref.name, namespace: entry.ref.namespace } })));
    const kept = new Set([...sent.map(objectKey), ...(prune ? [] : [...inv.members.values()].map(objectKey))]);
    const finalRecord = new Map([...record].filter(([key]) => kept.has(key) && !gone.has(key)));
    await writeInventory(
      client,
      inv,
      prune ? desired.groupKinds.keys() : [...(inv.state?.groupKinds ?? []), ...desired.groupKinds.keys()],
      prune ? desired.namespaces : [...(inv.state?.additionalNamespaces ?? []), ...desired.namespaces],
      { appData: storedApp(app), record: finalRecord },
      signal,
    );
    // Nothing more is written: another run may go ahead while this one waits for health.
    await lock.release();

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
  } catch (err) {
    if (lock?.lost.aborted && (err as Error)?.name === 'AbortError') throw lock.lost.reason;
    throw deadline.explain(err, client, 'vela up');
  } finally {
    await lock?.release();
  }
}
