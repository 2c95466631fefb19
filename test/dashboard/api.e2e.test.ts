/**
 * The dashboard's JSON API against the real kube-apiserver (cluster 1): the
 * token and Host checks, apps across namespaces, an app's detail and its live
 * updates, plan (field-level diff, secrets redacted) and apply, diagnostics of
 * a malformed Appfile, workflow resume, capabilities and clusters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { applyApp, KubeClient, loadClusterTarget } from '../../src/deploy/index.js';
import { showDefinition } from '../../src/pipeline/discovery.js';
import { listAddons, registryAdd } from '../../src/pipeline/addon-manage.js';
import { enableAddon } from '../../src/pipeline/addon-enable.js';
import { clusterStateStore } from '../../src/pipeline/workflow.js';
import { makeApp } from '../support/app-fixtures.js';
import { kubeconfig, realClusterUnavailable } from '../support/real-cluster.js';
import { AppsV1Api, KubeConfig } from '@kubernetes/client-node';
import { nextEvent, openEvents, startTestDashboard, stubAssets, ROOT, type TestDashboard } from './dashboard-server.js';

const unavailable = await realClusterUnavailable('test/dashboard/api.e2e.test.ts');
const ns = `vela-dash-api-${process.pid}`;
const client = unavailable ? undefined : new KubeClient(await loadClusterTarget({ kubeconfig }));

const b64 = (text: string) => Buffer.from(text).toString('base64');
/** An Appfile with a Secret and a secret-looking env value, in the test's namespace. */
const vault = (version: string) => `name: vault
namespace: ${ns}-v
services:
  web:
    image: nginx:${version === 'old' ? '1.25' : '1.26'}
    env:
      - name: DB_PASSWORD
        value: pw-${version}-hunter2
  creds:
    type: k8s-objects
    objects:
      - apiVersion: v1
        kind: Secret
        metadata: {name: creds}
        data: {key: ${b64(`key-${version}-b64`)}}
`;
const secretsOf = (version: string) => [`pw-${version}-hunter2`, `key-${version}-b64`, b64(`key-${version}-b64`)];

describe.skipIf(!!unavailable)(unavailable ? `dashboard API on the real kube-apiserver (skipped: ${unavailable})` : 'dashboard API on the real kube-apiserver', () => {
  let dash: TestDashboard;
  beforeAll(async () => {
    dash = await startTestDashboard({ assetsDir: stubAssets(), definitionDirs: [], appfile: vault('old') });
    await applyApp(makeApp('shop', ns, [{ name: 'web', port: 8080, configMaps: 1 }, { name: 'db', replicas: 2 }]), { kubeconfig });
    await applyApp(makeApp('shop', `${ns}-b`, [{ name: 'api' }]), { kubeconfig });
  });
  afterAll(async () => {
    await dash?.close();
    for (const name of [ns, `${ns}-b`, `${ns}-v`, `${ns}-w`]) await client?.delete({ apiVersion: 'v1', kind: 'Namespace', name }).catch(() => undefined);
    client?.close();
  });

  it('answers 401 to an API call without the token or with a wrong one, and serves the page (which holds no data) without it', async () => {
    for (const headers of [{}, { authorization: 'Bearer nope' }] as Array<Record<string, string>>) {
      const res = await fetch(`${dash.origin}/api/apps`, { headers });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('dashboard/token');
    }
    expect((await fetch(`${dash.origin}/api/live?topics=apps&token=nope`)).status).toBe(401);
    const page = await fetch(`${dash.origin}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).not.toContain(dash.token);
    expect((await fetch(`${dash.origin}/api/apps?token=${dash.token}`)).status).toBe(200);
  });

  it('turns away a request whose Host is not its address (DNS rebinding)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${dash.origin}/api/apps`, { headers: { host: `evil.example:${dash.port}`, authorization: `Bearer ${dash.token}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(421);
  });

  it('lists the apps of every namespace, with their cluster and services', async () => {
    const { status, json } = await dash.api('/api/apps');
    expect(status).toBe(200);
    const local = json.clusters.find((c: { cluster: string }) => c.cluster === 'local');
    expect(local.reachable).toBe(true);
    const ours = local.apps.filter((a: { namespace: string }) => a.namespace.startsWith(ns));
    expect(ours).toEqual([
      { cluster: 'local', name: 'shop', namespace: ns, services: ['web', 'db'] },
      { cluster: 'local', name: 'shop', namespace: `${ns}-b`, services: ['api'] },
    ]);
  });

  it("shows an app's services (health, replicas, images, endpoints, objects) and its objects' events", async () => {
    await client!.create({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'web.dash-test', namespace: ns },
      involvedObject: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: ns },
      reason: 'ScalingReplicaSet',
      message: 'Scaled up replica set web-1 to 1',
      type: 'Normal',
      count: 2,
      firstTimestamp: '2026-01-01T00:00:00Z',
      lastTimestamp: '2026-01-01T00:01:00Z',
      source: { component: 'deployment-controller' },
    });
    await client!.create({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'other.dash-test', namespace: ns },
      involvedObject: { apiVersion: 'v1', kind: 'Pod', name: 'not-ours', namespace: ns },
      reason: 'Other',
      message: 'not about the app',
      type: 'Warning',
      firstTimestamp: '2026-01-01T00:00:00Z',
      lastTimestamp: '2026-01-01T00:02:00Z',
      source: { component: 'kubelet' },
    });
    const { status, json } = await dash.api(`/api/apps/local/${ns}/shop`);
    expect(status).toBe(200);
    const web = json.services.find((s: { name: string }) => s.name === 'web');
    expect(web).toMatchObject({ name: 'web', type: 'webservice', healthy: false, replicas: '0/1', images: ['nginx:1.25'], endpoints: [`web.${ns}.svc:8080`] });
    expect(web.objects.map((o: { kind: string; name: string }) => `${o.kind}/${o.name}`).sort()).toEqual(['ConfigMap/web-cfg-0', 'Deployment/web', 'Service/web']);
    expect(json.services.find((s: { name: string }) => s.name === 'db').replicas).toBe('0/2');
    expect(json.events).toEqual([{ type: 'Normal', reason: 'ScalingReplicaSet', message: 'Scaled up replica set web-1 to 1', object: 'Deployment/web', count: 2, lastSeen: '2026-01-01T00:01:00Z' }]);
  });

  it('says which app is missing, as `vela status` does', async () => {
    const { status, json } = await dash.api(`/api/apps/local/${ns}/nope`);
    expect(status).toBe(400);
    expect(json.error.diagnostics).toMatch(/no app "nope" in namespace/);
  });

  it("streams an app's status and sends it again when it changes", async () => {
    const url = `${dash.origin}/api/live?app=${encodeURIComponent(`local/${ns}/shop`)}&token=${dash.token}`;
    const first = nextEvent<any>(url, 'app', (data) => data.services?.find((s: { name: string }) => s.name === 'db')?.replicas === '0/2');
    expect((await first).app).toBe('shop');
    const changed = nextEvent<any>(url, 'app', (data) => data.services?.find((s: { name: string }) => s.name === 'db')?.replicas === '0/3');
    await new Promise((r) => setTimeout(r, 300));
    await applyApp(makeApp('shop', ns, [{ name: 'web', port: 8080, configMaps: 1 }, { name: 'db', replicas: 3 }]), { kubeconfig });
    expect((await changed).services.map((s: { name: string; replicas: string }) => `${s.name} ${s.replicas}`)).toEqual(['web 0/1', 'db 0/3']);
  });

  it('follows an app and the app list through watches: a status patch and a new app reach the stream, and nothing is asked while nothing moves', async () => {
    const wns = `${ns}-w`;
    await applyApp(makeApp('tick', wns, [{ name: 'web' }]), { kubeconfig });
    const requests: string[] = [];
    const watching = await startTestDashboard({ assetsDir: stubAssets(), definitionDirs: [], cluster: { kubeconfig, onRequest: (method, path) => requests.push(`${method} ${path}`) } });
    const stream = await openEvents(`${watching.origin}/api/live?topics=apps&app=${encodeURIComponent(`local/${wns}/tick`)}&token=${watching.token}`);
    try {
      const replicasOf = (data: any) => data.services?.find((s: { name: string }) => s.name === 'web')?.replicas;
      await stream.next<any>('app', (data) => replicasOf(data) === '0/1');
      await stream.next<any>('apps', (data) => data.clusters[0].apps.some((a: { namespace: string }) => a.namespace === wns));
      // The watches are open: the app's kinds in its namespace, and the applyset parents of every namespace.
      const watchOf = (path: string) => requests.some((r) => r.startsWith(`GET ${path}?`) && r.includes('watch=1'));
      await expect.poll(() => watchOf(`/apis/apps/v1/namespaces/${wns}/deployments`) && watchOf(`/api/v1/namespaces/${wns}/pods`) && watchOf('/api/v1/configmaps'), { timeout: 10_000 }).toBe(true);
      // Quiet: longer than the old 2 s polling, and not one request (a list, a get) is sent.
      await new Promise((r) => setTimeout(r, 500));
      requests.length = 0;
      await new Promise((r) => setTimeout(r, 3000));
      expect(requests).toEqual([]);

      // The cluster has no controllers: say what the Deployment controller would.
      const kc = new KubeConfig();
      kc.loadFromFile(kubeconfig);
      const apps = kc.makeApiClient(AppsV1Api);
      const live = await apps.readNamespacedDeployment({ name: 'web', namespace: wns });
      live.status = { observedGeneration: live.metadata!.generation, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 };
      await apps.replaceNamespacedDeploymentStatus({ name: 'web', namespace: wns, body: live });
      const changed = await stream.next<any>('app', (data) => replicasOf(data) === '1/1', 10_000);
      expect(changed.services[0]).toMatchObject({ name: 'web', healthy: true });
      // What the change made the server ask: reads, no new watches (they carry on).
      expect(requests.filter((r) => r.includes('watch=1'))).toEqual([]);

      await applyApp(makeApp('tock', wns, [{ name: 'api' }]), { kubeconfig });
      const listed = await stream.next<any>('apps', (data) => data.clusters[0].apps.some((a: { name: string }) => a.name === 'tock'), 10_000);
      expect(listed.clusters[0].apps.filter((a: { namespace: string }) => a.namespace === wns).map((a: { name: string }) => a.name)).toEqual(['tick', 'tock']);
    } finally {
      stream.close();
      await watching.close();
    }
  });

  it('applies the working folder\'s Appfile only when confirmed, then plans a pasted change field by field with secret values redacted', async () => {
    const refused = await dash.api('/api/apply', {});
    expect(refused.status).toBe(400);
    expect(refused.json.error.code).toBe('dashboard/unconfirmed');
    expect(await client!.get({ apiVersion: 'v1', kind: 'Namespace', name: `${ns}-v` })).toBeUndefined();

    const first = await dash.api('/api/plan', {});
    expect(first.json.error).toBeUndefined();
    expect(first.json).toMatchObject({ app: 'vault', namespace: `${ns}-v`, source: 'the working folder' });
    expect(first.json.entries.map((e: { action: string; kind: string; name: string }) => `${e.action} ${e.kind}/${e.name}`)).toEqual(['create Deployment/web', 'create Secret/creds']);

    const applied = await dash.api('/api/apply', { confirmed: true });
    expect(applied.status).toBe(200);
    expect(applied.json.summary.created).toBe(2);
    expect(await client!.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: `${ns}-v` }).then((d) => (d as any).spec.template.spec.containers[0].image)).toBe('nginx:1.25');

    const plan = await dash.api('/api/plan', { appfile: vault('new') });
    expect(plan.status).toBe(200);
    expect(plan.json.source).toBe('<stdin>');
    const web = plan.json.entries.find((e: { kind: string }) => e.kind === 'Deployment');
    expect(web.action).toBe('update');
    expect(web.changes).toContainEqual({ path: 'spec.template.spec.containers[0].image', before: 'nginx:1.25', after: 'nginx:1.26' });
    const secret = plan.json.entries.find((e: { kind: string }) => e.kind === 'Secret');
    expect(secret.changes).toContainEqual({ path: 'data.key', before: '(redacted)', after: '(redacted)' });
    const text = JSON.stringify(plan.json);
    expect([...secretsOf('old'), ...secretsOf('new')].filter((s) => text.includes(s))).toEqual([]);
  });

  it('answers a malformed pasted Appfile with the diagnostics `vela` prints for it on standard input', async () => {
    const bad = `name: bad\nnamespace: ${ns}\nservices:\n  web:\n    image: nginx:1.25\n    replicas: many\n`;
    const { status, json } = await dash.api('/api/plan', { appfile: bad });
    expect(status).toBe(400);
    const { execa } = await import('execa');
    const cli = await execa(process.execPath, [`${ROOT}/bin/dev.js`, 'dry-run', '-f', '-'], { input: bad, reject: false, cwd: dash.cwd, env: { NO_COLOR: '1', VELA_HOME: dash.home } });
    expect(cli.exitCode).toBe(1);
    expect(json.error.diagnostics).toMatch(/^error: <stdin>:6:5: services.web.replicas: unknown key/);
    expect(json.error.diagnostics.trim()).toBe(cli.stderr.trim());
  });

  it('shows the workflow state and resumes a suspended step', async () => {
    expect((await dash.api(`/api/apps/local/${ns}/shop/workflow`)).json).toEqual({ present: false, steps: [] });
    const store = clusterStateStore(client!, 'shop', ns);
    await store.write(
      {
        app: 'shop',
        runId: 'run-1',
        planDigest: 'digest',
        phase: 'suspending',
        suspended: true,
        terminated: false,
        startTime: 1,
        steps: [
          { name: 'deploy-web', type: 'deploy', phase: 'succeeded' },
          { name: 'approve', type: 'suspend', phase: 'running', reason: 'Suspend' },
        ],
      },
      undefined,
    );
    const stream = await openEvents(`${dash.origin}/api/live?app=${encodeURIComponent(`local/${ns}/shop`)}&token=${dash.token}`);
    const liveBefore = await stream.next<any>('app', (data) => data.workflow?.suspended === true);
    expect(liveBefore.workflow.steps.map((s: { name: string; waiting: boolean }) => [s.name, s.waiting])).toEqual([['deploy-web', false], ['approve', true]]);
    const before = await dash.api(`/api/apps/local/${ns}/shop/workflow`);
    expect(before.json).toMatchObject({ present: true, phase: 'suspending', suspended: true });
    expect(before.json.steps.map((s: { name: string; waiting: boolean }) => [s.name, s.waiting])).toEqual([['deploy-web', false], ['approve', true]]);
    const resumed = await dash.api(`/api/apps/local/${ns}/shop/workflow/resume`, { step: 'approve' });
    expect(resumed.status).toBe(200);
    expect(resumed.json).toMatchObject({ suspended: false, phase: 'executing' });
    expect(resumed.json.steps[1]).toMatchObject({ name: 'approve', phase: 'succeeded', reason: 'Resumed', waiting: false });
    expect((await store.read())!.state.steps[1]!.phase).toBe('succeeded');
    // The page sees the resume through the app's watch (the state is a ConfigMap in the app's namespace).
    try {
      expect((await stream.next<any>('app', (data) => data.workflow?.suspended === false, 10_000)).workflow.phase).toBe('executing');
    } finally {
      stream.close();
    }
    const again = await dash.api(`/api/apps/local/${ns}/shop/workflow/resume`, {});
    expect(again.status).toBe(400);
    expect(again.json.error.message).toMatch(/not suspended/);
  });

  it('lists the capabilities and shows the parameter tables `vela show` shows, with an example', async () => {
    const { json } = await dash.api('/api/capabilities');
    const names = json.capabilities.map((c: { kind: string; name: string }) => `${c.kind}/${c.name}`);
    expect(names).toContain('component/webservice');
    expect(names).toContain('trait/scaler');
    const one = await dash.api('/api/capabilities/webservice');
    const shown = await showDefinition('webservice', { cwd: dash.cwd, definitionDirs: [], velaHome: dash.home });
    expect(one.json.tables.map((t: { path: string; rows: Array<{ name: string; type: string }> }) => [t.path, t.rows.map((r) => `${r.name}:${r.type}`)])).toEqual(
      shown.tables.map((t) => [t.path, t.rows.map((r) => `${r.name}:${r.type}`)]),
    );
    expect(one.json.capability.path).toBe('definitions/webservice.cue');
    expect(one.json.example).toMatch(/^name: example\nservices:\n  app:\n    type: webservice\n    image: "nginx:1.25"\n/);
    expect((await dash.api('/api/capabilities/webservise')).json.error.diagnostics).toMatch(/did you mean `webservice`/);
  });

  it('lists the addons as `vela addon list` does, with the capabilities, and shows the definitions an addon brings', async () => {
    const ctx = { cwd: dash.cwd, velaHome: dash.home };
    await registryAdd(ctx, 'catalog', `${ROOT}/test/fixtures/catalog`);
    await enableAddon({ ...ctx, target: 'hello', registry: 'catalog', definitionsOnly: true, cluster: { kubeconfig } });
    const { json } = await dash.api('/api/capabilities');
    const cli = await listAddons(ctx);
    expect(json.addons.map((a: { name: string; status: string; registry: string }) => `${a.name} ${a.status} ${a.registry}`)).toEqual(cli.addons.map((a) => `${a.name} ${a.status} ${a.registry}`));
    expect(json.addons.find((a: { name: string }) => a.name === 'hello')).toMatchObject({ status: 'definitions-only', enabledVersion: '1.0.0', registry: 'catalog' });
    expect(json.addons.find((a: { name: string }) => a.name === 'fluxcd')).toMatchObject({ status: 'disabled' });
    // The enabled addon's definitions are capabilities like any other, named as the addon's.
    expect(json.capabilities.filter((c: { origin: string }) => c.origin === 'addon').map((c: { kind: string; name: string }) => `${c.kind}/${c.name}`).sort()).toEqual(['component/hello', 'trait/hello-label']);

    const flux = await dash.api('/api/addons/fluxcd');
    expect(flux.status).toBe(200);
    expect(flux.json.addon).toMatchObject({ name: 'fluxcd', status: 'disabled', registry: 'catalog' });
    expect(flux.json.definitions.map((d: { kind: string; name: string }) => `${d.kind}/${d.name}`)).toEqual(['component/helm', 'component/kustomize']);
    const missing = await dash.api('/api/addons/fluxdc');
    expect(missing.status).toBe(400);
    expect(missing.json.error.diagnostics).toMatch(/no addon "fluxdc"[\s\S]*fluxcd/);
  });

  it('lists the clusters with reachability and version', async () => {
    const { json } = await dash.api('/api/clusters');
    expect(json.clusters[0]).toMatchObject({ name: 'local', source: 'local', reachable: true });
    expect(json.clusters[0].version).toMatch(/^v1\.20\./);
  });
});
