/**
 * Is a live object healthy? Built-in rules for the workload kinds (the ones
 * `kubectl rollout status` knows), the reasons a pod is stuck, and the shape
 * of the check a definition's own health policy plugs into.
 */
import type { RenderedService } from '../render/types.js';
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
  const o = obj as Obj;
  const s = (o.status ?? {}) as Obj;
  switch (o.kind) {
    case 'Deployment': {
      const pending = notObserved(o);
      if (pending) return pending;
      const failed = (s.conditions ?? []).find((c: Obj) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded');
      if (failed) return { healthy: false, reason: `rollout exceeded its progress deadline: ${failed.message ?? ''}`.trim() };
      const want = num(o.spec?.replicas, 1);
      const updated = num(s.updatedReplicas);
      const available = num(s.availableReplicas);
      const total = num(s.replicas);
      if (updated < want) return { healthy: false, reason: `${updated} of ${want} replicas updated` };
      if (total > updated) return { healthy: false, reason: `${total - updated} old replicas are pending termination` };
      if (available < updated) return { healthy: false, reason: `${available} of ${want} replicas available` };
      return { healthy: true, reason: `${available}/${want} replicas available` };
    }
    case 'StatefulSet': {
      const pending = notObserved(o);
      if (pending) return pending;
      const want = num(o.spec?.replicas, 1);
      const ready = num(s.readyReplicas);
      if (ready < want) return { healthy: false, reason: `${ready} of ${want} replicas ready` };
      if ((o.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate' && s.updateRevision && s.currentRevision !== s.updateRevision) {
        return { healthy: false, reason: `${num(s.updatedReplicas)} of ${want} replicas updated` };
      }
      return { healthy: true, reason: `${ready}/${want} replicas ready` };
    }
    case 'DaemonSet': {
      const pending = notObserved(o);
      if (pending) return pending;
      const want = num(s.desiredNumberScheduled);
      const ready = num(s.numberReady);
      const updated = num(s.updatedNumberScheduled);
      if (updated < want) return { healthy: false, reason: `${updated} of ${want} pods updated` };
      if (ready < want) return { healthy: false, reason: `${ready} of ${want} pods ready` };
      return { healthy: true, reason: `${ready}/${want} pods ready` };
    }
    case 'Job': {
      const conds = (s.conditions ?? []) as Obj[];
      const failed = conds.find((c) => c.type === 'Failed' && c.status === 'True');
      if (failed) return { healthy: false, reason: `job failed: ${failed.reason ?? ''} ${failed.message ?? ''}`.trim() };
      if (conds.some((c) => c.type === 'Complete' && c.status === 'True')) return { healthy: true, reason: 'complete' };
      return { healthy: false, reason: `${num(s.succeeded)} of ${num(o.spec?.completions, 1)} completions` };
    }
    case 'Pod': {
      const r = podProblem(o);
      return r ? { healthy: false, reason: r } : { healthy: true, reason: s.phase === 'Succeeded' ? 'succeeded' : 'running' };
    }
    case 'PersistentVolumeClaim':
      return s.phase === 'Bound' ? { healthy: true, reason: 'bound' } : { healthy: false, reason: `claim is ${s.phase ?? 'Pending'}` };
    default:
      return undefined;
  }
}

/** Kinds whose pods tell why they are not ready. */
export const podOwners = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicaSet']);

/** Why a pod is not running and ready, or `undefined` when it is (or has succeeded). */
export function podProblem(pod: KubeObject): string | undefined {
  const p = pod as Obj;
  const name = p.metadata?.name ?? 'pod';
  const s = (p.status ?? {}) as Obj;
  if (s.phase === 'Succeeded') return undefined;
  const statuses = [...(s.initContainerStatuses ?? []), ...(s.containerStatuses ?? [])] as Obj[];
  for (const c of statuses) {
    const w = c.state?.waiting;
    if (!w) continue;
    if (['ImagePullBackOff', 'ErrImagePull', 'InvalidImageName', 'ErrImageNeverPull'].includes(w.reason)) {
      return `pod ${name}: image pull error for container ${c.name} (image ${c.image}): ${w.reason}${w.message ? `: ${w.message}` : ''}`;
    }
    if (w.reason === 'CrashLoopBackOff') {
      const t = c.lastState?.terminated;
      const last = t ? ` (last exit code ${t.exitCode}${t.reason ? `, ${t.reason}` : ''})` : '';
      return `pod ${name}: crash loop: container ${c.name} restarted ${num(c.restartCount)} times${last}`;
    }
    if (w.reason && w.reason !== 'ContainerCreating' && w.reason !== 'PodInitializing') {
      return `pod ${name}: container ${c.name} is waiting: ${w.reason}${w.message ? `: ${w.message}` : ''}`;
    }
  }
  if (s.phase === 'Failed') return `pod ${name} failed${s.reason ? `: ${s.reason}` : ''}${s.message ? `: ${s.message}` : ''}`;
  const conds = (s.conditions ?? []) as Obj[];
  const scheduled = conds.find((c) => c.type === 'PodScheduled');
  if (s.phase === 'Pending' || !s.phase) {
    if (scheduled?.status === 'False') return `pod ${name} is Pending: cannot be scheduled${scheduled.message ? `: ${scheduled.message}` : ''}`;
    if (!p.spec?.nodeName && !scheduled) return `pod ${name} is Pending: not scheduled to any node yet (is a scheduler running?)`;
    return `pod ${name} is Pending${statuses.length ? '' : ': containers not started'}`;
  }
  const ready = conds.find((c) => c.type === 'Ready');
  if (ready && ready.status !== 'True') {
    const notReady = statuses.filter((c) => !c.ready).map((c) => c.name);
    return `pod ${name} is not ready${notReady.length ? ` (containers ${notReady.join(', ')})` : ''}`;
  }
  return undefined;
}

/** The label selector of a workload's pods, as a query string, or `undefined`. */
export function podSelector(obj: KubeObject): string | undefined {
  const o = obj as Obj;
  const sel = o.spec?.selector;
  const labels: Record<string, string> | undefined = sel?.matchLabels;
  const parts = Object.entries(labels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of (sel?.matchExpressions ?? []) as Obj[]) {
    if (e.operator === 'In') parts.push(`${e.key} in (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  if (o.kind === 'Job' && parts.length === 0 && o.metadata?.uid) parts.push(`controller-uid=${o.metadata.uid}`);
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
