/**
 * The workflow state in the real cluster: the ConfigMap store's optimistic
 * concurrency (a write against a stale version is refused by the API server),
 * and `vela workflow status|resume|terminate|restart` run in-process against
 * the state a runner left — and against a runner that waits, which goes on
 * when another process resumes it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WorkflowRestart from '../../../src/commands/workflow/restart.js';
import WorkflowResume from '../../../src/commands/workflow/resume.js';
import WorkflowStatus from '../../../src/commands/workflow/status.js';
import WorkflowTerminate from '../../../src/commands/workflow/terminate.js';
import { KubeClient, loadClusterTarget } from '../../../src/deploy/index.js';
import { sleep } from '../../../src/host/index.js';
import { clusterStateStore } from '../../../src/pipeline/workflow.js';
import { planDelivery, runWorkflow, StateConflictError, type DeliveryPlan, type RunnerDeps, type WorkflowState } from '../../../src/workflow/index.js';
import { parse, yaml } from '../../appfile/helpers.js';
import { makeRegistry } from '../../appfile/registry.js';
import { runCommand } from '../../cli/harness.js';
import { kubeconfig, realClusterUnavailable } from '../../support/real-cluster.js';

const unavailable = await realClusterUnavailable('test/deploy/clusters/workflow-state.e2e.test.ts');
const title = unavailable ? `workflow state in the real cluster (skipped: ${unavailable})` : 'workflow state in the real cluster';
const ns = `vela-e2e-wf-${process.pid}`;
let client: KubeClient;

function plan(): DeliveryPlan {
  const app = parse(yaml('name: shop', 'services:', '  web: {image: web:1}', 'workflow:', '  steps:', '    - {name: first, type: apply-component, properties: {component: web}}', '    - {name: hold, type: suspend}', '    - {name: last, type: apply-component, properties: {component: web}}')).app!;
  return planDelivery({ app, registry: makeRegistry(), clusters: [] }).plan!;
}

function deps(delivered: string[], extra: Partial<RunnerDeps> = {}): RunnerDeps {
  return {
    store: clusterStateStore(client, 'shop', ns),
    clock: { now: () => Date.now(), sleep },
    digest: 'e2e',
    newRunId: () => `run-${Date.now()}`,
    deliver: async (r) => (delivered.push(r.step), { ok: true }),
    notify: async () => undefined,
    pollMs: 200,
    ...extra,
  };
}

const cli = (...args: string[]) => ['shop', '-n', ns, '--kubeconfig', kubeconfig, ...args];

describe.skipIf(!!unavailable)(title, () => {
  beforeAll(async () => {
    client = new KubeClient(await loadClusterTarget({ kubeconfig }));
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  });
  afterAll(async () => {
    await client?.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns }).catch(() => undefined);
    client?.close();
  });

  it('refuses a write against a version someone else replaced', async () => {
    const store = clusterStateStore(client, 'racer', ns);
    const state = { app: 'racer', runId: 'a', planDigest: 'x', phase: 'executing', suspended: false, terminated: false, startTime: 1, steps: [] } as WorkflowState;
    expect(await store.read()).toBeUndefined();
    const v1 = await store.write(state, undefined);
    await expect(store.write(state, undefined)).rejects.toBeInstanceOf(StateConflictError);
    const v2 = await store.write({ ...state, runId: 'b' }, v1);
    expect(v2).not.toBe(v1);
    await expect(store.write({ ...state, runId: 'c' }, v1)).rejects.toBeInstanceOf(StateConflictError);
    expect((await store.read())!.state.runId).toBe('b');
    const cm = await client.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'workflow-racer', namespace: ns });
    expect(cm!.metadata!.labels).toMatchObject({ 'app.oam.dev/name': 'racer', 'vela.dev/workflow-state': 'true' });
  });

  it('lets the commands see and steer what a runner left, from another process', async () => {
    const delivered: string[] = [];
    const stopped = await runWorkflow(plan(), deps(delivered, { waitAtGates: false }));
    expect(stopped.phase).toBe('suspending');

    const status = await runCommand(WorkflowStatus, cli());
    expect(status.exitCode, status.stderr).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`^workflow of shop in namespace ${ns}: suspending \\(waiting: \`vela workflow resume shop\`\\), started \\S+Z\\n`));
    expect(status.stdout).toMatch(/^hold\s+suspend\s+running\s+Suspend\s*$/m);
    expect(status.stdout).toMatch(/^first\s+apply-component\s+succeeded\s+local\/?\S*:ok\s*$/m);

    const resumed = await runCommand(WorkflowResume, cli());
    expect([resumed.exitCode, resumed.stderr]).toEqual([0, `resumed the workflow of shop (namespace ${ns}): a waiting \`vela up\` goes on; otherwise the next \`vela up\` continues from here\n`]);
    const done = await runWorkflow(plan(), deps(delivered));
    expect(done.phase).toBe('succeeded');
    expect(delivered).toEqual(['first', 'last']);

    const again = await runCommand(WorkflowResume, cli());
    expect([again.exitCode, again.stderr]).toEqual([1, 'error: the workflow of shop has finished\n  hint: nothing to resume; `vela workflow restart` runs it again\n']);
    const restarted = await runCommand(WorkflowRestart, cli('--json'));
    expect(restarted.exitCode).toBe(0);
    expect((JSON.parse(restarted.stdout) as { state: WorkflowState }).state.steps.map((s) => s.phase)).toEqual(['pending', 'pending', 'pending']);
    const terminated = await runCommand(WorkflowTerminate, cli());
    expect(terminated.stderr).toBe(`terminated the workflow of shop (namespace ${ns}): the workflow is terminated\n`);
    const json = JSON.parse((await runCommand(WorkflowStatus, cli('--json'))).stdout) as { state: WorkflowState };
    expect([json.state.phase, json.state.steps.map((s) => s.phase)]).toEqual(['terminated', ['skipped', 'skipped', 'skipped']]);

    const missing = await runCommand(WorkflowStatus, ['nosuch', '-n', ns, '--kubeconfig', kubeconfig]);
    expect([missing.exitCode, missing.stderr]).toEqual([1, `error: nosuch has no workflow state in namespace ${ns}\n  hint: \`vela up\` runs the workflow and records it; check the app name and -n\n`]);
  });

  it('wakes a waiting runner when another process resumes it', async () => {
    await clusterStateStore(client, 'shop', ns).remove();
    const delivered: string[] = [];
    const running = runWorkflow(plan(), deps(delivered));
    for (let i = 0; i < 100; i++) {
      const s = await clusterStateStore(client, 'shop', ns).read();
      if (s?.state.suspended) break;
      await sleep(100);
    }
    expect((await runCommand(WorkflowResume, cli())).exitCode).toBe(0);
    const state = await running;
    expect(state.phase).toBe('succeeded');
    expect(delivered).toEqual(['first', 'last']);
  });
});
