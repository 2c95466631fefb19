/**
 * Tables and summaries of the cluster commands: `vela up --plan` / `vela diff`,
 * the `vela up` summary, `vela status`, `vela ls`, `vela delete`,
 * `vela port-forward` and `vela env ...`.
 */
import type { AppStatus, AppSummary, DeleteResult, DeliverResult, DeployEnv, PlanDeliveryResult, PlanEntry, PortForwardHandle } from '../pipeline/cluster.js';
import type { ClusterApps, TargetDeleted, TargetStatus } from '../pipeline/cluster-targets.js';
import { formatTable, type CommandOutput } from './format.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The changed field paths, marked `+` when added and `-` when removed (never their values: those may be secrets). */
function changeText(e: PlanEntry): string {
  if (e.action !== 'update' && e.action !== 'adopt') return '';
  const mark = (c: { before?: unknown; after?: unknown }) => (c.before === undefined ? '+' : c.after === undefined ? '-' : '');
  return (e.changes ?? []).map((c) => `${mark(c)}${c.path}`).join(', ');
}

/** ACTION | KIND | NAME | SERVICE | CHANGES, then a one-line summary. */
export function formatPlan(plan: PlanDeliveryResult, opts: { color?: boolean } = {}): string {
  const paint = (code: string, s: string) => (opts.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const colorOf: Record<string, string> = { create: '32', update: '33', adopt: '35', prune: '31', release: '36', unchanged: '2' };
  const s = plan.summary;
  const head = `plan for app ${plan.app} in namespace ${plan.namespace} (context "${plan.context}", Kubernetes ${plan.clusterVersion || 'unknown'}): a dry run, nothing was changed\n`;
  const table = plan.entries.length
    ? formatTable(plan.entries, [
        { header: 'ACTION', get: (e) => paint(colorOf[e.action] ?? '0', e.action) },
        { header: 'KIND', get: (e) => e.ref.kind },
        { header: 'NAME', get: (e) => (e.ref.namespace && e.ref.namespace !== plan.namespace ? `${e.ref.namespace}/${e.ref.name}` : e.ref.name) },
        { header: 'SERVICE', get: (e) => e.service ?? '' },
        { header: 'CHANGES', get: changeText },
      ], { color: opts.color })
    : 'no objects\n';
  const rare = [s.adopt ? `${s.adopt} to adopt` : '', s.release ? `${s.release} to release (kept, no longer the app's)` : ''].filter(Boolean);
  const tail = `${s.create} to create, ${s.update} to update, ${s.prune} to prune, ${s.unchanged} unchanged${rare.map((part) => `, ${part}`).join('')}\n`;
  return `${head}\n${table}\n${tail}`;
}

/** The lines printed on stderr after `vela up`. */
export function formatDeliverSummary(r: DeliverResult): string {
  const s = r.summary;
  const lines = [
    `app ${r.app} applied to namespace ${r.namespace} (context "${r.context}", Kubernetes ${r.clusterVersion || 'unknown'}): ${s.created} created, ${s.updated} updated, ${s.unchanged} unchanged, ${s.pruned} pruned${s.adopted ? `, ${s.adopted} adopted` : ''}${s.released ? `, ${s.released} released (kept, no longer the app's)` : ''}${r.writes === 0 ? ' (no writes)' : ''}`,
  ];
  if (r.health) {
    const healthy = r.health.filter((h) => h.healthy).length;
    lines.push(`${healthy}/${plural(r.health.length, 'service')} healthy`);
    for (const h of r.health) lines.push(`  ${h.service}: ${h.healthy ? 'healthy' : 'not healthy'}${h.message ? ` (${h.message})` : h.reasons.length ? ` (${h.reasons.join('; ')})` : ''}`);
  } else {
    lines.push(`not waited for health; see \`vela status ${r.app}\``);
  }
  return lines.join('\n') + '\n';
}

/** SERVICE | TYPE | HEALTH | REPLICAS | ENDPOINTS | MESSAGE. */
export function formatStatus(st: AppStatus, opts: { color?: boolean } = {}): string {
  const paint = (code: string, s: string) => (opts.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const head = `app ${st.app} in namespace ${st.namespace} (context "${st.context}")\n\n`;
  if (!st.services.length) return `${head}no services\n`;
  const table = formatTable(st.services, [
    { header: 'SERVICE', get: (s) => s.name },
    { header: 'TYPE', get: (s) => s.type },
    { header: 'HEALTH', get: (s) => (s.healthy ? paint('32', 'healthy') : paint('31', 'unhealthy')) },
    { header: 'REPLICAS', get: (s) => s.replicas ?? '' },
    { header: 'ENDPOINTS', get: (s) => s.endpoints.join(', ') },
    { header: 'MESSAGE', get: (s) => s.message ?? (s.healthy ? s.reasons.join('; ') : s.reasons[0] ?? '') },
  ], { color: opts.color });
  // Why each unhealthy service is so, in full: the table keeps one short message per row.
  const why = st.services.filter((s) => !s.healthy && s.reasons.length).map((s) => `${s.name}:\n${s.reasons.map((r) => `  - ${r}`).join('\n')}`);
  return head + table + (why.length ? `\nnot healthy:\n${why.join('\n')}\n` : '');
}

/** NAME | NAMESPACE | SERVICES, or a sentence when there are none. */
export function formatAppList(apps: readonly AppSummary[], where: string): string {
  if (!apps.length) return `no apps ${where}\n`;
  return formatTable(apps, [
    { header: 'NAME', get: (a) => a.name },
    { header: 'NAMESPACE', get: (a) => a.namespace },
    { header: 'SERVICES', get: (a) => a.services.join(', ') },
  ]);
}

/** `vela ls` across clusters: CLUSTER | NAME | NAMESPACE | SERVICES; each cluster that could not be read, on stderr. */
export function formatAppListEverywhere(clusters: readonly ClusterApps[], where: string): CommandOutput {
  const rows = clusters.flatMap((c) => c.apps.map((app) => ({ cluster: c.cluster, ...app })));
  const failed = clusters.filter((c) => !c.ok);
  const stderr = failed.map((c) => `cluster ${c.cluster}: not listed: ${c.message ?? 'unreachable'}\n`).join('');
  const stdout = rows.length
    ? formatTable(rows, [
        { header: 'CLUSTER', get: (a) => a.cluster },
        { header: 'NAME', get: (a) => a.name },
        { header: 'NAMESPACE', get: (a) => a.namespace },
        { header: 'SERVICES', get: (a) => a.services.join(', ') },
      ])
    : `no apps ${where} in ${clusters.length === 1 ? `cluster ${clusters[0]!.cluster}` : `${clusters.length - failed.length} of ${plural(clusters.length, 'cluster')}`}\n`;
  return {
    stdout,
    ...(stderr && { stderr }),
    json: { apps: rows, clusters: clusters.map((c) => ({ cluster: c.cluster, ok: c.ok, ...(c.message !== undefined && { message: c.message }), apps: c.apps.length })) },
  };
}

/** CURRENT | NAME | NAMESPACE | CONTEXT, the current one marked with `*`. */
export function formatEnvList(list: { current?: string; envs: readonly DeployEnv[] }): string {
  if (!list.envs.length) return 'no environments; create one with `vela env init NAME --namespace NS`\n';
  return formatTable(list.envs, [
    { header: 'CURRENT', get: (e) => (e.name === list.current ? '*' : '') },
    { header: 'NAME', get: (e) => e.name },
    { header: 'NAMESPACE', get: (e) => e.namespace },
    { header: 'CONTEXT', get: (e) => e.context ?? '(current context)' },
  ]);
}

const refJson = (d: DeleteResult['deleted'][number]) => ({ apiVersion: d.apiVersion, kind: d.kind, name: d.name, ...(d.namespace && { namespace: d.namespace }) });

/** `vela delete`: a line on stderr; --json lists the deleted and the released objects. */
export function formatDeleted(r: DeleteResult): CommandOutput {
  return {
    stderr: `deleted app ${r.app} from namespace ${r.namespace}: ${plural(r.deleted.length, 'object')}${r.released.length ? `; kept ${plural(r.released.length, 'object')} vela did not create: ${r.released.map((d) => `${d.kind} ${d.name}`).join(', ')}` : ''}\n`,
    json: { app: r.app, namespace: r.namespace, deleted: r.deleted.map(refJson), released: r.released.map(refJson) },
  };
}

/** `vela port-forward`: one line per forwarded port. */
export function formatForwarding(handle: Pick<PortForwardHandle, 'pod' | 'ports'>, address: string): string {
  return handle.ports.map((p) => `forwarding ${address}:${p.local} -> ${handle.pod}:${p.remote}\n`).join('');
}

const envFacts = (e: DeployEnv) => `namespace ${e.namespace}${e.context ? `, context ${e.context}` : ''}`;

/** `vela env init`. */
export function formatEnvCreated(e: DeployEnv & { current: boolean }): CommandOutput<DeployEnv & { current: boolean }> {
  return { stderr: `environment ${e.name}: ${envFacts(e)}${e.current ? ' (current)' : ''}\n`, json: e };
}

/** `vela env set`. */
export function formatEnvCurrent(e: DeployEnv): CommandOutput<DeployEnv> {
  return { stderr: `current environment: ${e.name} (${envFacts(e)})\n`, json: e };
}

/** `vela env delete`. */
export function formatEnvDeleted(r: { deleted: string }): CommandOutput<{ deleted: string }> {
  return { stderr: `deleted environment ${r.deleted}\n`, json: r };
}

/** `vela status` of an app a workflow delivered: one table per cluster, or why that cluster could not be read. */
export function formatStatusEverywhere(r: { app: string; clusters: readonly TargetStatus[] }, opts: { color?: boolean } = {}): string {
  if (!r.clusters.length) return `app ${r.app}: its workflow has delivered to no cluster yet (see \`vela workflow status ${r.app}\`)\n`;
  return r.clusters.map((c) => `cluster ${c.cluster}: ${c.status ? formatStatus(c.status, opts) : `not read: ${c.message ?? 'unknown'}\n`}`).join('\n');
}

/** `vela delete` of an app a workflow delivered: one line per cluster. */
export function formatDeletedEverywhere(app: string, results: readonly TargetDeleted[]): CommandOutput {
  const lines = results.map((t) => {
    if (!t.ok) return `cluster ${t.cluster}: NOT deleted: ${t.message ?? 'failed'}`;
    if (!t.result) return `cluster ${t.cluster}: deleted the ManifestWork of ${app} (namespace ${t.namespace}); the agent deletes its objects`;
    return `cluster ${t.cluster}: ${formatDeleted(t.result).stderr!.trimEnd()}`;
  });
  const failed = results.filter((t) => !t.ok).length;
  lines.push(failed ? `${failed} of ${results.length} clusters failed; the workflow state is kept: run \`vela delete ${app}\` again` : `the workflow state of ${app} is deleted`);
  return { stderr: lines.join('\n') + '\n', json: { app, clusters: results.map((t) => ({ cluster: t.cluster, namespace: t.namespace, ok: t.ok, ...(t.message ? { message: t.message } : {}), ...(t.result ? { deleted: t.result.deleted.map(refJson), released: t.result.released.map(refJson) } : {}) })) } };
}
