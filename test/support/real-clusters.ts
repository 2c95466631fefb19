/**
 * The real clusters of `scripts/cluster.sh start --clusters N`, for the
 * multi-cluster suites: each an etcd + kube-apiserver 1.20 of its own on
 * loopback, with its own CA, tokens and kubeconfig. Cluster 1 is the main one
 * (real-cluster.ts); the script lists them all in the file VELA_TEST_CLUSTERS
 * names. For partial-failure tests one API server can be frozen (SIGSTOP:
 * connections hang) or stopped (connections refused) and brought back; its etcd
 * keeps running, so the cluster comes back with its objects.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { clusterVersion } from '../../src/deploy/index.js';

const run = promisify(execFile);

export interface RealCluster {
  /** 1 for the main cluster, 2, 3... for the others. */
  readonly index: number;
  /** The cluster's name in its kubeconfig: vela-test, vela-test-2... */
  readonly name: string;
  /** https://127.0.0.1:PORT */
  readonly server: string;
  /** An admin kubeconfig (system:masters) of this cluster alone. */
  readonly kubeconfig: string;
  /** Where its pid files, logs and certificates are. */
  readonly run: string;
}

export const clustersFile = process.env.VELA_TEST_CLUSTERS ?? '/tmp/vela-cluster/clusters';
const clusterScript = resolve(import.meta.dirname, '../../scripts/cluster.sh');

/** The clusters the script started, in index order ([] when it started none). */
export function listRealClusters(file = clustersFile): RealCluster[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [index, name, server, kubeconfig, runDir] = line.split('\t');
      if (!index || !name || !server || !kubeconfig || !runDir) throw new Error(`${file}: malformed line ${JSON.stringify(line)}`);
      return { index: Number(index), name, server, kubeconfig, run: runDir };
    })
    .sort((a, b) => a.index - b.index);
}

/** Cluster `index` (1 is the main one) of the list; throws when the script did not start it. */
export function realCluster(index: number): RealCluster {
  const found = listRealClusters().find((c) => c.index === index);
  if (!found) throw new Error(`no cluster ${index} in ${clustersFile}: scripts/cluster.sh start --clusters ${index}`);
  return found;
}

/**
 * Why `count` real clusters cannot be used ('' when they can); says so on
 * stderr, or throws when VELA_E2E_REQUIRED=1.
 */
export async function realClustersUnavailable(suite: string, count = 3): Promise<string> {
  const clusters = listRealClusters();
  let why = '';
  if (clusters.length < count) {
    why = `${count} clusters needed, ${clusters.length} listed in ${clustersFile}`;
  } else {
    for (const [i, cluster] of clusters.slice(0, count).entries()) {
      // The disruptable cluster may be stopped or frozen by another file right now, for a bounded while: ask again.
      const tries = i + 1 === DISRUPTABLE_CLUSTER ? 90 : 1;
      for (let attempt = 1; attempt <= tries; attempt++) {
        why = '';
        try {
          const v = await clusterVersion({ kubeconfig: cluster.kubeconfig, retry: { retries: 0 }, requestTimeoutMs: 2_000 });
          if (v.minor !== '20') why = `${cluster.name}: expected Kubernetes 1.20, found ${v.gitVersion}`;
          break;
        } catch (e) {
          why = `${cluster.name}: ${(e as Error).message.split('\n')[0]!}`;
          if (attempt < tries) await new Promise((resolve) => setTimeout(resolve, 1_000));
        }
      }
      if (why) break;
    }
  }
  if (why && process.env.VELA_E2E_REQUIRED === '1') throw new Error(`${count} real kube-apiservers are required (VELA_E2E_REQUIRED=1) but not usable: ${why}`);
  if (why) console.warn(`${suite} skipped: ${why}; run scripts/cluster.sh build && scripts/cluster.sh start --clusters ${count}`);
  return why;
}

/**
 * The cluster that tests may stop or freeze: the fourth. Clusters 1-3 always
 * answer, so suites that run in parallel with a disruption never see one of
 * theirs go away (in CI the node runs on cluster 3).
 */
export const DISRUPTABLE_CLUSTER = 4;

/**
 * Runs `fn` while this process alone may disrupt `cluster`: test files run in
 * parallel, and one file resuming an API server another froze would make both
 * wrong. The hold is a folder beside the cluster's run folder (mkdir is atomic),
 * with the holder's pid so that a holder that died is noticed. The API server is
 * running again when `fn` ends, whatever happened.
 */
export async function withDisruptedCluster<T>(cluster: RealCluster, fn: () => Promise<T>, waitMs = 300_000): Promise<T> {
  if (cluster.index !== DISRUPTABLE_CLUSTER) throw new Error(`only cluster ${DISRUPTABLE_CLUSTER} may be disrupted, not ${cluster.name}`);
  const hold = `${cluster.run}.disrupt`;
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      mkdirSync(hold);
      writeFileSync(join(hold, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(readFileSync(join(hold, 'pid'), { encoding: 'utf8', flag: 'a+' }).trim());
      if (holder && !alive(holder)) rmSync(hold, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`${cluster.name} is held by pid ${holder} for another disruption test`);
      else await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await fn();
  } finally {
    try {
      resumeApiserver(cluster);
    } catch {
      // Stopped rather than frozen (no pid file): started below.
    }
    await startApiserver(cluster).catch(() => undefined);
    rmSync(hold, { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function apiserverPid(cluster: RealCluster): number {
  const file = join(cluster.run, 'apiserver.pid');
  if (!existsSync(file)) throw new Error(`${cluster.name}: no kube-apiserver pid file at ${file} (is it stopped?)`);
  return Number(readFileSync(file, 'utf8').trim());
}

const frozen = new Map<number, RealCluster>();
let thawOnExit = false;

/**
 * Freezes a cluster's API server (SIGSTOP): it keeps its port, so requests hang
 * until their own timeout, as with a cluster that stopped answering. Undone by
 * `resumeApiserver`, and when this process exits, so a failed test cannot leave
 * it frozen for the next suite.
 */
export function pauseApiserver(cluster: RealCluster): void {
  const pid = apiserverPid(cluster);
  process.kill(pid, 'SIGSTOP');
  frozen.set(pid, cluster);
  if (!thawOnExit) {
    thawOnExit = true;
    process.on('exit', () => {
      for (const pid of frozen.keys()) {
        try {
          process.kill(pid, 'SIGCONT');
        } catch {
          // Already gone: nothing to thaw.
        }
      }
    });
  }
}

export function resumeApiserver(cluster: RealCluster): void {
  const pid = apiserverPid(cluster);
  process.kill(pid, 'SIGCONT');
  frozen.delete(pid);
}

function scriptEnv(): NodeJS.ProcessEnv {
  // The list's folder is the main cluster's run folder, which the script keys everything on.
  return { ...process.env, VELA_CLUSTER_RUN: dirname(clustersFile) };
}

/** Stops a cluster's API server (connections are refused); its etcd and objects stay. */
export async function stopApiserver(cluster: RealCluster): Promise<void> {
  await run(clusterScript, ['stop', '--cluster', String(cluster.index)], { env: scriptEnv() });
}

/** Starts a stopped API server again and waits until it is ready (up to 60 s). */
export async function startApiserver(cluster: RealCluster): Promise<void> {
  await run(clusterScript, ['start', '--cluster', String(cluster.index)], { env: scriptEnv(), timeout: 90_000 });
}
