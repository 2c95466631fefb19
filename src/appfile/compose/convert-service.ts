/**
 * One compose service → its raw form: every key checked against the Compose
 * Specification (a key vela does not map is a warning at its position, one
 * not in the spec an error), the component type decided (service-type.ts),
 * then the converters run in table order (converters.ts). Each parameter and
 * trait records the compose path it came from, so that later errors point at
 * the compose line that made it. No definitions are consulted here.
 */
import { didYouMean, error } from '../../source/index.js';
import type { DocPath } from '../model.js';
import type { RawComposeService } from '../raw-app.js';
import { describe, type LEntry } from '../yaml-tree.js';
import { ServiceConversion, type ComposeContext } from './conversion.js';
import { serviceConverters } from './converters.js';
import { allServiceKeys, ignoredServiceKeys, refusedServiceKeys } from './keys.js';
import { decideType } from './service-type.js';

export interface ConvertedService {
  readonly raw: RawComposeService;
  /** Whether it has `ports` or `expose`: without, other services cannot reach it by name. */
  readonly hasPorts: boolean;
}

export function convertService(se: LEntry, ctx: ComposeContext): ConvertedService | undefined {
  const name = se.key;
  const base: DocPath = ['services', name];
  if (se.value.kind !== 'map') {
    ctx.diags.push(error(`a service must be a map of its settings (got ${describe(se.value)})`, se.value.span, { path: `services.${name}`, code: 'compose/service', hint: `for example \`${name}: {image: nginx:1.27}\`` }));
    return undefined;
  }
  ctx.origins.add(base, base);
  const c = new ServiceConversion(se, se.value, ctx);

  // Unknown and ignored keys first: warnings at their positions, in file order.
  for (const e of se.value.entries) {
    if (e.key.startsWith('x-')) continue;
    if (e.key in refusedServiceKeys) c.error(`\`${e.key}\` is not supported`, e.keySpan, 'compose/unsupported', refusedServiceKeys[e.key]);
    else if (e.key in ignoredServiceKeys) c.ignored(`${e.key} has no Kubernetes meaning here; ignored`, e.keySpan, ignoredServiceKeys[e.key] || undefined);
    else if (!allServiceKeys.includes(e.key)) {
      c.error(`unknown key "${e.key}" in service "${name}"`, e.keySpan, 'compose/unknown-key', didYouMean(e.key, allServiceKeys) ?? 'see the Compose Specification for the keys of a service');
    }
  }

  decideType(c);
  for (const converter of serviceConverters) converter.convert(c);

  const raw: RawComposeService = {
    name,
    span: se.keySpan,
    type: c.type,
    ...(c.image !== undefined ? { image: c.image } : {}),
    ...(c.build ? { build: c.build } : {}),
    dependsOn: c.dependsOn,
    params: c.params,
    traits: c.traits,
  };
  return { raw, hasPorts: c.ports.length > 0 };
}
