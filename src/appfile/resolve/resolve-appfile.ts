/**
 * One raw Appfile service → its ServiceModel: the component type looked up,
 * the 2020 shorthands rewritten (legacy-sugar.ts), the keys sorted
 * (classify-keys.ts), and the parameters validated against the component's
 * schema, every error at the Appfile position of the value.
 */
import type { Registry } from '../../capability/index.js';
import { error, type Diagnostic, type Span } from '../../source/index.js';
import { formatDocPath } from '../doc-path.js';
import type { DocPath, ServiceModel } from '../model.js';
import type { Origins } from '../origins.js';
import type { RawAppfileService } from '../raw-app.js';
import { validateAgainstSchema } from '../validate-schema.js';
import { classifyKeys } from './classify-keys.js';
import { componentTypeHint } from './definitions.js';
import { applyBuildImage } from './legacy-sugar.js';

export const defaultComponentType = 'webservice';

export function resolveAppfileService(raw: RawAppfileService, registry: Registry, origins: Origins, diags: Diagnostic[]): ServiceModel {
  const base: DocPath = ['services', raw.name];
  const push = (message: string, span: Span, code: string, path: DocPath, hint?: string) =>
    diags.push(error(message, span, { path: formatDocPath(path), code, ...(hint ? { hint } : {}) }));

  // The type first: every other key is read in its light. An unreadable `type:` was reported by the parser.
  const type = raw.type ? raw.type.name : defaultComponentType;
  const component = type === undefined ? undefined : registry.component(type);
  if (type !== undefined && !component) {
    push(
      raw.type ? `unknown component type "${type}"` : `the default component type "${type}" is not defined`,
      raw.type?.span ?? raw.span,
      'appfile/unknown-type',
      raw.type ? [...base, 'type'] : base,
      componentTypeHint(registry, type),
    );
  }

  const service = applyBuildImage(raw, origins, diags);
  const { params, traits } = classifyKeys(service.keys, { service: raw.name, ...(component ? { component } : {}), registry, locator: origins, diags });

  const image = typeof params.image === 'string' ? params.image : undefined;
  if (raw.build && image === undefined) {
    push('`build` needs `image`: the name to give the built image', raw.build.span, 'appfile/build-needs-image', base, `add for example \`image: localhost:5000/${raw.name}\``);
  }
  if (component && !raw.malformed) {
    const found = validateAgainstSchema(params, component.schema, { locate: origins.locate, locateKey: origins.locateKey, basePath: base });
    // With `build`, a missing image is reported once, above.
    diags.push(...(raw.build ? found.filter((d) => d.message !== 'missing required parameter "image"') : found));
  }

  return {
    name: raw.name,
    span: raw.span,
    type: type ?? '',
    ...(raw.type ? { typeSpan: raw.type.span } : {}),
    ...(image !== undefined ? { image } : {}),
    ...(raw.build ? { build: raw.build } : {}),
    dependsOn: raw.dependsOn.map((d) => d.name),
    params,
    traits,
  };
}
