/**
 * `vela cluster join|list|labels|rename|detach`: the cluster registry
 * (src/deploy/clusters) as use cases, and the clusters a delivery plan may
 * choose from. Results carry names, servers, contexts, file paths and labels,
 * never credentials.
 */
import { isAbsolute, resolve } from 'node:path';
import {
  clusterDirectory,
  detachCluster,
  joinCluster,
  labelCluster,
  listClusters,
  parseLabelKeys,
  parseLabels,
  probeCluster,
  registeredTarget,
  renameCluster,
  type ClusterDirectory,
  type ClusterList,
  type ClusterProbe,
  type RegisteredCluster,
} from '../deploy/index.js';
import { nodeEnvironment, nodeFileSystem, type Environment, type FileSystem } from '../host/index.js';
import type { KnownCluster } from '../workflow/index.js';

export type { ClusterList, ClusterListing, ClusterSource, RegisteredCluster } from '../deploy/index.js';

export interface ClusterCommandDeps {
  readonly fs?: FileSystem;
  readonly env?: Environment;
  readonly cwd?: string;
}

/** A registered cluster as commands show it. */
export interface ClusterInfo {
  readonly name: string;
  readonly server: string;
  readonly context: string;
  readonly kubeconfig: string;
  readonly copied: boolean;
  readonly ocmHub: boolean;
  readonly labels: Readonly<Record<string, string>>;
}

export interface JoinResult extends ClusterInfo {
  readonly reachable: boolean;
  readonly version?: string;
  readonly problem?: string;
}

const info = (c: RegisteredCluster): ClusterInfo => ({ name: c.name, server: c.server, context: c.context, kubeconfig: c.kubeconfig, copied: c.copied, ocmHub: c.ocmHub, labels: c.labels });
const depsOf = (deps: ClusterCommandDeps) => ({ fs: deps.fs ?? nodeFileSystem, env: deps.env ?? nodeEnvironment() });

export interface JoinOptions extends ClusterCommandDeps {
  readonly kubeconfig: string;
  readonly context?: string;
  readonly name: string;
  /** `k=v,k2=v2`, possibly several. */
  readonly labels?: readonly string[];
  readonly copy?: boolean;
  readonly ocmHub?: boolean;
  /** How long the check that it answers may take (ms). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** `vela cluster join`: registers the cluster, then says whether it answers (an unreachable one is joined all the same). */
export async function clusterJoin(opts: JoinOptions): Promise<JoinResult> {
  const deps = depsOf(opts);
  const cwd = opts.cwd ?? deps.env.cwd;
  const labels = parseLabels(opts.labels ?? []);
  const kubeconfig = isAbsolute(opts.kubeconfig) ? opts.kubeconfig : resolve(cwd, opts.kubeconfig);
  const entry = await joinCluster({ kubeconfig, name: opts.name, labels, ...(opts.context ? { context: opts.context } : {}), ...(opts.copy ? { copy: true } : {}), ...(opts.ocmHub ? { ocmHub: true } : {}) }, deps);
  let probe: ClusterProbe;
  try {
    probe = await probeCluster(await registeredTarget(entry, deps), opts.timeoutMs, opts.signal);
  } catch (err) {
    probe = { reachable: false, problem: (err as Error).message };
  }
  return { ...info(entry), reachable: probe.reachable, ...(probe.version ? { version: probe.version } : {}), ...(probe.problem ? { problem: probe.problem } : {}) };
}

export interface ListOptions extends ClusterCommandDeps {
  /** How `local` is found (the cluster flags). */
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly envName?: string;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** `vela cluster list`. */
export async function clusterListAll(opts: ListOptions = {}): Promise<ClusterList> {
  return listClusters({
    ...depsOf(opts),
    local: { ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}), ...(opts.context ? { context: opts.context } : {}), ...(opts.envName ? { envName: opts.envName } : {}) },
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
}

/** `vela cluster labels add NAME k=v...` / `del NAME k...`. */
export async function clusterLabels(action: 'add' | 'del', name: string, labels: readonly string[], deps: ClusterCommandDeps = {}): Promise<ClusterInfo> {
  const change = action === 'add' ? { add: parseLabels(labels, `vela cluster labels add ${name}`) } : { remove: parseLabelKeys(labels) };
  return info(await labelCluster(name, change, depsOf(deps)));
}

/** `vela cluster rename OLD NEW`. */
export async function clusterRename(from: string, to: string, deps: ClusterCommandDeps = {}): Promise<ClusterInfo> {
  return info(await renameCluster(from, to, depsOf(deps)));
}

/** `vela cluster detach NAME`. */
export async function clusterDetach(name: string, deps: ClusterCommandDeps = {}): Promise<ClusterInfo> {
  return info(await detachCluster(name, depsOf(deps)));
}

/** The clusters a delivery plan may choose from, and how each is reached (for delivery across clusters). */
export async function knownClusters(opts: ListOptions = {}): Promise<{ clusters: KnownCluster[]; directory: ClusterDirectory }> {
  const directory = await clusterDirectory({
    ...depsOf(opts),
    local: { ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}), ...(opts.context ? { context: opts.context } : {}), ...(opts.envName ? { envName: opts.envName } : {}) },
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  return { clusters: directory.clusters.map((c) => ({ name: c.name, labels: c.labels })), directory };
}
