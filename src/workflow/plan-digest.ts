/**
 * A digest of a delivery plan: what each step does and what each target gets
 * (the services' types, parameters, traits and dependencies). A stored run
 * with the same digest is the same run, continued; another digest means the
 * app changed, and its workflow starts over (as KubeVela starts a new
 * revision's workflow). `extra` lets delivery add what the plan cannot see
 * (e.g. the rendered manifests' digest, which changes with a built image).
 */
import { createHash } from 'node:crypto';
import type { JsonValue } from '../appfile/index.js';
import type { DeliveryPlan, PlannedStep, TargetDelivery } from './plan.js';

export function planDigest(plan: DeliveryPlan, extra = ''): string {
  const hash = createHash('sha256');
  hash.update(stableJson({ app: plan.app, mode: plan.mode, steps: plan.steps.map(stepData), options: plan.options as unknown as JsonValue }));
  hash.update('\u0000');
  hash.update(extra);
  return hash.digest('hex').slice(0, 32);
}

function stepData(step: PlannedStep): JsonValue {
  const base = { name: step.name, kind: step.kind, if: step.if ?? null, timeoutMs: step.timeoutMs ?? null, dependsOn: [...step.dependsOn] };
  switch (step.kind) {
    case 'deploy':
      return { ...base, approval: step.approval, parallelism: step.parallelism, targets: step.targets.map(targetData) };
    case 'apply-component':
      return { ...base, targets: step.targets.map(targetData) };
    case 'suspend':
      return { ...base, durationMs: step.durationMs ?? null, message: step.message ?? null };
    case 'step-group':
      return { ...base, subSteps: step.subSteps.map(stepData) };
    case 'notification':
      return { ...base, messages: step.messages.map((m) => ({ channel: m.channel, url: m.url, body: m.body })) as unknown as JsonValue };
  }
}

function targetData(t: TargetDelivery): JsonValue {
  return {
    cluster: t.target.cluster,
    namespace: t.target.namespace ?? null,
    services: t.app.services.map((s) => ({ name: s.name, type: s.type, params: s.params, traits: s.traits.map((x) => ({ name: x.name, properties: x.properties })), dependsOn: [...s.dependsOn] })),
  };
}

/** JSON with object keys sorted, so equal data gives equal text. */
function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
}
