/**
 * The day-2 commands' pipelines (`vela status`, `ls`, `delete`, `logs`,
 * `exec`, `port-forward`, `env ...`): which app and namespace a command means
 * (the Appfile in the folder names them when the user does not), then one
 * call into the deploy module.
 */
import type { Readable, Writable } from 'node:stream';
import {
  appStatus,
  deleteApp,
  deleteEnv,
  execInService,
  initEnv,
  listApps,
  listEnvs,
  portForward,
  setEnv,
  streamLogs,
  type ClusterOptions,
  type DeployEnv,
  type PortForwardHandle,
} from '../deploy/index.js';
import { DiagnosticError } from '../source/index.js';
import type { Reporter } from '../host/index.js';
import { explicitNamespace } from './deliver.js';
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
}

/**
 * The app a command means and the cluster options to find it with: the
 * Appfile's namespace applies when the app comes from it and neither `-n` nor
 * an environment names one (as `vela up` deployed it there).
 */
export async function resolveApp(ref: AppRef, cluster: ClusterOptions): Promise<{ app: string; cluster: ClusterOptions }> {
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

/** `vela status [APP]`. */
export async function clusterStatus(ref: AppRef, cluster: ClusterOptions) {
  const r = await resolveApp(ref, cluster);
  return appStatus(r.app, { ...r.cluster, definitionHealth: definitionHealth() });
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

/** `vela logs APP [--svc S] [-f] [--since] [--tail]`: resolves when the logs end, or when following stops (the signal). */
export async function clusterLogs(
  ref: AppRef,
  cluster: ClusterOptions,
  opts: { service?: string; container?: string; follow?: boolean; sinceSeconds?: number; tailLines?: number; out: Writable },
): Promise<void> {
  const r = await resolveApp(ref, cluster);
  return streamLogs(r.app, { ...r.cluster, ...opts });
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
