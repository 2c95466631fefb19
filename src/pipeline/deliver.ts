/**
 * `vela up` to a cluster (and `vela up --plan` / `vela diff`): connect first
 * (an unreachable cluster fails before a long build, and the templates need
 * the server's version for `context.clusterVersion`), then build and render
 * for the target namespace, then apply (or dry-run) through the deploy module,
 * with the definitions' health policies judged here (deploy knows no CUE).
 */
import type { Diagnostic } from '../source/index.js';
import type { Reporter } from '../host/index.js';
import type { ClusterVersion, RenderedApp } from '../render/index.js';
import {
  applyApp,
  planApp,
  DEFAULT_TIMEOUT_MS,
  RunDeadline,
  type ApplyResult,
  type ClusterOptions,
  type KubeClient,
  type ObjectAction,
  type PendingRequest,
  type PlanResult,
  type ServiceHealth,
  type TakeOver,
  withClient,
} from '../deploy/index.js';
import { definitionHealth } from './health.js';
import { buildAndRender, type RenderForUpOptions } from './up.js';
import { explicitNamespace } from './target-namespace.js';
import { clusterObserver } from './observe.js';

export interface DeliverOptions extends Omit<RenderForUpOptions, 'namespace' | 'defaultNamespace' | 'reporter' | 'observer' | 'aroundBuild'> {
  /** Which cluster and namespace (`--kubeconfig`, `--context`, `-n`, `--env`, `--request-timeout`) and the abort signal. */
  readonly cluster: ClusterOptions;
  readonly reporter?: Reporter;
  /** `--force-conflicts`. */
  readonly force?: boolean;
  /** `--take-over`: adopt every foreign object (the app's take-over policies adopt what they select regardless). */
  readonly takeOver?: boolean;
  /** `--prune` (default true). */
  readonly prune?: boolean;
  /** `--wait`. */
  readonly wait?: boolean;
  /** `--timeout`: the bound on the whole run (image builds not counted); default 5 minutes. */
  readonly timeoutMs?: number;
  readonly pollIntervalMs?: number;
  /** `--lock-timeout`: how long to wait for another run of the same app. */
  readonly lockTimeoutMs?: number;
  /** `--force-unlock`. */
  readonly forceUnlock?: boolean;
  /** `--show-secrets` (plans): secret values in the changes, instead of `(redacted)`. */
  readonly showSecrets?: boolean;
  /** Called once the app is rendered, before anything is sent: the warnings so far. */
  readonly onRendered?: (warnings: readonly Diagnostic[], app: RenderedApp) => void;
}

export interface DeliveredObject {
  readonly action: ObjectAction;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly service?: string;
}

/** No object touched yet, per apply action. */
export function emptySummary(): Record<ObjectAction, number> {
  return { created: 0, updated: 0, unchanged: 0, adopted: 0, pruned: 0, released: 0 };
}

/** How many objects each apply action touched. */
export function countActions(objects: readonly { readonly action: ObjectAction }[]): Record<ObjectAction, number> {
  const summary = emptySummary();
  for (const obj of objects) summary[obj.action]++;
  return summary;
}

/** An applied object as vela up reports it: its action, reference and service. */
export function deliveredObject(obj: ApplyResult['objects'][number]): DeliveredObject {
  return { action: obj.action, apiVersion: obj.ref.apiVersion, kind: obj.ref.kind, name: obj.ref.name, ...(obj.ref.namespace && { namespace: obj.ref.namespace }), ...(obj.service && { service: obj.service }) };
}

/** What `vela up` reports (and prints with --json). */
export interface DeliverResult {
  readonly app: string;
  readonly namespace: string;
  readonly context: string;
  readonly server: string;
  readonly clusterVersion: string;
  readonly applySetId: string;
  readonly summary: Readonly<Record<ObjectAction, number>>;
  readonly objects: readonly DeliveredObject[];
  /** Mutating requests sent; 0 when nothing changed. */
  readonly writes: number;
  /** Present when the app was waited for (then every service is healthy: otherwise `up` fails with exit 3). */
  readonly health?: readonly ServiceHealth[];
}

export type PlanDeliveryResult = PlanResult & { readonly server: string; readonly clusterVersion: string };

/** The server's version as the renderer wants it (`minor` may read `20+` on some providers). */
export function toClusterVersion(v: { major: string; minor: string; gitVersion: string }): ClusterVersion | undefined {
  const major = Number.parseInt(v.major, 10);
  const minor = Number.parseInt(v.minor, 10);
  if (!Number.isFinite(major) || !Number.isFinite(minor)) return undefined;
  return { major, minor, gitVersion: v.gitVersion || `v${major}.${minor}.0` };
}

/** Progress while the API server is slow to answer: one line every few seconds per waiting request. */
function slowRequestProgress(reporter: Reporter | undefined): ((request: PendingRequest, elapsedMs: number) => void) | undefined {
  if (!reporter) return undefined;
  return (request, elapsedMs) => reporter.info(`still waiting for the Kubernetes API server: ${request.method} ${request.path.split('?')[0]} (${Math.round(elapsedMs / 1000)}s)`);
}

async function renderFor(client: KubeClient, opts: DeliverOptions, deadline: RunDeadline): Promise<{ app: RenderedApp; version: string; takeOver: TakeOver }> {
  const server = await client.serverVersion();
  const clusterVersion = opts.clusterVersion ?? toClusterVersion(server);
  const { model, rendered, warnings } = await buildAndRender({
    ...opts,
    namespace: await explicitNamespace(opts.cluster),
    defaultNamespace: client.target.namespace,
    clusterVersion,
    reporter: opts.reporter,
    observer: clusterObserver(client, opts.cluster.signal),
    aroundBuild: (build) => deadline.paused(build),
  });
  opts.onRendered?.(warnings, rendered);
  return { app: rendered, version: server.gitVersion, takeOver: { all: opts.takeOver === true, rules: model.takeOver ?? [] } };
}

/** Run `fn` with a client whose every request is bounded by the run's deadline (`--timeout`), explaining a run out of time. */
async function withDeadline<T>(opts: DeliverOptions, what: string, fn: (client: KubeClient, deadline: RunDeadline) => Promise<T>): Promise<T> {
  const deadline = new RunDeadline(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, opts.cluster.signal);
  try {
    return await withClient({ ...opts.cluster, signal: deadline.signal, onSlowRequest: opts.cluster.onSlowRequest ?? slowRequestProgress(opts.reporter) }, async (client) => {
      try {
        return await fn(client, deadline);
      } catch (err) {
        throw deadline.explain(err, client, what);
      }
    });
  } finally {
    deadline.dispose();
  }
}

/** `vela up`: build, render for the cluster's version and namespace, apply, prune, and optionally wait. */
export async function deliverToCluster(opts: DeliverOptions): Promise<DeliverResult> {
  return withDeadline(opts, 'vela up', async (client, deadline) => {
    const { app, version, takeOver } = await renderFor(client, opts, deadline);
    const applied: ApplyResult = await applyApp(app, {
      ...opts.cluster,
      client,
      deadline,
      force: opts.force,
      takeOver,
      prune: opts.prune,
      wait: opts.wait,
      pollIntervalMs: opts.pollIntervalMs,
      lockTimeoutMs: opts.lockTimeoutMs,
      forceUnlock: opts.forceUnlock,
      reporter: opts.reporter,
      definitionHealth: definitionHealth(),
    });
    const summary = countActions(applied.objects);
    return {
      app: applied.app,
      namespace: applied.namespace,
      context: applied.context,
      server: applied.server,
      clusterVersion: version,
      applySetId: applied.applySetId,
      summary,
      objects: applied.objects.map(deliveredObject),
      writes: applied.writes,
      ...(applied.health && { health: applied.health }),
    };
  });
}

/**
 * `vela up --plan` and `vela diff`: what `vela up` would do, by the checks it
 * runs before writing (server-side dry runs); nothing is built or written.
 * Secret values in the changes are redacted unless `showSecrets`.
 */
export async function planDelivery(opts: DeliverOptions): Promise<PlanDeliveryResult> {
  return withDeadline(opts, 'the plan', async (client, deadline) => {
    const { app, version, takeOver } = await renderFor(client, { ...opts, build: false }, deadline);
    const plan = await planApp(app, { ...opts.cluster, client, signal: deadline.signal, force: opts.force, takeOver, prune: opts.prune, showSecrets: opts.showSecrets });
    return { ...plan, server: client.target.server, clusterVersion: version };
  });
}
