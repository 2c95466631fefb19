/**
 * A frozen API server (SIGSTOP: it keeps its port, answers nothing) bounds
 * `vela up` by --timeout: exit 2 with a message naming the server and the
 * request it never answered, progress while it waits, and no more than the
 * time asked for. Cluster 2 of `scripts/cluster.sh start --clusters 3`,
 * always thawed in `finally`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Delete from '../../src/commands/delete.js';
import Up from '../../src/commands/up.js';
import { DISRUPTABLE_CLUSTER, pauseApiserver, realCluster, realClustersUnavailable, withDisruptedCluster } from '../support/real-clusters.js';
import { runCommand } from '../cli/harness.js';

const unavailable = await realClustersUnavailable('test/commands/frozen-apiserver.e2e.test.ts', DISRUPTABLE_CLUSTER);
const title = unavailable ? `vela up against a frozen API server (skipped: ${unavailable})` : `vela up against a frozen API server (cluster ${DISRUPTABLE_CLUSTER})`;

const ns = `vela-frozen-${process.pid}`;

describe.skipIf(!!unavailable)(title, () => {
  const dir = mkdtempSync(join(tmpdir(), 'vela-frozen-'));
  const savedCwd = process.cwd();
  const savedCI = process.env.CI;
  const savedHome = process.env.VELA_HOME;

  beforeAll(() => {
    writeFileSync(join(dir, 'vela.yaml'), `name: frozen\nservices:\n  web:\n    image: nginx:1.25\n`);
    process.chdir(dir);
    process.env.CI = '1';
    process.env.VELA_HOME = join(dir, 'home');
  });
  afterAll(async () => {
    const cluster = realCluster(DISRUPTABLE_CLUSTER);
    await runCommand(Delete, ['--kubeconfig', cluster.kubeconfig, '-n', ns, 'frozen', '--yes']);
    process.chdir(savedCwd);
    for (const [key, value] of [['CI', savedCI], ['VELA_HOME', savedHome]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('is bounded by --timeout: exit 2 naming the server, with progress while it waits', async () => {
    const cluster = realCluster(DISRUPTABLE_CLUSTER);
    const k = ['--kubeconfig', cluster.kubeconfig, '-n', ns];
    // Deployed while the server answers, so the frozen run has an app to change.
    expect((await runCommand(Up, [...k, '--no-wait'])).exitCode).toBe(0);
    writeFileSync(join(dir, 'vela.yaml'), `name: frozen\nservices:\n  web:\n    image: nginx:1.27\n`);
    let started = 0;
    const r = await withDisruptedCluster(cluster, async () => {
      pauseApiserver(cluster);
      started = Date.now();
      return runCommand(Up, [...k, '--no-wait', '--timeout', '8s', '--request-timeout', '6s']);
    });
    const elapsed = Date.now() - started;
    expect(r.exitCode).toBe(2);
    expect(elapsed).toBeGreaterThanOrEqual(8000);
    expect(elapsed).toBeLessThan(14_000);
    expect(r.stderr).toContain(`vela up did not finish within 8s (--timeout): the Kubernetes API server at ${cluster.server}`);
    expect(r.stderr).toMatch(/had not answered GET \/version for [78](\.\d)?s/);
    // Said while waiting, before the end.
    expect(r.stderr).toMatch(/still waiting for the Kubernetes API server: GET \/version \(5s\)/);

    // Thawed, the next run converges.
    const again = await runCommand(Up, [...k, '--no-wait', '--json']);
    expect(again.exitCode).toBe(0);
    expect((JSON.parse(again.stdout) as { summary: { updated: number } }).summary.updated).toBe(1);
  }, 60_000);
});
