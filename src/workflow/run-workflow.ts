/**
 * The workflow runner: walks a delivery plan step by step, as KubeVela's
 * workflow engine does, over injected effects — `deliver` (one target of one
 * step), `notify` (one webhook message), a clock and a state store — so it
 * is pure logic, tested without a cluster.
 *
 * Rules (KubeVela's, client-side):
 *   - top-level steps run in order (mode StepByStep) or by dependsOn (DAG); a
 *     step group's sub-steps by dependsOn, in parallel (DAG) unless its mode
 *     says StepByStep;
 *   - a step without `if` is skipped once an earlier step (StepByStep) or one
 *     it depends on (DAG) failed; `if: always` runs regardless; another `if`
 *     is evaluated over the steps' status;
 *   - a failed step makes the workflow fail; later steps are skipped unless
 *     their `if` says otherwise;
 *   - `timeout` fails a step (reason Timeout) that has not finished that long
 *     after it first started; a group's timeout bounds its sub-steps;
 *   - a deploy step with `auto: false` waits for approval, a suspend step for
 *     its duration or for `vela workflow resume`; both pass at once with
 *     `approveAll` (`vela up --yes`), except a timed suspend, which waits;
 *   - a deploy step delivers to its targets with at most `parallelism` at
 *     once; one target failing stops neither the others nor the report.
 * The state is committed after every change; a command from another process
 * (resume, terminate, restart) is picked up at the next commit or while
 * waiting. A run of the same plan continues where the stored one stopped; a
 * run after the same plan succeeded delivers again (converging) without
 * asking again for approvals it had, without waiting again at suspends and
 * without notifying again; a changed plan starts over.
 */
import { formatDuration, type AppModel, type JsonValue, type NotificationMessage } from '../appfile/index.js';
import { settleLimit } from '../host/index.js';
import { evaluateIf, type StepStatusView } from './if-condition.js';
import type { DeliveryOptions, DeliveryPlan, DeliveryTarget, PlannedStep, TargetDelivery } from './plan.js';
import { allSteps, isFinished, isWaiting, type StepPhase, type StepReason, type StepState, type TargetResult, type WorkflowState } from './state.js';
import { StateConflictError, type VersionedState, type WorkflowStateStore } from './state-store.js';

export interface RunnerClock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`, or rejects with an AbortError when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface DeliveryRequest {
  readonly step: string;
  readonly target: DeliveryTarget;
  readonly app: AppModel;
  readonly options: DeliveryOptions;
}

export interface DeliveryOutcome {
  readonly ok: boolean;
  readonly message?: string;
  readonly details?: JsonValue;
}

export type Gate = 'Suspend' | 'Approval';

export type ApprovalAnswer = 'approve' | 'terminate' | 'wait' | 'stop';

export type RunnerEvent =
  | { readonly type: 'step-started'; readonly step: string; readonly kind: PlannedStep['kind'] }
  | { readonly type: 'waiting'; readonly step: string; readonly gate: Gate; readonly until?: number; readonly message?: string }
  | { readonly type: 'target-finished'; readonly step: string; readonly result: TargetResult }
  | { readonly type: 'step-finished'; readonly step: string; readonly phase: StepPhase; readonly reason?: StepReason; readonly message?: string };

export interface RunnerDeps {
  readonly store: WorkflowStateStore;
  readonly clock: RunnerClock;
  /** Deliver one target of one step; a rejection is that target's failure. */
  deliver(request: DeliveryRequest, signal: AbortSignal): Promise<DeliveryOutcome>;
  /** POST one notification message. */
  notify(message: NotificationMessage, signal: AbortSignal): Promise<void>;
  /** An id for a fresh run, unique across machines. */
  newRunId(): string;
  /** Extra input of the plan's digest (see plan-digest.ts). */
  readonly digest: string;
  readonly signal?: AbortSignal;
  /** Between looks at the store while waiting; default 2 s. */
  readonly pollMs?: number;
  /** Approvals and untimed suspends pass at once (`vela up --yes`). */
  readonly approveAll?: boolean;
  /** False: at an untimed suspend or an approval, stop and return the suspended state instead of waiting. Default true. */
  readonly waitAtGates?: boolean;
  /**
   * Asked once when an approval or untimed suspend starts waiting (a prompt at a terminal): approve it, terminate
   * the workflow, wait (for `vela workflow resume` from elsewhere), or stop here leaving it waiting.
   */
  askApproval?(gate: { readonly step: string; readonly gate: Gate; readonly message?: string }, signal: AbortSignal): Promise<ApprovalAnswer>;
  onEvent?(event: RunnerEvent): void;
}

/** Runs (or continues) the workflow of `plan`; resolves to the final state, which may be `suspending`. */
export async function runWorkflow(plan: DeliveryPlan, deps: RunnerDeps): Promise<WorkflowState> {
  let restartedFrom: VersionedState | undefined;
  for (;;) {
    const run = new Run(plan, deps);
    try {
      return await run.execute(restartedFrom);
    } catch (err) {
      if (!(err instanceof Restarted)) throw err;
      restartedFrom = err.stored;
    }
  }
}

/** Someone restarted the workflow (`vela workflow restart`): this run stops and a fresh one begins. */
class Restarted extends Error {
  constructor(readonly stored: VersionedState) {
    super('the workflow was restarted');
  }
}

const GATE_STEPS: ReadonlySet<PlannedStep['kind']> = new Set(['suspend', 'notification']);
const unsuccessful = (phase: StepPhase | undefined) => phase === 'failed';

type Outcome = 'done' | 'stopped';

class Run {
  private state!: WorkflowState;
  private version: string | undefined;
  private commits: Promise<void> = Promise.resolve();
  private readonly signal: AbortSignal;
  private readonly abort = new AbortController();

  constructor(
    private readonly plan: DeliveryPlan,
    private readonly deps: RunnerDeps,
  ) {
    this.signal = deps.signal ? AbortSignal.any([deps.signal, this.abort.signal]) : this.abort.signal;
  }

  async execute(restarted?: VersionedState): Promise<WorkflowState> {
    await this.start(restarted);
    try {
      await this.runLevel(this.plan.steps, this.state.steps, this.plan.mode.steps, undefined);
    } finally {
      this.abort.abort();
    }
    this.finish();
    await this.commit();
    return this.state;
  }

  // ---- starting: continue the stored run, or begin a fresh one ----

  private async start(restarted?: VersionedState): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const stored = restarted ?? (await this.deps.store.read(this.signal));
      restarted = undefined;
      const same = stored?.state.planDigest === this.deps.digest && stored.state.app === this.plan.app;
      if (stored && same && !isFinished(stored.state.phase)) {
        this.state = stored.state;
        this.version = stored.version;
        return;
      }
      this.state = this.freshState(stored && same && stored.state.phase === 'succeeded' ? stored.state : undefined);
      this.version = stored?.version;
      try {
        this.version = await this.deps.store.write(this.state, this.version, this.signal);
        return;
      } catch (err) {
        if (!(err instanceof StateConflictError) || attempt >= 4) throw err;
      }
    }
  }

  /** Every step pending; after a successful run of the same plan, its gates count as passed. */
  private freshState(succeeded: WorkflowState | undefined): WorkflowState {
    const before = new Map(allSteps(succeeded?.steps ?? []).map((s) => [s.name, s]));
    const stateOf = (step: PlannedStep): StepState => {
      const prior = before.get(step.name);
      const passed = prior?.phase === 'succeeded' && prior.type === step.type;
      const s: StepState = { name: step.name, type: step.type, phase: 'pending' };
      if (passed && GATE_STEPS.has(step.kind)) Object.assign(s, { phase: 'succeeded', reason: 'Passed' });
      else if (passed && step.kind === 'deploy' && step.approval) s.reason = 'Passed';
      if (step.kind === 'step-group') s.subSteps = step.subSteps.map(stateOf);
      return s;
    };
    const now = this.deps.clock.now();
    return { app: this.plan.app, runId: this.deps.newRunId(), planDigest: this.deps.digest, phase: 'executing', suspended: false, terminated: false, startTime: now, steps: this.plan.steps.map(stateOf) };
  }

  // ---- levels: the top-level steps, or one group's sub-steps ----

  private async runLevel(steps: readonly PlannedStep[], states: StepState[], mode: 'StepByStep' | 'DAG', deadline: number | undefined): Promise<Outcome> {
    const stateOf = (name: string) => states.find((s) => s.name === name)!;
    if (mode === 'StepByStep') {
      let outcome: Outcome = 'done';
      for (const [i, step] of steps.entries()) {
        const stepState = stateOf(step.name);
        if (stepState.phase !== 'pending' && stepState.phase !== 'running') continue;
        const prior = steps.slice(0, i).map((s) => stateOf(s.name).phase).find(unsuccessful);
        if ((await this.runStep(step, stepState, prior, deadline)) === 'stopped') {
          outcome = 'stopped';
          break;
        }
      }
      return outcome;
    }
    // DAG: a step starts once every step it depends on has finished.
    const finished = (name: string) => ['succeeded', 'failed', 'skipped'].includes(stateOf(name).phase);
    const running = new Map<string, Promise<Outcome>>();
    const started = new Set<string>();
    let outcome: Outcome = 'done';
    let failure: unknown;
    for (;;) {
      if (failure === undefined) {
        for (const step of steps) {
          const stepState = stateOf(step.name);
          if (started.has(step.name) || finished(step.name) || !step.dependsOn.every(finished)) continue;
          started.add(step.name);
          const prior = this.dependsOnPhase(step.name, steps, stateOf);
          running.set(step.name, this.runStep(step, stepState, prior, deadline));
        }
      }
      if (running.size === 0) break;
      const [name, result] = await Promise.race([...running].map(([n, p]) => p.then((r) => [n, { ok: true as const, r }] as const, (e: unknown) => [n, { ok: false as const, e }] as const)));
      running.delete(name);
      if (!result.ok) {
        // Stop starting steps, let the running ones settle, then fail with the first error.
        failure ??= result.e;
        this.abort.abort();
      } else if (result.r === 'stopped') outcome = 'stopped';
    }
    if (failure !== undefined) throw failure;
    return outcome;
  }

  /** KubeVela's findDependsOnPhase: the phase of the first unsuccessful step among the dependencies, transitively. */
  private dependsOnPhase(name: string, steps: readonly PlannedStep[], stateOf: (n: string) => StepState, seen = new Set<string>()): StepPhase | undefined {
    const step = steps.find((s) => s.name === name);
    for (const dep of step?.dependsOn ?? []) {
      if (seen.has(dep)) continue;
      seen.add(dep);
      const phase = stateOf(dep).phase;
      if (unsuccessful(phase)) return phase;
      const deeper = this.dependsOnPhase(dep, steps, stateOf, seen);
      if (deeper) return deeper;
    }
    return undefined;
  }

  // ---- one step ----

  private async runStep(step: PlannedStep, stepState: StepState, prior: StepPhase | undefined, parentDeadline: number | undefined): Promise<Outcome> {
    const now = this.deps.clock.now();
    if (stepState.phase === 'pending') {
      const skip = this.skipReason(step, prior);
      if (skip !== undefined) {
        this.finishStep(step, stepState, 'skipped', 'Skip', skip || undefined);
        await this.commit();
        return 'done';
      }
      Object.assign(stepState, { phase: 'running', firstExecuteTime: stepState.firstExecuteTime ?? now, lastExecuteTime: now });
      this.deps.onEvent?.({ type: 'step-started', step: step.name, kind: step.kind });
      await this.commit();
    }
    const own = step.timeoutMs !== undefined ? stepState.firstExecuteTime! + step.timeoutMs : undefined;
    const deadline = own === undefined ? parentDeadline : parentDeadline === undefined ? own : Math.min(own, parentDeadline);
    const timer = new AbortController();
    const stepSignal = AbortSignal.any([this.signal, timer.signal]);
    let expired = false;
    const clock = deadline === undefined ? undefined : this.deps.clock.sleep(Math.max(0, deadline - now), stepSignal).then(
      () => {
        expired = true;
        timer.abort();
      },
      () => undefined,
    );
    try {
      const outcome = await this.perform(step, stepState, deadline, stepSignal);
      if (outcome === 'stopped') return 'stopped';
    } catch (err) {
      if (expired || (deadline !== undefined && this.deps.clock.now() >= deadline && !this.signal.aborted)) this.finishStep(step, stepState, 'failed', 'Timeout', step.timeoutMs !== undefined ? `not finished within ${formatDuration(step.timeoutMs)}` : 'its step group timed out');
      else if (this.signal.aborted) throw err;
      else this.finishStep(step, stepState, 'failed', 'Execute', (err as Error).message);
    } finally {
      timer.abort();
      await clock;
    }
    await this.commit();
    return 'done';
  }

  /** Why the step is skipped ('' for no message), or undefined when it runs. */
  private skipReason(step: PlannedStep, prior: StepPhase | undefined): string | undefined {
    if (step.if === 'always') return undefined;
    if (step.if === undefined) {
      if (this.state.terminated) return 'the workflow was terminated';
      return unsuccessful(prior) ? '' : undefined;
    }
    const status: Record<string, StepStatusView> = {};
    for (const s of allSteps(this.state.steps)) status[s.name] = { phase: s.phase, ...(s.reason ? { reason: s.reason } : {}), ...(s.message ? { message: s.message } : {}) };
    const r = evaluateIf(step.if, status);
    if (!r.ok) return `if: ${r.message}`;
    return r.value ? undefined : '';
  }

  private async perform(step: PlannedStep, stepState: StepState, deadline: number | undefined, signal: AbortSignal): Promise<Outcome> {
    switch (step.kind) {
      case 'deploy':
      case 'apply-component': {
        if (step.kind === 'deploy' && step.approval && stepState.reason !== 'Passed' && stepState.reason !== 'Resumed') {
          const passed = await this.gate(step, stepState, 'Approval', undefined, deadline, signal);
          if (passed !== 'passed') return passed === 'stopped' ? 'stopped' : 'done';
        }
        const results = await this.deliverAll(step.name, step.targets, step.kind === 'deploy' ? step.parallelism : 1, signal);
        stepState.results = results;
        const failed = results.filter((r) => !r.ok);
        if (failed.length === 0) this.finishStep(step, stepState, 'succeeded');
        else this.finishStep(step, stepState, 'failed', 'Execute', `${failed.length} of ${results.length} targets failed: ${failed.map((r) => `${r.cluster}: ${r.message ?? 'failed'}`).join('; ')}`);
        return 'done';
      }
      case 'suspend': {
        const passed = await this.gate(step, stepState, 'Suspend', step.durationMs, deadline, signal);
        return passed === 'stopped' ? 'stopped' : 'done';
      }
      case 'step-group': {
        const outcome = await this.runLevel(step.subSteps, stepState.subSteps ?? [], this.plan.mode.subSteps, deadline);
        if (outcome === 'stopped') return 'stopped';
        const subs = stepState.subSteps ?? [];
        const timedOut = subs.some((s) => s.reason === 'Timeout');
        if (subs.some((s) => s.phase === 'failed')) this.finishStep(step, stepState, 'failed', timedOut ? 'Timeout' : 'Execute', `failed: ${subs.filter((s) => s.phase === 'failed').map((s) => s.name).join(', ')}`);
        else this.finishStep(step, stepState, 'succeeded');
        return 'done';
      }
      case 'notification': {
        for (const message of step.messages) await this.deps.notify(message, signal);
        this.finishStep(step, stepState, 'succeeded');
        return 'done';
      }
    }
  }

  private async deliverAll(step: string, targets: readonly TargetDelivery[], parallelism: number, signal: AbortSignal): Promise<TargetResult[]> {
    const settled = await settleLimit(
      targets,
      parallelism,
      async (t) => {
        const outcome = await this.deps.deliver({ step, target: t.target, app: t.app, options: this.plan.options }, signal);
        const result: TargetResult = { cluster: t.target.cluster, ...(t.target.namespace !== undefined ? { namespace: t.target.namespace } : {}), ok: outcome.ok, ...(outcome.message ? { message: outcome.message } : {}), ...(outcome.details !== undefined ? { details: outcome.details } : {}) };
        this.deps.onEvent?.({ type: 'target-finished', step, result });
        return result;
      },
      signal,
    );
    return settled.map((s, i) => {
      if (s.ok) return s.value;
      const t = targets[i]!.target;
      const result: TargetResult = { cluster: t.cluster, ...(t.namespace !== undefined ? { namespace: t.namespace } : {}), ok: false, message: (s.error as Error)?.message ?? String(s.error) };
      this.deps.onEvent?.({ type: 'target-finished', step, result });
      return result;
    });
  }

  // ---- waiting: approvals and suspends ----

  /** Waits at an approval or a suspend; 'passed' when it may go on, 'stopped' when the run stops here, 'ended' when it failed (terminated, timed out). */
  private async gate(step: PlannedStep, stepState: StepState, gate: Gate, durationMs: number | undefined, deadline: number | undefined, signal: AbortSignal): Promise<'passed' | 'stopped' | 'ended'> {
    const message = step.kind === 'suspend' ? step.message : gate === 'Approval' ? `waiting for approval to deliver ${step.name}` : undefined;
    const pass = async (reason: StepReason) => {
      if (gate === 'Approval') stepState.reason = 'Resumed';
      else this.finishStep(step, stepState, 'succeeded', reason);
      this.state.suspended = allSteps(this.state.steps).some(isWaiting);
      if (!this.state.suspended) this.state.phase = 'executing';
      await this.commit();
      return 'passed' as const;
    };
    if (this.deps.approveAll && durationMs === undefined) return pass('Resumed');
    if (!isWaiting(stepState) && stepState.reason !== 'Resumed') {
      Object.assign(stepState, { phase: 'running', reason: gate, ...(message ? { message } : {}) });
      this.state.suspended = true;
      this.state.phase = 'suspending';
      await this.commit();
      this.deps.onEvent?.({ type: 'waiting', step: step.name, gate, ...(durationMs !== undefined ? { until: stepState.firstExecuteTime! + durationMs } : {}), ...(message ? { message } : {}) });
    }
    // Asked when the gate starts waiting, and again when a later run finds it still waiting.
    if (durationMs === undefined && this.deps.askApproval && isWaiting(stepState)) {
      const answer = await this.deps.askApproval({ step: step.name, gate, ...(message ? { message } : {}) }, signal);
      if (answer === 'approve') return pass('Resumed');
      if (answer === 'terminate') {
        this.state.terminated = true;
        this.state.message = 'terminated';
        this.finishStep(step, stepState, 'failed', 'Terminate', 'terminated');
        return 'ended';
      }
      if (answer === 'stop') return 'stopped';
    }
    if (durationMs === undefined && this.deps.waitAtGates === false && isWaiting(stepState)) return 'stopped';
    const poll = this.deps.pollMs ?? 2000;
    for (;;) {
      if (!isWaiting(stepState)) {
        // Changed by a command from elsewhere: resumed (a suspend succeeded, an approval is `Resumed`) or terminated.
        if (stepState.phase === 'failed') return 'ended';
        this.state.suspended = allSteps(this.state.steps).some(isWaiting);
        if (!this.state.suspended && this.state.phase === 'suspending') this.state.phase = 'executing';
        if (stepState.phase === 'running') await this.commit();
        else this.deps.onEvent?.({ type: 'step-finished', step: step.name, phase: stepState.phase, ...(stepState.reason ? { reason: stepState.reason } : {}) });
        return 'passed';
      }
      const now = this.deps.clock.now();
      if (durationMs !== undefined && now >= stepState.firstExecuteTime! + durationMs) return pass('Waited');
      if (deadline !== undefined && now >= deadline) throw new Error('timed out');
      const wake = Math.min(poll, durationMs !== undefined ? stepState.firstExecuteTime! + durationMs - now : poll, deadline !== undefined ? deadline - now : poll);
      await this.deps.clock.sleep(Math.max(0, wake), signal);
      await this.refresh();
    }
  }

  // ---- state ----

  private finishStep(step: PlannedStep, stepState: StepState, phase: StepPhase, reason?: StepReason, message?: string): void {
    const now = this.deps.clock.now();
    stepState.phase = phase;
    if (reason) stepState.reason = reason;
    else delete stepState.reason;
    if (message) stepState.message = message;
    else delete stepState.message;
    stepState.lastExecuteTime = now;
    if (phase === 'skipped' && stepState.subSteps) for (const sub of stepState.subSteps) if (sub.phase === 'pending') Object.assign(sub, { phase: 'skipped', reason: 'Skip', lastExecuteTime: now });
    this.deps.onEvent?.({ type: 'step-finished', step: step.name, phase, ...(reason ? { reason } : {}), ...(message ? { message } : {}) });
  }

  /** The workflow's phase once no step can go on. */
  private finish(): void {
    const steps = allSteps(this.state.steps);
    this.state.suspended = steps.some(isWaiting);
    if (this.state.suspended) {
      this.state.phase = 'suspending';
      return;
    }
    this.state.phase = this.state.terminated ? 'terminated' : this.state.steps.some((s) => s.phase === 'failed') ? 'failed' : 'succeeded';
    this.state.endTime = this.deps.clock.now();
    if (this.state.phase === 'failed') this.state.message = `failed: ${this.state.steps.filter((s) => s.phase === 'failed').map((s) => s.name).join(', ')}`;
  }

  /** Writes the state, one write at a time; on a conflict, takes in what others changed and writes again. */
  private commit(): Promise<void> {
    const next = this.commits.then(() => this.commitNow());
    this.commits = next.catch(() => undefined);
    return next;
  }

  private async commitNow(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        this.version = await this.deps.store.write(this.state, this.version, this.deps.signal);
        return;
      } catch (err) {
        if (!(err instanceof StateConflictError) || attempt >= 8) throw err;
        const stored = await this.deps.store.read(this.deps.signal);
        if (stored) this.adopt(stored);
        this.version = stored?.version;
      }
    }
  }

  /** Looks at the store for commands from elsewhere. */
  private async refresh(): Promise<void> {
    const stored = await this.deps.store.read(this.deps.signal);
    if (!stored || stored.version === this.version) return;
    this.adopt(stored);
    this.version = stored.version;
    // Write back what this run knows that the stored state does not (e.g. a result since).
    await this.commit();
  }

  /** Takes in what commands change: a restart (another run id), a termination, steps resumed or terminated while waiting. */
  private adopt(stored: VersionedState): void {
    const theirs = stored.state;
    if (theirs.runId !== this.state.runId) throw new Restarted(stored);
    if (theirs.terminated && !this.state.terminated) {
      this.state.terminated = true;
      this.state.message = theirs.message ?? 'terminated';
    }
    const byName = new Map(allSteps(theirs.steps).map((s) => [s.name, s]));
    for (const ours of allSteps(this.state.steps)) {
      const other = byName.get(ours.name);
      if (other && isWaiting(ours) && !isWaiting(other)) Object.assign(ours, { phase: other.phase, reason: other.reason, message: other.message, lastExecuteTime: other.lastExecuteTime });
    }
    this.state.suspended = allSteps(this.state.steps).some(isWaiting);
  }
}
