/**
 * KubeVela's resource policies, as the apply path honours them. Which objects
 * a policy selects is the caller's business (src/workflow matches the rules'
 * selectors against each object's render origin); deploy only asks, per
 * object, and acts:
 *   - read-only: the object is never written; it must exist (else an error
 *     at its line, nothing written);
 *   - shared-resource: written only when it does not exist or is the app's
 *     own; a copy another app (or manager) made is left as it is and not
 *     taken over;
 *   - apply-once: once the object exists, the listed field paths keep the
 *     cluster's values (`*`: the object is not written again).
 *   - garbage-collect rules: a selected object leaving the app is kept as a
 *     member until the app is deleted (`onAppDelete`) or released (`never`);
 *     `keepLegacyResource` is delivery's: it turns prune off.
 */
import type { Manifest } from '../render/index.js';
import type { KubeObject } from './api/index.js';
import { ComponentLabel, TraitTypeLabel, WorkloadTypeLabel } from './labels.js';

/** What a policy looks at: the object and where it came from. */
export type PolicySubject = Pick<Manifest, 'object' | 'origin'>;

export interface ResourcePolicies {
  readonly readOnly?: (subject: PolicySubject) => boolean;
  readonly shared?: (subject: PolicySubject) => boolean;
  /** Field paths (`spec.replicas`, `spec.template.spec.containers[0].image`, or `*`) left as the cluster has them once the object exists. */
  readonly applyOnce?: (subject: PolicySubject) => readonly string[];
  /** garbage-collect rules: what leaving the app does to an object — deleted (the default), kept as a member until the app is deleted (`onAppDelete`), or released (`never`). */
  readonly onLeave?: (subject: PolicySubject) => 'delete' | 'keep' | 'release';
}

/** A live member as a policy sees it: its origin read back from the labels the renderer put on it. */
export function memberSubject(member: KubeObject): PolicySubject {
  const labels = member.metadata?.labels ?? {};
  const trait = labels[TraitTypeLabel];
  return { object: member as PolicySubject['object'], origin: { service: labels[ComponentLabel] ?? '', definition: labels[WorkloadTypeLabel] ?? '', ...(trait ? { trait } : {}) } };
}

type Step = string | number;

/** `spec.template.spec.containers[0].image` → ['spec', 'template', 'spec', 'containers', 0, 'image']; undefined when malformed. */
export function parseFieldPath(path: string): Step[] | undefined {
  const steps: Step[] = [];
  for (const part of path.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m || (m[1] === '' && m[2] === '')) return undefined;
    if (m[1]) steps.push(m[1]);
    for (const index of m[2]!.matchAll(/\[(\d+)\]/g)) steps.push(Number(index[1]));
  }
  return steps;
}

function getAt(value: unknown, steps: readonly Step[]): { found: boolean; value?: unknown } {
  let at: unknown = value;
  for (const step of steps) {
    if (at === null || typeof at !== 'object') return { found: false };
    if (typeof step === 'number' ? !Array.isArray(at) || step >= at.length : Array.isArray(at) || !(step in (at as object))) return { found: false };
    at = (at as Record<string, unknown>)[step as string];
  }
  return { found: true, value: at };
}

function setAt(value: Record<string, unknown>, steps: readonly Step[], next: unknown): boolean {
  let at: unknown = value;
  for (const [i, step] of steps.entries()) {
    if (at === null || typeof at !== 'object') return false;
    const container = at as Record<string | number, unknown>;
    if (i === steps.length - 1) {
      container[step] = structuredClone(next);
      return true;
    }
    if (!(step in container)) {
      if (Array.isArray(container)) return false;
      container[step] = typeof steps[i + 1] === 'number' ? [] : {};
    }
    at = container[step];
  }
  return false;
}

/**
 * The object to send once `live` exists: the values of `paths` taken from
 * the live object (a path the live object lacks keeps the rendered value).
 * `*` is the caller's: it means not sending the object at all.
 */
export function keepLiveFields(object: KubeObject, live: KubeObject, paths: readonly string[]): KubeObject {
  const out = structuredClone(object);
  for (const path of paths) {
    const steps = parseFieldPath(path);
    if (!steps) continue;
    const current = getAt(live, steps);
    if (current.found) setAt(out as Record<string, unknown>, steps, current.value);
  }
  return out;
}
