/**
 * Is a live object healthy? Built-in rules for the workload kinds (the ones
 * `kubectl rollout status` knows), the reasons a pod is stuck, and the
 * definition's own `healthPolicy` / `customStatus` (CUE) evaluated against the
 * live objects.
 */
import type { KubeObject } from './client.js';

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
  const labels: Record<string, string> | undefined = sel?.matchLabels ?? (o.kind === 'Job' ? undefined : undefined);
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

// --- definition health policies (CUE) ----------------------------------------

/** Evaluates CUE source and exports one expression; the default uses vela's CUE engine. */
export type PolicyEvaluator = (source: string, expression: string) => Promise<{ ok: true; value: unknown } | { ok: false; error: string }>;

let cueModule: Promise<typeof import('../cue/index.js')> | undefined;

/** vela's CUE engine, loaded on first use (it is heavy, and most `vela status` calls never need it). */
export const cuePolicyEvaluator: PolicyEvaluator = async (source, expression) => {
  cueModule ??= import('../cue/index.js');
  const cue = await cueModule;
  const r = cue.exportFiles([{ name: 'health.cue', text: source }], { expression });
  return r.ok ? { ok: true, value: r.value } : { ok: false, error: r.diagnostics.map((d) => d.message).join('; ') };
};

/** The CUE source a policy is evaluated in: `context.output` (the workload) and `context.outputs` (the other objects), live. */
export function policySource(policy: string, output: KubeObject | undefined, outputs: Record<string, KubeObject>): string {
  const lines = [`context: output: ${JSON.stringify(output ?? {})}`];
  lines.push(`context: outputs: ${JSON.stringify(outputs)}`);
  lines.push(policy);
  return lines.join('\n');
}

/** Evaluate a definition's `healthPolicy` (`isHealth`) and `customStatus` (`message`). */
export async function evaluatePolicies(
  status: { healthPolicy?: string; customStatus?: string } | undefined,
  output: KubeObject | undefined,
  outputs: Record<string, KubeObject>,
  evaluate: PolicyEvaluator,
): Promise<{ health?: Health; message?: string }> {
  const out: { health?: Health; message?: string } = {};
  if (status?.healthPolicy?.trim()) {
    const r = await evaluate(policySource(status.healthPolicy, output, outputs), 'isHealth');
    if (!r.ok) out.health = { healthy: false, reason: `health policy not satisfied: ${r.error}` };
    else if (r.value === true) out.health = { healthy: true };
    else out.health = { healthy: false, reason: r.value === false ? 'health policy says not healthy (isHealth: false)' : `health policy gave ${JSON.stringify(r.value)}` };
  }
  if (status?.customStatus?.trim()) {
    const r = await evaluate(policySource(status.customStatus, output, outputs), 'message');
    if (r.ok && typeof r.value === 'string') out.message = r.value;
  }
  return out;
}
