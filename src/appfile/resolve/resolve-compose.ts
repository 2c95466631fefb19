/**
 * One converted compose service → its ServiceModel. The converter chose the
 * component type, the parameters and the traits; here they meet the
 * definitions. A compose file does not name vela's parameters, so what the
 * component lacks is a warning and left out, never an error: the file means
 * the same to docker compose either way. Then everything is validated like an
 * Appfile, with every problem pointing into the compose file.
 */
import type { Definition, Registry } from '../../capability/index.js';
import { error, warning, type Diagnostic, type Span } from '../../source/index.js';
import type { DocPath, JsonObject, ServiceModel, TraitSection } from '../model.js';
import type { Origins } from '../origins.js';
import type { RawComposeService, RawParam } from '../raw-app.js';
import { validateAgainstSchema } from '../validate-schema.js';
import { applies } from './definitions.js';

export function resolveComposeService(raw: RawComposeService, registry: Registry, origins: Origins, diags: Diagnostic[]): ServiceModel | undefined {
  const base: DocPath = ['services', raw.name];
  const path = `services.${raw.name}`;
  const warn = (message: string, span: Span) => diags.push(warning(message, span, { path, code: 'compose/ignored' }));
  const component = registry.component(raw.type);
  if (!component) {
    diags.push(
      error(`the component type "${raw.type}" this service needs is not defined`, raw.span, {
        path,
        code: 'compose/unknown-type',
        hint: 'vela ships webservice, worker, task and daemon; check --definitions',
      }),
    );
    return undefined;
  }
  const declared = new Set(Object.keys(component.schema.properties ?? {}));

  const params: JsonObject = {};
  const saidUnless = new Set<RawParam['unless']>();
  for (const p of raw.params) {
    if (p.unless && !declared.has(p.unless.param)) {
      if (!saidUnless.has(p.unless)) warn(p.unless.warning, p.unless.span);
      saidUnless.add(p.unless);
    } else if (!declared.has(p.key)) warn(`component type "${raw.type}" has no parameter "${p.key}"; ignored`, p.span);
    else params[p.key] = p.value;
  }

  const traits: { section: TraitSection; definition: Definition }[] = [];
  for (const t of raw.traits) {
    const definition = registry.trait(t.name);
    if (!definition || !applies(definition, component)) {
      warn(`the ${t.name} trait ${definition ? `does not apply to component type "${raw.type}"` : 'is not defined'}; ignored`, t.span);
      continue;
    }
    traits.push({ section: { name: t.name, properties: t.properties, span: t.span, path: t.path }, definition });
  }

  const at = { locate: origins.locate, locateKey: origins.locateKey };
  const found = validateAgainstSchema(params, component.schema, { ...at, basePath: base });
  // A missing image is reported once, as "neither image nor build".
  diags.push(...(raw.image === undefined ? found.filter((d) => d.message !== 'missing required parameter "image"') : found));
  for (const t of traits) diags.push(...validateAgainstSchema(t.section.properties, t.definition.schema, { ...at, basePath: t.section.path }));

  return {
    name: raw.name,
    span: raw.span,
    type: raw.type,
    ...(raw.image !== undefined ? { image: raw.image } : {}),
    ...(raw.build ? { build: raw.build } : {}),
    dependsOn: raw.dependsOn.map((d) => d.name),
    params,
    traits: traits.map((t) => t.section),
  };
}
