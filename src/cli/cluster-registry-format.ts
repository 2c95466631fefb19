/**
 * Output of `vela cluster join|list|labels|rename|detach`: the list as a
 * table on stdout (with why a cluster does not answer, on stderr), the
 * changes as one line of talk each. No credentials ever reach these: the
 * results carry none.
 */
import type { ClusterInfo, ClusterList, ClusterListing, JoinResult } from '../pipeline/clusters.js';
import { formatTable, type CommandOutput } from './format.js';

const labelText = (labels: Readonly<Record<string, string>>) =>
  Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(',') || '-';

const typeOf = (c: ClusterListing) => (c.source === 'managed' ? `ocm (hub ${c.hub})` : c.ocmHub ? `${c.source}, ocm hub` : c.source);

/** NAME | TYPE | SERVER | LABELS | REACHABLE | VERSION; `--json` prints the rows. */
export function formatClusterList(list: ClusterList, opts: { color?: boolean } = {}): CommandOutput<readonly ClusterListing[]> {
  const paint = (code: string, s: string) => (opts.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const stdout = formatTable(
    list.clusters,
    [
      { header: 'NAME', get: (c) => c.name },
      { header: 'TYPE', get: typeOf },
      { header: 'SERVER', get: (c) => c.server ?? '-' },
      { header: 'LABELS', get: (c) => labelText(c.labels) },
      { header: 'REACHABLE', get: (c) => (c.reachable ? paint('32', 'yes') : paint('31', 'no')) },
      { header: 'VERSION', get: (c) => c.version ?? '-' },
    ],
    { color: opts.color },
  );
  const notes = [...list.clusters.filter((c) => c.problem).map((c) => `${c.name}: ${c.problem}`), ...list.warnings.map((w) => `warning: ${w}`)];
  return { stdout, ...(notes.length ? { stderr: `${notes.join('\n')}\n` } : {}), json: list.clusters };
}

export function formatClusterJoined(r: JoinResult): CommandOutput<JoinResult> {
  const where = `${r.server} (context "${r.context}"${r.copied ? ', credentials copied' : `, from ${r.kubeconfig}`})`;
  const labels = Object.keys(r.labels).length ? `, labels ${labelText(r.labels)}` : '';
  const answer = r.reachable ? `it answers: Kubernetes ${r.version ?? 'unknown'}` : `warning: it does not answer now (${r.problem ?? 'no answer'}); joined all the same`;
  return { stderr: `joined cluster ${r.name}: ${where}${labels}${r.ocmHub ? ', an OCM hub: its managed clusters are clusters too' : ''}\n${answer}\n`, json: r };
}

export function formatClusterChanged(what: 'labels' | 'renamed' | 'detached', c: ClusterInfo, before?: string): CommandOutput<ClusterInfo> {
  const line = what === 'labels' ? `cluster ${c.name}: labels ${labelText(c.labels)}` : what === 'renamed' ? `cluster ${before} is now ${c.name}` : `detached cluster ${c.name}${c.copied ? ' and removed its copied credentials' : ''}`;
  return { stderr: `${line}\n`, json: c };
}
