/**
 * The resource policies the apply path honours (resource-policies.ts,
 * preflight.ts): read-only objects are never written and must exist, a shared
 * object another app made is left alone, apply-once paths keep the cluster's
 * values. Against the protocol-level fake API server, which counts writes.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyApp, keepLiveFields, parseFieldPath, type ResourcePolicies } from '../../src/deploy/index.js';
import { formatDiagnosticLine } from '../../src/source/index.js';
import { FakeApiServer } from '../support/fake-apiserver.js';
import { makeApp } from '../support/app-fixtures.js';
import { failure } from '../support/failure.js';

const fast = { retries: 2, baseDelayMs: 5, maxDelayMs: 20 };
let server: FakeApiServer;
let kubeconfig: string;

beforeEach(async () => {
  server = await new FakeApiServer().start();
  kubeconfig = server.writeKubeconfig(join(mkdtempSync(join(tmpdir(), 'vela-rp-')), 'kubeconfig'));
  server.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
});
afterEach(async () => {
  await server.stop();
});

const foreignDeployment = (name: string, replicas = 3) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'shop', labels: { app: name } },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: 'nginx:1.25' }] } } },
});
const service = (name: string) => (s: { origin: { service: string } }) => s.origin.service === name;

describe('read-only', () => {
  it('leaves an existing object as it is and does not record it as the app\'s', async () => {
    server.seed(foreignDeployment('db'), 'helm');
    const before = server.object('Deployment', 'db', 'shop')!.metadata.resourceVersion;
    const policies: ResourcePolicies = { readOnly: service('db') };
    const r = await applyApp(makeApp('shop', 'shop', [{ name: 'web' }, { name: 'db' }]), { kubeconfig, retry: fast, policies });
    expect(r.objects.map((o) => `${o.action} ${o.ref.name}`)).toEqual(['created web', 'unchanged db']);
    expect(server.object('Deployment', 'db', 'shop')!.metadata.resourceVersion).toBe(before);
    const record = JSON.parse(server.object('ConfigMap', 'applyset-shop', 'shop')!.data!['objects.json']!) as { created: string[] };
    expect(record.created).toEqual(['apps/Deployment/shop/web']);
    // Leaving the app later does not delete what was never the app's.
    const again = await applyApp(makeApp('shop', 'shop', [{ name: 'web' }]), { kubeconfig, retry: fast });
    expect(again.objects.filter((o) => o.action === 'pruned')).toEqual([]);
    expect(server.object('Deployment', 'db', 'shop')).toBeDefined();
  });

  it('refuses, before any write, a read-only object that does not exist, at its line', async () => {
    const err = await failure(applyApp(makeApp('shop', 'shop', [{ name: 'web' }, { name: 'db' }]), { kubeconfig, retry: fast, policies: { readOnly: service('db') } }));
    expect(err.exitCode).toBe(1);
    expect(err.diagnostics.map(formatDiagnosticLine)).toEqual(['vela.yaml:5:3: Deployment shop/db (service db) does not exist, and a read-only policy selects it: vela never writes it']);
    expect(server.appWrites).toBe(0);
  });
});

describe('shared-resource', () => {
  it('creates a shared object that is missing, and leaves one another app made untouched and unclaimed', async () => {
    const policies: ResourcePolicies = { shared: service('db') };
    const first = await applyApp(makeApp('shop', 'shop', [{ name: 'db' }]), { kubeconfig, retry: fast, policies });
    expect(first.objects.map((o) => `${o.action} ${o.ref.name}`)).toEqual(['created db']);

    server.seed(foreignDeployment('cache'), 'other-app');
    const before = server.object('Deployment', 'cache', 'shop')!.metadata.resourceVersion;
    const second = await applyApp(makeApp('shop', 'shop', [{ name: 'db' }, { name: 'cache' }]), { kubeconfig, retry: fast, policies: { shared: () => true } });
    expect(second.objects.map((o) => `${o.action} ${o.ref.name}`)).toEqual(['unchanged db', 'unchanged cache']);
    expect(server.object('Deployment', 'cache', 'shop')!.metadata.resourceVersion).toBe(before);
  });
});

describe('apply-once', () => {
  it('keeps the cluster\'s value of the listed paths once the object exists', async () => {
    const policies: ResourcePolicies = { applyOnce: () => ['spec.replicas'] };
    await applyApp(makeApp('shop', 'shop', [{ name: 'web', replicas: 1 }]), { kubeconfig, retry: fast, policies });
    // Someone scales it by hand (an autoscaler, an operator).
    const live = server.object('Deployment', 'web', 'shop')!;
    server.seed({ ...live, spec: { ...(live.spec as object), replicas: 4 } }, 'vela');
    const r = await applyApp(makeApp('shop', 'shop', [{ name: 'web', replicas: 2, image: 'nginx:1.27' }]), { kubeconfig, retry: fast, policies });
    expect(r.objects.map((o) => `${o.action} ${o.ref.name}`)).toEqual(['updated web']);
    const after = server.object('Deployment', 'web', 'shop')! as { spec: { replicas: number; template: { spec: { containers: { image: string }[] } } } };
    expect(after.spec.replicas).toBe(4);
    expect(after.spec.template.spec.containers[0]!.image).toBe('nginx:1.27');
  });

  it('with `*`, does not write the object again', async () => {
    await applyApp(makeApp('shop', 'shop', [{ name: 'web' }]), { kubeconfig, retry: fast });
    const r = await applyApp(makeApp('shop', 'shop', [{ name: 'web', image: 'nginx:1.27' }]), { kubeconfig, retry: fast, policies: { applyOnce: () => ['*'] } });
    expect(r.writes).toBe(0);
    expect(r.objects.map((o) => `${o.action} ${o.ref.name}`)).toEqual(['unchanged web']);
  });
});

describe('garbage-collect rules', () => {
  it('keeps an object that left the app as a member until the app is deleted (onAppDelete), and releases one (never)', async () => {
    const policies: ResourcePolicies = { onLeave: (s) => (s.origin.service === 'db' ? 'keep' : s.origin.service === 'cache' ? 'release' : 'delete') };
    await applyApp(makeApp('shop', 'shop', [{ name: 'web' }, { name: 'db' }, { name: 'cache' }, { name: 'old' }]), { kubeconfig, retry: fast, policies });
    const r = await applyApp(makeApp('shop', 'shop', [{ name: 'web' }]), { kubeconfig, retry: fast, policies });
    expect(r.objects.filter((o) => o.action !== 'unchanged').map((o) => `${o.action} ${o.ref.name}`).sort()).toEqual(['pruned old', 'released cache']);
    expect(server.object('Deployment', 'db', 'shop')).toBeDefined();
    expect(server.object('Deployment', 'cache', 'shop')!.metadata.labels!['applyset.kubernetes.io/part-of']).toBeUndefined();
    // Still the app's: a run without the policy prunes it, and `vela delete` would delete it.
    const later = await applyApp(makeApp('shop', 'shop', [{ name: 'web' }]), { kubeconfig, retry: fast });
    expect(later.objects.filter((o) => o.action === 'pruned').map((o) => o.ref.name)).toEqual(['db']);
    expect(server.object('Deployment', 'cache', 'shop')).toBeDefined();
  });
});

describe('field paths', () => {
  it('parses dotted paths with indexes and refuses malformed ones', () => {
    expect(parseFieldPath('spec.template.spec.containers[0].image')).toEqual(['spec', 'template', 'spec', 'containers', 0, 'image']);
    expect(parseFieldPath('spec..x')).toBeUndefined();
    expect(parseFieldPath('a[x]')).toBeUndefined();
  });

  it('takes the live value where the live object has one, and keeps the rendered value elsewhere', () => {
    const object = { apiVersion: 'v1', kind: 'X', spec: { a: 1, b: [{ c: 2 }] } };
    const live = { apiVersion: 'v1', kind: 'X', spec: { a: 9, b: [{ c: 7 }] } };
    expect(keepLiveFields(object, live, ['spec.a', 'spec.b[0].c', 'spec.missing'])).toEqual({ apiVersion: 'v1', kind: 'X', spec: { a: 9, b: [{ c: 7 }] } });
    expect(object.spec.a).toBe(1);
  });
});
