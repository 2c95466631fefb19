/**
 * `deploy.resources` (and the older `cpus`, `mem_limit`, `mem_reservation`) →
 * the `cpu`, `memory` and `limit` parameters. Reservations are requests and
 * limits limits, as in compose; the components' `cpu`/`memory` are the
 * request, and the limit too unless a different limit is given.
 */
import { error, warning, type Span } from '../../source/index.js';
import type { DocPath, JsonObject } from '../model.js';
import type { RawParam } from '../raw-app.js';
import { describe, type LNode } from '../yaml-tree.js';
import type { ServiceConversion } from './conversion.js';
import { cpuQuantity, memoryQuantity } from './units.js';

type Found = [quantity: string, path: DocPath, at: Span];

export function convertResources(c: ServiceConversion): void {
  const { diags } = c.ctx;
  const base = c.base;
  const vals: { limits: { cpu?: Found; memory?: Found }; requests: { cpu?: Found; memory?: Found } } = { limits: {}, requests: {} };
  const read = (n: LNode, path: DocPath, at: Span, kind: 'cpu' | 'memory', into: 'limits' | 'requests') => {
    const raw = n.kind === 'scalar' && (typeof n.value === 'string' || typeof n.value === 'number') ? n.value : undefined;
    const q = raw === undefined ? undefined : kind === 'cpu' ? cpuQuantity(raw) : memoryQuantity(raw);
    if (q === undefined) {
      c.error(`invalid ${kind === 'cpu' ? 'CPU count' : 'memory size'} ${describe(n)}`, n.span, 'compose/resources', kind === 'cpu' ? 'for example "0.5" or 2' : 'for example 512m or 1g');
      return;
    }
    vals[into][kind] = [q, path, at];
  };
  const res = c.deploy('resources');
  if (res) {
    if (res.value.kind !== 'map') diags.push(error(`deploy.resources must be a map (got ${describe(res.value)})`, res.value.span, { code: 'compose/shape' }));
    else {
      for (const side of res.value.entries) {
        const into = side.key === 'limits' ? 'limits' : side.key === 'reservations' ? 'requests' : undefined;
        if (!into) {
          c.error(`unknown key "${side.key}" in deploy.resources`, side.keySpan, 'compose/unknown-key', 'allowed: limits, reservations');
          continue;
        }
        if (side.value.kind !== 'map') continue;
        for (const r of side.value.entries) {
          const path: DocPath = [...base, 'deploy', 'resources', side.key, r.key];
          if (r.key === 'cpus') read(r.value, path, r.keySpan, 'cpu', into);
          else if (r.key === 'memory') read(r.value, path, r.keySpan, 'memory', into);
          else diags.push(warning(`deploy.resources.${side.key}.${r.key} has no Kubernetes equivalent here; ignored`, r.keySpan, { path: `services.${c.name}`, code: 'compose/ignored' }));
        }
      }
    }
  }
  const cpus = c.get('cpus');
  const memLimit = c.get('mem_limit');
  const memReservation = c.get('mem_reservation');
  if (cpus && !vals.limits.cpu) read(cpus.value, [...base, 'cpus'], cpus.keySpan, 'cpu', 'limits');
  if (memLimit && !vals.limits.memory) read(memLimit.value, [...base, 'mem_limit'], memLimit.keySpan, 'memory', 'limits');
  if (memReservation && !vals.requests.memory) read(memReservation.value, [...base, 'mem_reservation'], memReservation.keySpan, 'memory', 'requests');
  const any = [vals.limits.cpu, vals.limits.memory, vals.requests.cpu, vals.requests.memory].find(Boolean);
  if (!any) return;
  // Without a cpu parameter the component takes no resources at all: one warning for the lot, not one per value.
  const unless: RawParam['unless'] = { param: 'cpu', warning: 'this component type has no cpu and memory parameters; resources ignored', span: any[2] };
  const limit: JsonObject = {};
  for (const kind of ['cpu', 'memory'] as const) {
    const req = vals.requests[kind];
    const lim = vals.limits[kind];
    const set = req ?? lim;
    if (set) c.param(kind, set[0], set[1], set[2], unless);
    if (req && lim && req[0] !== lim[0]) limit[kind] = lim[0];
  }
  if (Object.keys(limit).length) c.param('limit', limit, [...base, 'deploy', 'resources', 'limits'], (vals.limits.cpu ?? vals.limits.memory)![2], unless);
}
