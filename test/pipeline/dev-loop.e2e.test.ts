/**
 * `vela dev` end to end, against the real API server with the real node
 * (cluster 3: pods run) and the real Docker engine and registry: the first
 * delivery builds both images; a changed file in one build context rebuilds
 * exactly that image and changes exactly its Deployment; a broken Appfile
 * mid-edit reports its error at file:line:col and applies nothing; fixing it
 * applies the fix; the app's logs stream from the running pods, with the
 * rollout's new pod joining; `cleanup` deletes the app at the end.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient, loadClusterTarget } from '../../src/deploy/index.js';
import { runDev, type DevEvent, type DevResult } from '../../src/pipeline/dev-loop.js';
import { formatPos } from '../../src/source/index.js';
import { copyFixture, dockerUnavailable, engineSocket, REGISTRY } from '../image/docker-env.js';
import { createNodeNamespace, nodeKubeconfig, realNodeUnavailable } from '../support/real-node.js';

const dockerWhy = await dockerUnavailable();
const nodeWhy = dockerWhy ? '' : await realNodeUnavailable('test/pipeline/dev-loop.e2e.test.ts');
const why = dockerWhy ?? nodeWhy;
const ns = `vela-e2e-dev-${process.pid}`;
// The builds go to the engine the tests found (the node runs its pods there too).
process.env.DOCKER_HOST = `unix://${engineSocket()}`;

const appfile = (workerMessage: string) => `name: devshop
services:
  web:
    image: ${REGISTRY}/${ns}/web
    build:
      docker: {context: web}
    ports: [{port: 80, expose: true}]
  worker:
    type: worker
    image: ${REGISTRY}/${ns}/worker
    build:
      docker: {context: worker}
    env:
      - name: MESSAGE
        value: ${workerMessage}
`;

describe.skipIf(!!why)(why ? `vela dev (skipped: ${why})` : 'vela dev against the real cluster and Docker engine', () => {
  let dir: string;
  let client: KubeClient;
  const events: DevEvent[] = [];
  const stop = new AbortController();
  let running: Promise<DevResult>;

  const next = async (kind: DevEvent['kind'], after: number, timeoutMs = 120_000): Promise<DevEvent> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = events.slice(after).find((e) => e.kind === kind);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no ${kind} event in ${timeoutMs}ms; events: ${JSON.stringify(events.filter((e) => e.kind !== 'log').map((e) => e.kind))}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const cycleCount = () => events.filter((e) => e.kind === 'delivered' || e.kind === 'invalid' || e.kind === 'failed').length;
  const nthCycleEvent = async (n: number): Promise<DevEvent> => {
    const deadline = Date.now() + 180_000;
    while (cycleCount() < n) {
      if (Date.now() > deadline) throw new Error(`cycle ${n} never came`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return events.filter((e) => e.kind === 'delivered' || e.kind === 'invalid' || e.kind === 'failed')[n - 1]!;
  };
  const deployment = async (name: string) => client.get({ apiVersion: 'apps/v1', kind: 'Deployment', name, namespace: ns });
  const logLines = (service: string) => events.filter((e): e is Extract<DevEvent, { kind: 'log' }> => e.kind === 'log' && e.source.service === service);

  beforeAll(async () => {
    dir = copyFixture('shop');
    writeFileSync(join(dir, 'worker', 'run.sh'), 'while true; do echo "working: $MESSAGE"; /bin/busybox sleep 1; done\n');
    writeFileSync(join(dir, 'web', '.dockerignore'), 'notes.txt\n');
    writeFileSync(join(dir, 'vela.yaml'), appfile('one'));
    await createNodeNamespace(ns, nodeKubeconfig);
    client = new KubeClient(await loadClusterTarget({ kubeconfig: nodeKubeconfig }));
    running = runDev({
      cwd: dir,
      cluster: { kubeconfig: nodeKubeconfig, namespace: ns },
      cleanup: true,
      debounceMs: 200,
      signal: stop.signal,
      onEvent: (event) => events.push(event),
    });
  }, 60_000);

  afterAll(async () => {
    stop.abort();
    await running?.catch(() => undefined);
    await client?.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns }).catch(() => undefined);
    client?.close();
  }, 120_000);

  it('delivers first: both images built, every object created, and the worker\'s logs stream', async () => {
    const first = await nthCycleEvent(1);
    if (first.kind !== 'delivered') throw new Error(`first cycle: ${JSON.stringify(first)}`);
    expect([...first.rebuilt].sort()).toEqual(['web', 'worker']);
    expect(first.changes.objects.filter((o) => o.kind === 'Deployment').map((o) => `${o.action} ${o.name}`).sort()).toEqual(['created web', 'created worker']);
    await next('watching', 0);
    const deadline = Date.now() + 150_000;
    while (!logLines('worker').some((e) => e.line === 'working: one')) {
      if (Date.now() > deadline) throw new Error('no log line from the worker');
      await new Promise((r) => setTimeout(r, 250));
    }
  }, 200_000);

  it('a file ignored by .dockerignore changes nothing; a file in web\'s context rebuilds web alone and changes its Deployment alone', async () => {
    const workerBefore = await deployment('worker');
    writeFileSync(join(dir, 'web', 'notes.txt'), 'not sent to the engine\n');
    await new Promise((r) => setTimeout(r, 1_500));
    expect(cycleCount()).toBe(1);
    writeFileSync(join(dir, 'web', 'site', 'index.html'), '<h1>changed</h1>\n');
    const second = await nthCycleEvent(2);
    if (second.kind !== 'delivered') throw new Error(`second cycle: ${JSON.stringify(second)}`);
    expect(second.trigger).toEqual([join(dir, 'web', 'site', 'index.html')]);
    expect(second.rebuilt).toEqual(['web']);
    expect(second.built).toEqual(['web']);
    expect(second.changes.objects.map((o) => `${o.action} ${o.kind} ${o.name}`)).toEqual(['updated Deployment web']);
    expect((await deployment('worker'))?.metadata?.resourceVersion).toBe(workerBefore?.metadata?.resourceVersion);
  }, 200_000);

  it('a broken Appfile shows its error at file:line:col and applies nothing; fixing it applies the fix', async () => {
    const before = await deployment('worker');
    writeFileSync(join(dir, 'vela.yaml'), appfile('one').replace('    env:\n', '    env:\n  - broken\n'));
    const broken = await nthCycleEvent(3);
    if (broken.kind !== 'invalid') throw new Error(`third cycle: ${JSON.stringify(broken)}`);
    const positions = broken.diagnostics.map((d) => (d.span ? formatPos(d.span) : ''));
    expect(positions.some((p) => /^vela\.yaml:\d+:\d+$/.test(p))).toBe(true);
    expect((await deployment('worker'))?.metadata?.resourceVersion).toBe(before?.metadata?.resourceVersion);

    writeFileSync(join(dir, 'vela.yaml'), appfile('two'));
    const fixed = await nthCycleEvent(4);
    if (fixed.kind !== 'delivered') throw new Error(`fourth cycle: ${JSON.stringify(fixed)}`);
    expect(fixed.rebuilt).toEqual([]);
    expect(fixed.changes.objects.map((o) => `${o.action} ${o.kind} ${o.name}`)).toEqual(['updated Deployment worker']);
    const env = ((await deployment('worker')) as { spec: { template: { spec: { containers: Array<{ env?: Array<{ name: string; value: string }> }> } } } }).spec.template.spec.containers[0]!.env;
    expect(env).toEqual([{ name: 'MESSAGE', value: 'two' }]);
    // The rollout's new pod joins the log stream.
    const deadline = Date.now() + 150_000;
    while (!logLines('worker').some((e) => e.line === 'working: two')) {
      if (Date.now() > deadline) throw new Error('the new worker pod never joined the logs');
      await new Promise((r) => setTimeout(r, 250));
    }
  }, 300_000);

  it('Ctrl-C stops watching and --cleanup deletes the app', async () => {
    stop.abort();
    const result = await running;
    expect(result.cleanup?.deleted.map((ref) => `${ref.kind}/${ref.name}`)).toEqual(expect.arrayContaining(['Deployment/web', 'Deployment/worker']));
    expect(await deployment('web')).toBeUndefined();
  }, 120_000);
});
