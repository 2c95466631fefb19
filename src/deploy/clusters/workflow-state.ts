/**
 * Where an app's workflow state lives in a cluster: a ConfigMap
 * `workflow-<app>` in the app's namespace, beside its inventory
 * (`applyset-<app>`), holding the state as JSON under `data.state`. Its
 * `resourceVersion` is the version: a write names the version it read, and
 * the API server refuses it (409) when someone wrote in between — so `vela up`
 * on one machine and `vela workflow resume` on another never overwrite each
 * other. The state's shape is the workflow module's; this store keeps text.
 */
import { ApiError, type KubeClient, type KubeObject } from '../api/index.js';

export interface StoredText {
  readonly text: string;
  readonly version: string;
}

export class StoredVersionConflict extends Error {
  constructor(readonly app: string) {
    super(`the workflow state of ${app} was changed by someone else`);
    this.name = 'StoredVersionConflict';
  }
}

export interface WorkflowStateConfigMap {
  /** The ConfigMap's name and namespace. */
  readonly ref: { readonly apiVersion: 'v1'; readonly kind: 'ConfigMap'; readonly name: string; readonly namespace: string };
  read(signal?: AbortSignal): Promise<StoredText | undefined>;
  /** Writes if the stored version is `version` (undefined: only if there is none); the new version, or a StoredVersionConflict. */
  write(text: string, version: string | undefined, signal?: AbortSignal): Promise<string>;
  remove(signal?: AbortSignal): Promise<void>;
}

export function workflowStateName(app: string): string {
  return `workflow-${app}`;
}

export function workflowStateConfigMap(client: KubeClient, app: string, namespace: string): WorkflowStateConfigMap {
  const ref = { apiVersion: 'v1' as const, kind: 'ConfigMap' as const, name: workflowStateName(app), namespace };
  return {
    ref,
    async read(signal) {
      const live = await client.get(ref, signal);
      const text = (live?.data as Record<string, string> | undefined)?.state;
      return live && text !== undefined ? { text, version: String(live.metadata?.resourceVersion ?? '') } : undefined;
    },
    async write(text, version, signal) {
      if (version === undefined && (await client.get(ref, signal))) throw new StoredVersionConflict(app);
      const object: KubeObject = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: ref.name,
          namespace,
          labels: { 'app.oam.dev/name': app, 'app.kubernetes.io/managed-by': 'vela', 'vela.dev/workflow-state': 'true' },
          // The server refuses a write against another version (optimistic concurrency, also for server-side apply).
          ...(version !== undefined ? { resourceVersion: version } : {}),
        },
        data: { state: text },
      };
      try {
        const written = await client.apply(object, { ...(signal ? { signal } : {}), force: true, fieldManager: 'vela-workflow' });
        return String(written.metadata?.resourceVersion ?? '');
      } catch (err) {
        if (err instanceof ApiError && err.status === 409 && !err.isFieldConflict) throw new StoredVersionConflict(app);
        throw err;
      }
    },
    async remove(signal) {
      await client.delete(ref, signal ? { signal } : {});
    },
  };
}
