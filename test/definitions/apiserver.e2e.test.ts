/**
 * What the built-in definitions render passes server-side apply on the real
 * kube-apiserver 1.20 (dry run, in a namespace of this run): every case
 * recorded by oracle.test.ts without errs (the workload with the trait's
 * patch applied, and every output), and the talk example. The API server
 * catches what schemas do not, e.g. a privileged container that may not
 * escalate, or an RBAC rule without API groups. Custom resources (Flagger,
 * KEDA, Prometheus operator) are checked against CRDs installed for the run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient, loadClusterTarget, type KubeObject } from '../../src/deploy/index.js';
import { applyJsonPatch } from '../../src/render/json-patch.js';
import { isClusterScoped } from '../../src/render/index.js';
import { dryRun } from '../../src/pipeline/dry-run.js';
import { applyPatch, definitionText, type Json, type JsonObject } from './harness.js';
import { installCrds } from '../support/crds.js';
import { kubeconfig, realClusterUnavailable } from '../support/real-cluster.js';

const root = join(import.meta.dirname, '..', '..');
const GOLDEN_DIR = join(import.meta.dirname, 'golden');
const CRD_DIR = join(root, 'test', 'fixtures', 'crds');

const unavailable = await realClusterUnavailable('test/definitions/apiserver.e2e.test.ts');
const title = unavailable ? `real kube-apiserver (skipped: ${unavailable})` : 'built-in definitions on the real kube-apiserver 1.20';

interface Golden {
  readonly definition: string;
  readonly field?: string;
  readonly request: { readonly parameter: Json; readonly context: JsonObject };
  readonly result: { output?: JsonObject; outputs?: Record<string, JsonObject>; patch?: Json; errs?: string[] };
}

const isJsonPatch = (definition: string) => /\+patchStrategy=jsonPatch\n\s*patch:/.test(definitionText(definition));

/** The objects a recorded case makes, for a 1.20 cluster; none for error cases and cases for other versions. */
function objectsOf(g: Golden): JsonObject[] {
  if (g.field || (g.result.errs ?? []).length > 0) return [];
  const version = g.request.context['clusterVersion'] as { minor: number };
  if (version.minor > 20) return [];
  const base = g.request.context['output'] as JsonObject | undefined;
  const workload = base
    ? g.result.patch === undefined
      ? undefined
      : isJsonPatch(g.definition)
        ? (applyJsonPatch(structuredClone(base), g.result.patch as JsonObject) as JsonObject)
        : (applyPatch(base, g.result.patch) as JsonObject)
    : g.result.output;
  return [...(workload ? [workload] : []), ...Object.values(g.result.outputs ?? {})];
}

const cases = readdirSync(GOLDEN_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => [f.slice(0, -5), objectsOf(JSON.parse(readFileSync(join(GOLDEN_DIR, f), 'utf8')) as Golden)] as const)
  .filter(([, objects]) => objects.length > 0);

const ns = `vela-defs-e2e-${process.pid}`;
// Flux's kinds (helmchart) from the test catalog's fluxcd addon: the fields vela uses.
const FLUX_CRDS = join(root, 'test', 'fixtures', 'catalog', 'addons', 'fluxcd', 'resources', 'crds');
const crds = [
  ...['flagger.yaml', 'keda.yaml', 'prometheus-operator.yaml'].map((f) => join(CRD_DIR, f)),
  ...['helmreleases.yaml', 'helmrepositories.yaml', 'ocirepositories.yaml'].map((f) => join(FLUX_CRDS, f)),
].flatMap((file) => parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as KubeObject));
/** CRDs this run created (and deletes again); those already there are left alone. */
const created: KubeObject[] = [];
let client: KubeClient;

async function serverDryRun(obj: JsonObject): Promise<string> {
  const copy = structuredClone(obj) as KubeObject;
  if (!isClusterScoped(copy.kind)) copy.metadata = { ...copy.metadata, namespace: ns };
  try {
    await client.apply(copy, { dryRun: true, fieldManager: 'vela-defs-e2e' });
    return '';
  } catch (e) {
    return `${String(obj['kind'])}/${String((obj['metadata'] as JsonObject)['name'])}: ${(e as Error).message.replace(/\s*\n\s*/g, ' ')}`;
  }
}

describe.skipIf(!!unavailable)(title, () => {
  beforeAll(async () => {
    const setup = new KubeClient(await loadClusterTarget({ kubeconfig }));
    try {
      await setup.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }, { fieldManager: 'vela-defs-e2e' });
      await installCrds(setup, crds, { fieldManager: 'vela-defs-e2e', timeoutMs: 10_000, intervalMs: 100, created });
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

  it('has recorded cases for it', () => expect(cases.length).toBeGreaterThan(80));

  it.each(cases)('%s', async (_name, objects) => {
    const problems = (await Promise.all(objects.map(serverDryRun))).filter((p) => p !== '');
    expect(problems.join('\n')).toBe('');
  });

  it("the talk example's manifests", async () => {
    const r = await dryRun({ cwd: root, file: 'examples/talk/vela.yaml', velaHome: join(root, 'test/render/fixtures/no-home'), clusterVersion: { major: 1, minor: 20, gitVersion: 'v1.20.15' } });
    expect(r.rendered.manifests.map((m) => String(m.object.kind))).toEqual(['Deployment', 'Ingress', 'Service', 'ScaledObject', 'Deployment', 'Service', 'Ingress']);
    const problems = (await Promise.all(r.rendered.manifests.map((m) => serverDryRun(m.object)))).filter((p) => p !== '');
    expect(problems.join('\n')).toBe('');
  });
});
