/**
 * The render path end to end (Appfile → definitions → CUE → manifests), on the
 * examples (golden files) and on an app that uses every built-in definition.
 * Golden files are rewritten with UPDATE_GOLDEN=1.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dryRun } from '../../src/pipeline/dry-run.js';
import { manifestsToYaml } from '../../src/render/index.js';
import { DiagnosticError, formatDiagnostics } from '../../src/source/index.js';
import { k8sProblems } from '../support/k8s-validate.js';
import { expectGolden } from '../support/golden.js';

const root = join(import.meta.dirname, '../..');
const examples = readdirSync(join(root, 'examples')).filter((d) => existsSync(join(root, 'examples', d, 'vela.yaml')));

async function render(file: string, extra: Partial<Parameters<typeof dryRun>[0]> = {}) {
  return dryRun({ cwd: root, file, velaHome: join(root, 'test/render/fixtures/no-home'), ...extra });
}

async function renderError(file: string, extra: Partial<Parameters<typeof dryRun>[0]> = {}): Promise<string> {
  const err = await render(file, extra).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DiagnosticError);
  return formatDiagnostics((err as DiagnosticError).diagnostics);
}

describe('examples render to their golden manifests', () => {
  it.each(examples)('%s', async (name) => {
    const r = await render(`examples/${name}/vela.yaml`);
    const text = manifestsToYaml(r.rendered.manifests);
    const golden = join(root, 'test/render/golden', `${name}.yaml`);
    expectGolden(golden, text);
    for (const m of r.rendered.manifests) expect(await k8sProblems(m.object)).toEqual([]);
  });
});

describe('every built-in definition', () => {
  it('renders valid Kubernetes objects, deterministically', async () => {
    const a = await render('test/render/fixtures/everything.yaml');
    const b = await render('test/render/fixtures/everything.yaml');
    expect(manifestsToYaml(a.rendered.manifests)).toBe(manifestsToYaml(b.rendered.manifests));
    const problems = (await Promise.all(a.rendered.manifests.map((m) => k8sProblems(m.object)))).flat();
    expect(problems).toEqual([]);
    const kinds = a.rendered.manifests.map((m) => `${m.origin.service}/${m.object.kind}`);
    expect(kinds).toEqual(expect.arrayContaining(['web/Deployment', 'web/Ingress', 'web/ServiceAccount', 'web/PersistentVolumeClaim', 'worker/HorizontalPodAutoscaler', 'migrate/Job', 'report/CronJob', 'agent/DaemonSet', 'db/StatefulSet', 'extras/ConfigMap']));
  });

  it('puts labels and the namespace on every object and patches the workload in trait order', async () => {
    const r = await render('test/render/fixtures/everything.yaml');
    for (const m of r.rendered.manifests) {
      const meta = m.object.metadata as { labels: Record<string, string>; namespace?: string };
      expect(meta.labels['app.oam.dev/name']).toBe('everything');
      expect(meta.labels['app.oam.dev/component']).toBe(m.origin.service);
      expect(meta.labels['app.kubernetes.io/managed-by']).toBe('vela');
      expect(meta.namespace).toBe('prod');
      if (m.origin.trait) expect(meta.labels['trait.oam.dev/type']).toBe(m.origin.trait);
    }
    const web = r.rendered.manifests.find((m) => m.origin.service === 'web' && m.object.kind === 'Deployment')!.object as any;
    expect(web.metadata.labels['workload.oam.dev/type']).toBe('webservice');
    expect(web.spec.replicas).toBe(3);
    const containers = web.spec.template.spec.containers as { name: string; env?: { name: string }[]; args?: string[] }[];
    expect(containers.map((c) => c.name)).toEqual(['web', 'log-shipper']);
    expect(containers[0]!.env!.map((e) => e.name)).toEqual(['MODE', 'PASSWORD', 'EXTRA']);
    expect(containers[0]!.args).toEqual(['--verbose']);
    expect(web.spec.template.spec.initContainers[0].name).toBe('fetch-assets');
    expect(web.spec.template.spec.serviceAccountName).toBe('web-sa');
    expect(web.metadata.annotations['patched-by']).toBe('merge');
    expect(web.spec.template.metadata.annotations['patched-by']).toBe('json-patch');
  });

  it('orders objects by service, each knowing where it came from', async () => {
    const r = await render('test/render/fixtures/everything.yaml');
    const services = r.rendered.manifests.map((m) => m.origin.service);
    const order = ['web', 'worker', 'migrate', 'report', 'agent', 'db', 'extras'];
    expect([...new Set(services)]).toEqual(order);
    for (const m of r.rendered.manifests) {
      expect(m.origin.span).toBeDefined();
      expect(m.origin.span!.file.name).toBe('test/render/fixtures/everything.yaml');
    }
  });

  it('chooses API versions from the cluster version', async () => {
    const old = await render('test/render/fixtures/everything.yaml', { clusterVersion: { major: 1, minor: 20, gitVersion: 'v1.20.2' } });
    const kinds = Object.fromEntries(old.rendered.manifests.map((m) => [String(m.object.kind), String(m.object.apiVersion)]));
    expect(kinds.CronJob).toBe('batch/v1beta1');
    expect(kinds.HorizontalPodAutoscaler).toBe('autoscaling/v2beta2');
    const cur = await render('test/render/fixtures/everything.yaml');
    const now = Object.fromEntries(cur.rendered.manifests.map((m) => [String(m.object.kind), String(m.object.apiVersion)]));
    expect(now.CronJob).toBe('batch/v1');
    expect(now.HorizontalPodAutoscaler).toBe('autoscaling/v2');
    for (const m of old.rendered.manifests) expect(await k8sProblems(m.object)).toEqual([]);
  });

  it('uses the namespace flag over the Appfile', async () => {
    const r = await render('test/render/fixtures/everything.yaml', { namespace: 'staging' });
    expect(new Set(r.rendered.manifests.map((m) => (m.object.metadata as { namespace: string }).namespace))).toEqual(new Set(['staging']));
  });
});

describe('bad input is a clear error at the right line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vela-render-'));
  const write = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('an unknown trait, with a suggestion', async () => {
    const f = write('a.yaml', 'name: a\nservices:\n  web:\n    image: nginx\n    scalerr:\n      replicas: 2\n');
    const out = await renderError(f);
    expect(out).toMatch(/a\.yaml:5:5/);
    expect(out).toContain('scaler');
  });

  it('a wrong parameter type points at the value', async () => {
    const f = write('b.yaml', 'name: b\nservices:\n  web:\n    image: nginx\n    port: "80"\n');
    const out = await renderError(f);
    expect(out).toMatch(/b\.yaml:5:11: services\.web\.port: must be integer/);
  });

  it('a missing required parameter', async () => {
    const f = write('c.yaml', 'name: c\nservices:\n  web:\n    port: 80\n');
    const out = await renderError(f);
    expect(out).toMatch(/c\.yaml:3:3/);
    expect(out).toContain('image');
  });

  it('a trait that does not apply to the component', async () => {
    const f = write('d.yaml', 'name: d\nservices:\n  job:\n    type: task\n    image: busybox\n    scaler:\n      replicas: 2\n');
    const out = await renderError(f);
    expect(out).toMatch(/d\.yaml:6:5/);
    expect(out).toMatch(/scaler/);
  });

  it('two traits patching one field differently', async () => {
    const defs = join(dir, 'defs');
    rmSync(defs, { recursive: true, force: true });
    mkdirp(defs);
    writeFileSync(
      join(defs, 'pin.cue'),
      'pin: {type: "trait", description: "pins the replica count", attributes: appliesToWorkloads: ["*"]}\ntemplate: {\n\tpatch: spec: replicas: parameter.n\n\tparameter: n: int\n}\n',
    );
    writeFileSync(
      join(defs, 'pin2.cue'),
      'pin2: {type: "trait", description: "pins it again", attributes: appliesToWorkloads: ["*"]}\ntemplate: {\n\tpatch: spec: replicas: parameter.n\n\tparameter: n: int\n}\n',
    );
    const f = write('e.yaml', 'name: e\nservices:\n  web:\n    image: nginx\n    pin: {n: 2}\n    pin2: {n: 3}\n');
    const out = await renderError(f, { definitionDirs: [defs] });
    expect(out).toMatch(/e\.yaml:6:5: services\.web\.pin2: trait pin2 cannot patch spec\.replicas/);
    expect(out).toMatch(/2 and 3|3 and 2/);
  });

  it('a definition that fails to evaluate points into the definition', async () => {
    const defs = join(dir, 'defs2');
    mkdirp(defs);
    writeFileSync(join(defs, 'broken.cue'), 'broken: {type: "component", description: "broken"}\ntemplate: {\n\toutput: {apiVersion: "v1", kind: "ConfigMap", metadata: name: context.name, data: x: parameter.n + "s"}\n\tparameter: n: int\n}\n');
    const f = write('f.yaml', 'name: f\nservices:\n  cm:\n    type: broken\n    n: 1\n');
    const out = await renderError(f, { definitionDirs: [defs] });
    expect(out).toMatch(/f\.yaml:3:3: services\.cm: broken: output\.data\.x/);
    expect(out).toMatch(/defs2\/broken\.cue:3:/);
  });

  it('errs from a template become errors at the service', async () => {
    const defs = join(dir, 'defs3');
    mkdirp(defs);
    writeFileSync(join(defs, 'picky.cue'), 'picky: {type: "component", description: "refuses small sizes"}\ntemplate: {\n\toutput: {apiVersion: "v1", kind: "ConfigMap", metadata: name: context.name}\n\tparameter: size: int\n\tif parameter.size < 10 {errs: ["size must be at least 10"]}\n}\n');
    const f = write('g.yaml', 'name: g\nservices:\n  cm:\n    type: picky\n    size: 3\n');
    const out = await renderError(f, { definitionDirs: [defs] });
    expect(out).toMatch(/g\.yaml:3:3: services\.cm: picky: size must be at least 10/);
  });
});

function mkdirp(p: string) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('node:fs').mkdirSync(p, { recursive: true });
}
