/**
 * An Application's `spec.policies` and `spec.workflow`, as far as vela runs
 * them on one cluster: `override` policies are merged into the components in
 * order, as KubeVela does when there is no workflow (properties by JSON merge
 * patch, traits merged by type or disabled); a single-cluster `topology` gives
 * the namespace; `take-over` rules are kept for delivery (take-over-policy.ts).
 * Other policies and the workflow are warned about and ignored.
 */
import { error, warning, type Diagnostic, type Span } from '../../source/index.js';
import type { DocPath, JsonObject, JsonValue, TakeOverSelector } from '../model.js';
import { dns1123LabelProblem } from '../names.js';
import { describe, toJson, type LEntry } from '../yaml-tree.js';
import { readTakeOverRules } from './take-over-policy.js';

/** A component as the policies change it. */
export interface PolicyTarget {
  readonly name: string;
  readonly type: string;
  properties: JsonObject;
  traits: PolicyTrait[];
}

export interface PolicyTrait {
  readonly type: string;
  readonly typeSpan: Span;
  properties: JsonObject;
  /** Where the properties were written, for positions of errors in them. */
  readonly source: DocPath;
  /** Added by an override policy, not written in the component. */
  readonly fromPolicy: boolean;
}

export function warnWorkflow(workflow: LEntry | undefined, diags: Diagnostic[]): void {
  if (workflow) diags.push(warning('spec.workflow is not run by vela: components are applied in dependsOn order; ignored', workflow.keySpan, { code: 'application/ignored' }));
}

/**
 * Applies override policies (in order) to `components`; returns the namespace
 * of a single-cluster topology and the rules of take-over policies.
 */
export function applyPolicies(e: LEntry, components: readonly PolicyTarget[], diags: Diagnostic[]): { namespace?: string; takeOver: TakeOverSelector[] } {
  const takeOver: TakeOverSelector[] = [];
  const bad = (msg: string, span: Span, hint?: string) => diags.push(error(msg, span, { path: 'spec.policies', code: 'application/policy', ...(hint ? { hint } : {}) }));
  if (e.value.kind !== 'seq') {
    bad(`policies must be a list (got ${describe(e.value)})`, e.value.span);
    return { takeOver };
  }
  let namespace: string | undefined;
  let topologies = 0;
  e.value.items.forEach((p, policyIndex) => {
    if (p.kind !== 'map') {
      bad(`a policy must be a map with name, type and properties (got ${describe(p)})`, p.span);
      return;
    }
    const field = (k: string) => p.entries.find((x) => x.key === k);
    const t = field('type');
    const type = t?.value.kind === 'scalar' ? String(t.value.value) : undefined;
    if (!field('name')) bad('a policy needs a name', p.span);
    if (!t || !type) {
      bad('a policy needs a type', p.span);
      return;
    }
    const props = field('properties');
    const settings = props?.value.kind === 'map' ? props.value : undefined;
    if (type === 'topology') {
      topologies++;
      if (topologies > 1) {
        diags.push(warning('only the first topology policy is used: vela deploys to one cluster and namespace; ignored', t.value.span, { path: 'spec.policies', code: 'application/ignored' }));
        return;
      }
      for (const x of settings?.entries ?? []) {
        if (x.key === 'namespace' && x.value.kind === 'scalar' && typeof x.value.value === 'string') {
          const problem = dns1123LabelProblem(x.value.value);
          if (problem) bad(`invalid namespace "${x.value.value}": ${problem}`, x.value.span);
          else namespace = x.value.value;
        } else if (x.key === 'clusters' && x.value.kind === 'seq' && x.value.items.every((c) => c.kind === 'scalar' && c.value === 'local')) {
          continue;
        } else {
          diags.push(
            warning(`topology ${x.key} has no meaning for vela, which deploys to the cluster of the current kubeconfig context; ignored`, x.keySpan, {
              path: 'spec.policies',
              code: 'application/ignored',
              hint: 'choose the cluster with the kubeconfig context',
            }),
          );
        }
      }
      return;
    }
    if (type === 'take-over') {
      takeOver.push(...readTakeOverRules(props?.value, diags));
      return;
    }
    if (type !== 'override') {
      diags.push(warning(`policy type "${type}" is not supported by vela; ignored`, t.value.span, { path: 'spec.policies', code: 'application/ignored' }));
      return;
    }
    if (!settings) {
      bad('an override policy needs properties.components', t.value.span);
      return;
    }
    const selector = settings.entries.find((x) => x.key === 'selector');
    const selected = selector?.value.kind === 'seq' ? new Set(selector.value.items.map((x) => (x.kind === 'scalar' ? String(x.value) : ''))) : undefined;
    const overrides = settings.entries.find((x) => x.key === 'components');
    if (!overrides || overrides.value.kind !== 'seq') {
      bad('an override policy needs properties.components (a list)', overrides?.value.span ?? t.value.span);
      return;
    }
    overrides.value.items.forEach((override, overrideIndex) => {
      if (override.kind !== 'map') return;
      const overrideField = (k: string) => override.entries.find((x) => x.key === k)?.value;
      const nameNode = overrideField('name');
      const typeNode = overrideField('type');
      const nameMatch = nameNode?.kind === 'scalar' ? String(nameNode.value) : undefined;
      const typeMatch = typeNode?.kind === 'scalar' ? String(typeNode.value) : undefined;
      const targets = components.filter((c) => (!selected || selected.has(c.name)) && (nameMatch === undefined || nameMatch === c.name) && (typeMatch === undefined || typeMatch === c.type));
      if (targets.length === 0) {
        diags.push(warning('this override matches no component', override.span, { path: 'spec.policies', code: 'application/override' }));
        return;
      }
      const propsNode = overrideField('properties');
      const traitsNode = overrideField('traits');
      const overridePath: DocPath = ['spec', 'policies', policyIndex, 'properties', 'components', overrideIndex];
      for (const c of targets) {
        if (propsNode?.kind === 'map') c.properties = mergePatch(c.properties, toJson(propsNode) as JsonObject) as JsonObject;
        if (traitsNode?.kind !== 'seq') continue;
        traitsNode.items.forEach((traitNode, traitIndex) => {
          if (traitNode.kind !== 'map') return;
          const traitType = traitNode.entries.find((x) => x.key === 'type')?.value;
          const typeName = traitType?.kind === 'scalar' ? String(traitType.value) : undefined;
          if (!traitType || !typeName) return;
          const disable = traitNode.entries.find((x) => x.key === 'disable')?.value;
          const traitProps = traitNode.entries.find((x) => x.key === 'properties')?.value;
          const given = traitProps?.kind === 'map' ? (toJson(traitProps) as JsonObject) : {};
          const existing = c.traits.find((x) => x.type === typeName);
          if (disable?.kind === 'scalar' && disable.value === true) c.traits = c.traits.filter((x) => x.type !== typeName);
          else if (existing) existing.properties = mergePatch(existing.properties, given) as JsonObject;
          else c.traits.push({ type: typeName, typeSpan: traitType.span, properties: given, source: [...overridePath, 'traits', traitIndex, 'properties'], fromPolicy: true });
        });
      }
    });
  });
  return { ...(namespace !== undefined && { namespace }), takeOver };
}

/** RFC 7396 JSON merge patch: maps merge, null deletes, everything else replaces (KubeVela merges override properties this way). */
function mergePatch(target: JsonValue, patch: JsonValue): JsonValue {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: JsonObject = target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k] ?? null, v);
  }
  return out;
}
