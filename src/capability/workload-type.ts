/**
 * What a component produces (its workload type, `deployments.apps`: the
 * lower-case plural of the kind, then the API group, as KubeVela names
 * workloads; appfile/resolve/definitions.ts matches `appliesToWorkloads`
 * against it) and which traits cannot go together, KubeVela's rules for
 * `conflictsWith`.
 *
 * conflictsWith (checked between the traits of one component):
 * - a trait definition name; `*`: every other trait;
 * - the resource a trait stands for (`definitionRef.name`, `ingresses.networking.k8s.io`) or `*.GROUP` of it;
 * - `labelSelector:` with comma-separated `key=value`, `key==value`, `key!=value`, `key`, `!key` on the
 *   other trait definition's labels.
 */
import { evaluate, type Program } from '../cue/index.js';
import type { Definition } from './types.js';

/** `deployments.apps` from `{apiVersion: apps/v1, kind: Deployment}` (the lower-case plural, then the group). */
export function workloadTypeOf(def: { apiVersion?: string; kind?: string } | undefined): string | undefined {
  if (!def?.kind) return undefined;
  const group = def.apiVersion?.includes('/') ? def.apiVersion.slice(0, def.apiVersion.indexOf('/')) : '';
  const kind = def.kind.toLowerCase();
  const plural = /(s|x|z|ch|sh)$/.test(kind) ? `${kind}es` : /[^aeiou]y$/.test(kind) ? `${kind.slice(0, -1)}ies` : `${kind}s`;
  return group ? `${plural}.${group}` : plural;
}

/** The workload type of a template whose `output` has a fixed apiVersion and kind; undefined when they depend on input. */
export function inferredWorkloadType(program: Program): string | undefined {
  const r = evaluate(program);
  if (!r.ok) return undefined;
  const output = r.root.lookup('output');
  const apiVersion = output?.lookup('apiVersion')?.scalar();
  const kind = output?.lookup('kind')?.scalar();
  return typeof apiVersion === 'string' && typeof kind === 'string' ? workloadTypeOf({ apiVersion, kind }) : undefined;
}

/** `networking.k8s.io` of `ingresses.networking.k8s.io`; '' for the core group. */
export const groupOf = (resource: string): string => (resource.includes('.') ? resource.slice(resource.indexOf('.') + 1) : '');

/** The rule of `owner` that `other` breaks, if any. */
export function conflictRule(owner: Pick<Definition, 'conflictsWith'>, other: Pick<Definition, 'name' | 'resource' | 'labels'>): string | undefined {
  return (owner.conflictsWith ?? []).find((rule) => {
    if (rule === '*' || rule === other.name) return true;
    if (rule.startsWith('labelSelector:')) return selects(rule.slice('labelSelector:'.length), other.labels ?? {});
    if (!other.resource) return false;
    return rule === other.resource || (rule.startsWith('*.') && groupOf(other.resource) === rule.slice(2));
  });
}

export interface TraitConflict {
  /** The trait whose rule is broken (its index in the list given). */
  readonly owner: number;
  readonly other: number;
  readonly rule: string;
}

/** The first conflict between traits of one component, in their order. */
export function traitConflict(traits: readonly Pick<Definition, 'name' | 'conflictsWith' | 'resource' | 'labels'>[]): TraitConflict | undefined {
  for (let owner = 0; owner < traits.length; owner++) {
    for (let other = 0; other < traits.length; other++) {
      if (other === owner) continue;
      const rule = conflictRule(traits[owner]!, traits[other]!);
      if (rule !== undefined) return { owner, other, rule };
    }
  }
  return undefined;
}

/** A label selector of equality requirements (the subset of Kubernetes' syntax definitions use). */
function selects(selector: string, labels: Readonly<Record<string, string>>): boolean {
  const requirements = selector.split(',').map((r) => r.trim()).filter(Boolean);
  if (requirements.length === 0) return false;
  return requirements.every((r) => {
    const m = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(r);
    if (m) return m[2] === '!=' ? labels[m[1]!] !== m[3] : labels[m[1]!] === m[3];
    if (r.startsWith('!')) return !Object.hasOwn(labels, r.slice(1).trim());
    return Object.hasOwn(labels, r);
  });
}
