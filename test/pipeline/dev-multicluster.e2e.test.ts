/**
 * `vela dev` of an app whose topology names two real clusters (1, the
 * kubeconfig's, and 2, joined as `staging`): each cycle goes through the same
 * workflow delivery as `vela up`, so the first delivery creates the app in
 * both clusters, a saved change updates it in both, a broken Appfile changes
 * neither, and cleanup deletes it from both.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient, loadClusterTarget } from '../../src/deploy/index.js';
import type { Environment } from '../../src/host/index.js';
import { clusterJoin } from '../../src/pipeline/clusters.js';
import { runDev, type DevEvent, type DevResult } from '../../src/pipeline/dev-loop.js';
import { realCluster, realClustersUnavailable } from '../support/real-clusters.js';

const unavailable = await realClustersUnavailable('test/pipeline/dev-multicluster.e2e.test.ts', 2);
const title = unavailable ? `vela dev across real clusters (skipped: ${unavailable})` : 'vela dev across real clusters';
const ns = `vela-e2e-devmc-${process.pid}`;

const appfile = (replicas: string) => `name: devmc
namespace: ${ns}
services:
  web: {image: nginx:1.25, port: 80, scaler: {replicas: ${replicas}}}
policies:
  - {name: both, type: topology, properties: {clusters: [local, staging]}}
`;

describe.skipIf(!!unavailable)(title, () => {
  const home = mkdtempSync(join(tmpdir(), 'vela-devmc-home-'));
  const dir = mkdtempSync(join(tmpdir(), 'vela-devmc-'));
  const events: DevEvent[] = [];
  const stop = new AbortController();
  const clients: KubeClient[] = [];
  let running: Promise<DevResult>;
  let env: Environment;

  const cycles = () => events.filter((e) => e.kind === 'delivered' || e.kind === 'invalid' || e.kind === 'failed');
  const cycle = async (n: number): Promise<DevEvent> => {
    const deadline = Date.now() + 120_000;
    while (cycles().length < n) {
      if (Date.now() > deadline) throw new Error(`cycle ${n} never came; events: ${JSON.stringify(events.map((e) => e.kind))}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return cycles()[n - 1]!;
  };
  const watching = async () => {
    while (!events.some((e) => e.kind === 'watching')) await new Promise((r) => setTimeout(r, 50));
  };
  const replicas = async () =>
    Promise.all(clients.map(async (c) => ((await c.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: ns }))?.spec as { replicas?: number } | undefined)?.replicas));

  beforeAll(async () => {
    env = { get: (name) => (name === 'VELA_HOME' ? home : name === 'KUBECONFIG' ? realCluster(1).kubeconfig : process.env[name]), cwd: dir, homeDir: home };
    await clusterJoin({ kubeconfig: realCluster(2).kubeconfig, name: 'staging', labels: [], env, timeoutMs: 5000 });
    for (const index of [1, 2]) clients.push(new KubeClient(await loadClusterTarget({ kubeconfig: realCluster(index).kubeconfig })));
    writeFileSync(join(dir, 'vela.yaml'), appfile('1'));
    running = runDev({
      cwd: dir,
      build: false,
      logs: false,
      cleanup: true,
      debounceMs: 150,
      cluster: { kubeconfig: realCluster(1).kubeconfig, environment: env, retry: { retries: 1, baseDelayMs: 50, maxDelayMs: 100 }, requestTimeoutMs: 10_000 },
      timeoutMs: 60_000,
      signal: stop.signal,
      onEvent: (event) => events.push(event),
    });
  }, 60_000);

  afterAll(async () => {
    stop.abort();
    await running?.catch(() => undefined);
    for (const client of clients) {
      await client.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns }).catch(() => undefined);
      client.close();
    }
  });

  it('delivers to both clusters on each cycle, applies nothing of a broken Appfile, and cleans up both', async () => {
    const first = await cycle(1);
    expect(first).toMatchObject({ kind: 'delivered' });
    const delivered = first as Extract<DevEvent, { kind: 'delivered' }>;
    expect(delivered.changes.clusters!.map((c) => c.cluster).sort()).toEqual(['local', 'staging']);
    expect(delivered.changes.clusters!.every((c) => c.ok && c.summary!.created > 0)).toBe(true);
    expect(await replicas()).toEqual([1, 1]);
    await watching();

    writeFileSync(join(dir, 'vela.yaml'), appfile('2'));
    const second = (await cycle(2)) as Extract<DevEvent, { kind: 'delivered' }>;
    expect(second.kind).toBe('delivered');
    expect(second.changes.clusters!.every((c) => c.summary!.updated === 1 && c.summary!.created === 0)).toBe(true);
    expect(await replicas()).toEqual([2, 2]);

    // Broken mid-edit: reported at its line, neither cluster touched.
    writeFileSync(join(dir, 'vela.yaml'), appfile('[3'));
    const broken = await cycle(3);
    expect(broken.kind).toBe('invalid');
    expect(await replicas()).toEqual([2, 2]);

    writeFileSync(join(dir, 'vela.yaml'), appfile('3'));
    expect((await cycle(4)).kind).toBe('delivered');
    expect(await replicas()).toEqual([3, 3]);
    expect(readFileSync(join(dir, 'vela.yaml'), 'utf8')).toContain('replicas: 3');

    stop.abort();
    const result = await running;
    expect(result.delivered).toBe(3);
    expect(events.filter((e) => e.kind === 'cleanup')).toHaveLength(2);
    expect(await replicas()).toEqual([undefined, undefined]);
  }, 240_000);
});
