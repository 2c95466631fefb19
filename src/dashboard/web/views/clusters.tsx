/** The clusters (the current one and the registered ones) with reachability and version, live; and the environments. */
import { useEffect, useState } from 'preact/hooks';
import type { ApiError, ClustersAnswer } from '../../server/api-types.js';
import { listen } from '../api.js';
import { Failure, isErrorBody, Offline, Reachable } from './common.js';

export function ClustersPage() {
  const [answer, setAnswer] = useState<ClustersAnswer | ApiError>();
  const [down, setDown] = useState(false);
  useEffect(() => listen('/api/live?topics=clusters', { clusters: setAnswer }, setDown), []);
  const ok = answer && !isErrorBody(answer) ? answer : undefined;
  return (
    <>
      <h1 tabIndex={-1}>Clusters and environments</h1>
      <Offline down={down} />
      {!answer && <p role="status">Probing the clusters…</p>}
      {isErrorBody(answer) && <Failure error={answer} />}
      {ok && (
        <>
          <table class="clusters">
            <caption>Clusters</caption>
            <thead><tr><th scope="col">Name</th><th scope="col">Reachable</th><th scope="col">Version</th><th scope="col">Server</th><th scope="col">Source</th><th scope="col">Labels</th></tr></thead>
            <tbody>
              {ok.clusters.map((c) => (
                <tr key={c.name} data-cluster={c.name}>
                  <th scope="row">{c.name}</th>
                  <td><Reachable reachable={c.reachable} />{c.problem && <div class="small">{c.problem}</div>}</td>
                  <td>{c.version ?? '—'}</td>
                  <td><code>{c.server ?? ''}</code></td>
                  <td>{c.source}</td>
                  <td>{Object.entries(c.labels).map(([k, v]) => `${k}=${v}`).join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {ok.warnings.map((w) => <p class="notice" key={w}>{w}</p>)}
          <table>
            <caption>Environments</caption>
            <thead><tr><th scope="col">Name</th><th scope="col">Namespace</th><th scope="col">Context</th><th scope="col">Current</th></tr></thead>
            <tbody>
              {ok.environments.length === 0 && <tr><td colSpan={4}>No environments (see <code>vela env init</code>).</td></tr>}
              {ok.environments.map((e) => (
                <tr key={e.name}><th scope="row">{e.name}</th><td>{e.namespace}</td><td>{e.context ?? '(current context)'}</td><td>{e.current ? 'yes' : ''}</td></tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
