/**
 * `vela dry-run --output DIR` for an app with policies: one folder per
 * cluster (DIR/CLUSTER), each with what that cluster gets — its overrides
 * applied, its topology's namespace — planned against the cluster registry
 * (no cluster is contacted); an unknown cluster is refused and nothing written.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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
