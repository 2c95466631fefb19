/**
 * The real node of `scripts/cluster.sh start --node` (or `--node-cluster I`),
 * for suites that need running pods (logs, exec, port-forward, readiness, `vela
 * dev`): a kubelet registered as `vela-node` (IP 127.0.0.1) in the cluster whose
 * kubeconfig VELA_TEST_NODE_KUBECONFIG names, running pods on the Docker engine
 * VELA_TEST_NODE_DOCKER_HOST names. Use `nodeKubeconfig`, not the main cluster's:
 * CI runs the node on a cluster of its own (.ci/run says why).
 *
 * Pods run only in namespaces that opt in (`createNodeNamespace`): the node is
 * tainted, and the opt-in namespace gives its pods the toleration. Elsewhere pods
 * stay Pending, as the suites written for a cluster without a node expect.
 * Nothing can be pulled: pods use images loaded into the node's engine
 * (`loadBusyboxImage`) with imagePullPolicy Never or IfNotPresent.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import Docker from 'dockerode';
import { pack } from 'tar-stream';
import { clusterVersion, KubeClient, loadClusterTarget } from '../../src/deploy/index.js';

export const nodeKubeconfig = process.env.VELA_TEST_NODE_KUBECONFIG ?? '/tmp/vela-cluster/kubeconfig';
export const nodeName = process.env.VELA_TEST_NODE ?? 'vela-node';
export const nodeDockerHost = process.env.VELA_TEST_NODE_DOCKER_HOST ?? 'unix:///tmp/vela-docker.sock';
/** The annotation (PodTolerationRestriction) that lets a namespace's pods onto the node. */
export const nodeOptIn = { 'scheduler.alpha.kubernetes.io/defaultTolerations': '[{"key":"vela.test/node","operator":"Exists"}]' };
/** Debian's busybox-static: one static binary, so an image FROM scratch needs nothing else. */
const busyboxBinary = '/bin/busybox';

function nodeEngine(): Docker {
  if (!nodeDockerHost.startsWith('unix://')) throw new Error(`VELA_TEST_NODE_DOCKER_HOST must be a unix:// socket, not ${nodeDockerHost}`);
  return new Docker({ socketPath: nodeDockerHost.slice('unix://'.length) });
}

async function nodeReadyStatus(): Promise<string> {
  if (!existsSync(nodeKubeconfig)) return `no kubeconfig at ${nodeKubeconfig}`;
  const v = await clusterVersion({ kubeconfig: nodeKubeconfig, retry: { retries: 0 } });
  if (v.minor !== '20') return `expected Kubernetes 1.20, found ${v.gitVersion}`;
  const client = new KubeClient(await loadClusterTarget({ kubeconfig: nodeKubeconfig }), { retry: { retries: 0 } });
  try {
    const node = await client.get({ apiVersion: 'v1', kind: 'Node', name: nodeName });
    if (!node) return `no node ${nodeName} in the cluster`;
    const conditions = ((node.status as { conditions?: Array<{ type: string; status: string; message?: string }> } | undefined)?.conditions ?? []);
    const ready = conditions.find((c) => c.type === 'Ready');
    return ready?.status === 'True' ? '' : `node ${nodeName} is not Ready (${ready?.message ?? 'no Ready condition'})`;
  } finally {
    client.close();
  }
}

/**
 * Why the real node cannot be used ('' when it can); says so on stderr, or
 * throws when VELA_E2E_REQUIRED=1.
 */
export async function realNodeUnavailable(suite: string): Promise<string> {
  let why = '';
  try {
    why = await nodeReadyStatus();
  } catch (e) {
    why = `the node's cluster (${nodeKubeconfig}): ${(e as Error).message.split('\n')[0]!}`;
  }
  if (!why) {
    try {
      await nodeEngine().ping();
    } catch (e) {
      why = `the node's Docker engine at ${nodeDockerHost}: ${(e as Error).message.split('\n')[0]!}`;
    }
  }
  if (why && process.env.VELA_E2E_REQUIRED === '1') throw new Error(`the real node is required (VELA_E2E_REQUIRED=1) but not usable: ${why}`);
  if (why) console.warn(`${suite} skipped: ${why}; run scripts/cluster.sh build --node && scripts/cluster.sh start --node`);
  return why;
}

/** A namespace whose pods may run on the node (created or updated in place). */
export async function createNodeNamespace(name: string, kubeconfigPath = nodeKubeconfig): Promise<void> {
  const client = new KubeClient(await loadClusterTarget({ kubeconfig: kubeconfigPath }));
  try {
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, annotations: nodeOptIn } });
  } finally {
    client.close();
  }
}

/**
 * Loads an image of Debian's busybox-static (every applet linked in /bin) into
 * the node's engine, unless it is there already; answers its reference. Imported
 * from a tar stream: no registry, no builder.
 */
export async function loadBusyboxImage(ref = 'vela-test/busybox:node'): Promise<string> {
  const engine = nodeEngine();
  try {
    await engine.getImage(ref).inspect();
    return ref;
  } catch {
    // Not there yet: import it below.
  }
  const binary = readFileSync(busyboxBinary);
  const applets = execFileSync(busyboxBinary, ['--list'], { encoding: 'utf8' }).split('\n').filter((a) => a && a !== 'busybox');
  const tar = pack();
  tar.entry({ name: 'bin/busybox', mode: 0o755 }, binary);
  for (const applet of applets) tar.entry({ name: `bin/${applet}`, type: 'symlink', linkname: 'busybox' });
  tar.entry({ name: 'tmp/', type: 'directory', mode: 0o1777 });
  tar.finalize();
  const [repo, tag] = ref.split(/:(?=[^/:]+$)/) as [string, string | undefined];
  // dockerode's types want a ReadableStream; tar-stream's Pack is a streamx one, which it reads the same way.
  const progress = (await engine.importImage(tar as never, { repo, tag: tag ?? 'latest', changes: 'ENV PATH=/bin' })) as unknown as NodeJS.ReadableStream;
  await new Promise<void>((done, fail) => engine.modem.followProgress(progress, (err: Error | null) => (err ? fail(err) : done())));
  return ref;
}
