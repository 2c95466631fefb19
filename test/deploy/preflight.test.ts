/**
 * Nothing half-applied (preflight.ts), least privilege, and time bounds,
 * against the protocol-level fake API server, which can refuse cluster-scoped
 * reads, hold answers back and be told what to reject.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyApp, planApp, KubeClient, loadClusterTarget } from '../../src/deploy/index.js';
import { formatDiagnosticLine } from '../../src/source/index.js';
import { EnvironmentError } from '../../src/host/index.js';
import type { RenderedApp } from '../../src/render/types.js';
import { FakeApiServer, type FakeApiServerOptions } from '../support/fake-apiserver.js';
import { makeApp } from '../support/app-fixtures.js';
import { failure } from '../support/failure.js';

const fast = { retries: 2, baseDelayMs: 5, maxDelayMs: 20 };
let server: FakeApiServer;
let kubeconfig: string;

async function startServer(options: FakeApiServerOptions = {}): Promise<void> {
  await server?.stop();
  server = await new FakeApiServer(options).start();
  kubeconfig = server.writeKubeconfig(join(mkdtempSync(join(tmpdir(), 'vela-pre-')), 'kubeconfig'), { context: 'fake-ctx' });
}

beforeEach(async () => {
  await startServer();
});
afterEach(async () => {
  await server.stop();
});

const noImage = (name: string) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'shop' }, spec: { selector: { matchLabels: { a: name } }, template: { metadata: { labels: { a: name } }, spec: { containers: [{ name }] } } } });

describe('nothing half-applied', () => {
  it('dry-runs every object first: every rejection is reported at its line, and nothing of the app is written', async () => {
    server.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    const app = makeApp('shop', 'shop', [{ name: 'web', port: 80 }, { name: 'db', workload: noImage('db') }, { name: 'cache', workload: noImage('cache') }]);
    const err = await failure(applyApp(app, { kubeconfig, retry: fast }));
    expect(err.exitCode).toBe(1);
    expect(err.diagnostics.map(formatDiagnosticLine)).toEqual([
      'vela.yaml:5:3: the cluster rejected Deployment shop/db (service db): spec.template.spec.containers[0].image: Required value',
      'vela.yaml:7:3: the cluster rejected Deployment shop/cache (service cache): spec.template.spec.containers[0].image: Required value',
    ]);
    expect(server.appWrites).toBe(0);
    expect(server.objects('Deployment')).toEqual([]);
    expect(server.objects('Service')).toEqual([]);
    expect(server.object('ConfigMap', 'applyset-shop', 'shop')).toBeUndefined();
    expect(server.requests.filter((r) => r.query.dryRun === 'All').length).toBe(4);
    // And the lock was released.
    expect(server.object('Lease', 'applyset-shop-lock', 'shop')).toBeUndefined();
  });

  it('checks Secret data before sending anything: invalid base64 is exit 1 at its line, not a retried HTTP 500', async () => {
    const base = makeApp('shop', 'shop', [{ name: 'web' }]);
    const app: RenderedApp = { ...base, manifests: [...base.manifests, { object: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'shop' }, data: { password: 'hunter2!' } }, origin: base.manifests[0]!.origin }] };
    const err = await failure(applyApp(app, { kubeconfig, retry: fast }));
    expect(err.exitCode).toBe(1);
    expect(err.diagnostics.map(formatDiagnosticLine)).toEqual(['vela.yaml:3:3: Secret shop/creds (service web): data.password is not valid base64']);
    expect(err.message).not.toContain('hunter2');
    expect(server.requests).toEqual([]);
    await expect(planApp(app, { kubeconfig, retry: fast })).rejects.toThrow(/data.password is not valid base64/);
  });

  it('says when an object\'s namespace does not exist and the app does not create it', async () => {
    const base = makeApp('shop', 'shop', [{ name: 'web' }]);
    const elsewhere = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'nowhere' }, data: {} };
    const app: RenderedApp = { ...base, manifests: [...base.manifests, { object: elsewhere, origin: base.manifests[0]!.origin }] };
    const err = await failure(applyApp(app, { kubeconfig, retry: fast }));
    expect(err.diagnostics.map(formatDiagnosticLine)).toEqual(['vela.yaml:3:3: cannot apply ConfigMap nowhere/x (service web): its namespace "nowhere" does not exist']);
  });
});

describe('least privilege', () => {
  /** RBAC of a namespace-scoped Role: everything inside `shop`, nothing cluster-scoped. */
  const namespaceOnly: FakeApiServerOptions = { authorize: (_user, _verb, resource, namespace) => namespace === 'shop' && resource !== 'namespaces' };

  it('up and --plan work with rights in the namespace alone when it exists (no look at the Namespace)', async () => {
    await startServer(namespaceOnly);
    server.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    const app = makeApp('shop', 'shop', [{ name: 'web', port: 80 }]);
    const plan = await planApp(app, { kubeconfig, retry: fast });
    expect(plan.summary.create).toBe(2);
    const r = await applyApp(app, { kubeconfig, retry: fast });
    expect(r.objects.map((o) => o.action)).toEqual(['created', 'created']);
    expect((await applyApp(app, { kubeconfig, retry: fast })).writes).toBe(0);
    expect(server.requests.filter((q) => q.path.startsWith('/api/v1/namespaces/shop') && !q.path.slice('/api/v1/namespaces/shop'.length))).toEqual([]);
  });

  it('a missing namespace it may not create is a clear error (exit 2)', async () => {
    await startServer({ authorize: (_user, verb, resource) => !(resource === 'namespaces' && verb !== 'get') });
    const err = await failure(applyApp(makeApp('shop', 'shop', [{ name: 'web' }]), { kubeconfig, retry: fast }));
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(/^namespace shop does not exist, and the cluster refused to create it: namespaces "shop" is forbidden/);
    // A plan of a new namespace needs no rights on it: everything would be created.
    const plan = await planApp(makeApp('shop', 'shop', [{ name: 'web' }]), { kubeconfig, retry: fast });
    expect(plan.entries.map((e) => e.action)).toEqual(['create']);
  });
});

describe('time bounds', () => {
  it('bounds each request (--request-timeout): a server that does not answer is exit 2, naming it', async () => {
    server.inject({ method: 'GET', path: '/apis/apps/v1', delayMs: 2000, times: 10 });
    const started = Date.now();
    const err = await failure(applyApp(makeApp('shop', 'shop', [{ name: 'web' }]), { kubeconfig, retry: { retries: 1, baseDelayMs: 5, maxDelayMs: 5 }, requestTimeoutMs: 200 }));
    expect(Date.now() - started).toBeLessThan(1500);
    expect(err).toBeInstanceOf(EnvironmentError);
    expect(err.exitCode).toBe(2);
    expect(err.message).toBe(`the Kubernetes API server at ${server.url} (context "fake-ctx") did not answer within 200ms (--request-timeout)`);
  });

  it('bounds the whole run (--timeout), naming the request it was stuck on, and releases the lock', async () => {
    server.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    server.inject({ method: 'PATCH', path: '/deployments/web', delayMs: 5000, times: 10 });
    const started = Date.now();
    const err = await failure(applyApp(makeApp('shop', 'shop', [{ name: 'web' }]), { kubeconfig, retry: fast, timeoutMs: 1500 }));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(new RegExp(`^vela up did not finish within 1\\.5s \\(--timeout\\): the Kubernetes API server at ${server.url.replace(/\./g, '\\.')} \\(context "fake-ctx"\\) had not answered PATCH /apis/apps/v1/namespaces/shop/deployments/web for 1\\.\\ds$`));
    // Released with a time bound of its own.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.object('Lease', 'applyset-shop-lock', 'shop')).toBeUndefined();
  });

  it('reports a slow request while it waits', async () => {
    // Long enough that a loaded machine still sees the repeated reports (every slowAfterMs) before the answer.
    server.inject({ method: 'GET', path: '/version', delayMs: 1500 });
    const seen: string[] = [];
    // A timer may fire a millisecond before Date.now() says its time has come: 95, not 100.
    const client = new KubeClient(await loadClusterTarget({ kubeconfig }), { slowAfterMs: 100, onSlowRequest: (request, elapsed) => seen.push(`${request.method} ${request.path} ${elapsed >= 95}`) });
    await client.serverVersion();
    client.close();
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen[0]).toBe('GET /version true');
  });
});
