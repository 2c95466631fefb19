/**
 * Behaviour under faults a real server cannot be made to produce on demand,
 * against the protocol-level fake API server.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyApp, planApp, KubeClient, loadClusterTarget } from '../../src/deploy/index.js';
import { formatDiagnosticLine } from '../../src/source/index.js';
import { EnvironmentError } from '../../src/host/index.js';
import { FakeApiServer } from '../support/fake-apiserver.js';
import { makeApp } from '../support/app-fixtures.js';
import { failure } from '../support/failure.js';

const fast = { retries: 4, baseDelayMs: 5, maxDelayMs: 50 };
let server: FakeApiServer;
let kubeconfig: string;

beforeEach(async () => {
  server = await new FakeApiServer().start();
  kubeconfig = server.writeKubeconfig(join(mkdtempSync(join(tmpdir(), 'vela-fake-')), 'kubeconfig'), { context: 'fake-ctx' });
});
afterEach(async () => {
  await server.stop();
});

const shop = () => makeApp('shop', 'shop', [{ name: 'web', port: 8080, configMaps: 2 }, { name: 'db' }]);

describe('apply against the fake API server', () => {
  it('creates the namespace, applies every object with the applyset labels, then changes nothing the second time', async () => {
    const first = await applyApp(shop(), { kubeconfig, retry: fast });
    expect(first.objects.map((o) => o.action)).toEqual(['created', 'created', 'created', 'created', 'created']);
    expect(server.object('Namespace', 'shop')).toBeDefined();
    const dep = server.object('Deployment', 'web', 'shop')!;
    expect(dep.metadata.labels['applyset.kubernetes.io/part-of']).toBe(first.applySetId);
    expect(dep.metadata.managedFields[0].manager).toBe('vela');
    const parent = server.object('ConfigMap', 'applyset-shop', 'shop')!;
    expect(parent.metadata.labels['applyset.kubernetes.io/id']).toBe(first.applySetId);
    expect(parent.metadata.annotations['applyset.kubernetes.io/contains-group-kinds']).toBe('ConfigMap,Deployment.apps,Service');

    const writesBefore = server.appWrites;
    const second = await applyApp(shop(), { kubeconfig, retry: fast });
    expect(second.writes).toBe(0);
    expect(second.dryRuns).toBe(0);
    expect(server.appWrites).toBe(writesBefore);
    expect(second.objects.every((o) => o.action === 'unchanged')).toBe(true);
  });

  it('retries 409, 429 (honouring Retry-After) and 5xx answers with backoff', async () => {
    server.inject({ method: 'PATCH', path: '/deployments/web', dryRun: false, status: 409, reason: 'Conflict', message: 'Operation cannot be fulfilled: the object has been modified' });
    server.inject({ method: 'PATCH', path: '/services/web', dryRun: false, status: 429, reason: 'TooManyRequests', message: 'slow down', retryAfter: 1 });
    server.inject({ method: 'PATCH', path: '/deployments/db', dryRun: false, status: 503, reason: 'ServiceUnavailable', message: 'etcd leader changed', times: 2 });
    server.inject({ method: 'PATCH', path: '/configmaps/web-cfg-0', dryRun: false, status: 500, reason: 'InternalError', message: 'boom' });
    // The dry runs before the first write take the same retries.
    server.inject({ method: 'PATCH', path: '/configmaps/web-cfg-1', dryRun: true, status: 503, reason: 'ServiceUnavailable', message: 'busy' });
    const started = Date.now();
    const r = await applyApp(shop(), { kubeconfig, retry: { ...fast, maxDelayMs: 2000 } });
    expect(r.objects).toHaveLength(5);
    const tries = (p: string, dryRun = false) => server.requests.filter((q) => q.method === 'PATCH' && q.path.endsWith(p) && (q.query.dryRun === 'All') === dryRun).map((q) => q.status);
    expect(tries('/configmaps/web-cfg-1', true)).toEqual([503, 201]);
    expect(tries('/deployments/web')).toEqual([409, 201]);
    expect(tries('/services/web')).toEqual([429, 201]);
    expect(tries('/deployments/db')).toEqual([503, 503, 201]);
    expect(tries('/configmaps/web-cfg-0')).toEqual([500, 201]);
    // Retry-After: 1 was waited for.
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('retries a dropped connection', async () => {
    server.inject({ method: 'PATCH', path: '/deployments/db', dryRun: false, drop: true });
    const r = await applyApp(shop(), { kubeconfig, retry: fast });
    expect(r.objects.find((o) => o.ref.name === 'db')?.action).toBe('created');
    expect(server.requests.filter((q) => q.method === 'PATCH' && q.path.endsWith('/deployments/db') && q.query.dryRun !== 'All').map((q) => q.status)).toEqual([0, 201]);
  });

  it('gives up after the retries with an error naming the object and its Appfile line (exit 2)', async () => {
    server.inject({ method: 'PATCH', path: '/deployments/db', status: 503, message: 'still down', times: 100 });
    const err = await failure(applyApp(shop(), { kubeconfig, retry: fast }));
    expect(err).toBeInstanceOf(EnvironmentError);
    expect(err.exitCode).toBe(2);
    expect(formatDiagnosticLine(err.diagnostics[0]!)).toMatch(/^vela\.yaml:5:3: the cluster failed to apply Deployment shop\/db \(service db\): still down/);
  });

  it('turns a 403 into a clear RBAC error (exit 2) pointing at the service', async () => {
    await server.stop();
    server = await new FakeApiServer({ authorize: (_user, verb, resource) => !(resource === 'services' && verb === 'patch') }).start();
    server.writeKubeconfig(kubeconfig, { context: 'fake-ctx' });
    const err = await failure(applyApp(shop(), { kubeconfig, retry: fast }));
    expect(err.exitCode).toBe(2);
    const d = err.diagnostics[0]!;
    expect(formatDiagnosticLine(d)).toContain('vela.yaml:3:3: the cluster refused to apply Service shop/web (service web, trait expose): services "web" is forbidden: User "admin" cannot patch resource "services"');
    expect(d.hint).toMatch(/RBAC/);
    // 403 is not retried.
    expect(server.requests.filter((q) => q.path.endsWith('/services/web')).length).toBe(1);
  });

  it('names the server and context when the server is unreachable (exit 2)', async () => {
    const url = server.url;
    await server.stop();
    const err = await failure(applyApp(shop(), { kubeconfig, retry: fast }));
    expect(err).toBeInstanceOf(EnvironmentError);
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain(`cannot reach the Kubernetes API server at ${url} (context "fake-ctx")`);
    expect(err.message).toContain('ECONNREFUSED');
  });

  it('reports a conflict with another field manager, and takes the field with force', async () => {
    await applyApp(shop(), { kubeconfig, retry: fast });
    // Someone else takes spec.replicas with their own server-side apply.
    const other = makeApp('shop', 'shop', [{ name: 'web', port: 8080, configMaps: 2, replicas: 5 }, { name: 'db' }]);
    const web = other.manifests.find((m) => m.object.kind === 'Deployment' && (m.object.metadata as { name: string }).name === 'web')!;
    const kubectlLike = new KubeClient(await loadClusterTarget({ kubeconfig }));
    await kubectlLike.apply({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { replicas: (web.object.spec as { replicas: number }).replicas } }, { fieldManager: 'kubectl', force: true });
    kubectlLike.close();

    const scaled = makeApp('shop', 'shop', [{ name: 'web', port: 8080, configMaps: 2, replicas: 2 }, { name: 'db' }]);
    const err = await failure(applyApp(scaled, { kubeconfig, retry: fast }));
    expect(err.exitCode).toBe(1);
    const line = formatDiagnosticLine(err.diagnostics[0]!);
    expect(line).toContain('vela.yaml:3:3: conflict applying Deployment shop/web (service web): .spec.replicas is owned by "kubectl"');
    expect(err.diagnostics[0]!.hint).toContain('--force-conflicts');
    expect(server.object('Deployment', 'web', 'shop')!.spec.replicas).toBe(5);

    await applyApp(scaled, { kubeconfig, retry: fast, force: true });
    expect(server.object('Deployment', 'web', 'shop')!.spec.replicas).toBe(2);
  });

  it('maps a 422 to the Appfile line of the service', async () => {
    const app = makeApp('shop', 'shop', [{ name: 'web' }, { name: 'db', workload: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'db', namespace: 'shop' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'db' }] } } } } }]);
    const err = await failure(applyApp(app, { kubeconfig, retry: fast }));
    expect(err.exitCode).toBe(1);
    expect(formatDiagnosticLine(err.diagnostics[0]!)).toBe('vela.yaml:5:3: the cluster rejected Deployment shop/db (service db): spec.template.spec.containers[0].image: Required value');
  });

  it('says which kinds the server does not serve', async () => {
    const app = makeApp('shop', 'shop', [{ name: 'web', workload: { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'shop' }, spec: {} } }]);
    const err = await failure(applyApp(app, { kubeconfig, retry: fast }));
    expect(formatDiagnosticLine(err.diagnostics[0]!)).toBe('vela.yaml:3:3: cannot apply HorizontalPodAutoscaler shop/web (service web): the server (Kubernetes v1.20.2-fake) does not serve autoscaling/v2');
  });

  it('leaves a state the next apply converges from when aborted mid-apply (Ctrl-C)', async () => {
    const ctl = new AbortController();
    // Hold the db Deployment's write so the abort lands while writes are in flight.
    server.inject({ method: 'PATCH', path: '/deployments/db', dryRun: false, delayMs: 300 });
    const big = makeApp('shop', 'shop', [{ name: 'web', port: 8080, configMaps: 3 }, { name: 'db', configMaps: 3 }]);
    // Abort once the first write is on its way (the checks before it take their own time).
    const watch = setInterval(() => {
      if (server.requests.some((q) => q.method === 'PATCH' && q.path.endsWith('/deployments/db') && q.query.dryRun !== 'All')) {
        clearInterval(watch);
        setTimeout(() => ctl.abort(), 100);
      }
    }, 5);
    const aborted = await applyApp(big, { kubeconfig, retry: fast, signal: ctl.signal, concurrency: 1 }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(aborted?.name).toBe('AbortError');
    // The server still completes the held write after the client gave up (a real one does too). Wait for it, so the
    // next run sees the db Deployment that write made: its timer was set before ours and ends first.
    await new Promise((resolve) => setTimeout(resolve, 400));
    // The lock was released on the way out, so the next run need not wait for it to expire.
    expect(server.object('Lease', 'applyset-shop-lock', 'shop')).toBeUndefined();
    const parent = server.object('ConfigMap', 'applyset-shop', 'shop');
    expect(parent).toBeDefined();
    const partial = server.objects().filter((o) => o.metadata.labels?.['applyset.kubernetes.io/part-of']).length;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(big.manifests.length);

    // The user changes their mind (db goes away) and runs `vela up` again.
    const smaller = makeApp('shop', 'shop', [{ name: 'web', port: 8080, configMaps: 3 }]);
    const r = await applyApp(smaller, { kubeconfig, retry: fast });
    const members = server
      .objects()
      .filter((o) => o.metadata.labels?.['applyset.kubernetes.io/part-of'] === r.applySetId)
      .map((o) => `${o.kind}/${o.metadata.name}`)
      .sort();
    expect(members).toEqual(['ConfigMap/web-cfg-0', 'ConfigMap/web-cfg-1', 'ConfigMap/web-cfg-2', 'Deployment/web', 'Service/web']);
    const again = await applyApp(smaller, { kubeconfig, retry: fast });
    expect(again.writes).toBe(0);
  });

  it('refuses to take an object that another app owns', async () => {
    await applyApp(shop(), { kubeconfig, retry: fast });
    const blog = makeApp('blog', 'shop', [{ name: 'db' }]);
    const err = await failure(applyApp(blog, { kubeconfig, retry: fast }));
    expect(err.exitCode).toBe(1);
    expect(formatDiagnosticLine(err.diagnostics[0]!)).toMatch(/^vela\.yaml:3:3: Deployment shop\/db \(service db\) already belongs to another app \(applyset applyset-[\w-]+-v1\)$/);
    expect(server.object('Deployment', 'db', 'shop')!.metadata.labels['app.oam.dev/name']).toBe('shop');
    expect(server.object('ConfigMap', 'applyset-blog', 'shop')).toBeUndefined();
    await expect(planApp(blog, { kubeconfig, retry: fast })).rejects.toThrow(/already belongs to another app/);
  });

  it('verifies TLS: a server certificate the kubeconfig does not trust is a clear error (exit 2)', async () => {
    const untrusted = server.writeKubeconfig(join(mkdtempSync(join(tmpdir(), 'vela-fake-')), 'kubeconfig'), { context: 'fake-ctx', ca: '' });
    const err = await failure(applyApp(shop(), { kubeconfig: untrusted, retry: fast }));
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain(`TLS verification of the Kubernetes API server at ${server.url} (context "fake-ctx") failed: self-signed certificate`);
    expect(server.requests.filter((r) => r.method === 'PATCH')).toHaveLength(0);
  });

  it('uses exec credential plugins through client-node', async () => {
    await server.stop();
    server = await new FakeApiServer({ tokens: { 'token-from-plugin': 'alice' }, authorize: (user) => user === 'alice' }).start();
    const dir = mkdtempSync(join(tmpdir(), 'vela-exec-'));
    const ca = Buffer.from(server.caCert!).toString('base64');
    const credential = JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { token: 'token-from-plugin' } });
    writeFileSync(
      join(dir, 'kubeconfig'),
      `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "${server.url}", certificate-authority-data: ${ca}}}]
users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: /bin/sh, args: ["-c", ${JSON.stringify(`echo '${credential}'`)}]}}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`,
    );
    const r = await applyApp(shop(), { kubeconfig: join(dir, 'kubeconfig'), retry: fast });
    expect(r.objects).toHaveLength(5);
    const bad = server.writeKubeconfig(join(dir, 'wrong'), { token: 'nope' });
    const err = await failure(applyApp(shop(), { kubeconfig: bad, retry: fast }));
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain('rejected the credentials');
  });

  it('plans without writing', async () => {
    await applyApp(shop(), { kubeconfig, retry: fast });
    const writes = server.writes;
    const next = makeApp('shop', 'shop', [{ name: 'web', port: 8080, configMaps: 1, image: 'nginx:1.27' }, { name: 'cache' }]);
    const plan = await planApp(next, { kubeconfig, retry: fast });
    expect(server.writes).toBe(writes);
    const rows = plan.entries.map((e) => `${e.action} ${e.ref.kind}/${e.ref.name}`).sort();
    expect(rows).toEqual(['create Deployment/cache', 'prune ConfigMap/web-cfg-1', 'prune Deployment/db', 'unchanged ConfigMap/web-cfg-0', 'unchanged Service/web', 'update Deployment/web']);
    const update = plan.entries.find((e) => e.action === 'update')!;
    expect(update.changes).toEqual([{ path: 'spec.template.spec.containers[0].image', before: 'nginx:1.25', after: 'nginx:1.27' }]);
  });
});
