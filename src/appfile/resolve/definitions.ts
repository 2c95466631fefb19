/**
 * What every resolver asks of the definitions: whether a trait applies to a
 * component, and what to suggest for a name that is not defined.
 */
import type { Definition, Registry } from '../../capability/index.js';
import { didYouMean } from '../../source/index.js';

/**
 * Whether a trait may go on a component, by KubeVela's rules for
 * `appliesToWorkloads` (any entry matching is enough; an empty list applies to all):
 * - `*`: any workload;
 * - the component's workload type, a resource name with its group (`deployments.apps`,
 *   `cronjobs.batch`; `services` for the core group), as KubeVela writes them;
 * - `*.GROUP`: any workload of that API group (`*.apps`);
 * - a component definition's name (`webservice`), as KubeVela's first releases wrote them.
 * A component whose workload type is unknown (KubeVela's `autodetects.core.oam.dev`, a template whose
 * `output` kind depends on its parameters) takes any trait: vela cannot tell, and KubeVela does not check.
 */
export function applies(trait: Definition, component: Definition): boolean {
  const rules = trait.appliesTo;
  if (rules.length === 0) return true;
  const workload = component.workloadType;
  if (workload === undefined || workload === 'autodetects.core.oam.dev') return true;
  const group = workload.includes('.') ? workload.slice(workload.indexOf('.') + 1) : '';
  return rules.some((rule) => rule === '*' || rule === component.name || rule === workload || (rule.startsWith('*.') && rule.slice(2) === group));
}

/** The hint for an unknown component type: the closest name, and the list when it is short. */
export function componentTypeHint(registry: Registry, type: string): string {
  const names = registry.components().map((d) => d.name);
  const near = didYouMean(type, names);
  const list = names.length > 0 && names.length <= 12 ? `available: ${names.join(', ')}` : 'see `vela components`';
  return near ? `${near} (${list})` : list;
}

/** The hint for an unknown trait: the closest name, else the list when it is short. */
export function traitHint(registry: Registry, name: string): string {
  const all = registry.traits().map((d) => d.name);
  return didYouMean(name, all) ?? (all.length <= 12 ? `available: ${all.join(', ')}` : 'see `vela traits`');
}
