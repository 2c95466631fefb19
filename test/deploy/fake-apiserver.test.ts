/**
 * The fake API server, driven by the real kubectl (Debian's 1.20 client, as
 * `scripts/cluster.sh build` unpacks it) so that it speaks the protocol, not
 * just what vela's client expects.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeApiServer, parseSelector } from '../support/fake-apiserver.js';
import { KubeClient, loadClusterTarget } from '../../src/deploy/index.js';

const run = promisify(execFile);
const kubectlPath = [process.env.VELA_TEST_KUBECTL, '/var/cache/vela-test/kubectl'].find((p) => p && existsSync(p));
const why = kubectlPath ? '' : ' (skipped: no kubectl; run scripts/cluster.sh build to unpack Debian\'s kubectl 1.20)';

describe(`fake API server driven by kubectl${why}`, () => {
  let server: FakeApiServer;
  let dir: string;
  let kubeconfig: string;

  async function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const r = await run(kubectlPath!, ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args], { timeout: 30_000 });
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (e) {
      const err = e as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof err.code === 'number' ? err.code : 1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
    }
  }

  function manifest(name: string, replicas: number): string {
    const file = join(dir, `${name}-${replicas}.yaml`);
    writeFileSync(
      file,
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: default, labels: {tier: web}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: ${name}, image: nginx}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: ${name}-config, namespace: default, labels: {tier: config}}
data: {replicas: "${replicas}"}
`,
    );
    return file;
  }

  beforeAll(async () => {
    if (!kubectlPath) return;
    server = await new FakeApiServer().start();
    dir = mkdtempSync(join(tmpdir(), 'vela-kubectl-'));
    kubeconfig = server.writeKubeconfig(join(dir, 'kubeconfig'));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it.skipIf(!kubectlPath)('serves discovery and lists namespaces over TLS', async () => {
    const r = await kubectl('get', 'namespaces', '-o', 'name');
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual(['namespace/default', 'namespace/kube-system']);
    const versions = await kubectl('api-versions');
    expect(versions.stdout.split('\n')).toEqual(expect.arrayContaining(['apps/v1', 'batch/v1', 'v1']));
  });

  it.skipIf(!kubectlPath)('takes kubectl apply --server-side, records kubectl as the field manager, and answers a repeat without a change', async () => {
    const file = manifest('web', 2);
    const first = await kubectl('apply', '--server-side', '--validate=false', '-f', file);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('deployment.apps/web serverside-applied');
    const managers = await kubectl('get', 'deployment', 'web', '-o', 'jsonpath={.metadata.managedFields[*].manager} {.spec.replicas} {.metadata.resourceVersion}');
    const [manager, replicas, rv] = managers.stdout.split(' ');
    expect(manager).toBe('kubectl');
    expect(replicas).toBe('2');
    await kubectl('apply', '--server-side', '--validate=false', '-f', file);
    const after = await kubectl('get', 'deployment', 'web', '-o', 'jsonpath={.metadata.resourceVersion}');
    expect(after.stdout).toBe(rv);
  });

  it.skipIf(!kubectlPath)('filters by label selector', async () => {
    expect((await kubectl('get', 'deployments,configmaps', '-l', 'tier=web', '-o', 'name')).stdout.trim()).toBe('deployment.apps/web');
    expect((await kubectl('get', 'configmaps', '-l', 'tier in (config,other)', '-o', 'name')).stdout.trim()).toBe('configmap/web-config');
    expect((await kubectl('get', 'configmaps', '-l', 'tier!=config', '-o', 'name')).stdout.trim()).toBe('');
  });

  it.skipIf(!kubectlPath)('reports a field conflict to another manager, and yields with --force-conflicts', async () => {
    const file = manifest('web', 4);
    const conflict = await kubectl('apply', '--server-side', '--validate=false', '--field-manager=other', '-f', file);
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toContain('conflict with "kubectl"');
    expect(conflict.stderr).toContain('.spec.replicas');
    const forced = await kubectl('apply', '--server-side', '--validate=false', '--field-manager=other', '--force-conflicts', '-f', file);
    expect(forced.code).toBe(0);
    expect((await kubectl('get', 'deployment', 'web', '-o', 'jsonpath={.spec.replicas}')).stdout).toBe('4');
  });

  it.skipIf(!kubectlPath)('streams watch events', async () => {
    const watching = kubectl('get', 'configmaps', '--watch', '--request-timeout=3s', '-o', 'name');
    await new Promise((r) => setTimeout(r, 1200));
    server.seed({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late', namespace: 'default' }, data: {} });
    const r = await watching;
    expect(r.stdout).toContain('configmap/web-config');
    expect(r.stdout).toContain('configmap/late');
  });

  it.skipIf(!kubectlPath)('deletes, and gives kubectl a NotFound it understands', async () => {
    expect((await kubectl('delete', 'deployment', 'web')).stdout).toContain('deleted');
    const gone = await kubectl('get', 'deployment', 'web');
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain('deployments.apps "web" not found');
  });

  it.skipIf(!kubectlPath)('refuses with a 403 that kubectl prints as Forbidden', async () => {
    server.inject({ method: 'GET', path: '/configmaps', status: 403, reason: 'Forbidden', message: 'configmaps is forbidden: User "norights" cannot list resource "configmaps" in API group "" in the namespace "default"' });
    const r = await kubectl('get', 'configmaps');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('Error from server (Forbidden): configmaps is forbidden: User "norights"');
  });
});

describe('fake API server protocol details', () => {
  it('keeps dry runs out of the store, while answering as the apply would', async () => {
    // kubectl 1.20 --dry-run=server needs the protobuf OpenAPI document, which the fake does not serve.
    const server = await new FakeApiServer().start();
    const dir = mkdtempSync(join(tmpdir(), 'vela-fake-'));
    const client = new KubeClient(await loadClusterTarget({ kubeconfig: server.writeKubeconfig(join(dir, 'kubeconfig')) }));
    try {
      const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' }, data: { a: '1' } };
      const dry = await client.applyFull(cm, { dryRun: true });
      expect(dry.created).toBe(true);
      expect(dry.object.data).toEqual({ a: '1' });
      expect(server.object('ConfigMap', 'x', 'default')).toBeUndefined();
      await client.apply(cm);
      const rv = server.object('ConfigMap', 'x', 'default')!.metadata.resourceVersion;
      const changed = await client.apply({ ...cm, data: { a: '2' } }, { dryRun: true });
      expect(changed.data).toEqual({ a: '2' });
      expect(server.object('ConfigMap', 'x', 'default')!.data).toEqual({ a: '1' });
      expect(server.object('ConfigMap', 'x', 'default')!.metadata.resourceVersion).toBe(rv);
    } finally {
      client.close();
      await server.stop();
    }
  });
});

describe('label selectors', () => {
  it('supports equality, sets and existence', () => {
    const l = { app: 'web', tier: 'front' };
    expect(parseSelector('app=web,tier=front')(l)).toBe(true);
    expect(parseSelector('app==web,tier!=front')(l)).toBe(false);
    expect(parseSelector('tier in (front, back)')(l)).toBe(true);
    expect(parseSelector('tier notin (front)')(l)).toBe(false);
    expect(parseSelector('app,!missing')(l)).toBe(true);
    expect(parseSelector('missing')(l)).toBe(false);
  });
});
