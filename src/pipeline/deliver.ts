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
  resolveEnv,
  type ApplyResult,
  type ClusterOptions,
  type KubeClient,
  type ObjectAction,
  type PlanResult,
  type ServiceHealth,
  withClient,
} from '../deploy/index.js';
import { definitionHealth } from './health.js';
import { buildAndRender, type RenderForUpOptions } from './up.js';
import { clusterObserver } from './observe.js';

export interface DeliverOptions extends Omit<RenderForUpOptions, 'namespace' | 'defaultNamespace' | 'reporter' | 'observer'> {
  /** Which cluster and namespace (`--kubeconfig`, `--context`, `-n`, `--env`) and the abort signal. */
  readonly cluster: ClusterOptions;
  readonly reporter?: Reporter;
  /** `--force-conflicts`. */
  readonly force?: boolean;
  /** `--prune` (default true). */
  readonly prune?: boolean;
  /** `--wait`. */
  readonly wait?: boolean;
  readonly timeoutMs?: number;
  readonly pollIntervalMs?: number;
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

/**
 * The namespace an explicit choice names (`-n`, else `--env`/the current
 * environment), or undefined: then the Appfile's namespace wins over the
 * kubeconfig context's.
 */
export async function explicitNamespace(cluster: ClusterOptions): Promise<string | undefined> {
  if (cluster.namespace !== undefined) return cluster.namespace;
  const env = await resolveEnv(cluster.envName, { fs: cluster.fs, env: cluster.environment });
  return env?.namespace;
}

async function renderFor(client: KubeClient, opts: DeliverOptions): Promise<{ app: RenderedApp; version: string }> {
  const server = await client.serverVersion();
  const clusterVersion = opts.clusterVersion ?? toClusterVersion(server);
  const { rendered, warnings } = await buildAndRender({
    ...opts,
    namespace: await explicitNamespace(opts.cluster),
    defaultNamespace: client.target.namespace,
    clusterVersion,
    reporter: opts.reporter,
    observer: clusterObserver(client, opts.cluster.signal),
  });
  opts.onRendered?.(warnings, rendered);
  return { app: rendered, version: server.gitVersion };
}

/** `vela up`: build, render for the cluster's version and namespace, apply, prune, and optionally wait. */
export async function deliverToCluster(opts: DeliverOptions): Promise<DeliverResult> {
  return withClient(opts.cluster, async (client) => {
    const { app, version } = await renderFor(client, opts);
    const applied: ApplyResult = await applyApp(app, {
      ...opts.cluster,
      client,
      force: opts.force,
      prune: opts.prune,
      wait: opts.wait,
      timeoutMs: opts.timeoutMs,
      pollIntervalMs: opts.pollIntervalMs,
      reporter: opts.reporter,
      definitionHealth: definitionHealth(),
    });
    const summary = { created: 0, updated: 0, unchanged: 0, pruned: 0 };
    for (const obj of applied.objects) summary[obj.action]++;
    return {
      app: applied.app,
      namespace: applied.namespace,
      context: applied.context,
      server: applied.server,
      clusterVersion: version,
      applySetId: applied.applySetId,
      summary,
      objects: applied.objects.map((obj) => ({ action: obj.action, apiVersion: obj.ref.apiVersion, kind: obj.ref.kind, name: obj.ref.name, ...(obj.ref.namespace && { namespace: obj.ref.namespace }), ...(obj.service && { service: obj.service }) })),
      writes: applied.writes,
      ...(applied.health && { health: applied.health }),
    };
  });
}

/** `vela up --plan` and `vela diff`: what `vela up` would do, by server-side dry runs; nothing is built or written. */
export async function planDelivery(opts: DeliverOptions): Promise<PlanDeliveryResult> {
  return withClient(opts.cluster, async (client) => {
    const { app, version } = await renderFor(client, { ...opts, build: false });
    const plan = await planApp(app, { ...opts.cluster, client, force: opts.force, prune: opts.prune });
    return { ...plan, server: client.target.server, clusterVersion: version };
  });
}
