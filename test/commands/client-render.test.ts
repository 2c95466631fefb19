/**
 * Rendering on the client: KubeVela Applications with the built-in
 * `helmchart` component give Flux objects; with --render-charts the chart is
 * rendered by `helm template` instead. No helm can be installed on these
 * machines, so a stand-in executable named `helm` on PATH records its
 * arguments and values file and prints fixed manifests. A kustomize folder
 * (the fluxcd addon's `kustomize` component with a local path) is built with
 * the real `kubectl kustomize`, when kubectl is on PATH.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import AddonEnable from '../../src/commands/addon/enable.js';
import DryRun from '../../src/commands/dry-run.js';
import { ROOT, runCommand } from '../cli/harness.js';

const hasKubectl = (() => {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const APP = `apiVersion: core.oam.dev/v1beta1
kind: Application
metadata:
  name: charts
spec:
  components:
    - name: cache
      type: helmchart
      properties:
        chart:
          source: redis
          repoURL: https://charts.example.com/stable
          version: 17.0.0
        release:
          name: my-cache
          namespace: data
        values:
          replica:
            replicaCount: 2
`;

const docsOf = (text: string) => parseAllDocuments(text).map((d) => d.toJSON()).filter(Boolean);

describe('client-side rendering of charts and kustomizations', () => {
  let dir: string;
  const saved = { cwd: process.cwd(), home: process.env.VELA_HOME, path: process.env.PATH };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vela-client-render-'));
    process.chdir(dir);
    process.env.VELA_HOME = join(dir, 'home');
    writeFileSync(join(dir, 'app.yaml'), APP);
  });
  afterEach(() => {
    process.chdir(saved.cwd);
    process.env.PATH = saved.path;
    if (saved.home === undefined) delete process.env.VELA_HOME;
    else process.env.VELA_HOME = saved.home;
    rmSync(dir, { recursive: true, force: true });
  });

  it('helmchart renders to a Flux HelmRepository and HelmRelease with its values', async () => {
    const r = await runCommand(DryRun, ['-f', 'app.yaml']);
    expect(r.exitCode, r.stderr).toBe(0);
    const docs = docsOf(r.stdout);
    const release = docs.find((d) => d.kind === 'HelmRelease');
    expect(release.apiVersion).toMatch(/^helm\.toolkit\.fluxcd\.io\//);
    expect(release.spec.releaseName).toBe('my-cache');
    expect(release.spec.targetNamespace).toBe('data');
    expect(release.spec.values).toEqual({ replica: { replicaCount: 2 } });
    expect(release.spec.chart.spec).toMatchObject({ chart: 'redis', version: '17.0.0' });
    const repo = docs.find((d) => d.kind === 'HelmRepository');
    expect(repo.spec.url).toBe('https://charts.example.com/stable');
  });

  it('--render-charts runs helm template (a stand-in on PATH) and replaces the Flux objects by the chart', async () => {
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const log = join(dir, 'helm-args.json');
    // Records argv and the values file, prints two fixed objects.
    writeFileSync(
      join(bin, 'helm'),
      `#!/usr/bin/env node
const fs = require('fs');
const args = process.argv.slice(2);
const v = args.indexOf('--values');
fs.writeFileSync(${JSON.stringify(log)}, JSON.stringify({ args, values: v >= 0 ? fs.readFileSync(args[v + 1], 'utf8') : null }));
process.stdout.write('apiVersion: v1\\nkind: Service\\nmetadata:\\n  name: my-cache-redis\\nspec:\\n  ports:\\n    - port: 6379\\n      protocol: TCP\\n---\\napiVersion: apps/v1\\nkind: StatefulSet\\nmetadata:\\n  name: my-cache-redis\\nspec:\\n  replicas: 2\\n  serviceName: my-cache-redis\\n  selector:\\n    matchLabels: {app: redis}\\n  template:\\n    metadata:\\n      labels: {app: redis}\\n    spec:\\n      containers:\\n        - name: redis\\n          image: redis:7\\n');
`,
    );
    chmodSync(join(bin, 'helm'), 0o755);
    process.env.PATH = `${bin}${delimiter}${saved.path}`;
    const r = await runCommand(DryRun, ['-f', 'app.yaml', '--render-charts', '--cluster-version', '1.20']);
    expect(r.exitCode, r.stderr).toBe(0);
    const recorded = JSON.parse(readFileSync(log, 'utf8')) as { args: string[]; values: string };
    const valuesAt = recorded.args.indexOf('--values');
    expect([...recorded.args.slice(0, valuesAt), ...recorded.args.slice(valuesAt + 2)]).toEqual([
      'template',
      'my-cache',
      'redis',
      '--namespace',
      'data',
      '--repo',
      'https://charts.example.com/stable',
      '--version',
      '17.0.0',
      '--include-crds',
      '--skip-tests',
      '--kube-version',
      expect.stringMatching(/^v?1\.20/),
    ]);
    expect(recorded.values).toMatch(/replica:\s*\n\s+replicaCount: 2/);
    const docs = docsOf(r.stdout);
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`).sort()).toEqual(['Service/my-cache-redis', 'StatefulSet/my-cache-redis']);
    expect(docs.every((d) => d.metadata.namespace === 'data')).toBe(true);
    expect(r.stderr).toContain('rendered on the client with helm template');
  });

  it('--render-charts without helm on PATH is an environment error (exit 2) that says so', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    process.env.PATH = empty;
    const r = await runCommand(DryRun, ['-f', 'app.yaml', '--render-charts']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--render-charts needs the helm command');
  });

  it.skipIf(!hasKubectl)(`a kustomize component with a local folder is built with kubectl kustomize${hasKubectl ? '' : ' (skipped: no kubectl on PATH)'}`, async () => {
    expect((await runCommand(AddonEnable, ['fluxcd', '--registry', join(ROOT, 'test/fixtures/catalog'), '--definitions-only'])).exitCode).toBe(0);
    mkdirSync(join(dir, 'deploy'));
    writeFileSync(join(dir, 'deploy/kustomization.yaml'), 'resources: [config.yaml]\nnamePrefix: prod-\ncommonLabels:\n  tier: web\n');
    writeFileSync(join(dir, 'deploy/config.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  level: "3"\n');
    writeFileSync(join(dir, 'kapp.yaml'), 'apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata:\n  name: kapp\nspec:\n  components:\n    - name: site\n      type: kustomize\n      properties:\n        path: ./deploy\n');
    const r = await runCommand(DryRun, ['-f', 'kapp.yaml']);
    expect(r.exitCode, r.stderr).toBe(0);
    const docs = docsOf(r.stdout);
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(['ConfigMap/prod-settings']);
    expect(docs[0].metadata.labels.tier).toBe('web');
    expect(docs[0].data).toEqual({ level: '3' });
  });
});
