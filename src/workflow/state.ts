/**
 * The state of one run of an app's workflow, as KubeVela records it in an
 * Application's status: the workflow's phase, whether it waits at a suspend
 * (or an approval), whether it was terminated, and per step its phase, reason,
 * message, first and last execution time and, for delivering steps, each
 * target's result. Kept in a store (state-store.ts; in the cluster next to
 * the app's inventory), so `vela workflow status|resume|terminate|restart`
 * work from any machine while `vela up` runs or waits elsewhere.
 *
 * The transitions those commands make (`resumeState`, `terminateState`,
 * `restartState`) are pure functions here; times are milliseconds since the
 * epoch, from the caller's clock.
 */
import type { JsonValue } from '../appfile/index.js';

export type StepPhase = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';

/** Why a step is in its phase (KubeVela's reasons, where it has one). */
export type StepReason =
  /** Waiting at a suspend step, or for approval of a deploy step (`auto: false`). */
  | 'Suspend'
  | 'Approval'
  /** Resumed by `vela workflow resume` (or approved with `vela up --yes`). */
  | 'Resumed'
  /** A timed suspend that waited its duration. */
  | 'Waited'
  | 'Timeout'
  /** Ended by `vela workflow terminate`. */
  | 'Terminate'
  /** Skipped: an earlier step did not succeed, or its `if` was false. */
  | 'Skip'
  /** Delivery or a notification failed. */
  | 'Execute'
  /** A gate (approval, untimed suspend, notification) passed by an earlier run of the same plan. */
  | 'Passed';

export interface TargetResult {
  readonly cluster: string;
  readonly namespace?: string;
  readonly ok: boolean;
  readonly message?: string;
  /** What delivery reported (objects applied, health…), as delivery chooses. */
  readonly details?: JsonValue;
}

export interface StepState {
  readonly name: string;
  readonly type: string;
  phase: StepPhase;
  reason?: StepReason;
  message?: string;
  firstExecuteTime?: number;
  lastExecuteTime?: number;
  results?: TargetResult[];
  subSteps?: StepState[];
}

export type WorkflowPhase = 'executing' | 'suspending' | 'succeeded' | 'failed' | 'terminated';

export interface WorkflowState {
  readonly app: string;
  /** Changes on every fresh run and on restart: a runner that sees another id stops and starts over. */
  runId: string;
  /** The plan this run follows (plan-digest.ts): a changed app starts a fresh run. */
  readonly planDigest: string;
  phase: WorkflowPhase;
  /** Waiting at a suspend step or an approval. */
  suspended: boolean;
  terminated: boolean;
  startTime: number;
  endTime?: number;
  message?: string;
  steps: StepState[];
}

/** Steps of a state, sub-steps included, in order. */
export function allSteps(steps: readonly StepState[]): StepState[] {
  return steps.flatMap((s) => [s, ...allSteps(s.subSteps ?? [])]);
}

/** A step waiting for `vela workflow resume`. */
export function isWaiting(step: StepState): boolean {
  return step.phase === 'running' && (step.reason === 'Suspend' || step.reason === 'Approval');
}

export const isFinished = (phase: WorkflowPhase): boolean => phase === 'succeeded' || phase === 'failed' || phase === 'terminated';

/** Thrown for a command that does not apply to the state (resume when nothing waits...). */
export class WorkflowStateError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'WorkflowStateError';
  }
}

function clone(state: WorkflowState): WorkflowState {
  return JSON.parse(JSON.stringify(state)) as WorkflowState;
}

/** `vela workflow resume`: every step waiting at a suspend or an approval goes on (`step` alone when given). */
export function resumeState(state: WorkflowState, now: number, step?: string): WorkflowState {
  if (isFinished(state.phase)) throw new WorkflowStateError(`the workflow of ${state.app} has ${state.phase === 'succeeded' ? 'finished' : state.phase}`, 'nothing to resume; `vela workflow restart` runs it again');
  const next = clone(state);
  const waiting = allSteps(next.steps).filter(isWaiting).filter((s) => step === undefined || s.name === step);
  if (waiting.length === 0) {
    const names = allSteps(next.steps).filter(isWaiting).map((s) => s.name);
    throw new WorkflowStateError(step ? `step "${step}" of ${state.app} is not waiting` : `the workflow of ${state.app} is not suspended`, names.length ? `waiting: ${names.join(', ')}` : undefined);
  }
  for (const s of waiting) {
    // An approval leaves the step running (it delivers next); a suspend step is done.
    if (s.reason === 'Approval') s.reason = 'Resumed';
    else Object.assign(s, { phase: 'succeeded', reason: 'Resumed' });
    s.lastExecuteTime = now;
  }
  next.suspended = allSteps(next.steps).some(isWaiting);
  if (!next.suspended) next.phase = 'executing';
  return next;
}

/** `vela workflow terminate`: steps waiting fail with reason Terminate; steps not yet run will be skipped. */
export function terminateState(state: WorkflowState, now: number): WorkflowState {
  if (isFinished(state.phase)) throw new WorkflowStateError(`the workflow of ${state.app} has already ${state.phase === 'succeeded' ? 'finished' : state.phase === 'failed' ? 'failed' : 'been terminated'}`);
  const next = clone(state);
  next.terminated = true;
  next.suspended = false;
  for (const s of allSteps(next.steps)) {
    if (isWaiting(s)) Object.assign(s, { phase: 'failed', reason: 'Terminate', message: 'terminated', lastExecuteTime: now });
  }
  // A runner still delivering finishes its step and stops; with none, the run ends here.
  if (!allSteps(next.steps).some((s) => s.phase === 'running')) {
    for (const s of allSteps(next.steps)) if (s.phase === 'pending') Object.assign(s, { phase: 'skipped', reason: 'Skip' });
    next.phase = 'terminated';
    next.endTime = now;
  }
  next.message = 'terminated';
  return next;
}

/** `vela workflow restart`: a fresh run of the same plan, every step pending; the next `vela up` (or a waiting one) runs it from the start. */
export function restartState(state: WorkflowState, now: number, runId: string): WorkflowState {
  const reset = (s: StepState): StepState => ({ name: s.name, type: s.type, phase: 'pending', ...(s.subSteps ? { subSteps: s.subSteps.map(reset) } : {}) });
  return { app: state.app, runId, planDigest: state.planDigest, phase: 'executing', suspended: false, terminated: false, startTime: now, steps: state.steps.map(reset) };
}
