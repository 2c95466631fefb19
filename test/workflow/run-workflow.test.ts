/**
 * The workflow runner over injected effects: a recording `deliver`, a
 * recording `notify`, the in-memory state store and a virtual clock (time
 * moves only when every pending promise waits for it). "Another process" is
 * the test changing the store with the commands' state transitions while the
 * runner waits, or a second runner on the same store.
 */
import { describe, expect, it } from 'vitest';
import type { AppModel, NotificationMessage } from '../../src/appfile/index.js';
import { abortError } from '../../src/host/index.js';
import {
  allSteps,
  memoryStateStore,
  planDelivery,
  planDigest,
  restartState,
  resumeState,
  runWorkflow,
  terminateState,
  updateState,
  type DeliveryOutcome,
  type DeliveryPlan,
  type DeliveryRequest,
  type KnownCluster,
  type RunnerClock,
  type RunnerDeps,
  type RunnerEvent,
  type WorkflowState,
  type WorkflowStateStore,
} from '../../src/workflow/index.js';
import { parse, show, yaml } from '../appfile/helpers.js';
import { makeRegistry } from '../appfile/registry.js';

/** Time moves to the next timer once nothing else is pending (a macrotask later). */
class VirtualClock implements RunnerClock {
  time = 1_000_000;
  private timers: { at: number; done: () => void }[] = [];
  private scheduled = false;

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortError());
      const timer = {
        at: this.time + ms,
        done: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.timers = this.timers.filter((t) => t !== timer);
        reject(abortError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.timers.push(timer);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.timers.length === 0) return;
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers.shift()!;
      this.time = Math.max(this.time, next.at);
      next.done();
      if (this.timers.length) this.schedule();
    });
  }
}

const registry = makeRegistry();
const clusters: KnownCluster[] = ['eu', 'us', 'asia'].map((name) => ({ name, labels: { fleet: 'prod' } }));
const head = ['name: shop', 'namespace: shop', 'services:', '  web: {image: web:1}'];

function planOf(...rest: string[]): DeliveryPlan {
  const r = parse(yaml(...head, ...rest));
  if (!r.app) throw new Error(r.diagnostics.map(show).join('\n'));
  const p = planDelivery({ app: r.app, registry, clusters });
  if (!p.plan) throw new Error(p.diagnostics.map(show).join('\n'));
  return p.plan;
}

interface Harness {
  deps: RunnerDeps;
  clock: VirtualClock;
  store: ReturnType<typeof memoryStateStore>;
  deliveries: string[];
  notified: NotificationMessage[];
  events: RunnerEvent[];
}

function harness(
  opts: Partial<Omit<RunnerDeps, 'deliver'>> & { deliver?: (r: DeliveryRequest, signal: AbortSignal) => Promise<DeliveryOutcome>; store?: ReturnType<typeof memoryStateStore>; clock?: VirtualClock } = {},
): Harness {
  const clock = opts.clock ?? new VirtualClock();
  const store = opts.store ?? memoryStateStore();
  const deliveries: string[] = [];
  const notified: NotificationMessage[] = [];
  const events: RunnerEvent[] = [];
  let runs = 0;
  const deps: RunnerDeps = {
    store,
    clock,
    digest: 'd1',
    pollMs: 1000,
    newRunId: () => `run-${++runs}`,
    notify: async (m) => {
      notified.push(m);
    },
    onEvent: (e) => events.push(e),
    ...opts,
    deliver: async (r, signal) => {
      deliveries.push(`${r.step}@${r.target.cluster}`);
      return opts.deliver ? opts.deliver(r, signal) : { ok: true, details: { services: r.app.services.map((s) => s.name) } };
    },
  };
  return { deps, clock, store, deliveries, notified, events };
}

/** name → phase (reason) for every step, sub-steps included. */
const phases = (s: WorkflowState) => Object.fromEntries(allSteps(s.steps).map((x) => [x.name, x.reason ? `${x.phase} (${x.reason})` : x.phase]));

async function until(store: WorkflowStateStore, test: (s: WorkflowState) => boolean): Promise<WorkflowState> {
  for (let i = 0; i < 10_000; i++) {
    const s = (await store.read())?.state;
    if (s && test(s)) return s;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error('the state never got there');
}

const twoDeploys = ['policies:', '  - {name: eu, type: topology, properties: {clusters: [eu]}}', '  - {name: all, type: topology, properties: {clusterLabelSelector: {fleet: prod}}}'];

describe('steps in order', () => {
  it('delivers each step to its targets, records every result, and succeeds', async () => {
    const h = harness();
    const plan = planOf(...twoDeploys, 'workflow:', '  steps:', '    - {name: first, type: deploy, properties: {policies: [eu]}}', '    - {name: rest, type: deploy, properties: {policies: [all]}}');
    const state = await runWorkflow(plan, h.deps);
    expect(state.phase).toBe('succeeded');
    expect(phases(state)).toEqual({ first: 'succeeded', rest: 'succeeded' });
    expect(h.deliveries).toEqual(['first@eu', 'rest@asia', 'rest@eu', 'rest@us']);
    expect(state.steps[1]!.results).toEqual(['asia', 'eu', 'us'].map((cluster) => ({ cluster, namespace: 'shop', ok: true, details: { services: ['web'] } })));
    expect(h.store.current()).toEqual(state);
    expect(h.events.filter((e) => e.type === 'step-finished').map((e) => e.step)).toEqual(['first', 'rest']);
  });

  it('bounds parallel deliveries by the step’s parallelism', async () => {
    let inFlight = 0;
    let most = 0;
    const h = harness({
      deliver: async () => {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setImmediate(r));
        inFlight--;
        return { ok: true };
      },
    });
    await runWorkflow(planOf(...twoDeploys, 'workflow:', '  steps: [{name: all, type: deploy, properties: {policies: [all], parallelism: 2}}]'), h.deps);
    expect(most).toBe(2);
    expect(h.deliveries).toHaveLength(3);
  });

  it('lets one target fail without stopping the others; later steps are skipped unless their `if` says otherwise', async () => {
    const h = harness({ deliver: async (r) => (r.target.cluster === 'us' ? Promise.reject(new Error('connection refused')) : { ok: true }) });
    const plan = planOf(
      ...twoDeploys,
      'workflow:',
      '  steps:',
      '    - {name: all, type: deploy, properties: {policies: [all]}}',
      '    - {name: after, type: deploy, properties: {policies: [eu]}}',
      '    - {name: tell, type: notification, if: status.all.failed, properties: {slack: {url: {value: "http://hook"}, message: {text: down}}}}',
      '    - {name: cleanup, type: suspend, if: always, properties: {duration: 1s}}',
    );
    const state = await runWorkflow(plan, h.deps);
    expect(state.phase).toBe('failed');
    expect(phases(state)).toEqual({ all: 'failed (Execute)', after: 'skipped (Skip)', tell: 'succeeded', cleanup: 'succeeded (Waited)' });
    expect(state.steps[0]!.message).toBe('1 of 3 targets failed: us: connection refused');
    expect(state.steps[0]!.results!.map((r) => [r.cluster, r.ok])).toEqual([
      ['asia', true],
      ['eu', true],
      ['us', false],
    ]);
    expect(h.deliveries.sort()).toEqual(['all@asia', 'all@eu', 'all@us']);
    expect(h.notified.map((m) => m.body)).toEqual([{ text: 'down' }]);
    expect(state.message).toBe('failed: all');
  });

  it('fails a step with reason Timeout when it does not finish in time, aborting its deliveries', async () => {
    let aborted = false;
    const h = harness({
      deliver: (_r, signal) =>
        new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => {
            aborted = true;
            reject(abortError());
          }),
        ),
    });
    const start = h.clock.now();
    const state = await runWorkflow(planOf(...twoDeploys, 'workflow:', '  steps: [{name: slow, type: deploy, timeout: 5s, properties: {policies: [eu]}}]'), h.deps);
    expect(phases(state)).toEqual({ slow: 'failed (Timeout)' });
    expect(state.steps[0]!.message).toBe('not finished within 5s');
    expect(aborted).toBe(true);
    expect(h.clock.now() - start).toBe(5000);
  });
});

describe('suspend and approval', () => {
  const gated = [...twoDeploys, 'workflow:', '  steps:', '    - {name: first, type: deploy, properties: {policies: [eu]}}', '    - {name: hold, type: suspend}', '    - {name: rest, type: deploy, properties: {policies: [all]}}'];

  it('waits a timed suspend for its duration', async () => {
    const h = harness();
    const start = h.clock.now();
    const state = await runWorkflow(planOf('workflow:', '  steps: [{name: bake, type: suspend, properties: {duration: 90s}}]'), h.deps);
    expect(phases(state)).toEqual({ bake: 'succeeded (Waited)' });
    expect(h.clock.now() - start).toBe(90_000);
  });

  it('stops at an untimed suspend when told not to wait; a resume and the next run go on without delivering the first step again', async () => {
    const h = harness({ waitAtGates: false });
    const plan = planOf(...gated);
    const first = await runWorkflow(plan, h.deps);
    expect(first.phase).toBe('suspending');
    expect(first.suspended).toBe(true);
    expect(phases(first)).toEqual({ first: 'succeeded', hold: 'running (Suspend)', rest: 'pending' });
    await expect(runWorkflow(plan, h.deps)).resolves.toMatchObject({ phase: 'suspending' });

    await updateState(h.store, (s) => resumeState(s!, h.clock.now()));
    const second = await runWorkflow(plan, h.deps);
    expect(second.phase).toBe('succeeded');
    expect(phases(second)).toEqual({ first: 'succeeded', hold: 'succeeded (Resumed)', rest: 'succeeded' });
    expect(h.deliveries).toEqual(['first@eu', 'rest@asia', 'rest@eu', 'rest@us']);
    expect(second.runId).toBe(first.runId);
  });

  it('picks up a resume from another process while it waits', async () => {
    const h = harness();
    const running = runWorkflow(planOf(...gated), h.deps);
    const waiting = await until(h.store, (s) => s.suspended);
    expect(phases(waiting)).toMatchObject({ hold: 'running (Suspend)' });
    expect(h.events).toContainEqual({ type: 'waiting', step: 'hold', gate: 'Suspend' });
    await updateState(h.store, (s) => resumeState(s!, h.clock.now()));
    const state = await running;
    expect(state.phase).toBe('succeeded');
    expect(h.deliveries).toHaveLength(4);
  });

  it('waits for approval of a deploy step with auto: false; --yes approves it', async () => {
    const plan = planOf(...twoDeploys, 'workflow:', '  steps: [{name: prod, type: deploy, properties: {auto: false, policies: [eu]}}]');
    const waiting = harness({ waitAtGates: false });
    expect(phases(await runWorkflow(plan, waiting.deps))).toEqual({ prod: 'running (Approval)' });
    expect(waiting.deliveries).toEqual([]);
    await updateState(waiting.store, (s) => resumeState(s!, 0, 'prod'));
    expect(phases(await runWorkflow(plan, waiting.deps))).toEqual({ prod: 'succeeded' });
    expect(waiting.deliveries).toEqual(['prod@eu']);

    const yes = harness({ approveAll: true });
    expect(phases(await runWorkflow(plan, yes.deps))).toEqual({ prod: 'succeeded' });
    expect(yes.deliveries).toEqual(['prod@eu']);
  });

  it('asks at a terminal: an approval passes, a refusal terminates', async () => {
    const plan = planOf(...gated);
    const approve = harness({ askApproval: async () => 'approve' });
    expect((await runWorkflow(plan, approve.deps)).phase).toBe('succeeded');
    const refuse = harness({ askApproval: async () => 'terminate' });
    const state = await runWorkflow(plan, refuse.deps);
    expect(state.phase).toBe('terminated');
    expect(phases(state)).toEqual({ first: 'succeeded', hold: 'failed (Terminate)', rest: 'skipped (Skip)' });
    expect(refuse.deliveries).toEqual(['first@eu']);
    const stop = harness({ askApproval: async () => 'stop' });
    const left = await runWorkflow(plan, stop.deps);
    expect(left).toMatchObject({ phase: 'suspending', suspended: true });
    expect(phases(left)).toMatchObject({ first: 'succeeded', hold: 'running (Suspend)', rest: 'pending' });
    expect(stop.deliveries).toEqual(['first@eu']);
    // The next run at a terminal finds the step still waiting and asks again.
    const later = harness({ store: stop.store, askApproval: async () => 'approve' });
    expect((await runWorkflow(plan, later.deps)).phase).toBe('succeeded');
    expect(later.deliveries).toEqual(['rest@asia', 'rest@eu', 'rest@us']);
  });

  it('ends at a terminate from another process: nothing more is delivered, `always` steps still run', async () => {
    const h = harness();
    const plan = planOf(...gated, '    - {name: report, type: notification, if: always, properties: {dingding: {url: {value: "http://hook"}, message: {msgtype: text}}}}');
    const running = runWorkflow(plan, h.deps);
    await until(h.store, (s) => s.suspended);
    await updateState(h.store, (s) => terminateState(s!, h.clock.now()));
    const state = await running;
    expect(state.phase).toBe('terminated');
    expect(phases(state)).toEqual({ first: 'succeeded', hold: 'failed (Terminate)', rest: 'skipped (Skip)', report: 'succeeded' });
    expect(h.deliveries).toEqual(['first@eu']);
    expect(h.notified).toHaveLength(1);
  });

  it('starts over on a restart from another process', async () => {
    const h = harness();
    const running = runWorkflow(planOf(...gated), h.deps);
    const first = await until(h.store, (s) => s.suspended);
    await updateState(h.store, (s) => restartState(s!, h.clock.now(), 'restarted-by-cli'));
    const again = await until(h.store, (s) => s.runId === 'restarted-by-cli' && s.suspended);
    expect(again.runId).not.toBe(first.runId);
    await updateState(h.store, (s) => resumeState(s!, h.clock.now()));
    const state = await running;
    expect(state.phase).toBe('succeeded');
    expect(h.deliveries).toEqual(['first@eu', 'first@eu', 'rest@asia', 'rest@eu', 'rest@us']);
  });

  it('fails a suspend that outlives its timeout', async () => {
    const h = harness();
    const state = await runWorkflow(planOf('workflow:', '  steps:', '    - {name: hold, type: suspend, timeout: 10s}', '    - {name: next, type: suspend, if: status.hold.timeout, properties: {duration: 1s}}'), h.deps);
    expect(phases(state)).toEqual({ hold: 'failed (Timeout)', next: 'succeeded (Waited)' });
    expect(state.phase).toBe('failed');
  });
});

describe('running again', () => {
  const plan = () =>
    planOf(
      ...twoDeploys,
      'workflow:',
      '  steps:',
      '    - {name: staging, type: deploy, properties: {policies: [eu]}}',
      '    - {name: ok, type: suspend}',
      '    - {name: prod, type: deploy, properties: {auto: false, policies: [all]}}',
      '    - {name: tell, type: notification, properties: {lark: {url: {value: "http://hook"}, message: {msg_type: text}}}}',
    );

  it('after the same plan succeeded: delivers again, without waiting at gates or notifying again', async () => {
    const h = harness({ approveAll: true });
    const first = await runWorkflow(plan(), h.deps);
    expect(first.phase).toBe('succeeded');
    const again = harness({ store: h.store, waitAtGates: false, newRunId: () => 'second' });
    const second = await runWorkflow(plan(), again.deps);
    expect(second.phase).toBe('succeeded');
    expect(phases(second)).toEqual({ staging: 'succeeded', ok: 'succeeded (Passed)', prod: 'succeeded', tell: 'succeeded (Passed)' });
    expect(again.deliveries).toEqual(['staging@eu', 'prod@asia', 'prod@eu', 'prod@us']);
    expect(again.notified).toEqual([]);
    expect([first.runId, second.runId]).toEqual(['run-1', 'second']);
  });

  it('after the app changed: starts over, gates included', async () => {
    const h = harness({ approveAll: true });
    await runWorkflow(plan(), h.deps);
    const changed = harness({ store: h.store, waitAtGates: false, digest: 'd2' });
    const state = await runWorkflow(plan(), changed.deps);
    expect(state.phase).toBe('suspending');
    expect(phases(state)).toEqual({ staging: 'succeeded', ok: 'running (Suspend)', prod: 'pending', tell: 'pending' });
  });
});

describe('dependsOn and step groups', () => {
  it('runs DAG steps as soon as what they depend on has finished', async () => {
    const h = harness();
    const plan = planOf(
      'workflow:',
      '  mode: {steps: DAG}',
      '  steps:',
      '    - {name: slow, type: suspend, properties: {duration: 10s}}',
      '    - {name: fast, type: suspend, properties: {duration: 1s}}',
      '    - {name: after-fast, type: apply-component, dependsOn: [fast], properties: {component: web}}',
      '    - {name: after-both, type: apply-component, dependsOn: [slow, after-fast], properties: {component: web, cluster: eu}}',
    );
    const start = h.clock.now();
    const finished: [string, number][] = [];
    const deps: RunnerDeps = { ...h.deps, onEvent: (e) => e.type === 'step-finished' && finished.push([e.step, h.clock.now() - start]) };
    const state = await runWorkflow(plan, deps);
    expect(state.phase).toBe('succeeded');
    expect(finished).toEqual([
      ['fast', 1000],
      ['after-fast', 1000],
      ['slow', 10_000],
      ['after-both', 10_000],
    ]);
    expect(h.deliveries).toEqual(['after-fast@local', 'after-both@eu']);
  });

  it('runs a group’s sub-steps in parallel; the group fails when one of them fails, and skips what depends on it', async () => {
    const h = harness({ deliver: async (r) => ({ ok: r.target.cluster !== 'us', message: 'refused' }) });
    const plan = planOf(
      ...twoDeploys,
      'workflow:',
      '  steps:',
      '    - name: both',
      '      type: step-group',
      '      subSteps:',
      '        - {name: eu, type: apply-component, properties: {component: web, cluster: eu}}',
      '        - {name: us, type: apply-component, properties: {component: web, cluster: us}}',
      '        - {name: after-us, type: suspend, dependsOn: [us], properties: {duration: 1s}}',
      '    - {name: next, type: suspend, properties: {duration: 1s}}',
    );
    const state = await runWorkflow(plan, h.deps);
    expect(phases(state)).toEqual({ both: 'failed (Execute)', eu: 'succeeded', us: 'failed (Execute)', 'after-us': 'skipped (Skip)', next: 'skipped (Skip)' });
    expect(state.steps[0]!.message).toBe('failed: us');
  });

  it('fails a notification step whose webhook fails', async () => {
    const h = harness({ notify: () => Promise.reject(new Error('POST http://hook: 500 Internal Server Error')) });
    const state = await runWorkflow(planOf('workflow:', '  steps: [{name: n, type: notification, properties: {slack: {url: {value: "http://hook"}, message: {text: x}}}}]'), h.deps);
    expect(phases(state)).toEqual({ n: 'failed (Execute)' });
    expect(state.steps[0]!.message).toBe('POST http://hook: 500 Internal Server Error');
  });
});

describe('the plan digest', () => {
  it('is the same for the same app and changes with what a target gets', () => {
    const a = planOf(...twoDeploys);
    const b = planOf(...twoDeploys);
    const changed = planOf(...twoDeploys.map((l) => l.replace('[eu]', '[us]')));
    expect(planDigest(a)).toBe(planDigest(b));
    expect(planDigest(a)).not.toBe(planDigest(changed));
    expect(planDigest(a, 'images')).not.toBe(planDigest(a));
  });
});

describe('a model per target', () => {
  it('hands delivery the target’s own app', async () => {
    const seen: [string, AppModel][] = [];
    const h = harness({ deliver: async (r) => (seen.push([r.target.cluster, r.app]), { ok: true }) });
    await runWorkflow(planOf('policies:', '  - {name: eu, type: topology, properties: {clusters: [eu], namespace: shop-eu}}'), h.deps);
    expect(seen.map(([c, app]) => [c, app.namespace, app.services.map((s) => s.name)])).toEqual([['eu', 'shop-eu', ['web']]]);
  });
});
