/**
 * `vela workflow status|resume|terminate|restart APP`: the app's workflow
 * state, kept in its cluster (a ConfigMap beside the inventory), read and
 * changed from any machine. A runner (`vela up`) waiting at a suspend or an
 * approval sees the change and goes on; with none waiting, the next `vela up`
 * continues from the state.
 */
import { randomUUID } from 'node:crypto';
import { withClient, type ClusterOptions, StoredVersionConflict, workflowStateConfigMap } from '../deploy/index.js';
import { DiagnosticError, error } from '../source/index.js';
import { systemClock } from '../host/index.js';
import {
  restartState,
  resumeState,
  StateConflictError,
  terminateState,
  updateState,
  WorkflowStateError,
  type WorkflowState,
  type WorkflowStateStore,
} from '../workflow/index.js';
import { resolveApp, type AppRef } from './cluster.js';

export type { WorkflowState, StepState, StepPhase, WorkflowPhase, TargetResult } from '../workflow/index.js';

/** The workflow state store of `app` over a client of the cluster that keeps it (the local one). */
export function clusterStateStore(client: Parameters<typeof workflowStateConfigMap>[0], app: string, namespace: string): WorkflowStateStore {
  const configMap = workflowStateConfigMap(client, app, namespace);
  return {
    async read(signal) {
      const stored = await configMap.read(signal);
      if (!stored) return undefined;
      let state: WorkflowState;
      try {
        state = JSON.parse(stored.text) as WorkflowState;
      } catch {
        throw new DiagnosticError([error(`the workflow state of ${app} (ConfigMap ${namespace}/${configMap.ref.name}) is not valid JSON`, undefined, { code: 'workflow/state', hint: '`vela workflow restart` writes a fresh one' })]);
      }
      return { state, version: stored.version };
    },
    async write(state, version, signal) {
      try {
        return await configMap.write(JSON.stringify(state), version, signal);
      } catch (err) {
        if (err instanceof StoredVersionConflict) throw new StateConflictError(err.message);
        throw err;
      }
    },
    remove: (signal) => configMap.remove(signal),
  };
}

export interface WorkflowCommandResult {
  readonly app: string;
  readonly namespace: string;
  readonly state: WorkflowState;
}

async function withStore<T>(ref: AppRef, cluster: ClusterOptions, fn: (store: WorkflowStateStore, app: string, namespace: string) => Promise<T>): Promise<T> {
  const r = await resolveApp(ref, cluster);
  return withClient(r.cluster, (client) => fn(clusterStateStore(client, r.app, client.target.namespace), r.app, client.target.namespace));
}

function noState(app: string, namespace: string): DiagnosticError {
  return new DiagnosticError([error(`${app} has no workflow state in namespace ${namespace}`, undefined, { code: 'workflow/no-state', hint: '`vela up` runs the workflow and records it; check the app name and -n' })]);
}

/** The state as a command changes it; a change that does not apply is a user error (exit 1). */
async function change(ref: AppRef, cluster: ClusterOptions, transition: (state: WorkflowState, now: number) => WorkflowState): Promise<WorkflowCommandResult> {
  return withStore(ref, cluster, async (store, app, namespace) => {
    try {
      const state = await updateState(
        store,
        (current) => {
          if (!current) throw noState(app, namespace);
          return transition(current, systemClock.now());
        },
        cluster.signal,
      );
      return { app, namespace, state };
    } catch (err) {
      if (err instanceof WorkflowStateError) throw new DiagnosticError([error(err.message, undefined, { code: 'workflow/state', ...(err.hint ? { hint: err.hint } : {}) })]);
      throw err;
    }
  });
}

/** `vela workflow status APP`. */
export async function workflowStatus(ref: AppRef, cluster: ClusterOptions): Promise<WorkflowCommandResult> {
  return withStore(ref, cluster, async (store, app, namespace) => {
    const stored = await store.read(cluster.signal);
    if (!stored) throw noState(app, namespace);
    return { app, namespace, state: stored.state };
  });
}

/** `vela workflow resume APP [--step S]`: every waiting suspend and approval (or the one step) goes on. */
export function workflowResume(ref: AppRef, cluster: ClusterOptions, step?: string): Promise<WorkflowCommandResult> {
  return change(ref, cluster, (state, now) => resumeState(state, now, step));
}

/** `vela workflow terminate APP`. */
export function workflowTerminate(ref: AppRef, cluster: ClusterOptions): Promise<WorkflowCommandResult> {
  return change(ref, cluster, (state, now) => terminateState(state, now));
}

/** `vela workflow restart APP`: a fresh run of the same plan; a waiting `vela up` starts over, else the next one does. */
export function workflowRestart(ref: AppRef, cluster: ClusterOptions): Promise<WorkflowCommandResult> {
  return change(ref, cluster, (state, now) => restartState(state, now, randomUUID()));
}

