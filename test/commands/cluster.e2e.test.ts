/**
 * The cluster commands end to end against a real kube-apiserver 1.20 + etcd
 * on loopback (`scripts/cluster.sh build && scripts/cluster.sh start`), run
 * in-process as oclif would. There is no scheduler, controller-manager or
 * kubelet: objects are stored and validated, pods stay Pending, so `--wait`
 * is exactly the "never healthy" case.
 *
 * The app is examples/voting without its `dependsOn` lines (a dependsOn wait
 * can never end on this cluster) plus a cron-task, so that the server's
 * version picks the API versions (1.20: batch/v1beta1 CronJob, autoscaling/v2beta2 HPA).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Delete from '../../src/commands/delete.js';
import Ls from '../../src/commands/ls.js';
import Status from '../../src/commands/status.js';
import Up from '../../src/commands/up.js';
import { KubeClient, loadClusterTarget } from '../../src/deploy/index.js';
import { ROOT, runCommand } from '../cli/harness.js';
import { kubeconfig, realClusterUnavailable } from '../support/real-cluster.js';


const unavailable = await realClusterUnavailable('test/commands/cluster.e2e.test.ts');
const clusterTarget = unavailable ? undefined : await loadClusterTarget({ kubeconfig });
const title = unavailable ? `vela commands on a real kube-apiserver (skipped: ${unavailable}; run scripts/cluster.sh build && scripts/cluster.sh start)` : 'vela commands on a real kube-apiserver 1.20';

const ns = `vela-cmd-e2e-${process.pid}`;
const CRON = `
  cleanup:
    type: cron-task
    image: busybox:1.36
    schedule: "*/5 * * * *"
`;
const voting = readFileSync(join(ROOT, 'examples/voting/vela.yaml'), 'utf8')
  .split('\n')
  .filter((l) => !/^\s*dependsOn:/.test(l))
  .join('\n');

describe.skipIf(!!unavailable)(title, () => {
  const dir = mkdtempSync(join(tmpdir(), 'vela-cmd-e2e-'));
  const savedCwd = process.cwd();
  const savedHome = process.env.VELA_HOME;
  const savedCI = process.env.CI;
  const client = clusterTarget && new KubeClient(clusterTarget);
  const k = ['--kubeconfig', kubeconfig, '-n', ns];
  const live = (apiVersion: string, kind: string, name: string) => client!.get({ apiVersion, kind, name, namespace: ns });

  beforeAll(() => {
    writeFileSync(join(dir, 'vela.yaml'), voting + CRON);
    process.chdir(dir);
    process.env.VELA_HOME = join(dir, 'home');
    process.env.CI = '1';
  });
  afterAll(async () => {
    process.chdir(savedCwd);
    for (const [key, v] of [['VELA_HOME', savedHome], ['CI', savedCI]] as const) {
      if (v === undefined) delete process.env[key];
      else process.env[key] = v;
    }
    await client?.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns }).catch(() => undefined);
    client?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('vela up renders for the server version and applies; a second up writes nothing', async () => {
    const r = await runCommand(Up, [...k, '--json']);
    expect(r.stdout).not.toMatch(/"error"/);
    expect(r.exitCode).toBe(0);
    const res = JSON.parse(r.stdout) as { clusterVersion: string; summary: Record<string, number>; objects: Array<{ apiVersion: string; kind: string; name: string }> };
    expect(res.clusterVersion).toMatch(/^v1\.20\./);
    const kinds = new Map(res.objects.map((o) => [o.kind, o.apiVersion]));
    expect(kinds.get('CronJob')).toBe('batch/v1beta1');
    expect(kinds.get('HorizontalPodAutoscaler')).toBe('autoscaling/v2beta2');
    expect(res.summary.created).toBe(res.objects.length);
    expect(await live('batch/v1beta1', 'CronJob', 'cleanup')).toBeDefined();
    expect(await live('apps/v1', 'StatefulSet', 'redis')).toBeDefined();

    const again = await runCommand(Up, [...k, '--json']);
    expect(again.exitCode).toBe(0);
    const a = JSON.parse(again.stdout) as { writes: number; summary: Record<string, number> };
    expect(a.writes).toBe(0);
    expect(a.summary).toEqual({ created: 0, updated: 0, unchanged: res.objects.length, adopted: 0, pruned: 0, released: 0 });
  });

  it('--plan shows an update and prunes without changing anything; up then prunes the removed service only', async () => {
    // redis gets a new image, worker (a Deployment and an HPA) leaves the Appfile.
    const withoutWorker = voting.replace('redis:7-alpine', 'redis:7.2-alpine').replace(/\n  worker:[\s\S]*$/, '\n');
    writeFileSync(join(dir, 'vela.yaml'), withoutWorker + CRON);
    const plan = await runCommand(Up, [...k, '--plan']);
    expect(plan.exitCode).toBe(0);
    const lines = plan.stdout.split('\n');
    expect(lines.find((l) => /^update\s+StatefulSet\s+redis\s+redis\s+spec\.template\.spec\.containers\[0\]\.image$/.test(l))).toBeDefined();
    expect(lines.filter((l) => l.startsWith('prune ')).map((l) => l.split(/\s+/).slice(1, 4).join(' ')).sort()).toEqual(['Deployment worker worker', 'HorizontalPodAutoscaler worker worker']);
    expect(lines.find((l) => /^unchanged\s+CronJob\s+cleanup\s+cleanup$/.test(l))).toBeDefined();
    expect(plan.stdout).toMatch(/0 to create, 1 to update, 2 to prune, 7 unchanged/);
    expect(((await live('apps/v1', 'StatefulSet', 'redis')) as any).spec.template.spec.containers[0].image).toBe('redis:7-alpine');
    expect(await live('apps/v1', 'Deployment', 'worker')).toBeDefined();

    const up = await runCommand(Up, [...k, '--json']);
    expect(up.exitCode).toBe(0);
    const r = JSON.parse(up.stdout) as { summary: Record<string, number>; objects: Array<{ action: string; kind: string; name: string }> };
    expect(r.objects.filter((o) => o.action === 'pruned').map((o) => `${o.kind}/${o.name}`).sort()).toEqual(['Deployment/worker', 'HorizontalPodAutoscaler/worker']);
    expect(r.summary).toEqual({ created: 0, updated: 1, unchanged: 7, adopted: 0, pruned: 2, released: 0 });
    expect(await live('apps/v1', 'Deployment', 'worker')).toBeUndefined();
    expect(await live('autoscaling/v2beta2', 'HorizontalPodAutoscaler', 'worker')).toBeUndefined();
    expect(await live('apps/v1', 'Deployment', 'vote')).toBeDefined();
    expect(await live('batch/v1beta1', 'CronJob', 'cleanup')).toBeDefined();
    expect(((await live('apps/v1', 'StatefulSet', 'redis')) as any).spec.template.spec.containers[0].image).toBe('redis:7.2-alpine');
  });

  // On 1.20 the preferred version of batch (v1) has no CronJob: the inventory must find it through batch/v1beta1.
  it('prunes a CronJob that left the Appfile (batch/v1beta1 on 1.20)', async () => {
    writeFileSync(join(dir, 'vela.yaml'), voting.replace('redis:7-alpine', 'redis:7.2-alpine').replace(/\n  worker:[\s\S]*$/, '\n'));
    const up = await runCommand(Up, [...k, '--json']);
    expect(up.exitCode).toBe(0);
    expect(await live('batch/v1beta1', 'CronJob', 'cleanup')).toBeUndefined();
  });

  it('vela status and vela ls read the app back from the cluster', async () => {
    const st = await runCommand(Status, [...k, '--json']);
    expect(st.exitCode).toBe(0);
    const s = JSON.parse(st.stdout) as { app: string; services: Array<{ name: string; type: string; healthy: boolean; replicas?: string; endpoints: string[] }> };
    expect(s.app).toBe('voting');
    expect(s.services.map((x) => [x.name, x.type, x.healthy, x.replicas])).toEqual([
      ['redis', 'statefulset', false, '0/1'],
      ['vote', 'webservice', false, '0/1'],
    ]);
    expect([...s.services[1]!.endpoints].sort()).toEqual(['http://vote.example.com/', `vote.${ns}.svc:80`]);

    const text = await runCommand(Status, [...k, 'voting']);
    expect(text.stdout).toMatch(/^SERVICE\s+TYPE\s+HEALTH\s+REPLICAS\s+ENDPOINTS\s+MESSAGE$/m);
    expect(text.stdout).toMatch(/not healthy:\nredis:\n {2}- /);

    const ls = await runCommand(Ls, [...k]);
    expect(ls.stdout).toMatch(new RegExp(`^voting\\s+${ns}\\s+redis, vote$`, 'm'));
  });

  it('vela up --wait --timeout 20s ends with exit code 3 and the reason', async () => {
    const r = await runCommand(Up, [...k, '--wait', '--timeout', '20s']);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/service redis is not healthy after 20s: .*StatefulSet/);
    expect(r.stderr).toMatch(/service vote is not healthy after 20s: .*Deployment .*vote/);
    // Pods stay Pending here: there is no controller-manager to make them, nor a scheduler to place them.
    expect(r.stderr).toMatch(/has not observed generation|no pods of|Pending/);
  }, 60_000);

  it('vela delete removes every object of the app, then its inventory', async () => {
    // No --wait: the PVC keeps its kubernetes.io/pvc-protection finalizer forever without a controller-manager.
    const r = await runCommand(Delete, [...k, 'voting', '--yes']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/deleted app voting from namespace .*: \d+ objects/);
    expect(await live('apps/v1', 'Deployment', 'vote')).toBeUndefined();
    expect(await live('v1', 'Service', 'redis')).toBeUndefined();
    expect((await runCommand(Ls, [...k])).stdout).toBe('no apps in the namespace\n');
    const again = await runCommand(Status, [...k, 'voting']);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toMatch(/no app "voting" in namespace/);
  }, 60_000);
});
