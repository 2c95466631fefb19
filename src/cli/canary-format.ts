/**
 * `vela canary status`: one row per track (stable, canary) of each service,
 * then how requests reach the canary; `promote` and `abort`: a line saying
 * what moved where.
 */
import type { CanaryMove, CanaryStatus, CanaryTrack } from '../pipeline/canary.js';
import { formatTable, type CommandOutput } from './format.js';

const imagesText = (images: Readonly<Record<string, string>>) => {
  const entries = Object.entries(images);
  return entries.length === 1 ? entries[0]![1] : entries.map(([name, image]) => `${name}=${image}`).join(', ');
};

/** How requests reach a service's canary, in words. */
export function routingText(c: CanaryStatus): string {
  const r = c.routing;
  const ways = [
    ...(r.header ? [`requests whose header ${r.header.name} matches ${r.header.pattern}`] : []),
    ...(r.weight !== undefined ? [`${r.weight}% of the others`] : []),
  ];
  const routed = ways.length ? `${ways.join(', and ')} go to ${r.service ?? c.canary.deployment} (Ingress ${r.ingress})` : 'no request is routed to it by header or weight';
  // The service's own Service selects every pod of the service, canary pods included.
  return `${routed}; ordinary requests reach its pods too, in proportion to their number`;
}

export function formatCanaryStatus(r: { namespace: string; app?: string; canaries: readonly CanaryStatus[] }, opts: { color?: boolean } = {}): CommandOutput {
  const where = `namespace ${r.namespace}${r.app ? ` (app ${r.app})` : ''}`;
  if (!r.canaries.length) return { stdout: `no canaries in ${where}\n`, json: r };
  const rows = r.canaries.flatMap((c) => [
    { c, track: 'stable', t: c.stable },
    { c, track: 'canary', t: c.canary },
  ]) as { c: CanaryStatus; track: string; t: CanaryTrack }[];
  const table = formatTable(
    rows,
    [
      { header: 'SERVICE', get: (row) => (row.track === 'stable' ? row.c.service : '') },
      { header: 'TRACK', get: (row) => row.track },
      { header: 'DEPLOYMENT', get: (row) => row.t.deployment },
      { header: 'IMAGE', get: (row) => imagesText(row.t.images) },
      { header: 'READY', get: (row) => `${row.t.ready}/${row.t.replicas}` },
    ],
    { color: opts.color },
  );
  const notes = r.canaries.map((c) => {
    const aborted = c.aborted ? `\n  aborted: ${c.aborted} stays off the canary until the Appfile names another release` : '';
    return `${c.service}: ${routingText(c)}${aborted}`;
  });
  return { stdout: `canaries in ${where}\n\n${table}\n${notes.join('\n')}\n`, json: r };
}

export function formatCanaryMove(verb: 'promoted' | 'aborted', m: CanaryMove): CommandOutput {
  const line = m.changed
    ? `${verb} ${m.service}: Deployment ${m.deployment} now runs ${imagesText(m.to)} (was ${imagesText(m.from)})${m.rolledOut ? `; rolled out: ${m.rolledOut}` : '; not waited for the rollout'}`
    : `${m.service}: Deployment ${m.deployment} already runs ${imagesText(m.to)}; nothing to do`;
  return { stderr: `${line}\n`, json: m };
}
