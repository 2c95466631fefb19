/**
 * `depends_on` (a list, or a map with conditions) → `dependsOn`. A dependency
 * on a service whose profiles are off is dropped with a warning, as docker
 * compose starts without it; an unknown service is an error.
 */
import { didYouMean, error, warning, type Span } from '../../source/index.js';
import type { DependencyRef } from '../depends-on.js';
import { describe } from '../yaml-tree.js';
import type { ServiceConversion } from './conversion.js';

export function convertDependsOn(c: ServiceConversion): void {
  const { ctx, name } = c;
  const e = c.get('depends_on');
  if (!e) return;
  const out: DependencyRef[] = [];
  const add = (dep: string, at: Span) => {
    if (ctx.disabledNames.has(dep)) {
      ctx.diags.push(warning(`depends on "${dep}", which is off (its profiles are not active); the dependency is dropped`, at, { path: `services.${name}.depends_on`, code: 'compose/profiles' }));
      return;
    }
    if (!ctx.serviceNames.has(dep)) {
      ctx.diags.push(error(`unknown service "${dep}"`, at, { path: `services.${name}.depends_on`, code: 'compose/depends-on', hint: didYouMean(dep, [...ctx.serviceNames].filter((n) => n !== name)) ?? `services: ${[...ctx.serviceNames].join(', ')}` }));
      return;
    }
    out.push({ name: dep, span: at });
  };
  const v = e.value;
  if (v.kind === 'seq') {
    for (const it of v.items) {
      if (it.kind === 'scalar' && typeof it.value === 'string') add(it.value, it.span);
      else ctx.diags.push(error(`depends_on items must be service names (got ${describe(it)})`, it.span, { code: 'compose/depends-on' }));
    }
  } else if (v.kind === 'map') {
    for (const x of v.entries) {
      const cond = x.value.kind === 'map' ? x.value.entries.find((y) => y.key === 'condition') : undefined;
      const condition = cond?.value.kind === 'scalar' ? cond.value.value : undefined;
      if (condition !== undefined && condition !== 'service_started' && condition !== 'service_healthy' && condition !== 'service_completed_successfully') {
        ctx.diags.push(error(`unknown depends_on condition ${describe(cond!.value)}`, cond!.value.span, { code: 'compose/depends-on', hint: 'the conditions are service_started, service_healthy and service_completed_successfully' }));
      }
      add(x.key, x.keySpan);
    }
  } else ctx.diags.push(error(`depends_on must be a list or a map (got ${describe(v)})`, v.span, { path: `services.${name}`, code: 'compose/depends-on' }));
  c.dependsOn = out;
}
