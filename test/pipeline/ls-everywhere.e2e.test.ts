/**
 * `vela ls` across clusters (real apiservers 1 and 2): with clusters
 * registered, every cluster is listed with a CLUSTER column; a registered
 * cluster that does not answer is named on stderr and the others are listed;
 * `--cluster NAME` lists one; an unknown name is a user error.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient, loadClusterTarget } from '../../src/deploy/index.js';
import { clusterJoin } from '../../src/pipeline/clusters.js';
import Ls from '../../src/commands/ls.js';
import Up from '../../src/commands/up.js';
import { runCommand } from '../cli/harness.js';
import { realCluster, realClustersUnavailable } from '../support/real-clusters.js';

const unavailable = await realClustersUnavailable('test/pipeline/ls-everywhere.e2e.test.ts', 2);
const ns = `vela-e2e-ls-${process.pid}`;
const home = mkdtempSync(join(tmpdir(), 'vela-ls-home-'));
const saved = { home: process.env.VELA_HOME, kubeconfig: process.env.KUBECONFIG, cwd: process.cwd() };
const clients: KubeClient[] = [];

describe.skipIf(!!unavailable)(unavailable ? `vela ls across clusters (skipped: ${unavailable})` : 'vela ls across clusters', () => {
  beforeAll(async () => {
    process.env.VELA_HOME = home;
    process.env.KUBECONFIG = realCluster(1).kubeconfig;
    await clusterJoin({ kubeconfig: realCluster(2).kubeconfig, name: 'staging', timeoutMs: 5000 });
    // A cluster whose API server is gone: port 9 (discard) has no listener on the loopback.
    const gone = join(home, 'gone.kubeconfig');
    writeFileSync(gone, readFileSync(realCluster(2).kubeconfig, 'utf8').replace(/server: https:\/\/[^\s]+/, 'server: https://127.0.0.1:9'));
    await clusterJoin({ kubeconfig: gone, name: 'gone', timeoutMs: 1000 });
    for (const index of [1, 2]) clients.push(new KubeClient(await loadClusterTarget({ kubeconfig: realCluster(index).kubeconfig })));
  });
  afterAll(async () => {
    process.chdir(saved.cwd);
    for (const [k, v] of [['VELA_HOME', saved.home], ['KUBECONFIG', saved.kubeconfig]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    for (const client of clients) {
      await client.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns }).catch(() => undefined);
      client.close();
    }
  });

  it('lists every cluster, names the one that does not answer, and picks one with --cluster', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vela-ls-'));
    writeFileSync(
      join(dir, 'vela.yaml'),
      [`name: both`, `namespace: ${ns}`, 'services:', '  web: {image: nginx:1.25, ports: [{port: 80}]}', 'policies:', '  - {name: two, type: topology, properties: {clusters: [local, staging]}}', ''].join('\n'),
    );
    writeFileSync(join(dir, 'only.yaml'), [`name: only-here`, `namespace: ${ns}`, 'services:', '  api: {image: nginx:1.25, ports: [{port: 80}]}', ''].join('\n'));
    process.chdir(dir);
    const up = await runCommand(Up, ['--yes', '--no-wait', '--skip-build']);
    expect(up.exitCode, up.stderr).toBe(0);
    const one = await runCommand(Up, ['-f', 'only.yaml', '--no-wait', '--skip-build']);
    expect(one.exitCode, one.stderr).toBe(0);

    const listed = await runCommand(Ls, ['-n', ns]);
    expect(listed.exitCode, listed.stderr).toBe(0);
    const rows = listed.stdout.trim().split('\n').map((line) => line.trim().split(/\s{2,}/));
    expect(rows).toEqual([
      ['CLUSTER', 'NAME', 'NAMESPACE', 'SERVICES'],
      ['local', 'both', ns, 'web'],
      ['local', 'only-here', ns, 'api'],
      ['staging', 'both', ns, 'web'],
    ]);
    expect(listed.stderr).toMatch(/^cluster gone: not listed: .*127\.0\.0\.1:9/m);

    const json = await runCommand(Ls, ['-n', ns, '--json']);
    const doc = JSON.parse(json.stdout) as { apps: { cluster: string; name: string }[]; clusters: { cluster: string; ok: boolean }[] };
    expect(doc.apps.map((a) => `${a.cluster}/${a.name}`)).toEqual(['local/both', 'local/only-here', 'staging/both']);
    expect(doc.clusters.map((c) => [c.cluster, c.ok])).toEqual([['local', true], ['gone', false], ['staging', true]]);

    const picked = await runCommand(Ls, ['-n', ns, '--cluster', 'staging']);
    expect(picked.stdout.trim().split('\n').map((line) => line.trim().split(/\s{2,}/))).toEqual([
      ['CLUSTER', 'NAME', 'NAMESPACE', 'SERVICES'],
      ['staging', 'both', ns, 'web'],
    ]);
    expect(picked.stderr).toBe('');

    const down = await runCommand(Ls, ['-n', ns, '--cluster', 'gone']);
    expect(down.exitCode).toBe(2);
    expect(down.stderr).toMatch(/cluster gone: .*127\.0\.0\.1:9/);

    const unknown = await runCommand(Ls, ['--cluster', 'stagin']);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toMatch(/no cluster named "stagin"[\s\S]*staging/);
  }, 120_000);
});
