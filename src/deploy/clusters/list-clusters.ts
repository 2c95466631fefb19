/**
 * `vela cluster list`: `local` (the current kubeconfig context), every
 * registered cluster, and the managed clusters of every registered OCM hub —
 * each with its server, labels, whether it answers and its Kubernetes version.
 * Every cluster is probed at once, each with a short timeout; a hub's managed
 * clusters are read from its ManagedCluster objects (their availability is the
 * hub's view). Nothing here prints or returns credentials.
 */
import { nodeFileSystem, type Environment } from '../../host/index.js';
import { resolveEnv } from '../environments.js';
import { loadClusterTarget, type ClusterTarget } from '../kubeconfig.js';
import { KubeClient } from '../api/index.js';
import { LOCAL } from './cluster-registry.js';
import { listManagedClusters } from './ocm/ocm-client.js';
import type { ManagedClusterInfo } from './ocm/managed-cluster.js';
import { DEFAULT_PROBE_TIMEOUT_MS, firstLine, probeCluster, type ClusterProbe } from './probe.js';
import { readRegistry, type RegisteredCluster, type RegistryDeps } from './registry-file.js';

export type ClusterSource = 'local' | 'kubeconfig' | 'copy' | 'managed';

export interface ClusterListing {
  readonly name: string;
  /** Where the cluster comes from: the current context, a joined kubeconfig (or its copy), or an OCM hub. */
  readonly source: ClusterSource;
  readonly server?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly reachable: boolean;
  readonly version?: string;
  /** Why it is not reachable (or cannot be read). */
  readonly problem?: string;
  readonly kubeconfig?: string;
  readonly context?: string;
  /** A registered cluster that is an OCM hub. */
  readonly ocmHub?: boolean;
  /** A managed cluster: the hub it is managed by. */
  readonly hub?: string;
}

/** How `local` is found: the cluster flags and the environment, as every cluster command finds its cluster. */
export interface LocalClusterOptions {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly envName?: string;
}

export interface ListClustersOptions extends RegistryDeps {
  readonly local?: LocalClusterOptions;
  /** Per probe; default 5 s. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Seams for tests: how a cluster is probed and a hub's managed clusters are read. */
  readonly probe?: (target: ClusterTarget, timeoutMs: number) => Promise<ClusterProbe>;
  readonly managedClusters?: (hub: ClusterTarget, timeoutMs: number) => Promise<ManagedClusterInfo[]>;
}

export interface ClusterList {
  readonly clusters: readonly ClusterListing[];
  readonly warnings: readonly string[];
}

export async function loadLocalTarget(local: LocalClusterOptions = {}, deps: RegistryDeps = {}): Promise<ClusterTarget> {
  const env = await resolveEnv(local.envName, { ...(deps.fs ? { fs: deps.fs } : {}), ...(deps.env ? { env: deps.env } : {}) });
  return loadClusterTarget({ kubeconfig: local.kubeconfig, context: local.context ?? env?.context, fs: deps.fs ?? nodeFileSystem, ...(deps.env ? { env: deps.env as Environment } : {}) });
}

export async function registeredTarget(entry: RegisteredCluster, deps: RegistryDeps = {}): Promise<ClusterTarget> {
  return loadClusterTarget({ kubeconfig: entry.kubeconfig, context: entry.context, fs: deps.fs ?? nodeFileSystem, ...(deps.env ? { env: deps.env } : {}) });
}

export async function listClusters(opts: ListClustersOptions = {}): Promise<ClusterList> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const probe = opts.probe ?? ((t: ClusterTarget, ms: number) => probeCluster(t, ms, opts.signal));
  const managed = opts.managedClusters ?? (async (hub: ClusterTarget, ms: number) => {
    const client = new KubeClient(hub, { retry: { retries: 0 }, requestTimeoutMs: ms, ...(opts.signal ? { signal: opts.signal } : {}) });
    try {
      return await listManagedClusters(client, opts.signal);
    } finally {
      client.close();
    }
  });
  const entries = await readRegistry(opts);
  const warnings: string[] = [];

  const localRow = (async (): Promise<ClusterListing[]> => {
    let target: ClusterTarget;
    try {
      target = await loadLocalTarget(opts.local, opts);
    } catch (err) {
      return [{ name: LOCAL, source: 'local', labels: {}, reachable: false, problem: firstLine(err) }];
    }
    const p = await probe(target, timeoutMs);
    return [{ name: LOCAL, source: 'local', server: target.server, labels: {}, context: target.context, ...probeFields(p) }];
  })();

  const registered = entries.map(async (entry): Promise<ClusterListing[]> => {
    const base = { name: entry.name, source: entry.copied ? ('copy' as const) : ('kubeconfig' as const), server: entry.server, labels: entry.labels, kubeconfig: entry.kubeconfig, context: entry.context, ...(entry.ocmHub ? { ocmHub: true } : {}) };
    let target: ClusterTarget;
    try {
      target = await registeredTarget(entry, opts);
    } catch (err) {
      return [{ ...base, reachable: false, problem: firstLine(err) }];
    }
    const p = await probe(target, timeoutMs);
    const row: ClusterListing = { ...base, server: target.server, ...probeFields(p) };
    if (!entry.ocmHub || !p.reachable) return [row];
    try {
      const members = await managed(target, timeoutMs);
      return [row, ...members.map((m): ClusterListing => ({ name: m.name, source: 'managed', ...(m.server ? { server: m.server } : {}), labels: m.labels, reachable: m.available, ...(m.version ? { version: m.version } : {}), ...(m.message && !m.available ? { problem: m.message } : {}), hub: entry.name }))];
    } catch (err) {
      return [{ ...row, problem: firstLine(err) }];
    }
  });

  const rows = (await Promise.all([localRow, ...registered])).flat();
  // A managed cluster named like another cluster would be ambiguous in a topology: the other name wins.
  const seen = new Set(rows.filter((r) => r.source !== 'managed').map((r) => r.name));
  const clusters = rows.filter((row) => {
    if (row.source !== 'managed') return true;
    if (seen.has(row.name)) {
      warnings.push(`managed cluster ${row.name} of hub ${row.hub} has the name of another cluster; it cannot be used by name`);
      return false;
    }
    seen.add(row.name);
    return true;
  });
  return { clusters, warnings };
}

function probeFields(p: ClusterProbe): Pick<ClusterListing, 'reachable' | 'version' | 'problem'> {
  return { reachable: p.reachable, ...(p.version ? { version: p.version } : {}), ...(p.problem ? { problem: p.problem } : {}) };
}
