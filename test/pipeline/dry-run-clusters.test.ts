/**
 * `vela dry-run --output DIR` for an app with policies: one folder per
 * cluster (DIR/CLUSTER), each with what that cluster gets — its overrides
 * applied, its topology's namespace — planned against the cluster registry
 * (no cluster is contacted); an unknown cluster is refused and nothing written.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Environment } from '../../src/host/index.js';
import { clusterJoin } from '../../src/pipeline/clusters.js';
import { dryRun } from '../../src/pipeline/dry-run.js';
import { upToFolder } from '../../src/pipeline/up.js';
import { failure } from '../support/failure.js';

const home = mkdtempSync(join(tmpdir(), 'vela-dry-mc-'));
const env: Environment = { get: (name) => (name === 'VELA_HOME' ? home : undefined), cwd: home, homeDir: home };

function kubeconfigFile(name: string): string {
  const path = join(home, `${name}.kubeconfig`);
  writeFileSync(path, ['apiVersion: v1', 'kind: Config', `current-context: ${name}`, 'clusters:', `- name: ${name}`, '  cluster: {server: "https://127.0.0.1:9"}', 'contexts:', `- name: ${name}`, `  context: {cluster: ${name}, user: u}`, 'users:', '- name: u', '  user: {token: t}', ''].join('\n'));
  return path;
}

function appDir(...lines: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'vela-dry-mc-app-'));
  writeFileSync(join(dir, 'vela.yaml'), ['name: portal', 'namespace: portal', 'services:', '  web: {image: nginx:1.25, port: 80, scaler: {replicas: 1}}', ...lines, ''].join('\n'));
  return dir;
}

beforeAll(async () => {
  await clusterJoin({ kubeconfig: kubeconfigFile('staging'), name: 'staging', labels: ['env=staging'], env, timeoutMs: 200 });
  await clusterJoin({ kubeconfig: kubeconfigFile('prod'), name: 'prod', labels: ['provider=AWS'], env, timeoutMs: 200 });
});

describe('dry-run --output with policies', () => {
  it('writes one folder per cluster, each with its own overrides and namespace', async () => {
    const dir = appDir(
      'policies:',
      '  - {name: staging, type: topology, properties: {clusters: [staging], namespace: portal-staging}}',
      '  - {name: aws, type: topology, properties: {clusterLabelSelector: {provider: AWS}}}',
      '  - {name: more, type: override, properties: {components: [{name: web, traits: [{type: scaler, properties: {replicas: 3}}]}]}}',
      'workflow:',
      '  steps:',
      '    - {name: s, type: deploy, properties: {policies: [staging]}}',
      '    - {name: p, type: deploy, properties: {policies: [aws, more]}}',
    );
    const out = join(dir, 'out');
    const r = await dryRun({ cwd: dir, environment: env, output: { format: 'yaml', dir: out } });
    expect(r.clusters!.map((c) => c.cluster)).toEqual(['staging', 'prod']);
    expect(readdirSync(out).sort()).toEqual(['prod', 'staging']);
    const deployment = (cluster: string) => readFileSync(join(out, cluster, readdirSync(join(out, cluster)).find((f) => f.includes('deployment'))!), 'utf8');
    expect(deployment('staging')).toMatch(/namespace: portal-staging/);
    expect(deployment('staging')).toMatch(/replicas: 1\n/);
    expect(deployment('prod')).toMatch(/namespace: portal\n/);
    expect(deployment('prod')).toMatch(/replicas: 3\n/);
    expect(r.output!.kind === 'folder' && r.output!.files.every((f) => /^(staging|prod)\//.test(f))).toBe(true);
  });

  it('vela up --output does the same, after the build step', async () => {
    const dir = appDir('policies:', '  - {name: both, type: topology, properties: {clusters: [staging, prod]}}');
    const out = join(dir, 'out');
    const r = await upToFolder({ cwd: dir, environment: env, build: false, output: { format: 'yaml', dir: out } });
    expect(r.clusters!.map((c) => c.cluster)).toEqual(['staging', 'prod']);
    expect(readdirSync(out).sort()).toEqual(['prod', 'staging']);
  });

  it('refuses an unknown cluster at its line and writes nothing', async () => {
    const dir = appDir('policies:', '  - {name: t, type: topology, properties: {clusters: [stagin]}}');
    const err = await failure(dryRun({ cwd: dir, environment: env, output: { format: 'yaml', dir: join(dir, 'out') } }));
    expect(err.exitCode).toBe(1);
    expect(err.message).toMatch(/vela\.yaml:6:\d+: policy t: unknown cluster "stagin"/);
    expect(err.diagnostics[0]!.hint).toMatch(/staging/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});

describe('dry-run --output DIR --layout gitops with policies', () => {
  const kustomization = (path: string) => parse(readFileSync(join(path, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
  const files = (path: string) => readdirSync(path).filter((f) => !f.startsWith('.')).sort();

  it('writes DIR/<env>/<cluster>/ with a kustomization each; a re-run touches nothing; what left a cluster, and a cluster that left, are removed', async () => {
    const dir = appDir(
      'policies:',
      '  - {name: both, type: topology, properties: {clusters: [staging, prod]}}',
      '  - {name: more, type: override, properties: {components: [{name: web, traits: [{type: scaler, properties: {replicas: 3}}]}]}}',
      'workflow:',
      '  steps:',
      '    - {name: s, type: deploy, properties: {policies: [both]}}',
    );
    const out = join(dir, 'deploy');
    const gitops = { format: 'yaml' as const, dir: out, layout: 'gitops' as const };
    const first = await dryRun({ cwd: dir, environment: env, output: gitops });
    const envDir = join(out, 'portal');
    expect(files(envDir)).toEqual(['prod', 'staging']);
    for (const cluster of ['staging', 'prod']) {
      expect(files(join(envDir, cluster))).toEqual(['deployment-web.yaml', 'kustomization.yaml']);
      expect(kustomization(join(envDir, cluster)).resources).toEqual(['deployment-web.yaml']);
    }
    expect(first.output).toMatchObject({ kind: 'gitops', folder: 'portal', removed: [] });
    expect(first.output!.kind === 'gitops' && first.output!.changed).toContain('prod/kustomization.yaml');

    // Unchanged input: no file rewritten.
    const old = new Date(Date.now() - 60_000);
    const all = ['staging', 'prod'].flatMap((c) => files(join(envDir, c)).map((f) => join(envDir, c, f)));
    for (const f of all) utimesSync(f, old, old);
    const before = all.map((f) => statSync(f).mtimeMs);
    const again = await dryRun({ cwd: dir, environment: env, output: gitops });
    expect(again.output).toMatchObject({ changed: [], removed: [] });
    expect(all.map((f) => statSync(f).mtimeMs)).toEqual(before);

    // The override now applies to prod only (a second step), and a worker joins: each folder changes as its cluster does.
    writeFileSync(join(dir, 'vela.yaml'), [
      'name: portal', 'namespace: portal', 'services:', '  web: {image: nginx:1.25, port: 80, scaler: {replicas: 1}}',
      'policies:',
      '  - {name: staging, type: topology, properties: {clusters: [staging]}}',
      '  - {name: prod, type: topology, properties: {clusters: [prod]}}',
      '  - {name: more, type: override, properties: {components: [{name: web, traits: [{type: scaler, properties: {replicas: 5}}]}]}}',
      'workflow:',
      '  steps:',
      '    - {name: s, type: deploy, properties: {policies: [staging]}}',
      '    - {name: p, type: deploy, properties: {policies: [prod, more]}}',
      '',
    ].join('\n'));
    const changed = await dryRun({ cwd: dir, environment: env, output: gitops });
    expect(changed.output).toMatchObject({ changed: ['prod/deployment-web.yaml'], removed: [] });
    expect(readFileSync(join(envDir, 'prod', 'deployment-web.yaml'), 'utf8')).toMatch(/replicas: 5\n/);
    expect(readFileSync(join(envDir, 'staging', 'deployment-web.yaml'), 'utf8')).toMatch(/replicas: 1\n/);

    // prod leaves the app: its files go; a file someone else put there stays.
    writeFileSync(join(envDir, 'prod', 'README.md'), 'mine\n');
    writeFileSync(join(dir, 'vela.yaml'), ['name: portal', 'namespace: portal', 'services:', '  web: {image: nginx:1.25, port: 80, scaler: {replicas: 1}}', 'policies:', '  - {name: staging, type: topology, properties: {clusters: [staging]}}', ''].join('\n'));
    const left = await dryRun({ cwd: dir, environment: env, output: gitops });
    expect(left.output).toMatchObject({ changed: [] });
    expect(left.output!.kind === 'gitops' && [...left.output!.removed].sort()).toEqual(['prod/deployment-web.yaml', 'prod/kustomization.yaml']);
    expect(readdirSync(join(envDir, 'prod'))).toEqual(['README.md']);
    expect(files(join(envDir, 'staging'))).toEqual(['deployment-web.yaml', 'kustomization.yaml']);

    // No policies any more: one folder for the environment, the cluster folders emptied of vela's files.
    writeFileSync(join(dir, 'vela.yaml'), ['name: portal', 'namespace: portal', 'services:', '  web: {image: nginx:1.25, port: 80, scaler: {replicas: 1}}', ''].join('\n'));
    const single = await dryRun({ cwd: dir, environment: env, output: gitops });
    expect(files(envDir)).toEqual(['deployment-web.yaml', 'kustomization.yaml', 'prod', 'staging']);
    expect(readdirSync(join(envDir, 'staging'))).toEqual([]);
    expect(single.output!.kind === 'gitops' && [...single.output!.removed].sort()).toEqual(['staging/deployment-web.yaml', 'staging/kustomization.yaml']);
  });

  it('checks every cluster before writing any: nothing is written when one is refused', async () => {
    const dir = appDir(
      'policies:',
      '  - {name: st, type: topology, properties: {clusters: [staging]}}',
      '  - {name: pr, type: topology, properties: {clusters: [prod]}}',
      '  - {name: bad, type: override, properties: {components: [{name: web, traits: [{type: labels, properties: {"not a label!": x}}]}]}}',
      'workflow:',
      '  steps:',
      '    - {name: s, type: deploy, properties: {policies: [st]}}',
      '    - {name: p, type: deploy, properties: {policies: [pr, bad]}}',
    );
    const err = await failure(dryRun({ cwd: dir, environment: env, output: { format: 'yaml', dir: join(dir, 'deploy'), layout: 'gitops' } }));
    expect(err.exitCode).toBe(1);
    expect(err.message).toMatch(/not a label!/);
    expect(existsSync(join(dir, 'deploy'))).toBe(false);
  });
});
