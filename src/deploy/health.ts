/**
 * Is a live object healthy? Built-in rules for the workload kinds (the ones
 * `kubectl rollout status` knows), the reasons a pod is stuck, and the shape
 * of the check a definition's own health policy plugs into.
 */
import type { RenderedService } from '../render/index.js';
import type { KubeObject } from './api/index.js';

export interface Health {
  readonly healthy: boolean;
  /** Why not (or a short summary when healthy), e.g. `1 of 3 replicas available`. */
  readonly reason?: string;
}

type Obj = Record<string, any>;

function num(v: unknown, fallback = 0): number {
  return typeof v === 'number' ? v : fallback;
}

function notObserved(obj: Obj): Health | undefined {
  const gen = num(obj.metadata?.generation, 0);
  const observed = num(obj.status?.observedGeneration, 0);
  if (gen > observed) {
    return { healthy: false, reason: `the ${obj.kind} controller has not observed generation ${gen} yet (observed: ${observed || 'none'}); is kube-controller-manager running?` };
  }
  return undefined;
}

/** Built-in health of the kinds with a rollout; `undefined` for kinds that are ready once they exist. */
export function builtinHealth(obj: KubeObject): Health | undefined {
  const live = obj as Obj;
  const status = (live.status ?? {}) as Obj;
  switch (live.kind) {
    case 'Deployment': {
      const pending = notObserved(live);
      if (pending) return pending;
      const failed = (status.conditions ?? []).find((c: Obj) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded');
      if (failed) return { healthy: false, reason: `rollout exceeded its progress deadline: ${failed.message ?? ''}`.trim() };
      const want = num(live.spec?.replicas, 1);
      const updated = num(status.updatedReplicas);
      const available = num(status.availableReplicas);
      const total = num(status.replicas);
      if (updated < want) return { healthy: false, reason: `${updated} of ${want} replicas updated` };
      if (total > updated) return { healthy: false, reason: `${total - updated} old replicas are pending termination` };
      if (available < updated) return { healthy: false, reason: `${available} of ${want} replicas available` };
      return { healthy: true, reason: `${available}/${want} replicas available` };
    }
    case 'StatefulSet': {
      const pending = notObserved(live);
      if (pending) return pending;
      const want = num(live.spec?.replicas, 1);
      const ready = num(status.readyReplicas);
      if (ready < want) return { healthy: false, reason: `${ready} of ${want} replicas ready` };
      if ((live.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate' && status.updateRevision && status.currentRevision !== status.updateRevision) {
        return { healthy: false, reason: `${num(status.updatedReplicas)} of ${want} replicas updated` };
      }
      return { healthy: true, reason: `${ready}/${want} replicas ready` };
    }
    case 'DaemonSet': {
      const pending = notObserved(live);
      if (pending) return pending;
      const want = num(status.desiredNumberScheduled);
      const ready = num(status.numberReady);
      const updated = num(status.updatedNumberScheduled);
      if (updated < want) return { healthy: false, reason: `${updated} of ${want} pods updated` };
      if (ready < want) return { healthy: false, reason: `${ready} of ${want} pods ready` };
      return { healthy: true, reason: `${ready}/${want} pods ready` };
    }
    case 'Job': {
      const conditions = (status.conditions ?? []) as Obj[];
      const failed = conditions.find((c) => c.type === 'Failed' && c.status === 'True');
      if (failed) return { healthy: false, reason: `job failed: ${failed.reason ?? ''} ${failed.message ?? ''}`.trim() };
      if (conditions.some((c) => c.type === 'Complete' && c.status === 'True')) return { healthy: true, reason: 'complete' };
      return { healthy: false, reason: `${num(status.succeeded)} of ${num(live.spec?.completions, 1)} completions` };
    }
    case 'Pod': {
      const problem = podProblem(live);
      return problem ? { healthy: false, reason: problem } : { healthy: true, reason: status.phase === 'Succeeded' ? 'succeeded' : 'running' };
    }
    case 'PersistentVolumeClaim':
      return status.phase === 'Bound' ? { healthy: true, reason: 'bound' } : { healthy: false, reason: `claim is ${status.phase ?? 'Pending'}` };
    default:
      return undefined;
  }
}

/** Kinds whose pods tell why they are not ready. */
export const podOwners = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicaSet']);

/** Why a pod is not running and ready, or `undefined` when it is (or has succeeded). */
export function podProblem(pod: KubeObject): string | undefined {
  const live = pod as Obj;
  const name = live.metadata?.name ?? 'pod';
  const status = (live.status ?? {}) as Obj;
  if (status.phase === 'Succeeded') return undefined;
  const statuses = [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])] as Obj[];
  for (const container of statuses) {
    const waiting = container.state?.waiting;
    if (!waiting) continue;
    if (['ImagePullBackOff', 'ErrImagePull', 'InvalidImageName', 'ErrImageNeverPull'].includes(waiting.reason)) {
      return `pod ${name}: image pull error for container ${container.name} (image ${container.image}): ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}`;
    }
    if (waiting.reason === 'CrashLoopBackOff') {
      const terminated = container.lastState?.terminated;
      const last = terminated ? ` (last exit code ${terminated.exitCode}${terminated.reason ? `, ${terminated.reason}` : ''})` : '';
      return `pod ${name}: crash loop: container ${container.name} restarted ${num(container.restartCount)} times${last}`;
    }
    if (waiting.reason && waiting.reason !== 'ContainerCreating' && waiting.reason !== 'PodInitializing') {
      return `pod ${name}: container ${container.name} is waiting: ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}`;
    }
  }
  if (status.phase === 'Failed') return `pod ${name} failed${status.reason ? `: ${status.reason}` : ''}${status.message ? `: ${status.message}` : ''}`;
  const conditions = (status.conditions ?? []) as Obj[];
  const scheduled = conditions.find((condition) => condition.type === 'PodScheduled');
  if (status.phase === 'Pending' || !status.phase) {
    if (scheduled?.status === 'False') return `pod ${name} is Pending: cannot be scheduled${scheduled.message ? `: ${scheduled.message}` : ''}`;
    if (!live.spec?.nodeName && !scheduled) return `pod ${name} is Pending: not scheduled to any node yet (is a scheduler running?)`;
    return `pod ${name} is Pending${statuses.length ? '' : ': containers not started'}`;
  }
  const ready = conditions.find((condition) => condition.type === 'Ready');
  if (ready && ready.status !== 'True') {
    const notReady = statuses.filter((container) => !container.ready).map((container) => container.name);
    return `pod ${name} is not ready${notReady.length ? ` (containers ${notReady.join(', ')})` : ''}`;
  }
  return undefined;
}

/** The label selector of a workload's pods, as a query string, or `undefined`. */
export function podSelector(obj: KubeObject): string | undefined {
  const live = obj as Obj;
  const selector = live.spec?.selector;
  const labels: Record<string, string> | undefined = selector?.matchLabels;
  const parts = Object.entries(labels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const expression of (selector?.matchExpressions ?? []) as Obj[]) {
    if (expression.operator === 'In') parts.push(`${expression.key} in (${(expression.values ?? []).join(',')})`);
    else if (expression.operator === 'NotIn') parts.push(`${expression.key} notin (${(expression.values ?? []).join(',')})`);
    else if (expression.operator === 'Exists') parts.push(expression.key);
    else if (expression.operator === 'DoesNotExist') parts.push(`!${expression.key}`);
  }
  if (live.kind === 'Job' && parts.length === 0 && live.metadata?.uid) parts.push(`controller-uid=${live.metadata.uid}`);
  return parts.length ? parts.join(',') : undefined;
}

// --- definitions' own health policies ----------------------------------------

/** The live objects a definition's policy looks at: the workload (`context.output`) and the other outputs by name (`context.outputs`). */
export interface LiveOutputs {
  readonly output?: KubeObject;
  readonly outputs: Readonly<Record<string, KubeObject>>;
}

/** What a definition says of a service: its health (when it has a health policy) and its status message (`customStatus`). */
export interface DefinitionVerdict {
  readonly health?: Health;
  readonly message?: string;
}

/**
 * Judges a service by its definition's own `healthPolicy` and `customStatus`.
 * Injected by the caller: those policies are CUE, and deploy does not know CUE
 * (pipeline/health.ts supplies the evaluator). Without one, only the built-in
 * rules above apply.
 */
export type DefinitionHealth = (service: Pick<RenderedService, 'name' | 'type' | 'status'>, live: LiveOutputs) => Promise<DefinitionVerdict>;
