/**
 * The compatibility suite's Applications (test/compat/applications), rendered
 * for Kubernetes 1.20, pass server-side apply on the real kube-apiserver
 * (dry run, in a namespace of this run). The API server checks what schemas
 * do not: names (a ClusterRole named `<namespace>:<account>`), immutable
 * and defaulted fields, RBAC rules. Custom resources (Knative, Terraform,
 * Flagger, KEDA, Prometheus operator) are checked against CRDs installed for
 * the run; the CRDs of other projects are ours, for the fields we use.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient, loadClusterTarget, type KubeObject } from '../../src/deploy/index.js';
import { prepareObject } from '../../src/deploy/apply/apply-object.js';
import { loadApp } from '../../src/pipeline/load-app.js';
import { clusterObserver } from '../../src/pipeline/observe.js';
import { renderWithImages } from '../../src/pipeline/dry-run.js';
import { isClusterScoped, type Manifest } from '../../src/render/index.js';
import { installCrds } from '../support/crds.js';
import { kubeconfig, realClusterUnavailable } from '../support/real-cluster.js';
import { APPLICATIONS, COMPAT_DEFINITIONS, NO_HOME, ROOT, renderApplication } from './harness.js';

const unavailable = await realClusterUnavailable('test/compat/apiserver.e2e.test.ts');
const title = unavailable ? `real kube-apiserver (skipped: ${unavailable})` : "KubeVela users' Applications on the real kube-apiserver 1.20";

const ns = `vela-compat-e2e-${process.pid}`;
const CRD_FILES = ['knative-serving.yaml', 'terraform.yaml', 'flagger.yaml', 'keda.yaml', 'prometheus-operator.yaml'];
const crds = CRD_FILES.flatMap((f) => parseAllDocuments(readFileSync(join(ROOT, 'test/fixtures/crds', f), 'utf8')).map((d) => d.toJS() as KubeObject));
/** CRDs this run created (and deletes again); those already there are left alone. */
const created: KubeObject[] = [];
let client: KubeClient;

/** Sent as `vela up` sends it (a member of the app's applyset, with the defaults 1.20 needs), but as a dry run. */
async function serverDryRun(m: Manifest): Promise<string> {
  const obj = await prepareObject(client, m, ns, 'compat-e2e');
  try {
    await client.apply(obj, { dryRun: true, fieldManager: 'vela-compat-e2e' });
    return '';
  } catch (e) {
    return `${obj.kind}/${obj.metadata?.name}: ${(e as Error).message.replace(/\s*\n\s*/g, ' ')}`;
  }
}

describe.skipIf(!!unavailable)(title, () => {
  beforeAll(async () => {
    const setup = new KubeClient(await loadClusterTarget({ kubeconfig }));
    try {
      await setup.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }, { fieldManager: 'vela-compat-e2e' });
      await installCrds(setup, crds, { fieldManager: 'vela-compat-e2e', timeoutMs: 10_000, intervalMs: 100, created });
    } finally {
      setup.close();
    }
    // A fresh client: its discovery sees the new kinds.
    client = new KubeClient(await loadClusterTarget({ kubeconfig }));
  }, 60_000);

  afterAll(async () => {
    await client?.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns }).catch(() => undefined);
    for (const crd of created) await client?.delete({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: crd.metadata!.name! }).catch(() => undefined);
    client?.close();
  });

  it.each(APPLICATIONS)('%s: every object passes server-side apply (dry run)', async (app) => {
    const rendered = await renderApplication(app, { namespace: ns, clusterVersion: { major: 1, minor: 20, gitVersion: 'v1.20.15' } });
    const ms = rendered.manifests;
    expect(ms.length).toBeGreaterThan(0);
    // Rendered into this run's namespace, so nothing is checked against another's objects.
    for (const m of ms) if (!isClusterScoped(String(m.object.kind))) expect((m.object.metadata as { namespace?: string }).namespace).toBe(ns);
    const problems = (await Promise.all(ms.map(serverDryRun))).filter((p) => p !== '');
    expect(problems.join('\n')).toBe('');
  });

  it('ref-objects reads its objects from the cluster and delivers them with the app, without what the server owns', async () => {
    const owned = { 'app.example.com/part-of': 'payments' };
    await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'payments-settings', namespace: ns }, data: { currency: 'EUR' } }, { fieldManager: 'platform-team' });
    await client.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'payments-tls', namespace: ns, labels: owned }, type: 'Opaque', data: { key: 'c2VjcmV0' } }, { fieldManager: 'platform-team' });
    const { app, loaded } = await loadApp({ cwd: ROOT, file: 'test/compat/cluster-applications/ref-objects.yaml', definitionDirs: [COMPAT_DEFINITIONS], velaHome: NO_HOME });
    const { rendered } = await renderWithImages(app, loaded.registry, {}, { namespace: ns, clusterVersion: { major: 1, minor: 20, gitVersion: 'v1.20.15' }, observer: clusterObserver(client) });
    const refs = rendered.manifests.filter((m) => m.origin.service === 'payments-config').map((m) => m.object as KubeObject);
    expect(refs.map((o) => `${o.kind}/${o.metadata?.name}`).sort()).toEqual(['ConfigMap/payments-settings', 'Secret/payments-tls']);
    const config = refs.find((o) => o.kind === 'ConfigMap')!;
    expect(config).toMatchObject({ data: { currency: 'EUR' }, metadata: { namespace: ns } });
    // What the server set is not delivered back.
    expect(config.metadata).not.toHaveProperty('resourceVersion');
    expect(config.metadata).not.toHaveProperty('uid');
    expect(config.metadata).not.toHaveProperty('managedFields');
    const problems = (await Promise.all(rendered.manifests.map(serverDryRun))).filter((p) => p !== '');
    expect(problems.join('\n')).toBe('');
  });

  it('refuses what the API server refuses: the check can fail', async () => {
    const [deployment] = (await renderApplication('platform-traits.yaml', { namespace: ns, clusterVersion: { major: 1, minor: 20, gitVersion: 'v1.20.15' } })).manifests;
    const object = structuredClone(deployment!.object);
    (object.metadata as { name: string }).name = 'Not_A_Name';
    expect(await serverDryRun({ ...deployment!, object })).toMatch(/Not_A_Name/);
  });
});
