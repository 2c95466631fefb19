/**
 * Apply from the page builds images as `vela up` does: a service with a
 * `build` section is built through the real Docker engine and pushed to the
 * local registry (127.0.0.1:5000) before the cluster (the real kube-apiserver)
 * gets the Deployment, which then names the pushed image by digest.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient, loadClusterTarget } from '../../src/deploy/index.js';
import { copyFixture, dockerUnavailable, REGISTRY } from '../image/docker-env.js';
import { kubeconfig, realClusterUnavailable } from '../support/real-cluster.js';
import { startTestDashboard, stubAssets, type TestDashboard } from './dashboard-server.js';

const why = (await dockerUnavailable()) ?? (await realClusterUnavailable('test/dashboard/build.e2e.test.ts'));
const ns = `vela-dash-build-${process.pid}`;

describe.skipIf(!!why)(why ? `dashboard apply with a build (skipped: ${why})` : 'dashboard apply with a build, on the real Docker engine, registry and kube-apiserver', () => {
  let dash: TestDashboard;
  let client: KubeClient;
  const repository = `${ns}/web`;

  beforeAll(async () => {
    // The engine the CLI would use: DOCKER_HOST as the user sets it.
    process.env.DOCKER_HOST ??= 'unix:///tmp/vela-docker.sock';
    const dir = copyFixture('shop');
    writeFileSync(join(dir, 'vela.yaml'), `name: shop\nnamespace: ${ns}\nservices:\n  web:\n    image: ${REGISTRY}/${repository}\n    build:\n      docker: {context: web, args: {GREETING: dashboard-${process.pid}}}\n    ports: [{port: 80, expose: true}]\n`);
    dash = await startTestDashboard({ assetsDir: stubAssets(), definitionDirs: [], cwd: dir });
    client = new KubeClient(await loadClusterTarget({ kubeconfig }));
  });

  afterAll(async () => {
    await dash?.close();
    await client?.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns }).catch(() => undefined);
    client?.close();
  });

  it('builds and pushes the image, then applies the Deployment that runs it', async () => {
    const { status, json } = await dash.api('/api/apply', { confirmed: true });
    expect(status, JSON.stringify(json)).toBe(200);
    expect(json.progress.join('\n')).toMatch(new RegExp(`\\[web\\] .*${REGISTRY}/${repository}`));
    const tags = (await (await fetch(`http://${REGISTRY}/v2/${repository}/tags/list`)).json()) as { tags?: string[] };
    expect(tags.tags?.length).toBeGreaterThan(0);
    const deployment = (await client.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: ns })) as any;
    const image = String(deployment.spec.template.spec.containers[0].image);
    expect(image).toMatch(new RegExp(`^${REGISTRY}/${repository}(:[^@]+)?@sha256:[0-9a-f]{64}$`));
    // The digest is the one the registry holds for the pushed tag.
    const tag = tags.tags![0]!;
    const manifest = await fetch(`http://${REGISTRY}/v2/${repository}/manifests/${tag}`, { method: 'HEAD', headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json' } });
    expect(image.endsWith(`@${manifest.headers.get('docker-content-digest')}`)).toBe(true);
  }, 180_000);
});
