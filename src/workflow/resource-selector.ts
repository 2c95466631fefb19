/**
 * Whether a resource policy's rule selects a rendered object, as KubeVela
 * matches them (ResourcePolicyRuleSelector.Match): every criterion given must
 * hold (a list holds when it contains the object's value), and at least one
 * must be given. The object's component, component type and trait come from
 * its render origin; `oamTypes` tells objects of the component (`COMPONENT`)
 * from those a trait added (`TRAIT`).
 */
import type { ResourceSelector } from '../appfile/index.js';
import type { Manifest } from '../render/index.js';

export function selectsManifest(selector: ResourceSelector, manifest: Pick<Manifest, 'object' | 'origin'>): boolean {
  const meta = (manifest.object.metadata ?? {}) as { name?: unknown };
  const values: [readonly string[] | undefined, string | undefined][] = [
    [selector.componentNames, manifest.origin.service],
    [selector.componentTypes, manifest.origin.definition],
    [selector.oamTypes, manifest.origin.trait ? 'TRAIT' : 'COMPONENT'],
    [selector.traitTypes, manifest.origin.trait],
    [selector.resourceTypes, typeof manifest.object.kind === 'string' ? manifest.object.kind : undefined],
    [selector.resourceNames, typeof meta.name === 'string' ? meta.name : undefined],
  ];
  let matched = false;
  for (const [wanted, value] of values) {
    if (!wanted || wanted.length === 0) continue;
    if (value === undefined || !wanted.includes(value)) return false;
    matched = true;
  }
  return matched;
}
