/**
 * Open Cluster Management against the real kube-apiserver, with our CRDs of
 * ManagedCluster and ManifestWork (test/fixtures/crds/ocm.yaml) installed in
 * it and the test playing the hub's controllers (it writes `status`):
 *   - a cluster joined with --ocm-hub makes its ManagedClusters clusters by
 *     name: `vela cluster list` shows them with their labels, availability and
 *     version, and the planner's directory reaches them through the hub;
 *   - an app's ManifestWork is applied to the cluster's namespace on the hub,
 *     and its status read back from the conditions the agent writes.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ClusterJoin from '../../src/commands/cluster/join.js';
import ClusterList from '../../src/commands/cluster/list.js';
import Ls from '../../src/commands/ls.js';
import { applyManifestWork, clusterDirectory, deleteManifestWork, readManifestWork, waitForManifestWork } from '../../src/deploy/clusters/index.js';
import { KubeClient, loadClusterTarget, type KubeObject } from '../../src/deploy/index.js';
import { installCrds } from '../support/crds.js';
import { kubeconfig, realClusterUnavailable } from '../support/real-cluster.js';
import { runCommand } from '../cli/harness.js';

const unavailable = await realClusterUnavailable('test/commands/cluster-ocm.e2e.test.ts');
const title = unavailable ? `OCM hub on the real API server (skipped: ${unavailable})` : 'OCM hub on the real API server';
const crds = parseAllDocuments(readFileSync(join(import.meta.dirname, '../fixtures/crds/ocm.yaml'), 'utf8')).map((d) => d.toJS() as KubeObject);
const suffix = `${process.pid}`;
const available = `vela-e2e-aws-${suffix}`;
const lost = `vela-e2e-lost-${suffix}`;
const scratch = mkdtempSync(join(tmpdir(), 'vela-ocm-e2e-'));
const saved = { home: process.env.VELA_HOME, kubeconfig: process.env.KUBECONFIG, ci: process.env.CI };
let client: KubeClient;

const condition = (type: string, status: string, message: string, observedGeneration?: number) => ({
  type,
  status,
  reason: type,
  message,
  lastTransitionTime: '2024-01-01T00:00:00Z',
  ...(observedGeneration !== undefined ? { observedGeneration } : {}),
});

function managedCluster(name: string, labels: Record<string, string>, up: boolean): KubeObject {
  return {
    apiVersion: 'cluster.open-cluster-management.io/v1',
    kind: 'ManagedCluster',
    metadata: { name, labels },
    spec: { hubAcceptsClient: true, managedClusterClientConfigs: [{ url: `https://${name}.example:6443` }] },
    status: {
      conditions: [up ? condition('ManagedClusterConditionAvailable', 'True', 'Managed cluster is available') : condition('ManagedClusterConditionAvailable', 'Unknown', 'Registration agent stopped updating its lease.')],
      version: { kubernetes: 'v1.27.3' },
    },
  };
}

describe.skipIf(!!unavailable)(title, () => {
  beforeAll(async () => {
    client = new KubeClient(await loadClusterTarget({ kubeconfig }));
    await installCrds(client, crds);
    await client.apply(managedCluster(available, { provider: 'aws', 'vela-e2e': suffix }, true));
    await client.apply(managedCluster(lost, { provider: 'metal', 'vela-e2e': suffix }, false));
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: available } });
    process.env.VELA_HOME = mkdtempSync(join(scratch, 'home-'));
    process.env.KUBECONFIG = kubeconfig;
    process.env.CI = '1';
  });

  afterAll(async () => {
    for (const name of [available, lost]) await client?.delete({ apiVersion: 'cluster.open-cluster-management.io/v1', kind: 'ManagedCluster', name }).catch(() => undefined);
    await client?.delete({ apiVersion: 'v1', kind: 'Namespace', name: available }).catch(() => undefined);
    client?.close();
    for (const [k, v] of [['VELA_HOME', saved.home], ['KUBECONFIG', saved.kubeconfig], ['CI', saved.ci]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(scratch, { recursive: true, force: true });
  });

  it('lists the managed clusters of a hub joined with --ocm-hub', async () => {
    const join = await runCommand(ClusterJoin, [kubeconfig, '--name', 'hub', '--ocm-hub']);
    expect(join.exitCode, join.stderr).toBe(0);
    expect(join.stderr).toContain('an OCM hub: its managed clusters are clusters too');
    const r = await runCommand(ClusterList, ['--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const rows = (JSON.parse(r.stdout) as { name: string; source: string; hub?: string; labels: Record<string, string>; reachable: boolean; version?: string; server?: string; problem?: string }[]).filter(
      (row) => row.name === 'hub' || row.labels['vela-e2e'] === suffix,
    );
    expect(rows).toEqual([
      expect.objectContaining({ name: 'hub', source: 'kubeconfig', ocmHub: true, reachable: true }),
      { name: available, source: 'managed', hub: 'hub', server: `https://${available}.example:6443`, labels: { provider: 'aws', 'vela-e2e': suffix }, reachable: true, version: 'v1.27.3' },
      { name: lost, source: 'managed', hub: 'hub', server: `https://${lost}.example:6443`, labels: { provider: 'metal', 'vela-e2e': suffix }, reachable: false, version: 'v1.27.3', problem: 'Registration agent stopped updating its lease.' },
    ]);
    const table = await runCommand(ClusterList, []);
    expect(table.stdout).toMatch(new RegExp(`^${available}\\s+ocm \\(hub hub\\)\\s+https://${available}\\.example:6443\\s+provider=aws,vela-e2e=${suffix}\\s+yes\\s+v1\\.27\\.3$`, 'm'));

    const directory = await clusterDirectory();
    expect(directory.clusters).toContainEqual({ name: available, labels: { provider: 'aws', 'vela-e2e': suffix } });
    expect(await directory.access(available)).toMatchObject({ kind: 'ocm', hub: 'hub' });
  });

  it('applies an app’s ManifestWork to the cluster’s namespace on the hub and reads its status back', async () => {
    const manifests = [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'shop' }, data: { mode: 'prod' } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop', labels: { 'app.oam.dev/component': 'web' } }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } } } },
    ];
    const applied = await applyManifestWork(client, { cluster: available, app: 'shop', namespace: 'shop', manifests });
    expect(applied.metadata).toMatchObject({ name: 'shop.shop', namespace: available });
    const first = await readManifestWork(client, available, 'shop', 'shop');
    expect(first!.status.phase).toBe('pending');
    expect((first!.work.spec as { workload: { manifests: unknown[] } }).workload.manifests).toEqual(manifests);

    // The work agent's report, for the current spec. Our CRD has no status subresource, so writing status is
    // itself a change that bumps metadata.generation: the report names the generation it will have.
    const generation = Number(first!.work.metadata!.generation) + 1;
    await client.apply(
      {
        apiVersion: 'work.open-cluster-management.io/v1',
        kind: 'ManifestWork',
        metadata: { name: 'shop.shop', namespace: available },
        status: {
          conditions: [condition('Applied', 'True', 'Apply manifest work complete', generation), condition('Available', 'True', 'All resources are available', generation)],
          resourceStatus: { manifests: [{ resourceMeta: { ordinal: 0, version: 'v1', kind: 'ConfigMap', resource: 'configmaps', name: 'settings', namespace: 'shop' }, conditions: [condition('Applied', 'True', 'applied', generation)] }] },
        },
      },
      { fieldManager: 'work-agent' },
    );
    const status = await waitForManifestWork(client, available, 'shop', 'shop', { want: 'available', timeoutMs: 10_000, intervalMs: 200 });
    expect(status).toMatchObject({ phase: 'available', applied: true, available: true, degraded: false, resources: [{ kind: 'ConfigMap', name: 'settings', applied: true }] });

    // `vela ls` of a managed cluster: the apps vela's ManifestWorks carry there.
    const listed = await runCommand(Ls, ['--cluster', available, '-A']);
    expect(listed.exitCode, listed.stderr).toBe(0);
    expect(listed.stdout.trim().split('\n').map((line) => line.trim().split(/\s{2,}/))).toEqual([
      ['CLUSTER', 'NAME', 'NAMESPACE', 'SERVICES'],
      [available, 'shop', 'shop', 'web'],
    ]);

    // A new spec: the report is about the old one until the agent catches up.
    await applyManifestWork(client, { cluster: available, app: 'shop', namespace: 'shop', manifests: manifests.slice(0, 1) });
    expect((await readManifestWork(client, available, 'shop', 'shop'))!.status.phase).toBe('pending');

    expect(await deleteManifestWork(client, available, 'shop', 'shop')).toBe(true);
    expect(await readManifestWork(client, available, 'shop', 'shop')).toBeUndefined();
  });
});
