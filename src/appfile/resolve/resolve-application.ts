/**
 * A raw KubeVela Application → its services as written: each component's type
 * and traits checked against the definitions, trait positions recorded. The
 * properties are validated later, merged with the override policies
 * (resolve-app.ts), with positions in the Application (`noun: 'property'`, as
 * KubeVela calls them).
 */
import type { Registry } from '../../capability/index.js';
import { error, type Diagnostic, type Span } from '../../source/index.js';
import type { DocPath, ServiceModel, TraitSection } from '../model.js';
import type { Origins } from '../origins.js';
import type { RawApplication } from '../raw-app.js';
import { applies, componentTypeHint, traitHint } from './definitions.js';

export function resolveApplication(raw: RawApplication, registry: Registry, origins: Origins, diags: Diagnostic[]): ServiceModel[] {
  const bad = (msg: string, span: Span, path: string, code: string, hint?: string) => diags.push(error(msg, span, { path, code, ...(hint ? { hint } : {}) }));

  const baseServices: ServiceModel[] = [];
  for (const c of raw.services) {
    const path = `spec.components[${c.index}]`;
    const definition = registry.component(c.type.name);
    if (!definition) bad(`unknown component type "${c.type.name}"`, c.type.span, `${path}.type`, 'application/unknown-type', componentTypeHint(registry, c.type.name));
    const base: DocPath = ['services', c.name];
    const traits: TraitSection[] = [];
    const seen = new Set<string>();
    for (const t of c.traits) {
      const where = `${path}.traits[${t.index}].type`;
      const traitDef = registry.trait(t.type);
      if (!traitDef) bad(`unknown trait "${t.type}"`, t.typeSpan, where, 'application/unknown-trait', traitHint(registry, t.type));
      else if (definition && !applies(traitDef, definition)) bad(`trait "${t.type}" does not apply to component type "${c.type.name}"`, t.typeSpan, where, 'application/trait-not-applicable', `${t.type} applies to ${traitDef.appliesTo.join(', ')}`);
      else if (seen.has(t.type)) bad(`trait "${t.type}" is given twice`, t.typeSpan, where, 'application/duplicate', 'merge the two into one');
      else {
        seen.add(t.type);
        const tracePath: DocPath = [...base, 'traits', t.type];
        origins.addTree(tracePath, ['spec', 'components', c.index, 'traits', t.index, 'properties']);
        traits.push({ name: t.type, properties: t.properties, span: t.typeSpan, path: tracePath });
      }
    }
    if (!definition) continue;
    baseServices.push({
      name: c.name,
      span: c.span,
      type: c.type.name,
      typeSpan: c.type.span,
      ...(typeof c.properties.image === 'string' ? { image: c.properties.image } : {}),
      dependsOn: c.dependsOn.map((d) => d.name),
      params: c.properties,
      traits,
    });
  }

  return baseServices;
}
