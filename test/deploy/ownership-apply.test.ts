/**
 * vela touches only what is its own (ownership.ts, preflight.ts, prune.ts),
 * against the protocol-level fake API server: a foreign object is refused
 * before the first write, adopted only on purpose, and prune and delete spare
 * what vela did not create.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyApp, deleteApp, planApp } from '../../src/deploy/index.js';
import { formatDiagnosticLine } from '../../src/source/index.js';
import type { RenderedApp } from '../../src/render/types.js';
import { FakeApiServer } from '../support/fake-apiserver.js';
import { makeApp } from '../support/app-fixtures.js';
import { failure } from '../support/failure.js';

const fast = { retries: 2, baseDelayMs: 5, maxDelayMs: 20 };
let server: FakeApiServer;
let kubeconfig: string;

beforeEach(async () => {
  server = await new FakeApiServer().start();
  kubeconfig = server.writeKubeconfig(join(mkdtempSync(join(tmpdir(), 'vela-own-')), 'kubeconfig'));
  server.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
});
afterEach(async () => {
  await server.stop();
});

const kubectlDeployment = (name: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'shop', labels: { app: name } },
  spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: 'nginx:1.25' }] } } },
});

/** The app with an extra Namespace object (as `k8s-objects` would add it) under its first service. */
function withNamespace(app: RenderedApp, name: string): RenderedApp {
  const origin = { ...app.manifests[0]!.origin, definition: 'k8s-objects', outputName: 'objects-1' };
  return { ...app, manifests: [{ object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'app.oam.dev/component': origin.service } } }, origin }, ...app.manifests] };
}

const record = () => JSON.parse(server.object('ConfigMap', 'applyset-shop', 'shop')?.data?.['objects.json'] ?? 'null') as { created: string[]; adopted: string[] } | null;

describe('objects that are not vela\'s', () => {
  it('refuses, before the first write, an object another manager made: every one, at its line, naming its managers', async () => {
    server.seed(kubectlDeployment('web'), 'kubectl-create');
    server.seed(kubectlDeployment('db'), 'helm');
    const before = server.object('Deployment', 'web', 'shop')!;
    const err = await failure(applyApp(makeApp('shop', 'shop', [{ name: 'web', port: 80 }, { name: 'db' }]), { kubeconfig, retry: fast }));
    expect(err.exitCode).toBe(1);
    expect(err.diagnostics.map(formatDiagnosticLine)).toEqual([
      'vela.yaml:3:3: Deployment shop/web (service web) already exists and is not vela\'s: managed by "kubectl-create"',
      'vela.yaml:5:3: Deployment shop/db (service db) already exists and is not vela\'s: managed by "helm"',
    ]);
    expect(err.diagnostics[0]!.hint).toMatch(/--take-over/);
    // Nothing of the app was written: not the Service, not the inventory, not the Deployment.
    expect(server.appWrites).toBe(0);
    expect(server.object('Service', 'web', 'shop')).toBeUndefined();
    expect(server.object('ConfigMap', 'applyset-shop', 'shop')).toBeUndefined();
    expect(server.object('Deployment', 'web', 'shop')!.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    // The plan refuses what up would refuse.
    await expect(planApp(makeApp('shop', 'shop', [{ name: 'web' }]), { kubeconfig, retry: fast })).rejects.toThrow(/already exists and is not vela's/);
  });

  it('--take-over adopts on purpose, records it as adopted, and prune then deletes it like its own', async () => {
    server.seed(kubectlDeployment('web'), 'kubectl-create');
    const plan = await planApp(makeApp('shop', 'shop', [{ name: 'web' }, { name: 'db' }]), { kubeconfig, retry: fast, takeOver: { all: true } });
    expect(plan.entries.map((e) => `${e.action} ${e.ref.kind}/${e.ref.name}`)).toEqual(['adopt Deployment/web', 'create Deployment/db']);
    expect(plan.entries[0]!.changes!.map((c) => c.path)).toContain('metadata.labels["applyset.kubernetes.io/part-of"]');

    const r = await applyApp(makeApp('shop', 'shop', [{ name: 'web' }, { name: 'db' }]), { kubeconfig, retry: fast, takeOver: { all: true } });
    expect(r.objects.map((o) => `${o.action} ${o.ref.name}`)).toEqual(['adopted web', 'created db']);
    expect(record()).toEqual({ created: ['apps/Deployment/shop/db'], adopted: ['apps/Deployment/shop/web'] });
    // Adopted: ours from now on, no flag needed.
    const again = await applyApp(makeApp('shop', 'shop', [{ name: 'web' }, { name: 'db' }]), { kubeconfig, retry: fast });
    expect(again.writes).toBe(0);
    const pruned = await applyApp(makeApp('shop', 'shop', [{ name: 'db' }]), { kubeconfig, retry: fast });
    expect(pruned.objects.filter((o) => o.action === 'pruned').map((o) => o.ref.name)).toEqual(['web']);
    expect(server.object('Deployment', 'web', 'shop')).toBeUndefined();
    expect(record()).toEqual({ created: ['apps/Deployment/shop/db'], adopted: [] });
  });

  it('a take-over policy adopts what its rules select, and nothing else', async () => {
    server.seed(kubectlDeployment('web'), 'kubectl-create');
    server.seed(kubectlDeployment('db'), 'kubectl-create');
    const app = makeApp('shop', 'shop', [{ name: 'web' }, { name: 'db' }]);
    const err = await failure(applyApp(app, { kubeconfig, retry: fast, takeOver: { rules: [{ componentNames: ['web'], resourceTypes: ['Deployment'] }] } }));
    expect(err.diagnostics.map(formatDiagnosticLine)).toEqual(['vela.yaml:5:3: Deployment shop/db (service db) already exists and is not vela\'s: managed by "kubectl-create"']);
    expect(server.appWrites).toBe(0);
    const r = await applyApp(app, { kubeconfig, retry: fast, takeOver: { rules: [{ componentNames: ['web'] }, { resourceNames: ['db'] }] } });
    expect(r.objects.map((o) => o.action)).toEqual(['adopted', 'adopted']);
  });

  it('never takes another app\'s object, even with --take-over', async () => {
    await applyApp(makeApp('blog', 'shop', [{ name: 'web' }]), { kubeconfig, retry: fast });
    const err = await failure(applyApp(makeApp('shop', 'shop', [{ name: 'web' }]), { kubeconfig, retry: fast, takeOver: { all: true } }));
    expect(formatDiagnosticLine(err.diagnostics[0]!)).toMatch(/^vela\.yaml:3:3: Deployment shop\/web \(service web\) already belongs to another app \(applyset applyset-[\w-]+-v1\)$/);
  });

  it('a Namespace that exists is refused; adopted, it is released and never deleted when it leaves the app', async () => {
    server.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } }, 'kubectl-create');
    const app = withNamespace(makeApp('shop', 'shop', [{ name: 'web' }]), 'team');
    const err = await failure(applyApp(app, { kubeconfig, retry: fast }));
    expect(formatDiagnosticLine(err.diagnostics[0]!)).toBe('vela.yaml:3:3: Namespace team (service web) already exists and is not vela\'s: managed by "kubectl-create"');
    expect(err.diagnostics[0]!.hint).toContain('vela never deletes a Namespace it did not create');

    const adopted = await applyApp(app, { kubeconfig, retry: fast, takeOver: { all: true } });
    expect(adopted.objects.map((o) => `${o.action} ${o.ref.kind}/${o.ref.name}`)).toEqual(['adopted Namespace/team', 'created Deployment/web']);
    expect(record()!.adopted).toEqual(['/Namespace//team']);

    const plan = await planApp(makeApp('shop', 'shop', [{ name: 'web' }]), { kubeconfig, retry: fast });
    expect(plan.entries.map((e) => `${e.action} ${e.ref.kind}/${e.ref.name}`)).toEqual(['unchanged Deployment/web', 'release Namespace/team']);
    const r = await applyApp(makeApp('shop', 'shop', [{ name: 'web' }]), { kubeconfig, retry: fast });
    expect(r.objects.map((o) => `${o.action} ${o.ref.kind}/${o.ref.name}`)).toEqual(['unchanged Deployment/web', 'released Namespace/team']);
    const team = server.object('Namespace', 'team')!;
    expect(team.metadata.labels?.['applyset.kubernetes.io/part-of']).toBeUndefined();
    expect(record()).toEqual({ created: ['apps/Deployment/shop/web'], adopted: [] });
  });

  it('a Namespace vela created for the app is deleted when it leaves', async () => {
    const app = withNamespace(makeApp('shop', 'shop', [{ name: 'web' }]), 'team');
    const first = await applyApp(app, { kubeconfig, retry: fast });
    expect(first.objects.map((o) => o.action)).toEqual(['created', 'created']);
    expect(record()!.created).toEqual(['/Namespace//team', 'apps/Deployment/shop/web']);
    const r = await applyApp(makeApp('shop', 'shop', [{ name: 'web' }]), { kubeconfig, retry: fast });
    expect(r.objects.map((o) => `${o.action} ${o.ref.kind}/${o.ref.name}`)).toEqual(['unchanged Deployment/web', 'pruned Namespace/team']);
    expect(server.object('Namespace', 'team')).toBeUndefined();
  });

  it('the app\'s own namespace, created by up as its Namespace object, is the app\'s', async () => {
    const app = withNamespace(makeApp('shop', 'fresh', [{ name: 'web' }]), 'fresh');
    const r = await applyApp(app, { kubeconfig, retry: fast });
    expect(r.objects.map((o) => `${o.action} ${o.ref.kind}/${o.ref.name}`)).toEqual(['created Namespace/fresh', 'created Deployment/web']);
    expect(server.object('Namespace', 'fresh')!.metadata.labels['applyset.kubernetes.io/part-of']).toBe(r.applySetId);
    expect((await applyApp(app, { kubeconfig, retry: fast })).writes).toBe(0);
  });

  it('an object someone labelled as the app\'s, but that vela never recorded, is released, not deleted', async () => {
    const r = await applyApp(makeApp('shop', 'shop', [{ name: 'web' }]), { kubeconfig, retry: fast });
    server.seed({ ...kubectlDeployment('copied'), metadata: { ...kubectlDeployment('copied').metadata, labels: { 'applyset.kubernetes.io/part-of': r.applySetId } } }, 'kubectl-client-side-apply');
    const next = await applyApp(makeApp('shop', 'shop', [{ name: 'web' }]), { kubeconfig, retry: fast });
    expect(next.objects.map((o) => `${o.action} ${o.ref.name}`)).toEqual(['unchanged web', 'released copied']);
    expect(server.object('Deployment', 'copied', 'shop')).toBeDefined();
  });

  it('an inventory written before records existed is taken as it was: its members are the app\'s', async () => {
    await applyApp(makeApp('shop', 'shop', [{ name: 'web' }, { name: 'db' }]), { kubeconfig, retry: fast });
    // What an older vela left: the same parent without objects.json.
    const parent = server.object('ConfigMap', 'applyset-shop', 'shop')!;
    delete parent.data['objects.json'];
    delete parent.metadata.managedFields;
    server.seed(parent, 'vela');
    const r = await applyApp(makeApp('shop', 'shop', [{ name: 'web' }]), { kubeconfig, retry: fast });
    expect(r.objects.map((o) => `${o.action} ${o.ref.name}`)).toEqual(['unchanged web', 'pruned db']);
    expect(record()).toEqual({ created: ['apps/Deployment/shop/web'], adopted: [] });
  });

  it('vela delete deletes what it created or adopted and keeps an adopted Namespace', async () => {
    server.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } }, 'kubectl-create');
    server.seed(kubectlDeployment('web'), 'kubectl-create');
    await applyApp(withNamespace(makeApp('shop', 'shop', [{ name: 'web' }, { name: 'db' }]), 'team'), { kubeconfig, retry: fast, takeOver: { all: true } });
    const r = await deleteApp('shop', { kubeconfig, namespace: 'shop', retry: fast });
    expect(r.deleted.map((d) => d.name).sort()).toEqual(['db', 'web']);
    expect(r.released.map((d) => `${d.kind}/${d.name}`)).toEqual(['Namespace/team']);
    expect(server.object('Namespace', 'team')).toBeDefined();
    expect(server.object('ConfigMap', 'applyset-shop', 'shop')).toBeUndefined();
    expect(server.object('Lease', 'applyset-shop-lock', 'shop')).toBeUndefined();
  });
});
