/**
 * A raw KubeVela Application → services: each component's type and traits
 * checked against the definitions, the policies applied
 * (application-policies.ts), then properties and trait properties validated,
 * with positions in the Application (`noun: 'property'`, as KubeVela calls them).
 */
import type { Definition, Registry } from '../../capability/types.js';
import { error, type Diagnostic, type Span } from '../../source/index.js';
import type { DocPath, ServiceModel, TakeOverSelector, TraitSection } from '../model.js';
import type { Origins } from '../origins.js';
import type { RawApplication, RawComponent } from '../raw-app.js';
import { validateAgainstSchema } from '../validate-schema.js';
import { applyPolicies, warnWorkflow, type PolicyTarget, type PolicyTrait } from './application-policies.js';
import { applies, componentTypeHint, traitHint } from './definitions.js';

interface Component extends PolicyTarget {
  readonly raw: RawComponent;
  readonly definition: Definition;
}

export function resolveApplication(raw: RawApplication, registry: Registry, origins: Origins, diags: Diagnostic[]): { services: ServiceModel[]; namespace?: string; takeOver?: TakeOverSelector[] } {
  const bad = (msg: string, span: Span, path: string, code: string, hint?: string) => diags.push(error(msg, span, { path, code, ...(hint ? { hint } : {}) }));

  const components: Component[] = [];
  for (const c of raw.services) {
    const path = `spec.components[${c.index}]`;
    const definition = registry.component(c.type.name);
    if (!definition) bad(`unknown component type "${c.type.name}"`, c.type.span, `${path}.type`, 'application/unknown-type', componentTypeHint(registry, c.type.name));
    const traits: PolicyTrait[] = [];
    const seen = new Set<string>();
    for (const t of c.traits) {
      const where = `${path}.traits[${t.index}].type`;
      const traitDef = registry.trait(t.type);
      if (!traitDef) bad(`unknown trait "${t.type}"`, t.typeSpan, where, 'application/unknown-trait', traitHint(registry, t.type));
      else if (definition && !applies(traitDef, definition)) bad(`trait "${t.type}" does not apply to component type "${c.type.name}"`, t.typeSpan, where, 'application/trait-not-applicable', `${t.type} applies to ${traitDef.appliesTo.join(', ')}`);
      else if (seen.has(t.type)) bad(`trait "${t.type}" is given twice`, t.typeSpan, where, 'application/duplicate', 'merge the two into one');
      else {
        seen.add(t.type);
        traits.push({ type: t.type, typeSpan: t.typeSpan, properties: t.properties, source: ['spec', 'components', c.index, 'traits', t.index, 'properties'], fromPolicy: false });
      }
    }
    if (definition) components.push({ raw: c, definition, name: c.name, type: c.type.name, properties: c.properties, traits });
  }

  warnWorkflow(raw.workflow, diags);
  const policies = raw.policies ? applyPolicies(raw.policies, components, diags) : undefined;
  const namespace = policies?.namespace ?? raw.namespace;

  const services = components.map((c): ServiceModel => {
    const base: DocPath = ['services', c.name];
    const at = { locate: origins.locate, locateKey: origins.locateKey, noun: 'property' };
    diags.push(...validateAgainstSchema(c.properties, c.definition.schema, { ...at, basePath: base }));
    const traits: TraitSection[] = [];
    for (const t of c.traits) {
      const traitDef = registry.trait(t.type);
      // Traits added by an override policy are checked here, not with the component.
      if (!traitDef || !applies(traitDef, c.definition)) {
        diags.push(error(traitDef ? `trait "${t.type}" does not apply to component type "${c.type}"` : `unknown trait "${t.type}"`, t.typeSpan, { path: 'spec.policies', code: 'application/unknown-trait' }));
        continue;
      }
      const path: DocPath = [...base, 'traits', t.type];
      origins.addTree(path, t.source);
      diags.push(...validateAgainstSchema(t.properties, traitDef.schema, { ...at, basePath: path }));
      traits.push({ name: t.type, properties: t.properties, span: t.typeSpan, path });
    }
    return {
      name: c.name,
      span: c.raw.span,
      type: c.type,
      typeSpan: c.raw.type.span,
      ...(typeof c.properties.image === 'string' ? { image: c.properties.image } : {}),
      dependsOn: c.raw.dependsOn.map((d) => d.name),
      params: c.properties,
      traits,
    };
  });
  return { services, ...(namespace !== undefined ? { namespace } : {}), ...(policies?.takeOver.length ? { takeOver: policies.takeOver } : {}) };
}
