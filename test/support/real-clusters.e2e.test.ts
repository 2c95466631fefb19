/**
 * The three real clusters of `scripts/cluster.sh start --clusters 3` are three
 * clusters, not three doors to one: an object written to one is absent from the
 * others, and one API server can be stopped or frozen and brought back while the
 * others keep answering. The multi-cluster suites rely on all of this.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { KubeClient, loadClusterTarget } from '../../src/deploy/index.js';
import { DISRUPTABLE_CLUSTER, listRealClusters, pauseApiserver, realCluster, realClustersUnavailable, startApiserver, stopApiserver, withDisruptedCluster, type RealCluster } from './real-clusters.js';

const unavailable = await realClustersUnavailable('test/support/real-clusters.e2e.test.ts', DISRUPTABLE_CLUSTER);
const title = unavailable ? `three real kube-apiservers (skipped: ${unavailable})` : 'three real kube-apiservers';

const ns = `vela-e2e-clusters-${process.pid}`;
const clusters = unavailable ? [] : listRealClusters().slice(0, DISRUPTABLE_CLUSTER);
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
    for (const client of clients) {
      await client.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns }).catch(() => undefined);
      client.close();
    }
  });

  it('are distinct servers with distinct credentials', () => {
    expect(realCluster(2)).toEqual(clusters[1]);
    expect(new Set(clusters.map((c) => c.server)).size).toBe(DISRUPTABLE_CLUSTER);
    expect(new Set(clusters.map((c) => c.kubeconfig)).size).toBe(DISRUPTABLE_CLUSTER);
    expect(clusters.map((c) => c.index)).toEqual([1, 2, 3, 4]);
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

  // Only the fourth cluster is ever disrupted, one test at a time across files (withDisruptedCluster):
  // the others keep answering for the suites running beside this one.
  it('a stopped API server refuses connections while the others answer, and comes back with its objects', async () => {
    const [main, , third, fourth] = clients as [KubeClient, KubeClient, KubeClient, KubeClient];
    const cluster = clusters[3]!;
    await fourth.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await fourth.apply(marker(cluster));
    await withDisruptedCluster(cluster, async () => {
      await stopApiserver(cluster);
      expect(await answers(fourth)).toBe(false);
      expect(await answers(third)).toBe(true);
      expect(await answers(main)).toBe(true);
      await startApiserver(cluster);
      expect(await answers(fourth)).toBe(true);
    });
    expect((await fourth.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'marker', namespace: ns }))?.data).toEqual({ cluster: 'vela-test-4' });
  });

  it('a frozen API server keeps its port but does not answer until resumed', async () => {
    const [, , third, fourth] = clients as [KubeClient, KubeClient, KubeClient, KubeClient];
    await withDisruptedCluster(clusters[3]!, async () => {
      pauseApiserver(clusters[3]!);
      const started = Date.now();
      expect(await answers(fourth, 1_500)).toBe(false);
      // It hung until the deadline: not refused at once like a stopped one.
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
      expect(await answers(third)).toBe(true);
    });
    expect(await answers(fourth, 10_000)).toBe(true);
  });
});
