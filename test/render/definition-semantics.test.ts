/**
 * KubeVela's definition semantics through the renderer (`vela dry-run`), with
 * user definitions in test/render/fixtures/semantics and the trait attributes
 * of test/fixtures/definitions/kinds: default names, conflictsWith, stage,
 * workloadRefPath, manageWorkload, appliesToWorkloads by workload kind and
 * group, open-list patches.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dryRun } from '../../src/pipeline/dry-run.js';
import type { Manifest } from '../../src/render/index.js';
import { DiagnosticError, formatDiagnostics } from '../../src/source/index.js';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const ROOT = join(import.meta.dirname, '../..');
const DEFINITIONS = [join(ROOT, 'test/render/fixtures/semantics'), join(ROOT, 'test/fixtures/definitions/kinds')];

function appfile(...lines: string[]): { cwd: string; file: string } {
  const cwd = mkdtempSync(join(tmpdir(), 'vela-semantics-'));
  const file = join(cwd, 'vela.yaml');
  writeFileSync(file, ['name: app', 'services:', ...lines, ''].join('\n'));
  return { cwd, file };
}

async function render(...lines: string[]): Promise<Manifest[]> {
  const r = await dryRun({ ...appfile(...lines), definitionDirs: DEFINITIONS, velaHome: join(ROOT, 'test/render/fixtures/no-home') });
  return [...r.rendered.manifests];
}

async function renderError(...lines: string[]): Promise<string> {
  const err = await render(...lines).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DiagnosticError);
  return formatDiagnostics((err as DiagnosticError).diagnostics, { color: false });
}

const ids = (ms: readonly Manifest[]) => ms.map((m) => `${String(m.object.kind)}/${String((m.object.metadata as Any).name)}`);

describe('names KubeVela gives', () => {
  it("names a workload without metadata.name after its component, in the app's namespace with the app labels", async () => {
    const [workload] = await render('  web:', '    type: plain-server', '    image: nginx:1.25');
    expect((workload!.object as Any).metadata).toEqual({
      name: 'web',
      namespace: 'default',
      labels: { 'app.oam.dev/name': 'app', 'app.oam.dev/component': 'web', 'app.kubernetes.io/managed-by': 'vela', 'workload.oam.dev/type': 'plain-server' },
    });
  });

  it('names a Knative Service of a ComponentDefinition that leaves the name out', async () => {
    const ms = await render('  hello:', '    type: knative-service', '    image: ghcr.io/example/hello:1', '    port: 8080');
    expect(ids(ms)).toEqual(['Service/hello']);
    expect((ms[0]!.object as Any).spec.template.metadata.annotations).toEqual({ 'autoscaling.knative.dev/max-scale': '5' });
  });

  it('names a trait object without a name <component>-<trait>-<hash>, the same on every run and different for other content', async () => {
    const a = await render('  web:', '    type: plain-server', '    image: nginx', '    nameless-config: {level: debug}');
    const b = await render('  web:', '    type: plain-server', '    image: nginx', '    nameless-config: {level: debug}');
    const c = await render('  web:', '    type: plain-server', '    image: nginx', '    nameless-config: {level: info}');
    const name = (ms: Manifest[]) => String((ms[1]!.object.metadata as Any).name);
    expect(name(a)).toMatch(/^web-nameless-config-[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(name(b)).toBe(name(a));
    expect(name(c)).not.toBe(name(a));
  });
});

describe('trait attributes', () => {
  it('conflictsWith: an error naming both traits, at the later one, pointing at the other', async () => {
    const text = await renderError('  web:', '    image: nginx', '    canary-weights: {weight: 20}', '    blue-green: {active: green}');
    expect(text).toContain('error: vela.yaml:6:5: services.web.blue-green: traits "canary-weights" and "blue-green" cannot be on the same service: the conflictsWith of canary-weights lists blue-green');
    expect(text).toContain('hint: remove one of the two traits');
    expect(text).toContain('see vela.yaml:5:5');
  });

  it('conflictsWith: "*" keeps every other trait away, a label selector matches the other definition\'s labels', async () => {
    expect(await renderError('  web:', '    image: nginx', '    scaler: {replicas: 2}', '    exclusive: {}')).toContain(
      'traits "exclusive" and "scaler" cannot be on the same service: exclusive conflicts with every other trait (conflictsWith: ["*"])',
    );
    // Alone, each is fine.
    expect(ids(await render('  web:', '    image: nginx', '    exclusive: {}'))).toEqual(['Deployment/web']);
  });

  it('stage: PreDispatch objects come before the workload, PostDispatch ones after everything else, and say so', async () => {
    const ms = await render('  web:', '    image: nginx', '    ports: [{port: 80, expose: true}]', '    canary-weights: {weight: 20}', '  other:', '    image: nginx', '    blue-green: {active: green}');
    expect(ms.map((m) => `${m.origin.service}/${String(m.object.kind)}${m.origin.stage ? ` (${m.origin.stage})` : ''}`)).toEqual([
      'web/Deployment',
      'web/Service',
      'web/TrafficSplit (PostDispatch)',
      'other/ConfigMap (PreDispatch)',
      'other/Deployment',
    ]);
  });

  it("workloadRefPath: the trait's objects reference the workload there", async () => {
    const ms = await render('  web:', '    image: nginx', '    canary-weights: {}');
    expect((ms.find((m) => m.object.kind === 'TrafficSplit')!.object as Any).spec).toEqual({ weight: 10, targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' } });
  });

  it('manageWorkload: the workload is left to the trait, whose objects say they manage it', async () => {
    const ms = await render('  web:', '    image: nginx', '    managed-rollout: {replicas: 3}');
    expect(ids(ms)).toEqual(['Rollout/web']);
    const rollout = ms[0]!.object as Any;
    expect(rollout.metadata.labels['trait.oam.dev/manage-workload']).toBe('true');
    expect(rollout.spec.workloadRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' });
    expect(rollout.spec.template.spec.containers[0].image).toBe('nginx');
  });
});

describe('appliesToWorkloads', () => {
  it('matches a workload kind with its group, a group (*.apps) and a workload the template outputs without declaring it', async () => {
    // nameless-config applies to deployments.apps; plain-server declares no workload, its output is a Deployment.
    expect(ids(await render('  web:', '    type: plain-server', '    image: nginx', '    nameless-config: {a: b}'))[0]).toBe('Deployment/web');
    // canary-weights applies to *.apps: a StatefulSet is in that group.
    expect(ids(await render('  db:', '    type: statefulset', '    image: postgres:16', '    canary-weights: {}'))).toEqual(['StatefulSet/db', 'Service/db-headless', expect.stringMatching(/^TrafficSplit\/db-canary-weights-/)]);
  });

  it('refuses a trait whose rules do not match, listing the types it applies to', async () => {
    const text = await renderError('  job:', '    type: task', '    image: busybox', '    canary-weights: {}');
    expect(text).toContain('trait "canary-weights" does not apply to component type "task"');
    expect(text).toMatch(/hint: canary-weights applies to daemon, plain-server, statefulset, webservice, worker/);
  });
});

describe('patches with open lists', () => {
  it('merge the element type into every item, and fixed items by index, leaving the rest', async () => {
    const ms = await render('  web:', '    type: plain-server', '    image: nginx', '    sidecars: [{name: log, image: busybox}]', '    every-container: {seconds: 3}');
    const containers = (ms[0]!.object as Any).spec.template.spec.containers;
    const hook = { preStop: { exec: { command: ['sleep', '3'] } } };
    expect(containers).toEqual([
      { name: 'main', image: 'nginx', env: [{ name: 'FIRST', value: 'yes' }], lifecycle: hook },
      { name: 'log', image: 'busybox', lifecycle: hook },
    ]);
  });
});
