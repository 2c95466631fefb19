/**
 * The three real clusters of `scripts/cluster.sh start --clusters 3` are three
 * clusters, not three doors to one: an object written to one is absent from the
 * others, and one API server can be stopped or frozen and brought back while the
 * others keep answering. The multi-cluster suites rely on all of this.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { KubeClient, loadClusterTarget } from '../../src/deploy/index.js';
import { listRealClusters, pauseApiserver, realCluster, realClustersUnavailable, resumeApiserver, startApiserver, stopApiserver, type RealCluster } from './real-clusters.js';

const unavailable = await realClustersUnavailable('test/support/real-clusters.e2e.test.ts', 3);
const title = unavailable ? `three real kube-apiservers (skipped: ${unavailable})` : 'three real kube-apiservers';

const ns = `vela-e2e-clusters-${process.pid}`;
const clusters = unavailable ? [] : listRealClusters().slice(0, 3);
const clients = await Promise.all(clusters.map(async (c) => new KubeClient(await loadClusterTarget({ kubeconfig: c.kubeconfig }), { retry: { retries: 0 } })));

const marker = (cluster: RealCluster) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'marker', namespace: ns },
  data: { cluster: cluster.name },
});

/** A read of the `default` Namespace with a deadline of its own: a frozen API server never answers. */
async function answers(client: KubeClient, ms = 2_000): Promise<boolean> {
  try {
    await client.get({ apiVersion: 'v1', kind: 'Namespace', name: 'default' }, AbortSignal.timeout(ms));
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!!unavailable)(title, () => {
  afterAll(async () => {
    for (const cluster of clusters) {
      try {
        resumeApiserver(cluster);
      } catch {
        // Stopped rather than frozen: started again below.
      }
    }
    await startApiserver(clusters[1]!).catch(() => undefined);
    for (const client of clients) {
      await client.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns }).catch(() => undefined);
      client.close();
    }
  });

  it('are distinct servers with distinct credentials', () => {
    expect(realCluster(2)).toEqual(clusters[1]);
    expect(new Set(clusters.map((c) => c.server)).size).toBe(3);
    expect(new Set(clusters.map((c) => c.kubeconfig)).size).toBe(3);
    expect(clusters.map((c) => c.index)).toEqual([1, 2, 3]);
  });

  it('keep their objects apart', async () => {
    const [main, second, third] = clients as [KubeClient, KubeClient, KubeClient];
    await second.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await second.apply(marker(clusters[1]!));
    expect((await second.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'marker', namespace: ns }))?.data).toEqual({ cluster: 'vela-test-2' });
    expect(await third.get({ apiVersion: 'v1', kind: 'Namespace', name: ns })).toBeUndefined();
    expect(await main.get({ apiVersion: 'v1', kind: 'Namespace', name: ns })).toBeUndefined();

    // The same name in the third cluster is a different object.
    await third.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await third.apply(marker(clusters[2]!));
    expect((await third.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'marker', namespace: ns }))?.data).toEqual({ cluster: 'vela-test-3' });
    expect((await second.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'marker', namespace: ns }))?.data).toEqual({ cluster: 'vela-test-2' });
  });

  it("one cluster's credentials are refused by another", async () => {
    const second = await loadClusterTarget({ kubeconfig: clusters[1]!.kubeconfig });
    const third = await loadClusterTarget({ kubeconfig: clusters[2]!.kubeconfig });
    // The third server with the second cluster's CA and token: the TLS handshake fails.
    const crossed = new KubeClient({ ...second, server: third.server }, { retry: { retries: 0 } });
    await expect(crossed.list('v1', 'Namespace')).rejects.toThrow();
    crossed.close();
  });

  it('a stopped API server refuses connections while the others answer, and comes back with its objects', async () => {
    const [main, second, third] = clients as [KubeClient, KubeClient, KubeClient];
    await stopApiserver(clusters[1]!);
    expect(await answers(second)).toBe(false);
    expect(await answers(third)).toBe(true);
    expect(await answers(main)).toBe(true);

    await startApiserver(clusters[1]!);
    expect(await answers(second)).toBe(true);
    expect((await second.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'marker', namespace: ns }))?.data).toEqual({ cluster: 'vela-test-2' });
  });

  // Cluster 2 each time: in CI the node runs on cluster 3, whose suite should not see it go.
  it('a frozen API server keeps its port but does not answer until resumed', async () => {
    const [, second, third] = clients as [KubeClient, KubeClient, KubeClient];
    pauseApiserver(clusters[1]!);
    try {
      const started = Date.now();
      expect(await answers(second, 1_500)).toBe(false);
      // It hung until the deadline: not refused at once like a stopped one.
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
      expect(await answers(third)).toBe(true);
    } finally {
      resumeApiserver(clusters[1]!);
    }
    expect(await answers(second, 10_000)).toBe(true);
  });
});
