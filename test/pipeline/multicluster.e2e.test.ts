/**
 * One app, several real clusters (scripts/cluster.sh start --clusters 4): the
 * workflow of an Appfile delivered by `vela up`'s pipeline — topology by name
 * and by label, an override raising replicas, a suspend resumed from outside,
 * the state beside the app in the local cluster, a second run converging with
 * no writes; a cluster that is down fails its step with its own message while
 * the others are delivered, and a run once it is back converges; an unknown
 * cluster is refused before anything is applied anywhere.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseAllDocuments } from 'yaml';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient, loadClusterTarget, type KubeObject } from '../../src/deploy/index.js';
import type { Environment } from '../../src/host/index.js';
import { formatDiagnosticLine } from '../../src/source/index.js';
import { clusterDetach, clusterJoin } from '../../src/pipeline/clusters.js';
import { deliverWorkflow, type WorkflowDeliverOptions } from '../../src/pipeline/deliver-workflow.js';
import { deleteEverywhere, statusEverywhere } from '../../src/pipeline/cluster-targets.js';
import { clusterStatus } from '../../src/pipeline/cluster.js';
import { workflowResume, workflowStatus } from '../../src/pipeline/workflow.js';
import Up from '../../src/commands/up.js';
import { runCommand } from '../cli/harness.js';
import { installCrds } from '../support/crds.js';
import { failure } from '../support/failure.js';
import { listRealClusters, realCluster, realClustersUnavailable, stopApiserver, startApiserver, withDisruptedCluster, type RealCluster } from '../support/real-clusters.js';

const unavailable = await realClustersUnavailable('test/pipeline/multicluster.e2e.test.ts', 3);
const title = unavailable ? `delivery across real clusters (skipped: ${unavailable})` : 'delivery across real clusters';
const ns = `vela-e2e-mc-${process.pid}`;
const home = mkdtempSync(join(tmpdir(), 'vela-mc-home-'));
let env: Environment;
let clients: Map<number, KubeClient>;

function appDir(name: string, ...lines: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), `vela-mc-${name}-`));
  writeFileSync(join(dir, 'vela.yaml'), [`name: ${name}`, `namespace: ${ns}`, 'services:', '  web: {image: nginx:1.25, port: 80, scaler: {replicas: 1}}', ...lines, ''].join('\n'));
  return dir;
}

const options = (cwd: string, extra: Partial<WorkflowDeliverOptions> = {}): WorkflowDeliverOptions => ({
  cwd,
  build: false,
  cluster: { kubeconfig: realCluster(1).kubeconfig, environment: env, retry: { retries: 1, baseDelayMs: 50, maxDelayMs: 100 }, requestTimeoutMs: 10_000 },
  timeoutMs: 60_000,
  pollMs: 200,
  ...extra,
});

/** The replicas of the Deployment `web` in cluster `index` (every app here has one service, web, in its own run). */
async function replicas(index: number): Promise<number | undefined> {
  const live = await clients.get(index)!.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: ns });
  return live ? (live.spec as { replicas: number }).replicas : undefined;
}

describe.skipIf(!!unavailable)(title, () => {
  beforeAll(async () => {
    env = { get: (name) => (name === 'VELA_HOME' ? home : name === 'KUBECONFIG' ? realCluster(1).kubeconfig : process.env[name]), cwd: process.cwd(), homeDir: home };
    mkdirSync(home, { recursive: true });
    clients = new Map();
    const clusters: RealCluster[] = listRealClusters();
    for (const c of clusters) clients.set(c.index, new KubeClient(await loadClusterTarget({ kubeconfig: c.kubeconfig })));
    await clusterJoin({ kubeconfig: realCluster(2).kubeconfig, name: 'staging', labels: ['env=staging'], env, timeoutMs: 5000 });
    await clusterJoin({ kubeconfig: realCluster(3).kubeconfig, name: 'prod-eu', labels: ['env=prod,provider=AWS'], env, timeoutMs: 5000 });
    if (clusters.some((c) => c.index === 4)) await clusterJoin({ kubeconfig: realCluster(4).kubeconfig, name: 'edge', labels: ['env=edge'], env, timeoutMs: 5000 });
  });
  afterAll(async () => {
    for (const client of clients?.values() ?? []) {
      await client.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns }).catch(() => undefined);
      client.close();
    }
  });

  it('delivers by name and by label, with the override, through a suspend resumed from outside; a second run converges without writes', async () => {
    const dir = appDir(
      'portal',
      'policies:',
      '  - {name: staging, type: topology, properties: {clusters: [staging]}}',
      '  - {name: aws, type: topology, properties: {clusterLabelSelector: {provider: AWS}}}',
      '  - {name: more, type: override, properties: {components: [{name: web, traits: [{type: scaler, properties: {replicas: 3}}]}]}}',
      'workflow:',
      '  steps:',
      '    - {name: deploy-staging, type: deploy, properties: {policies: [staging]}}',
      '    - {name: hold, type: suspend}',
      '    - {name: deploy-prod, type: deploy, properties: {policies: [aws, more]}}',
    );
    const running = deliverWorkflow(options(dir));
    // Another process (here: the pipeline of `vela workflow resume`) resumes once the run waits.
    const cluster = { kubeconfig: realCluster(1).kubeconfig, environment: env, namespace: ns };
    for (let i = 0; ; i++) {
      const st = await workflowStatus({ app: 'portal', cwd: dir }, cluster).catch(() => undefined);
      if (st?.state.suspended) break;
      if (i > 300) throw new Error('the run never waited at the suspend step');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await replicas(2)).toBe(1);
    expect(await replicas(3)).toBeUndefined();
    await workflowResume({ app: 'portal', cwd: dir }, cluster);
    const r = await running;
    expect(r.phase).toBe('succeeded');
    expect(r.targets.map((t) => `${t.step} ${t.cluster} ${t.ok}`)).toEqual(['deploy-staging staging true', 'deploy-prod prod-eu true']);
    expect(await replicas(2)).toBe(1);
    expect(await replicas(3)).toBe(3);
    // Not on the local cluster: only the workflow state is there.
    expect(await replicas(1)).toBeUndefined();
    expect(await clients.get(1)!.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'workflow-portal', namespace: ns })).toBeDefined();

    const again = await deliverWorkflow(options(dir));
    expect(again.phase).toBe('succeeded');
    expect(again.targets.map((t) => t.writes)).toEqual([0, 0]);

    // Status: every cluster the state names, or the one --cluster picks.
    const everywhere = (await statusEverywhere({ app: 'portal', cwd: dir }, cluster))!;
    expect(everywhere.clusters.map((c) => `${c.cluster} ${c.status?.services.map((x) => `${x.name}:${x.replicas}`).join(',')}`)).toEqual([expect.stringMatching(/^staging web:\d\/1$/), expect.stringMatching(/^prod-eu web:\d\/3$/)]);
    const one = await clusterStatus({ app: 'portal', cwd: dir, cluster: 'prod-eu' }, cluster);
    expect(one.services[0]!.replicas).toMatch(/\/3$/);
    await expect(clusterStatus({ app: 'portal', cwd: dir, cluster: 'prod-us' }, cluster)).rejects.toThrow(/no cluster named "prod-us"/);

    // Delete everywhere the workflow delivered, then the state.
    const deleted = (await deleteEverywhere({ app: 'portal', cwd: dir }, cluster))!;
    expect(deleted.every((d) => d.ok)).toBe(true);
    expect(deleted.map((d) => d.cluster).sort()).toEqual(['prod-eu', 'staging']);
    expect(await replicas(2)).toBeUndefined();
    expect(await replicas(3)).toBeUndefined();
    expect(await clients.get(1)!.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'workflow-portal', namespace: ns })).toBeUndefined();
  }, 180_000);

  it('vela up prints every step and cluster, and exits 1 for a plan error with nothing applied', async () => {
    const saved = { home: process.env.VELA_HOME, kubeconfig: process.env.KUBECONFIG, cwd: process.cwd() };
    process.env.VELA_HOME = home;
    process.env.KUBECONFIG = realCluster(1).kubeconfig;
    try {
      const dir = appDir('cli', 'policies:', '  - {name: s, type: topology, properties: {clusters: [staging]}}');
      process.chdir(dir);
      const planned = await runCommand(Up, ['--plan']);
      expect(planned.exitCode).toBe(0);
      expect(planned.stdout).toMatch(new RegExp(`^step deploy-s, cluster staging: plan for app cli in namespace ${ns} .*\\n\\nACTION +KIND +NAME[^\\n]*\\ncreate +Deployment +web`));
      expect(await clients.get(2)!.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'applyset-cli', namespace: ns })).toBeUndefined();
      const ok = await runCommand(Up, ['--yes', '--no-wait', '--skip-build']);
      expect(ok.exitCode).toBe(0);
      expect(ok.stderr).toContain('app cli: workflow succeeded\n  deploy-s (deploy): succeeded\n    cluster staging, namespace ' + ns + ': ok');
      // Every app here has a Deployment web in the same namespace: this one goes before the next test.
      expect((await deleteEverywhere({ app: 'cli', cwd: dir }, { kubeconfig: realCluster(1).kubeconfig, environment: env, namespace: ns }))!.every((d) => d.ok)).toBe(true);
      const bad = appDir('cli-bad', 'policies:', '  - {name: s, type: topology, properties: {clusterLabelSelector: {env: nowhere}}}');
      process.chdir(bad);
      const refused = await runCommand(Up, ['--yes', '--no-wait', '--skip-build']);
      expect(refused.exitCode).toBe(1);
      expect(refused.stderr).toMatch(/vela\.yaml:6:\d+: .*no cluster matches the labels env=nowhere/);
      expect(await clients.get(1)!.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'workflow-cli-bad', namespace: ns })).toBeUndefined();
    } finally {
      process.chdir(saved.cwd);
      for (const [k, v] of [['VELA_HOME', saved.home], ['KUBECONFIG', saved.kubeconfig]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  }, 120_000);

  it('refuses an unknown cluster at its line before anything is applied anywhere', async () => {
    const dir = appDir('typo', 'policies:', '  - {name: t, type: topology, properties: {clusters: [staging, prod-us]}}');
    const err = await failure(deliverWorkflow(options(dir)));
    expect(err.exitCode).toBe(1);
    expect(err.diagnostics.map(formatDiagnosticLine)).toEqual([expect.stringMatching(/vela\.yaml:6:\d+: policy t: unknown cluster "prod-us"$/)]);
    expect(await clients.get(2)!.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: ns })).toBeUndefined();
    expect(await clients.get(1)!.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'workflow-typo', namespace: ns })).toBeUndefined();
  });

  it.skipIf(listRealClusters().length < 4)('one cluster down fails its step with its message while the others are delivered; once back, a run converges', async () => {
    const dir = appDir('fleet', 'policies:', '  - {name: all, type: topology, properties: {clusters: [staging, edge]}}');
    const edge = realCluster(4);
    await withDisruptedCluster(edge, async () => {
      await stopApiserver(edge);
      const r = await deliverWorkflow(options(dir));
      expect(r.phase).toBe('failed');
      const byCluster = Object.fromEntries(r.targets.map((t) => [t.cluster, t]));
      expect(byCluster.staging!.ok).toBe(true);
      expect(byCluster.edge!.ok).toBe(false);
      expect(byCluster.edge!.message).toContain('127.0.0.1:6473');
      expect(r.steps[0]!.message).toMatch(/^1 of 2 targets failed: edge: /);
      expect(await replicas(2)).toBe(1);

      await startApiserver(edge);
      const again = await deliverWorkflow(options(dir));
      expect(again.phase).toBe('succeeded');
      expect(again.targets.find((t) => t.cluster === 'staging')!.writes).toBe(0);
      expect(await replicas(4)).toBe(1);
      expect((await deleteEverywhere({ app: 'fleet', cwd: dir }, { kubeconfig: realCluster(1).kubeconfig, environment: env, namespace: ns }))!.every((d) => d.ok)).toBe(true);
    });
  }, 240_000);
  it('posts a notification step\'s message to its webhook; a webhook that refuses fails the step without showing its URL', async () => {
    const received: string[] = [];
    let answer = 200;
    const hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push(`${req.method} ${req.url} ${body}`);
        res.writeHead(answer).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hooks/T0KEN`;
    try {
      const dir = appDir(
        'notified',
        'policies:',
        '  - {name: staging, type: topology, properties: {clusters: [staging]}}',
        'workflow:',
        '  steps:',
        '    - {name: deploy, type: deploy, properties: {policies: [staging]}}',
        `    - {name: tell, type: notification, properties: {slack: {url: {value: "${url}"}, message: {text: "portal is out"}}}}`,
      );
      const r = await deliverWorkflow(options(dir));
      expect(r.phase).toBe('succeeded');
      expect(received).toEqual(['POST /hooks/T0KEN {"text":"portal is out"}']);
      expect((await deleteEverywhere({ app: 'notified', cwd: dir }, { kubeconfig: realCluster(1).kubeconfig, environment: env, namespace: ns }))!.every((d) => d.ok)).toBe(true);

      answer = 500;
      const failed = await deliverWorkflow(options(appDir('notified-2', 'policies:', '  - {name: staging, type: topology, properties: {clusters: [staging]}}', 'workflow:', '  steps:', `    - {name: tell, type: notification, properties: {slack: {url: {value: "${url}"}, message: {text: x}}}}`)));
      expect(failed.phase).toBe('failed');
      expect(failed.steps[0]!.message).toBe('the slack webhook answered HTTP 500');
      expect(JSON.stringify(failed)).not.toContain('T0KEN');
    } finally {
      hook.close();
    }
  }, 120_000);

  it('delivers to a managed cluster of an OCM hub through its ManifestWork, and deletes it from there', async () => {
    const hub = realCluster(2);
    const hubClient = clients.get(2)!;
    await installCrds(hubClient, parseAllDocuments(readFileSync(join(import.meta.dirname, '../fixtures/crds/ocm.yaml'), 'utf8')).map((d) => d.toJS() as KubeObject));
    const managed = `vela-e2e-managed-${process.pid}`;
    await hubClient.apply({ apiVersion: 'cluster.open-cluster-management.io/v1', kind: 'ManagedCluster', metadata: { name: managed, labels: { fleet: 'ocm' } }, spec: { hubAcceptsClient: true } });
    await hubClient.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: managed } });
    try {
      await clusterJoin({ kubeconfig: hub.kubeconfig, name: 'hub', ocmHub: true, env, timeoutMs: 5000 });
      const dir = appDir('managed', 'policies:', '  - {name: fleet, type: topology, properties: {clusterLabelSelector: {fleet: ocm}}}');
      const r = await deliverWorkflow(options(dir));
      expect(r.phase).toBe('succeeded');
      expect(r.targets.map((t) => `${t.cluster} ${t.work}`)).toEqual([`${managed} sent`]);
      const work = await hubClient.get({ apiVersion: 'work.open-cluster-management.io/v1', kind: 'ManifestWork', name: `managed.${ns}`, namespace: managed });
      const kinds = ((work!.spec as { workload: { manifests: KubeObject[] } }).workload.manifests).map((m) => `${m.kind}/${m.metadata!.name}`);
      expect(kinds).toContain('Deployment/web');
      // Nothing of the app went to the hub's own namespaces.
      expect(await hubClient.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: ns }).then((d) => d?.metadata?.labels?.['app.oam.dev/name'])).not.toBe('managed');

      const deleted = (await deleteEverywhere({ app: 'managed', cwd: dir }, { kubeconfig: realCluster(1).kubeconfig, environment: env, namespace: ns }))!;
      expect(deleted.map((d) => `${d.cluster} ${d.ok}`)).toEqual([`${managed} true`]);
      expect(await hubClient.get({ apiVersion: 'work.open-cluster-management.io/v1', kind: 'ManifestWork', name: `managed.${ns}`, namespace: managed })).toBeUndefined();
    } finally {
      await clusterDetach('hub', { env }).catch(() => undefined);
      await hubClient.delete({ apiVersion: 'cluster.open-cluster-management.io/v1', kind: 'ManagedCluster', name: managed }).catch(() => undefined);
      await hubClient.delete({ apiVersion: 'v1', kind: 'Namespace', name: managed }).catch(() => undefined);
    }
  }, 120_000);
});
