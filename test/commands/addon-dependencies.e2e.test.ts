/**
 * Addon dependencies end to end against a real kube-apiserver 1.20: enabling
 * keda enables fluxcd first (its CRDs, so that keda's HelmRelease and
 * HelmRepository are accepted), status of both, fluxcd cannot be disabled
 * while keda is enabled, keda upgraded (objects changed, what left pruned),
 * then both disabled (the CRDs go).
 *
 * Flux's CRDs are cluster-wide, and the built-in definitions' suite creates
 * and deletes the same ones on the main cluster: this runs on test cluster 4,
 * held for the whole suite so that no other file stops or freezes it meanwhile
 * (real-clusters.ts). That cluster runs no controller-manager, so a deleted
 * namespace stays Terminating: flux-system (a fixed name) is finalized here
 * by hand, as the namespace controller would once it is empty.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import AddonDisable from '../../src/commands/addon/disable.js';
import AddonEnable from '../../src/commands/addon/enable.js';
import AddonStatus from '../../src/commands/addon/status.js';
import AddonUpgrade from '../../src/commands/addon/upgrade.js';
import { KubeClient, loadClusterTarget, type KubeObject } from '../../src/deploy/index.js';
import { ROOT, runCommand } from '../cli/harness.js';
import { DISRUPTABLE_CLUSTER, realCluster, realClustersUnavailable, withDisruptedCluster } from '../support/real-clusters.js';

const unavailable = await realClustersUnavailable('test/commands/addon-dependencies.e2e.test.ts', DISRUPTABLE_CLUSTER);
const cluster = unavailable ? undefined : realCluster(DISRUPTABLE_CLUSTER);
const title = unavailable ? `addon dependencies on a real kube-apiserver (skipped: ${unavailable})` : 'addon dependencies on a real kube-apiserver 1.20 (test cluster 4)';

const CATALOG = join(ROOT, 'test/fixtures/catalog');
const CATALOG_V2 = join(ROOT, 'test/fixtures/catalog-v2');
const FLUX_CRDS = ['gitrepositories.source.toolkit.fluxcd.io', 'helmreleases.helm.toolkit.fluxcd.io', 'helmrepositories.source.toolkit.fluxcd.io', 'kustomizations.kustomize.toolkit.fluxcd.io', 'ocirepositories.source.toolkit.fluxcd.io'];
const ns = `vela-addon-deps-${process.pid}`;
const kedaNs = `keda-${process.pid}`;
const kubectl = process.env.VELA_TEST_KUBECTL ?? '/var/cache/vela-test/kubectl';

const crd = (name: string) => ({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name });

describe.skipIf(!!unavailable)(title, () => {
  const dir = mkdtempSync(join(tmpdir(), 'vela-addon-deps-'));
  const home = join(dir, 'home');
  const savedCwd = process.cwd();
  const savedHome = process.env.VELA_HOME;
  const k = ['--kubeconfig', cluster?.kubeconfig ?? ''];
  let client: KubeClient;
  let release: () => void = () => undefined;
  let holding: Promise<void> | undefined;

  /** What the namespace controller does for an emptied namespace: its finalizer removed, so it goes. */
  const finalizeFluxSystem = async () => {
    const live = await client.get({ apiVersion: 'v1', kind: 'Namespace', name: 'flux-system' });
    if (!live) return;
    if (!(live.metadata as { deletionTimestamp?: string }).deletionTimestamp) await client.delete({ apiVersion: 'v1', kind: 'Namespace', name: 'flux-system' });
    const body = JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'flux-system' }, spec: { finalizers: [] } });
    execFileSync(kubectl, ['--kubeconfig', cluster!.kubeconfig, 'replace', '--raw', '/api/v1/namespaces/flux-system/finalize', '-f', '-'], { input: body, stdio: ['pipe', 'ignore', 'pipe'] });
    await client.waitFor({ apiVersion: 'v1', kind: 'Namespace', name: 'flux-system' }, (o) => o === undefined, { timeoutMs: 30_000, intervalMs: 200 });
  };
  /** Leftovers of an earlier run that died half-way: Flux's CRDs and flux-system. */
  const clearFlux = async () => {
    for (const name of FLUX_CRDS) await client.delete(crd(name)).catch(() => undefined);
    for (const name of FLUX_CRDS) await client.waitFor(crd(name), (o) => o === undefined, { timeoutMs: 60_000, intervalMs: 200 });
    await finalizeFluxSystem();
  };

  beforeAll(async () => {
    // Held until afterAll: nobody stops or freezes cluster 4 under this suite.
    await new Promise<void>((held) => {
      holding = withDisruptedCluster(cluster!, () => {
        held();
        return new Promise<void>((done) => (release = done));
      });
    });
    client = new KubeClient(await loadClusterTarget({ kubeconfig: cluster!.kubeconfig }));
    await clearFlux();
    await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    process.chdir(dir);
    process.env.VELA_HOME = home;
  }, 420_000);

  afterAll(async () => {
    process.chdir(savedCwd);
    if (savedHome === undefined) delete process.env.VELA_HOME;
    else process.env.VELA_HOME = savedHome;
    try {
      if (client) {
        await clearFlux().catch(() => undefined);
        for (const name of [ns, kedaNs]) await client.delete({ apiVersion: 'v1', kind: 'Namespace', name }).catch(() => undefined);
        client.close();
      }
    } finally {
      release();
      await holding;
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('enabling keda enables fluxcd first: its CRDs are in the cluster before keda’s Flux objects are applied', async () => {
    const r = await runCommand(AddonEnable, ['keda', '--registry', CATALOG, '-n', ns, '--set', `namespace=${kedaNs}`, ...k, '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const addons = (JSON.parse(r.stdout) as { addons: { name: string; dependency: boolean; version: string; summary: Record<string, number> }[] }).addons;
    expect(addons.map((a) => [a.name, a.dependency, a.version])).toEqual([
      ['fluxcd', true, '1.0.0'],
      ['keda', false, '2.12.0'],
    ]);
    // fluxcd: flux-system, 5 CRDs, a ServiceAccount and a Deployment; keda: its namespace, the release, the repository, the info.
    expect(addons[0]!.summary.created).toBe(8);
    expect(addons[1]!.summary.created).toBe(4);
    for (const name of FLUX_CRDS) expect(await client.get(crd(name))).toBeDefined();
    const release = (await client.get({ apiVersion: 'helm.toolkit.fluxcd.io/v2beta1', kind: 'HelmRelease', name: 'keda-operator', namespace: ns })) as KubeObject & { spec: Record<string, unknown> };
    expect(release.spec).toMatchObject({ releaseName: 'keda', targetNamespace: kedaNs, values: { operator: { replicaCount: 1 } } });
    expect(JSON.stringify(release.spec)).toContain('2.12.0');
    expect(await client.get({ apiVersion: 'v1', kind: 'Namespace', name: kedaNs })).toBeDefined();
    expect(((await client.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'keda-addon-info', namespace: ns })) as { data?: unknown } | undefined)?.data).toEqual({ version: '2.12.0', replicas: '1' });
    expect(existsSync(join(home, 'addons/fluxcd/definitions/helm.cue'))).toBe(true);
    expect(existsSync(join(home, 'addons/keda/definitions/keda-scaler.cue'))).toBe(true);
  });

  it('status of both; fluxcd cannot be disabled while keda needs it, and nothing of it is deleted', async () => {
    for (const [name, version] of [
      ['fluxcd', '1.0.0'],
      ['keda', '2.12.0'],
    ] as const) {
      const status = await runCommand(AddonStatus, [name, ...k, '--json']);
      expect(status.exitCode, status.stderr).toBe(0);
      expect(JSON.parse(status.stdout)).toMatchObject({ name, status: 'enabled', version, app: `addon-${name}`, namespace: ns });
    }
    expect(JSON.parse((await runCommand(AddonStatus, ['keda', ...k, '--json'])).stdout).dependencies).toEqual(['fluxcd']);
    const refused = await runCommand(AddonDisable, ['fluxcd', ...k]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('addon keda depends on fluxcd, which cannot be disabled while it is enabled');
    expect(refused.stderr).toContain('disable keda first');
    for (const name of FLUX_CRDS) expect(await client.get(crd(name))).toBeDefined();
    expect(existsSync(join(home, 'addons/fluxcd'))).toBe(true);
  });

  it('upgrading keda to 2.13.0 changes the release, adds the new ConfigMap and prunes the old; fluxcd is left as it is', async () => {
    const r = await runCommand(AddonUpgrade, ['keda', '--registry', CATALOG_V2, ...k, '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const addons = (JSON.parse(r.stdout) as { addons: { name: string; previousVersion?: string; objects: { action: string; kind: string; name: string }[] }[] }).addons;
    expect(addons.map((a) => a.name)).toEqual(['keda']);
    const keda = addons[0]!;
    expect(keda.previousVersion).toBe('2.12.0');
    const by = (action: string) => keda.objects.filter((o) => o.action === action).map((o) => `${o.kind}/${o.name}`).sort();
    expect(by('pruned')).toEqual(['ConfigMap/keda-addon-info']);
    expect(by('created')).toEqual(['ConfigMap/keda-release-2.13.0']);
    expect(by('updated')).toContain('HelmRelease/keda-operator');
    expect(await client.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'keda-addon-info', namespace: ns })).toBeUndefined();
    expect(((await client.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'keda-release-2.13.0', namespace: ns })) as { data?: unknown } | undefined)?.data).toEqual({ chart: '2.13.0' });
    const release = (await client.get({ apiVersion: 'helm.toolkit.fluxcd.io/v2beta1', kind: 'HelmRelease', name: 'keda-operator', namespace: ns })) as KubeObject & { spec: Record<string, unknown> };
    // The parameters given at enable are kept: still the same target namespace.
    expect(release.spec).toMatchObject({ targetNamespace: kedaNs });
    expect(JSON.stringify(release.spec)).toContain('2.13.0');
    expect(JSON.parse((await runCommand(AddonStatus, ['fluxcd', ...k, '--json'])).stdout).version).toBe('1.0.0');
  });

  it('keda disabled first, then fluxcd: every object deleted through the inventories, the CRDs gone', async () => {
    const keda = await runCommand(AddonDisable, ['keda', ...k]);
    expect(keda.exitCode, keda.stderr).toBe(0);
    expect(await client.get({ apiVersion: 'helm.toolkit.fluxcd.io/v2beta1', kind: 'HelmRelease', name: 'keda-operator', namespace: ns })).toBeUndefined();
    expect(await client.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'keda-release-2.13.0', namespace: ns })).toBeUndefined();
    expect(existsSync(join(home, 'addons/keda'))).toBe(false);
    const flux = await runCommand(AddonDisable, ['fluxcd', ...k]);
    expect(flux.exitCode, flux.stderr).toBe(0);
    for (const name of FLUX_CRDS) expect(await client.waitFor(crd(name), (o) => o === undefined, { timeoutMs: 60_000, intervalMs: 200 }), name).toBe(true);
    expect(await client.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'source-controller', namespace: 'flux-system' })).toBeUndefined();
    expect(existsSync(join(home, 'addons/fluxcd'))).toBe(false);
    expect((await runCommand(AddonStatus, ['fluxcd', ...k])).stdout).toBe('addon fluxcd: disabled\n');
  });
});
