/**
 * `vela cluster join` of the three real clusters of `scripts/cluster.sh start
 * --clusters 3` (each its own kube-apiserver 1.20, CA and token), then
 * `vela cluster list` shows them reachable with their versions, probed in
 * parallel; a cluster joined with --copy keeps answering through its copy.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import ClusterJoin from '../../src/commands/cluster/join.js';
import ClusterList from '../../src/commands/cluster/list.js';
import { listRealClusters, realClustersUnavailable } from '../support/real-clusters.js';
import { runCommand, type RunResult } from '../cli/harness.js';

const unavailable = await realClustersUnavailable('test/commands/cluster-registry.e2e.test.ts', 3);
const title = unavailable ? `vela cluster against three real clusters (skipped: ${unavailable})` : 'vela cluster against three real clusters';
const clusters = unavailable ? [] : listRealClusters().slice(0, 3);
const scratch = mkdtempSync(join(tmpdir(), 'vela-cluster-e2e-'));
const saved = { home: process.env.VELA_HOME, kubeconfig: process.env.KUBECONFIG, ci: process.env.CI };

interface Row {
  name: string;
  source: string;
  server: string;
  reachable: boolean;
  version?: string;
  problem?: string;
  labels: Record<string, string>;
}

/** Other suites stop or freeze cluster 2 for a moment: a second look before failing. */
async function listed(): Promise<{ run: RunResult; rows: Row[] }> {
  let run = await runCommand(ClusterList, ['--json', '--timeout', '3s']);
  let rows = JSON.parse(run.stdout) as Row[];
  if (rows.some((r) => !r.reachable)) {
    await new Promise((r) => setTimeout(r, 3000));
    run = await runCommand(ClusterList, ['--json', '--timeout', '3s']);
    rows = JSON.parse(run.stdout) as Row[];
  }
  return { run, rows };
}

describe.skipIf(!!unavailable)(title, () => {
  beforeEach(() => {
    process.env.VELA_HOME = mkdtempSync(join(scratch, 'home-'));
    process.env.KUBECONFIG = clusters[0]!.kubeconfig;
    process.env.CI = '1';
  });
  afterEach(() => {
    for (const [k, v] of [['VELA_HOME', saved.home], ['KUBECONFIG', saved.kubeconfig], ['CI', saved.ci]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('joins three clusters and lists them with their versions', async () => {
    const names = ['one', 'two', 'three'];
    for (const [i, c] of clusters.entries()) {
      const r = await runCommand(ClusterJoin, [c.kubeconfig, '--name', names[i]!, '--labels', `index=${c.index},fleet=test`, ...(i === 2 ? ['--copy'] : []), '--json']);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ name: names[i], server: c.server, copied: i === 2 });
    }
    const started = Date.now();
    const { run, rows } = await listed();
    expect(run.exitCode).toBe(0);
    expect(rows.map((r) => [r.name, r.source, r.server, r.labels])).toEqual([
      ['local', 'local', clusters[0]!.server, {}],
      ['one', 'kubeconfig', clusters[0]!.server, { index: '1', fleet: 'test' }],
      ['three', 'copy', clusters[2]!.server, { index: '3', fleet: 'test' }],
      ['two', 'kubeconfig', clusters[1]!.server, { index: '2', fleet: 'test' }],
    ]);
    for (const r of rows) {
      expect(r.reachable, `${r.name}: ${r.problem}`).toBe(true);
      expect(r.version).toMatch(/^v1\.20\.\d+/);
    }
    // Probed at once: four clusters well within two timeouts' time.
    expect(Date.now() - started).toBeLessThan(15_000);

    const table = await runCommand(ClusterList, ['--timeout', '3s']);
    expect(table.stdout.split('\n')[0]).toBe(table.stdout.split('\n')[0]!.replace(/\s+$/, ''));
    expect(table.stdout).toMatch(/^two\s+kubeconfig\s+https:\/\/127\.0\.0\.1:\d+\s+fleet=test,index=2\s+yes\s+v1\.20\.\d+/m);
  });
});
