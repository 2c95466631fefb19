/**
 * End to end against the real kube-apiserver 1.20 (`scripts/cluster.sh`):
 * vela refuses objects that are not its own and adopts them only on purpose
 * (kubectl makes them here), one run changes an app at a time, and a user
 * with a namespace-scoped Role alone can deploy. The frozen-server bound
 * (--timeout) is in test/commands/frozen-apiserver.e2e.test.ts.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { applyApp, deleteApp, planApp, KubeClient, loadClusterTarget, type KubeObject } from '../../src/deploy/index.js';
import { formatDiagnosticLine } from '../../src/source/index.js';
import { recordingReporter, sleep } from '../../src/host/index.js';
import type { RenderedApp } from '../../src/render/types.js';
import { makeApp } from '../support/app-fixtures.js';
import { kubeconfig, noRightsKubeconfig, realClusterUnavailable } from '../support/real-cluster.js';
import { failure } from '../support/failure.js';

const run = promisify(execFile);
const kubectl = [process.env.VELA_TEST_KUBECTL, '/var/cache/vela-test/kubectl'].find((p) => p && existsSync(p));

const unavailable = (await realClusterUnavailable('test/deploy/guards.e2e.test.ts')) || (kubectl ? '' : 'no kubectl (scripts/cluster.sh build)');
const title = unavailable ? `vela's guards on a real kube-apiserver (skipped: ${unavailable})` : "vela's guards on a real kube-apiserver 1.20";

const ns = `vela-guard-${process.pid}`;
const team = `${ns}-team`;
const roleNs = `${ns}-role`;
const client = unavailable ? undefined : new KubeClient(await loadClusterTarget({ kubeconfig }));

const live = (apiVersion: string, kind: string, name: string, namespace: string | undefined = ns) => client!.get({ apiVersion, kind, name, namespace });
const kube = (...args: string[]) => run(kubectl!, ['--kubeconfig', kubeconfig, ...args]);
const memberNames = async (id: string, namespace = ns) =>
  (await client!.list('v1', 'ConfigMap', { namespace, labelSelector: `applyset.kubernetes.io/part-of=${id}` })).map((o) => String(o.metadata?.name)).sort();

/** The app with a Namespace object (as `k8s-objects` adds one) under its first service. */
function withNamespace(app: RenderedApp, name: string): RenderedApp {
  const origin = { ...app.manifests[0]!.origin, definition: 'k8s-objects', outputName: 'objects-1' };
  return { ...app, manifests: [{ object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, origin }, ...app.manifests] };
}

/** An app of `count` ConfigMaps under one service, each holding `tag`. */
function configApp(name: string, namespace: string, count: number, tag: string): RenderedApp {
  const base = makeApp(name, namespace, [{ name: 'cfg', configMaps: count }]);
  const maps = base.manifests.filter((m) => m.object.kind === 'ConfigMap').map((m) => ({ ...m, object: { ...m.object, metadata: { ...(m.object.metadata as object), name: `${tag}-${(m.object.metadata as { name: string }).name}` }, data: { tag } } }));
  return { ...base, manifests: maps };
}

describe.skipIf(!!unavailable)(title, () => {
  afterAll(async () => {
    for (const name of [ns, team, roleNs]) await client?.delete({ apiVersion: 'v1', kind: 'Namespace', name }).catch(() => undefined);
    await kube('delete', 'rolebinding', 'vela-deployer', '-n', roleNs, '--ignore-not-found').catch(() => undefined);
    client?.close();
  });

  it('refuses a Deployment kubectl created, writing nothing; --take-over adopts it; prune then deletes it', async () => {
    const app = makeApp('shop', ns, [{ name: 'web', port: 8080 }, { name: 'db' }]);
    // The same Deployment, made with kubectl first (as after `vela dry-run | kubectl create -f -`).
    const file = join(mkdtempSync(join(tmpdir(), 'vela-guard-')), 'web.json');
    writeFileSync(file, JSON.stringify(app.manifests[0]!.object));
    await kube('create', 'namespace', ns);
    await kube('create', '-f', file);
    const before = (await live('apps/v1', 'Deployment', 'web'))!;
    const err = await failure(applyApp(app, { kubeconfig }));
    expect(err.exitCode).toBe(1);
    expect(err.diagnostics.map(formatDiagnosticLine)).toEqual([`vela.yaml:3:3: Deployment ${ns}/web (service web) already exists and is not vela's: managed by "kubectl-create"`]);
    expect((await live('apps/v1', 'Deployment', 'web'))!.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
    expect(await live('v1', 'Service', 'web')).toBeUndefined();
    expect(await live('apps/v1', 'Deployment', 'db')).toBeUndefined();
    expect(await live('v1', 'ConfigMap', 'applyset-shop')).toBeUndefined();

    const plan = await planApp(app, { kubeconfig, takeOver: { all: true } });
    expect(plan.entries.map((e) => `${e.action} ${e.ref.kind}/${e.ref.name}`)).toEqual(['adopt Deployment/web', 'create Service/web', 'create Deployment/db']);

    const adopted = await applyApp(app, { kubeconfig, takeOver: { all: true } });
    expect(adopted.objects.map((o) => `${o.action} ${o.ref.kind}/${o.ref.name}`)).toEqual(['adopted Deployment/web', 'created Service/web', 'created Deployment/db']);
    const parent = (await live('v1', 'ConfigMap', 'applyset-shop'))!;
    expect(JSON.parse((parent.data as Record<string, string>)['objects.json']!)).toEqual({ created: [`/Service/${ns}/web`, `apps/Deployment/${ns}/db`], adopted: [`apps/Deployment/${ns}/web`] });
    expect((await applyApp(app, { kubeconfig })).writes).toBe(0);

    const pruned = await applyApp(makeApp('shop', ns, [{ name: 'db' }]), { kubeconfig });
    expect(pruned.objects.filter((o) => o.action === 'pruned').map((o) => `${o.ref.kind}/${o.ref.name}`).sort()).toEqual(['Deployment/web', 'Service/web']);
    expect(await live('apps/v1', 'Deployment', 'web')).toBeUndefined();
  });

  it('refuses a Namespace that exists; adopted, it is never deleted: released when it leaves the app', async () => {
    await kube('create', 'namespace', team);
    const app = withNamespace(makeApp('shop', ns, [{ name: 'db' }]), team);
    const err = await failure(applyApp(app, { kubeconfig }));
    expect(formatDiagnosticLine(err.diagnostics[0]!)).toBe(`vela.yaml:3:3: Namespace ${team} (service db) already exists and is not vela's: managed by "kubectl-create"`);
    expect((await live('v1', 'Namespace', team, undefined))!.metadata?.labels?.['applyset.kubernetes.io/part-of']).toBeUndefined();

    const adopted = await applyApp(app, { kubeconfig, takeOver: { rules: [{ resourceTypes: ['Namespace'], resourceNames: [team] }] } });
    expect(adopted.objects.map((o) => `${o.action} ${o.ref.kind}/${o.ref.name}`)).toEqual([`adopted Namespace/${team}`, 'unchanged Deployment/db']);

    const r = await applyApp(makeApp('shop', ns, [{ name: 'db' }]), { kubeconfig });
    expect(r.objects.map((o) => `${o.action} ${o.ref.kind}/${o.ref.name}`)).toEqual(['unchanged Deployment/db', `released Namespace/${team}`]);
    const kept = (await live('v1', 'Namespace', team, undefined))!;
    expect(kept.metadata?.deletionTimestamp).toBeUndefined();
    expect((kept.status as { phase?: string }).phase).toBe('Active');
    expect(kept.metadata?.labels?.['applyset.kubernetes.io/part-of']).toBeUndefined();
  });

  it('lets one run change an app at a time: the second waits for the first, and the inventory is the second\'s', async () => {
    const first = configApp('race', ns, 60, 'a');
    const second = configApp('race', ns, 5, 'b');
    const reporter = recordingReporter();
    const a = applyApp(first, { kubeconfig, concurrency: 2, lockHolder: 'run-a' });
    // Start the second run once the first holds the lock.
    for (let i = 0; i < 200 && !(await live('coordination.k8s.io/v1', 'Lease', 'applyset-race-lock')); i++) await sleep(25);
    const b = applyApp(second, { kubeconfig, lockHolder: 'run-b', reporter });
    const [ra, rb] = await Promise.all([a, b]);
    expect(reporter.events).toContainEqual({ kind: 'info', text: expect.stringMatching(/^waiting for the lock held by run-a/) });
    expect(ra.objects.filter((o) => o.action === 'created')).toHaveLength(60);
    // The second ran after the first had finished: it pruned every object of the first, and only those.
    expect(rb.objects.filter((o) => o.action === 'created')).toHaveLength(5);
    expect(rb.objects.filter((o) => o.action === 'pruned')).toHaveLength(60);
    expect(await memberNames(rb.applySetId)).toEqual(second.manifests.map((m) => String((m.object.metadata as { name: string }).name)).sort());
    const parent = (await live('v1', 'ConfigMap', 'applyset-race'))!;
    expect(JSON.parse((parent.data as Record<string, string>)['objects.json']!).created).toHaveLength(5);
    expect(await live('coordination.k8s.io/v1', 'Lease', 'applyset-race-lock')).toBeUndefined();
  });

  it('a second run that may not wait long fails with exit 2 naming the holder, and leaves the first run\'s inventory whole', async () => {
    const first = configApp('race2', ns, 40, 'a');
    const a = applyApp(first, { kubeconfig, concurrency: 1, lockHolder: 'alice@laptop pid 1 (run a)' });
    for (let i = 0; i < 200 && !(await live('coordination.k8s.io/v1', 'Lease', 'applyset-race2-lock')); i++) await sleep(25);
    const err = await failure(applyApp(configApp('race2', ns, 3, 'b'), { kubeconfig, lockTimeoutMs: 200, lockHolder: 'bob' }));
    expect(err.exitCode, err.message).toBe(2);
    expect(err.message).toMatch(/^another vela run is changing app race2 in namespace vela-guard-\d+: the lock Lease vela-guard-\d+\/applyset-race2-lock is held by alice@laptop pid 1 \(run a\)/);
    const ra = await a;
    expect(await memberNames(ra.applySetId)).toEqual(first.manifests.map((m) => String((m.object.metadata as { name: string }).name)).sort());
  });

  it('deploys with a namespace-scoped Role alone (no rights on Namespaces)', async () => {
    await kube('create', 'namespace', roleNs);
    await kube('create', 'role', 'vela-deployer', '-n', roleNs, '--verb=get,list,watch,create,update,patch,delete', '--resource=configmaps,secrets,services,deployments.apps,leases.coordination.k8s.io,pods');
    await kube('create', 'rolebinding', 'vela-deployer', '-n', roleNs, '--role=vela-deployer', '--user=norights');
    // RBAC takes a moment to reach the authorizer's cache.
    for (let i = 0; i < 40; i++) {
      const probe = await run(kubectl!, ['--kubeconfig', noRightsKubeconfig, 'auth', 'can-i', 'create', 'leases.coordination.k8s.io', '-n', roleNs]).then(
        (r) => r.stdout.trim(),
        () => 'no',
      );
      if (probe === 'yes') break;
      await sleep(100);
    }
    const cannot = await run(kubectl!, ['--kubeconfig', noRightsKubeconfig, 'auth', 'can-i', 'get', 'namespaces']).then(
      (r) => r.stdout.trim(),
      (e: { stdout?: string }) => String(e.stdout ?? '').trim(),
    );
    expect(cannot).toBe('no');

    const app = makeApp('shop', roleNs, [{ name: 'web', port: 8080, configMaps: 1 }]);
    const plan = await planApp(app, { kubeconfig: noRightsKubeconfig, namespace: roleNs });
    expect(plan.summary.create).toBe(3);
    const r = await applyApp(app, { kubeconfig: noRightsKubeconfig, namespace: roleNs });
    expect(r.objects.map((o) => o.action)).toEqual(['created', 'created', 'created']);
    const again = await applyApp(app, { kubeconfig: noRightsKubeconfig, namespace: roleNs });
    expect(again.writes).toBe(0);
    const pruned = await applyApp(makeApp('shop', roleNs, [{ name: 'web', port: 8080 }]), { kubeconfig: noRightsKubeconfig, namespace: roleNs });
    expect(pruned.objects.filter((o) => o.action === 'pruned').map((o) => o.ref.name)).toEqual(['web-cfg-0']);
    const deleted = await deleteApp('shop', { kubeconfig: noRightsKubeconfig, namespace: roleNs });
    expect(deleted.deleted.map((d) => d.kind).sort()).toEqual(['Deployment', 'Service']);

    // A namespace that does not exist needs rights the Role does not give: said clearly.
    const err = await failure(applyApp(makeApp('shop', `${roleNs}-new`, [{ name: 'web' }]), { kubeconfig: noRightsKubeconfig }));
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(/cannot take the lock|refused to create it/);
  });

  it('says so when the namespace is being deleted (exit 2)', async () => {
    const dying = `${ns}-dying`;
    await kube('create', 'namespace', dying);
    await kube('delete', 'namespace', dying, '--wait=false');
    // Without a namespace controller (cluster 1) it stays Terminating; with one it may be gone already.
    if (!(await live('v1', 'Namespace', dying, undefined))?.metadata?.deletionTimestamp) return;
    const err = await failure(applyApp(makeApp('shop', dying, [{ name: 'web' }]), { kubeconfig }));
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(new RegExp(`^namespace ${dying} is being deleted: `));
  });

  it('rejects invalid Secret data before sending anything, and an object the server refuses before writing any', async () => {
    const base = makeApp('checks', ns, [{ name: 'front', port: 8080 }, { name: 'api' }]);
    const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: ns }, data: { password: 'not base64!' } };
    const withSecret: RenderedApp = { ...base, manifests: [...base.manifests, { object: secret as never, origin: base.manifests[0]!.origin }] };
    const err = await failure(applyApp(withSecret, { kubeconfig }));
    expect(err.exitCode).toBe(1);
    expect(err.diagnostics.map(formatDiagnosticLine)).toEqual([`vela.yaml:3:3: Secret ${ns}/creds (service front): data.password is not valid base64`]);

    // A port name over 15 characters: the Service and the front Deployment would be accepted, the api Deployment not; none is written.
    const api = base.manifests.find((m) => m.object.kind === 'Deployment' && (m.object.metadata as { name: string }).name === 'api')!;
    const badApi = structuredClone(api.object) as any;
    badApi.spec.template.spec.containers[0].ports = [{ name: 'much-too-long-port-name', containerPort: 80 }];
    const rejected: RenderedApp = { ...base, manifests: base.manifests.map((m) => (m === api ? { ...m, object: badApi } : m)) };
    const err2 = await failure(applyApp(rejected, { kubeconfig }));
    expect(err2.exitCode).toBe(1);
    expect(formatDiagnosticLine(err2.diagnostics[0]!)).toMatch(new RegExp(`^vela\\.yaml:5:3: the cluster rejected Deployment ${ns}/api \\(service api\\): spec\\.template\\.spec\\.containers\\[0\\]\\.ports\\[0\\]\\.name: .*must be no more than 15 characters`));
    expect(await live('v1', 'Service', 'front')).toBeUndefined();
    expect(await live('apps/v1', 'Deployment', 'front')).toBeUndefined();
    expect(await live('v1', 'ConfigMap', 'applyset-checks')).toBeUndefined();
  });
});
