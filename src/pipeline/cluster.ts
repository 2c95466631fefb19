/**
 * The day-2 commands' pipelines (`vela status`, `ls`, `delete`, `logs`,
 * `exec`, `port-forward`, `env ...`): which app and namespace a command means
 * (the Appfile in the folder names them when the user does not), then one
 * call into the deploy module.
 */
import type { Readable, Writable } from 'node:stream';
import {
  appStatus,
  watchAppStatus,
  deleteApp,
  deleteEnv,
  execInService,
  followLogs,
  initEnv,
  listApps,
  listEnvs,
  portForward,
  setEnv,
  streamLogs,
  withClient,
  type AppStatus,
  type ClusterOptions,
  type DeployEnv,
  type PortForwardHandle,
} from '../deploy/index.js';
import { DiagnosticError, error } from '../source/index.js';
import { directoryFor } from './clusters.js';
import type { Reporter } from '../host/index.js';
import { explicitNamespace } from './target-namespace.js';
import { definitionHealth } from './health.js';
import { loadApp } from './load-app.js';

/** Discovery answers kept across calls: a long-running process (the dashboard) asks each cluster once, not per request. */
export { DiscoveryCache } from '../deploy/index.js';
export type { AppStatus, ServiceStatus, AppSummary, DeleteResult, DeployEnv, PlanResult, PlanEntry, PlanAction, ServiceHealth, ClusterOptions, PortForwardHandle } from '../deploy/index.js';
export type { DeliverResult, PlanDeliveryResult, DeliveredObject } from './deliver.js';

export interface AppRef {
  /** `APP`; when absent, the name of the Appfile found from `cwd` (or `-f`). */
  readonly app?: string;
  readonly cwd: string;
  readonly file?: string;
  /** `--cluster NAME`: a cluster of the registry (`vela cluster list`); default: the kubeconfig's (`local`). */
  readonly cluster?: string;
}

/**
 * The app a command means and the cluster options to find it with: the
 * Appfile's namespace applies when the app comes from it and neither `-n` nor
 * an environment names one (as `vela up` deployed it there).
 */
export async function resolveApp(ref: AppRef, given: ClusterOptions): Promise<{ app: string; cluster: ClusterOptions }> {
  const cluster = ref.cluster === undefined ? given : await directCluster(ref.cluster, given);
  if (ref.app !== undefined) return { app: ref.app, cluster };
  let app;
  try {
    ({ app } = await loadApp({ cwd: ref.cwd, file: ref.file }));
  } catch (err) {
    // Without an Appfile here, the way out is to name the app.
    if (err instanceof DiagnosticError && err.diagnostics.some((d) => d.code === 'appfile/not-found')) {
      throw new DiagnosticError(err.diagnostics.map((d) => (d.code === 'appfile/not-found' ? { ...d, hint: 'name the app (see `vela ls`), or run this where its Appfile is, or pass -f PATH' } : d)));
    }
    throw err;
  }
  const explicit = await explicitNamespace(cluster);
  return { app: app.name, cluster: explicit === undefined && app.namespace ? { ...cluster, namespace: app.namespace } : cluster };
}

/** The options for one cluster of the registry by name; a managed cluster of an OCM hub is refused (vela reaches it only through the hub). */
async function directCluster(name: string, cluster: ClusterOptions): Promise<ClusterOptions> {
  const access = await (await directoryFor(cluster)).access(name);
  if (access.kind === 'ocm') {
    throw new DiagnosticError([error(`cluster "${name}" is a managed cluster of the OCM hub "${access.hub}": vela reaches it only through ManifestWork there`, undefined, { code: 'cluster/ocm-direct', hint: '`vela workflow status` shows its ManifestWork\'s state; join the cluster itself to use it directly' })]);
  }
  return { ...cluster, target: access.target };
}

/** `vela status [APP]`. */
export async function clusterStatus(ref: AppRef, cluster: ClusterOptions) {
  const r = await resolveApp(ref, cluster);
  return appStatus(r.app, { ...r.cluster, definitionHealth: definitionHealth() });
}

/** `vela status [APP] --watch`: told the status now and after each change, until the signal. */
export async function clusterStatusWatch(ref: AppRef, cluster: ClusterOptions, onStatus: (status: AppStatus) => void): Promise<void> {
  const r = await resolveApp(ref, cluster);
  return watchAppStatus(r.app, { ...r.cluster, definitionHealth: definitionHealth() }, onStatus);
}

/** `vela ls [-A]`. */
export async function clusterList(cluster: ClusterOptions, allNamespaces = false) {
  return listApps({ ...cluster, allNamespaces });
}

/** `vela delete APP [--wait]`, under the app's lock (`--lock-timeout`, `--force-unlock`), bounded by `--timeout`. */
export async function clusterDelete(ref: AppRef, cluster: ClusterOptions, opts: { wait?: boolean; timeoutMs?: number; lockTimeoutMs?: number; forceUnlock?: boolean; reporter?: Reporter } = {}) {
  const r = await resolveApp(ref, cluster);
  return deleteApp(r.app, { ...r.cluster, ...opts });
}

/**
 * `vela logs [SERVICE] [--app APP] [-f] [--since] [--tail]`: resolves when the
 * logs end or, following, when the signal stops it. Following, every pod of
 * the app is followed, pods that start later joining (follow-logs.ts), each
 * line prefixed `[pod/container] `.
 */
export async function clusterLogs(
  ref: AppRef,
  cluster: ClusterOptions,
  opts: { service?: string; container?: string; follow?: boolean; sinceSeconds?: number; tailLines?: number; out: Writable },
): Promise<void> {
  const r = await resolveApp(ref, cluster);
  if (!opts.follow) return streamLogs(r.app, { ...r.cluster, ...opts });
  return withClient(r.cluster, async (client) => {
    const follower = await followLogs(client, r.app, {
      service: opts.service,
      container: opts.container,
      sinceSeconds: opts.sinceSeconds,
      tailLines: opts.tailLines,
      signal: cluster.signal,
      onLine: (source, line) => opts.out.write(`[${source.pod}/${source.container}] ${line}\n`),
    });
    await follower.done;
  });
}

/** `vela exec APP --svc S -- CMD...`: the command's exit code. */
export async function clusterExec(
  ref: AppRef,
  cluster: ClusterOptions,
  opts: { service?: string; container?: string; command: readonly string[]; stdin?: Readable | null; stdout: Writable; stderr: Writable; tty?: boolean },
): Promise<number> {
  const r = await resolveApp(ref, cluster);
  return execInService(r.app, { ...r.cluster, ...opts });
}

/** `[LOCAL:]REMOTE` → ports; `undefined` for text that is not one. */
export function parsePortSpec(spec: string): { local?: number; remote?: number } | undefined {
  const m = /^(?:(\d*):)?(\d+)$/.exec(spec.trim());
  if (!m) return undefined;
  const port = (s: string | undefined) => (s === undefined || s === '' ? undefined : Number(s));
  const local = port(m[1]);
  const remote = port(m[2]);
  const ok = (p: number | undefined, min: number) => p === undefined || (Number.isInteger(p) && p >= min && p <= 65535);
  if (!ok(local, 0) || !ok(remote, 1)) return undefined;
  // `:8080` asks for any free local port, as kubectl does.
  return m[1] === '' ? { local: 0, remote } : { ...(local !== undefined && { local }), remote };
}

/** `vela port-forward APP [--svc S] [LOCAL:]REMOTE...`: listening until `close()` or the signal. */
export async function clusterPortForward(
  ref: AppRef,
  cluster: ClusterOptions,
  opts: { service?: string; ports?: ReadonlyArray<{ local?: number; remote?: number }>; address?: string },
): Promise<PortForwardHandle & { app: string }> {
  const r = await resolveApp(ref, cluster);
  const h = await portForward(r.app, { ...r.cluster, ...opts });
  return Object.assign(h, { app: r.app });
}

// --- environments ------------------------------------------------------------

export async function envInit(opts: { name: string; namespace: string; context?: string }): Promise<DeployEnv & { current: boolean }> {
  const e = await initEnv(opts);
  const { current } = await listEnvs();
  return { ...e, current: current === e.name };
}

export async function envList(): Promise<{ current?: string; envs: DeployEnv[] }> {
  return listEnvs();
}

export async function envSet(name: string): Promise<DeployEnv> {
  return setEnv(name);
}

export async function envDelete(name: string): Promise<{ deleted: string }> {
  await deleteEnv(name);
  return { deleted: name };
}
