/**
 * KubeVela Applications (test/fixtures/applications) render client-side
 * through the same definitions, with their warnings at their positions; and
 * `vela dry-run --emit application` writes an Application that renders to
 * the same manifests as the app it came from.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dryRun } from '../../../src/pipeline/dry-run.js';
import { applicationFor } from '../../../src/pipeline/convert.js';
import { formatDiagnosticLine, type Diagnostic } from '../../../src/source/index.js';
import type { JsonObject } from '../../../src/appfile/model.js';
import { memoryEnvironment } from '../../../src/host/index.js';
import DryRun from '../../../src/commands/dry-run.js';
import { runCommand } from '../../cli/harness.js';
import { k8sProblems } from '../../support/k8s-validate.js';

const root = join(import.meta.dirname, '../../..');
const velaHome = join(root, 'test/render/fixtures/no-home');

async function render(file: string, extra: Partial<Parameters<typeof dryRun>[0]> = {}) {
  const r = await dryRun({ cwd: root, file, velaHome, environment: memoryEnvironment({ API_KEY: 'k' }), ...extra });
  const problems = (await Promise.all(r.rendered.manifests.map((m) => k8sProblems(m.object)))).flat();
  return { ...r, problems, kinds: r.rendered.manifests.map((m) => `${m.origin.service}/${m.object.kind}`) };
}
const where = (ws: readonly Diagnostic[]) => ws.map((w) => formatDiagnosticLine(w).replace(/^test\/fixtures\/applications\/[^:]+:/, ''));
const objects = (r: Awaited<ReturnType<typeof render>>) => r.rendered.manifests.map((m) => m.object);

describe('KubeVela Application fixtures', () => {
  it('the quick-start application', async () => {
    const r = await render('test/fixtures/applications/first-vela-app.yaml');
    expect(r.problems).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.rendered.name).toBe('first-vela-app');
    expect(r.kinds).toEqual(['express-server/Deployment', 'express-server/Service']);
  });

  it('components with traits, dependsOn and metadata.namespace', async () => {
    const r = await render('test/fixtures/applications/shop.yaml');
    expect(r.problems).toEqual([]);
    expect(r.rendered.namespace).toBe('shop');
    expect(where(r.warnings)).toEqual(['6:3: metadata.labels of the Application are not copied to the objects; ignored']);
    expect(r.kinds).toEqual(['frontend/Deployment', 'frontend/Service', 'api/Deployment', 'api/Service', 'api/PersistentVolumeClaim']);
    const front = r.rendered.manifests[0]!.object as { spec: { replicas: number }; metadata: { labels: Record<string, string> } };
    expect(front.spec.replicas).toBe(2);
    expect(front.metadata.labels.tier).toBe('web');
    expect(r.rendered.services.find((s) => s.name === 'frontend')!.dependsOn).toEqual(['api']);
  });

  it('override policies are merged in (properties merge-patched, traits merged or disabled) and topology gives the namespace', async () => {
    const r = await render('test/fixtures/applications/multi-env.yaml');
    expect(r.problems).toEqual([]);
    expect(r.rendered.namespace).toBe('portal-prod');
    // garbage-collect is honoured by delivery (keepLegacyResource: nothing pruned), so nothing is warned about.
    expect(r.warnings).toEqual([]);
    const d = r.rendered.manifests[0]!.object as { spec: { replicas: number; template: { spec: { containers: JsonObject[] } } }; metadata: { labels: Record<string, string> } };
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.template.spec.containers[0]).toMatchObject({ image: 'ghcr.io/example/portal:1.0.1', env: [{ name: 'MODE', value: 'prod' }] });
    expect(d.metadata.labels.stage).toBeUndefined();
  });

  it('workers, tasks and cron tasks', async () => {
    const r = await render('test/fixtures/applications/batch.yaml');
    expect(r.problems).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.kinds).toEqual(['queue/Deployment', 'migrate/Job', 'nightly/CronJob']);
  });

  it('a statefulset, delivered by its workflow\'s deploy step; externalRevision is warned about', async () => {
    const r = await render('test/fixtures/applications/database.yaml');
    expect(r.problems).toEqual([]);
    expect(where(r.warnings)).toEqual(['19:7: spec.components[1]: externalRevision has no meaning without the KubeVela controller; ignored']);
    expect(r.kinds[0]).toBe('db/StatefulSet');
  });
});

describe('dry-run --emit application', () => {
  it.each([
    ['an Appfile', 'examples/shop/vela.yaml'],
    ['a compose file', 'test/fixtures/compose/web-db-redis/compose.yaml'],
    ['a compose file with configs and secrets', 'test/fixtures/compose/configs-secrets/compose.yaml'],
    ['an Application', 'test/fixtures/applications/shop.yaml'],
  ])('the Application of %s renders to the same manifests', async (_what, file) => {
    const original = await render(file);
    const app = await applicationFor({ cwd: root, file, velaHome, environment: memoryEnvironment({ API_KEY: 'k' }) });
    expect(app.application).toMatchObject({ apiVersion: 'core.oam.dev/v1beta1', kind: 'Application', metadata: { name: original.rendered.name } });
    const dir = mkdtempSync(join(tmpdir(), 'vela-emit-'));
    writeFileSync(join(dir, 'application.yaml'), app.text);
    const again = await render(join(dir, 'application.yaml'), { cwd: dir });
    expect(objects(again)).toEqual(objects(original));
  });

  it('prints the Application on stdout from the command, with dependsOn and traits', async () => {
    const r = await runCommand(DryRun, ['-f', join(root, 'test/fixtures/applications/shop.yaml'), '--emit', 'application']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^apiVersion: core\.oam\.dev\/v1beta1\nkind: Application\nmetadata:\n  name: shop\n  namespace: shop\n/);
    expect(r.stdout).toContain('      dependsOn:\n        - api\n');
    expect(r.stdout).toContain('        - type: scaler\n          properties:\n            replicas: 2\n');
  });
});

describe('parseApplication', async () => {
  const { parseApplication } = await import('../../../src/appfile/application/index.js');
  const { resolveAppModel } = await import('../../../src/appfile/index.js');
  const { loadRegistry } = await import('../../../src/pipeline/registry.js');
  const { SourceFile } = await import('../../../src/source/index.js');
  const { registry } = await loadRegistry({ cwd: root, velaHome });
  const errors = (text: string) =>
    resolveAppModel(parseApplication(new SourceFile('app.yaml', text), { dir: root }), registry)
      .diagnostics.map((d) => `${d.severity} ${formatDiagnosticLine(d)}`);

  it('checks the header, the names and the components', () => {
    expect(errors('apiVersion: core.oam.dev/v1alpha2\nkind: Application\nmetadata: {name: Demo}\nspec:\n  components: []\n')).toEqual([
      'error app.yaml:1:13: apiVersion: unsupported apiVersion "core.oam.dev/v1alpha2"',
      'error app.yaml:3:18: metadata.name: invalid app name "Demo": must consist of lowercase letters, digits and "-", and start and end with a letter or digit',
      'error app.yaml:5:15: spec.components: spec.components must list at least one component',
    ]);
  });

  it('reports duplicate components, unknown dependencies and overrides that match nothing', () => {
    const text = [
      'apiVersion: core.oam.dev/v1beta1',
      'kind: Application',
      'metadata: {name: demo}',
      'spec:',
      '  components:',
      '    - {name: web, type: worker, properties: {image: a}, dependsOn: [dbb]}',
      '    - {name: web, type: worker, properties: {image: b}}',
      '  policies:',
      '    - name: o',
      '      type: override',
      '      properties: {components: [{name: api, properties: {image: c}}]}',
      '',
    ].join('\n');
    expect(errors(text)).toEqual([
      'error app.yaml:6:69: spec.components[0].dependsOn: unknown component "dbb"',
      'error app.yaml:7:14: spec.components[1].name: duplicate component "web"',
      'warning app.yaml:11:33: spec.policies: this override matches no component',
    ]);
  });
});
