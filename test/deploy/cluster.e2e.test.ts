/**
 * End to end against a real kube-apiserver 1.20 + etcd on loopback
 * (`scripts/cluster.sh build && scripts/cluster.sh start`). By default there
 * is no scheduler, controller-manager or kubelet: objects are stored and
 * validated, Deployments are never rolled out and pods stay Pending, which is
 * exactly the "never healthy" case. On a cluster with controllers and the
 * test node (`--node-cluster`), the node's taint keeps the pods Pending: the
 * same case, told in the controllers' words (see `notRolledOut`).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { applyApp, appStatus, deleteApp, listApps, planApp, KubeClient, loadClusterTarget } from '../../src/deploy/index.js';
import { DiagnosticError, formatDiagnosticLine } from '../../src/source/index.js';
import { NotHealthyError, recordingReporter } from '../../src/host/index.js';
import type { RenderedApp } from '../../src/render/types.js';
import { makeApp } from '../support/app-fixtures.js';
import { kubeconfig, noRightsKubeconfig, realClusterUnavailable } from '../support/real-cluster.js';
import { failure } from '../support/failure.js';

const run = promisify(execFile);
const noRights = noRightsKubeconfig;
const debianKubectl = [process.env.VELA_TEST_KUBECTL, '/var/cache/vela-test/kubectl'].find((p) => p && existsSync(p));

const unavailable = await realClusterUnavailable('test/deploy/cluster.e2e.test.ts');
const title = unavailable ? `real kube-apiserver (skipped: ${unavailable}; run scripts/cluster.sh build && scripts/cluster.sh start)` : 'real kube-apiserver 1.20';

const ns = `vela-e2e-${process.pid}`;
const client = unavailable ? undefined : new KubeClient(await loadClusterTarget({ kubeconfig }));

async function live(kind: string, apiVersion: string, name: string, namespace = ns) {
  return client!.get({ apiVersion, kind, name, namespace });
}

const shop = (): RenderedApp => makeApp('shop', ns, [{ name: 'web', port: 8080, configMaps: 2 }, { name: 'db', port: 5432 }]);

/**
 * Whether this cluster runs controllers (kube-controller-manager, a scheduler
 * and a node, as scripts/cluster.sh --node-cluster starts them together). The
 * node taints itself (`vela.test/node`), so test pods stay Pending either way;
 * what differs is who says why.
 */
const controllers = client ? (await client.list('v1', 'Node')).length > 0 : false;
/** Why a Deployment of one replica is not rolled out: no controller has looked at it, or its pod cannot run. */
const notRolledOut = controllers ? /0 of 1 replicas (updated|available)/ : /the Deployment controller has not observed generation 1/;
/** Why a bare Pod is Pending: no scheduler, or no node it tolerates. */
const podPending = controllers ? /pod worker is Pending: (cannot be scheduled: .*taint|not scheduled to any node yet)/ : /pod worker is Pending: not scheduled to any node yet/;

describe.skipIf(!!unavailable)(title, () => {
  afterAll(async () => {
    await client?.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns }).catch(() => undefined);
    await client?.delete({ apiVersion: 'v1', kind: 'Namespace', name: `${ns}-x` }).catch(() => undefined);
    await client?.delete({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: `widgets.${ns}.example.com` }).catch(() => undefined);
    client?.close();
  });

  it('applies an app: namespace created, members labelled, applyset parent written', async () => {
    const reporter = recordingReporter();
    const r = await applyApp(shop(), { kubeconfig, reporter });
    expect(r.objects.map((o) => `${o.action} ${o.ref.kind}/${o.ref.name}`)).toEqual([
      'created Deployment/web',
      'created Service/web',
      'created ConfigMap/web-cfg-0',
      'created ConfigMap/web-cfg-1',
      'created Deployment/db',
      'created Service/db',
    ]);
    expect(await live('Namespace', 'v1', ns, undefined)).toBeDefined();
    const web = (await live('Deployment', 'apps/v1', 'web'))!;
    expect(web.metadata?.labels?.['applyset.kubernetes.io/part-of']).toBe(r.applySetId);
    expect((web.metadata?.managedFields as Array<{ manager: string; operation: string }>)[0]).toMatchObject({ manager: 'vela', operation: 'Apply' });
    const parent = (await live('ConfigMap', 'v1', 'applyset-shop'))!;
    expect(parent.metadata?.labels?.['applyset.kubernetes.io/id']).toBe(r.applySetId);
    expect(parent.metadata?.annotations?.['applyset.kubernetes.io/contains-group-kinds']).toBe('ConfigMap,Deployment.apps,Service');
    expect(parent.metadata?.annotations?.['applyset.kubernetes.io/tooling']).toMatch(/^vela\//);
    expect(reporter.events.some((e) => e.kind === 'succeed' && e.task === 'web')).toBe(true);
  });

  it('a second apply of the same app makes no writes', async () => {
    const before = (await live('Deployment', 'apps/v1', 'web'))!.metadata?.resourceVersion;
    const r = await applyApp(shop(), { kubeconfig });
    expect(r.writes).toBe(0);
    // Proven unchanged from the live objects' managedFields, without a dry run each.
    expect(r.dryRuns).toBe(0);
    expect(r.objects.every((o) => o.action === 'unchanged')).toBe(true);
    expect((await live('Deployment', 'apps/v1', 'web'))!.metadata?.resourceVersion).toBe(before);
  });

  it('plans a change without making it', async () => {
    const next = makeApp('shop', ns, [{ name: 'web', port: 8080, configMaps: 2, image: 'nginx:1.27' }, { name: 'db', port: 5432 }, { name: 'cache' }]);
    const plan = await planApp(next, { kubeconfig });
    expect(plan.summary).toEqual({ create: 1, update: 1, unchanged: 5, adopt: 0, prune: 0, release: 0 });
    const update = plan.entries.find((e) => e.action === 'update')!;
    expect(update.ref).toMatchObject({ kind: 'Deployment', name: 'web' });
    expect(update.changes).toEqual([{ path: 'spec.template.spec.containers[0].image', before: 'nginx:1.25', after: 'nginx:1.27' }]);
    expect(await live('Deployment', 'apps/v1', 'cache')).toBeUndefined();
    expect(((await live('Deployment', 'apps/v1', 'web')) as any).spec.template.spec.containers[0].image).toBe('nginx:1.25');
  });

  it('removing a service prunes its objects and nothing else', async () => {
    const keep = await Promise.all([live('Deployment', 'apps/v1', 'web'), live('ConfigMap', 'v1', 'web-cfg-0')]);
    // An object of someone else in the same namespace, with a similar name.
    await client!.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'db-notes', namespace: ns, labels: { 'app.oam.dev/component': 'db' } }, data: { a: 'b' } }, { fieldManager: 'someone' });
    const plan = await planApp(makeApp('shop', ns, [{ name: 'web', port: 8080, configMaps: 2 }]), { kubeconfig });
    expect(plan.entries.filter((e) => e.action === 'prune').map((e) => `${e.ref.kind}/${e.ref.name}`).sort()).toEqual(['Deployment/db', 'Service/db']);

    const r = await applyApp(makeApp('shop', ns, [{ name: 'web', port: 8080, configMaps: 2 }]), { kubeconfig });
    expect(r.objects.filter((o) => o.action === 'pruned').map((o) => `${o.ref.kind}/${o.ref.name}`).sort()).toEqual(['Deployment/db', 'Service/db']);
    expect(await live('Deployment', 'apps/v1', 'db')).toBeUndefined();
    expect(await live('Service', 'v1', 'db')).toBeUndefined();
    expect(await live('ConfigMap', 'v1', 'db-notes')).toBeDefined();
    const after = await Promise.all([live('Deployment', 'apps/v1', 'web'), live('ConfigMap', 'v1', 'web-cfg-0')]);
    expect(after.map((o) => o?.metadata?.resourceVersion)).toEqual(keep.map((o) => o?.metadata?.resourceVersion));
  });

  it('reports status per service, with endpoints and the reason it is not healthy', async () => {
    const s = await appStatus('shop', { kubeconfig, namespace: ns });
    expect(s.services.map((x) => x.name)).toEqual(['web']);
    const web = s.services[0]!;
    expect(web.type).toBe('webservice');
    expect(web.healthy).toBe(false);
    expect(web.replicas).toBe('0/1');
    expect(web.endpoints).toEqual([`web.${ns}.svc:8080`]);
    expect(web.reasons[0]).toMatch(notRolledOut);
    const apps = await listApps({ kubeconfig, namespace: ns });
    expect(apps).toEqual([{ name: 'shop', namespace: ns, services: ['web'], groupKinds: ['ConfigMap', 'Deployment.apps', 'Service'] }]);
  });

  it('ends a wait that never becomes healthy with exit code 3 and the reason', async () => {
    const app = makeApp('stuck', ns, [{ name: 'front' }, { name: 'worker', kind: 'Pod' }]);
    const started = Date.now();
    const err = await failure(applyApp(app, { kubeconfig, wait: true, timeoutMs: 2500, pollIntervalMs: 300 }));
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(err).toBeInstanceOf(NotHealthyError);
    expect(err.exitCode).toBe(3);
    const lines = err.diagnostics.map(formatDiagnosticLine);
    expect(lines[0]).toMatch(/^vela\.yaml:3:3: service front is not healthy after 3s: Deployment vela-e2e-\d+\/front: /);
    expect(lines[0]).toMatch(notRolledOut);
    expect(lines[1]).toMatch(/^vela\.yaml:5:3: service worker is not healthy after 3s: Pod vela-e2e-\d+\/worker: /);
    expect(lines[1]).toMatch(podPending);
  });

  it('applies a service only after the services it depends on are healthy', async () => {
    const app = makeApp('deps', ns, [{ name: 'db2' }, { name: 'api', dependsOn: ['db2'] }]);
    const err = await failure(applyApp(app, { kubeconfig, timeoutMs: 1500, pollIntervalMs: 300 }));
    expect(err.exitCode).toBe(3);
    expect(formatDiagnosticLine(err.diagnostics[0]!)).toContain('service db2 is not healthy');
    expect(await live('Deployment', 'apps/v1', 'db2')).toBeDefined();
    expect(await live('Deployment', 'apps/v1', 'api')).toBeUndefined();
  });

  it('reports a conflict with kubectl and takes the field with force', async () => {
    if (!debianKubectl) return;
    const file = join(mkdtempSync(join(tmpdir(), 'vela-e2e-')), 'scale.yaml');
    writeFileSync(file, `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: ${ns}}\nspec: {replicas: 3}\n`);
    await run(debianKubectl, ['--kubeconfig', kubeconfig, 'apply', '--server-side', '--force-conflicts', '--validate=false', '-f', file]);
    const scaled = makeApp('shop', ns, [{ name: 'web', port: 8080, configMaps: 2, replicas: 2 }]);
    const err = await failure(applyApp(scaled, { kubeconfig }));
    expect(err.exitCode).toBe(1);
    expect(formatDiagnosticLine(err.diagnostics[0]!)).toBe(`vela.yaml:3:3: conflict applying Deployment ${ns}/web (service web): .spec.replicas is owned by "kubectl"`);
    await applyApp(scaled, { kubeconfig, force: true });
    expect(((await live('Deployment', 'apps/v1', 'web')) as any).spec.replicas).toBe(2);
  });

  it('serves Kubernetes 1.20: CronJob is batch/v1beta1, autoscaling/v2 does not exist', async () => {
    const cron = (apiVersion: string) => ({ apiVersion, kind: 'CronJob', metadata: { name: 'tick', namespace: ns }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'tick', image: 'busybox' }] } } } } } });
    const ok = await applyApp(makeApp('cron', ns, [{ name: 'tick', workload: cron('batch/v1beta1') }]), { kubeconfig });
    expect(ok.objects[0]!.action).toBe('created');
    const err = await failure(applyApp(makeApp('cron', ns, [{ name: 'tick', workload: cron('batch/v1') }]), { kubeconfig }));
    expect(formatDiagnosticLine(err.diagnostics[0]!)).toBe(`vela.yaml:3:3: cannot apply CronJob ${ns}/tick (service tick): the server (Kubernetes v1.20.2) has no kind CronJob in batch/v1`);
    const hpa = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: ns }, spec: {} };
    const err2 = await failure(applyApp(makeApp('hpa', ns, [{ name: 'web', workload: hpa }]), { kubeconfig }));
    expect(formatDiagnosticLine(err2.diagnostics[0]!)).toContain('does not serve autoscaling/v2');
  });

  it('applies CRDs first and waits until they are established', async () => {
    const group = `${ns}.example.com`;
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `widgets.${group}` },
      spec: { group, scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }] },
    };
    const base = makeApp('widgets', ns, [{ name: 'w', workload: { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'w1', namespace: ns }, spec: { size: 3 } } }]);
    // The renderer orders CRDs first; so do we here.
    const app: RenderedApp = { ...base, manifests: [{ object: crd, origin: { service: 'w', definition: 'widget' } }, ...base.manifests] };
    const r = await applyApp(app, { kubeconfig });
    expect(r.objects.map((o) => `${o.action} ${o.ref.kind}`)).toEqual(['created CustomResourceDefinition', 'created Widget']);
    expect(((await client!.get({ apiVersion: `${group}/v1`, kind: 'Widget', name: 'w1', namespace: ns })) as any).spec.size).toBe(3);
    expect((await applyApp(app, { kubeconfig })).writes).toBe(0);
  });

  it('gives a clear RBAC error for a user without rights (exit 2)', async () => {
    const err = await failure(applyApp(makeApp('shop', ns, [{ name: 'web' }]), { kubeconfig: noRights }));
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(/User "norights" cannot/);
  });

  it('agrees with kubectl (1.27 or later, when installed) on the applyset id', async () => {
    const k = await run('kubectl', ['version', '--client', '-o', 'json']).then(
      (r) => JSON.parse(r.stdout).clientVersion as { major: string; minor: string },
      () => undefined,
    );
    if (!k || Number(k.major) < 1 || Number.parseInt(k.minor, 10) < 27) return;
    const file = join(mkdtempSync(join(tmpdir(), 'vela-e2e-')), 'm.yaml');
    writeFileSync(file, `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: from-kubectl, namespace: ${ns}-x}\ndata: {a: "1"}\n`);
    await client!.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `${ns}-x` } });
    await run('kubectl', ['--kubeconfig', kubeconfig, 'apply', '--server-side', '--prune', '--applyset=configmaps/applyset-kapp', '-n', `${ns}-x`, '-f', file], { env: { ...process.env, KUBECTL_APPLYSET: 'true' } });
    const theirs = (await live('ConfigMap', 'v1', 'applyset-kapp', `${ns}-x`))!.metadata?.labels?.['applyset.kubernetes.io/id'];
    const ours = await applyApp(makeApp('kapp', `${ns}-x`, []), { kubeconfig }).catch((e: Error) => e);
    // Same parent name and namespace: kubectl's parent belongs to kubectl, and we refuse to take it over...
    expect(ours).toBeInstanceOf(DiagnosticError);
    expect((ours as Error).message).toContain('belongs to kubectl/');
    // ...but the id we would compute for it is kubectl's.
    const { applySetId } = await import('../../src/deploy/applyset.js');
    expect(applySetId({ name: 'applyset-kapp', namespace: `${ns}-x`, kind: 'ConfigMap', group: '' })).toBe(theirs);
  });

  it('deletes the app: members, then the parent', async () => {
    const r = await deleteApp('shop', { kubeconfig, namespace: ns, wait: true, timeoutMs: 20_000 });
    expect(r.deleted.map((x) => `${x.kind}/${x.name}`).sort()).toEqual(['ConfigMap/web-cfg-0', 'ConfigMap/web-cfg-1', 'Deployment/web', 'Service/web']);
    expect(await live('Deployment', 'apps/v1', 'web')).toBeUndefined();
    expect(await live('ConfigMap', 'v1', 'applyset-shop')).toBeUndefined();
    expect(await live('ConfigMap', 'v1', 'db-notes')).toBeDefined();
    expect((await listApps({ kubeconfig, namespace: ns })).map((a) => a.name)).not.toContain('shop');
    const err = await failure(appStatus('shop', { kubeconfig, namespace: ns }));
    expect(err.message).toContain('no app "shop"');
  });
});
