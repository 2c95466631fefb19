/**
 * Where a workflow's state is kept, behind a small interface: read the state
 * with a version, write it only if the stored version is still that one
 * (optimistic concurrency, as a Kubernetes object's resourceVersion gives),
 * so a runner and a `vela workflow resume` from another machine never
 * overwrite each other. The cluster implementation is a ConfigMap next to the
 * app's inventory (src/deploy/clusters/workflow-state.ts); the in-memory one
 * here serves tests and `--output` runs.
 */
import type { WorkflowState } from './state.js';

export interface VersionedState {
  readonly state: WorkflowState;
  /** Opaque; changes with every write. */
  readonly version: string;
}

export interface WorkflowStateStore {
  read(signal?: AbortSignal): Promise<VersionedState | undefined>;
  /**
   * Store `state` if the stored version is `version` (undefined: only if
   * nothing is stored yet); resolves to the new version, rejects with a
   * StateConflictError when someone else wrote in between.
   */
  write(state: WorkflowState, version: string | undefined, signal?: AbortSignal): Promise<string>;
  /** Forget the state (the app was deleted). */
  remove(signal?: AbortSignal): Promise<void>;
}

export class StateConflictError extends Error {
  constructor(message = 'the workflow state was changed by someone else') {
    super(message);
    this.name = 'StateConflictError';
  }
}

/** A store in memory; `writes` counts successful writes. */
export function memoryStateStore(initial?: WorkflowState): WorkflowStateStore & { readonly writes: number; current(): WorkflowState | undefined } {
  let stored: VersionedState | undefined = initial ? { state: copy(initial), version: '1' } : undefined;
  let counter = initial ? 1 : 0;
  let writes = 0;
  return {
    get writes() {
      return writes;
    },
    current: () => (stored ? copy(stored.state) : undefined),
    async read() {
      return stored ? { state: copy(stored.state), version: stored.version } : undefined;
    },
    async write(state, version) {
      if (stored?.version !== version) throw new StateConflictError();
      stored = { state: copy(state), version: String(++counter) };
      writes++;
      return stored.version;
    },
    async remove() {
      stored = undefined;
    },
  };
}

/** Read, change and write back, again on a conflict (a few times): how the commands change the state. */
export async function updateState(store: WorkflowStateStore, change: (state: WorkflowState | undefined) => WorkflowState, signal?: AbortSignal): Promise<WorkflowState> {
  for (let attempt = 0; ; attempt++) {
    const current = await store.read(signal);
    const next = change(current?.state);
    try {
      await store.write(next, current?.version, signal);
      return next;
    } catch (err) {
      if (!(err instanceof StateConflictError) || attempt >= 4) throw err;
    }
  }
}

// States cross the store as data: neither side keeps a reference the other can change.
const copy = (state: WorkflowState): WorkflowState => JSON.parse(JSON.stringify(state)) as WorkflowState;
