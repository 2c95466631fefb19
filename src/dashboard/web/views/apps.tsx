/** Every app of every cluster, live: filtered by a search box, each a link to its detail. */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ApiError, AppsAnswer } from '../../server/api-types.js';
import { listen } from '../api.js';
import { href } from '../router.js';
import { Failure, isErrorBody, Offline, Reachable } from './common.js';

export function AppsPage() {
  const [answer, setAnswer] = useState<AppsAnswer | ApiError>();
  const [down, setDown] = useState(false);
  const [filter, setFilter] = useState('');
  useEffect(() => listen('/api/live?topics=apps', { apps: setAnswer }, setDown), []);
  const rows = useMemo(() => {
    if (!answer || isErrorBody(answer)) return [];
    const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
    return answer.clusters.flatMap((c) => c.apps).filter((a) => words.every((w) => `${a.cluster} ${a.namespace} ${a.name} ${a.services.join(' ')}`.toLowerCase().includes(w)));
  }, [answer, filter]);
  const unreachable = answer && !isErrorBody(answer) ? answer.clusters.filter((c) => !c.reachable) : [];
  return (
    <>
      <h1 tabIndex={-1}>Apps</h1>
      <Offline down={down} />
      <div class="toolbar">
        <label for="app-filter">Filter apps</label>
        <input id="app-filter" type="search" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} placeholder="name, namespace, service" />
      </div>
      {!answer && <p role="status">Loading the apps…</p>}
      {isErrorBody(answer) && <Failure error={answer} />}
      {unreachable.map((c) => (
        <p class="notice" role="status" key={c.cluster}>
          Cluster <strong>{c.cluster}</strong> <Reachable reachable={false} />: {c.problem}
        </p>
      ))}
      {answer && !isErrorBody(answer) && (
        <table class="apps">
          <caption>{rows.length} {rows.length === 1 ? 'app' : 'apps'}</caption>
          <thead>
            <tr><th scope="col">App</th><th scope="col">Namespace</th><th scope="col">Cluster</th><th scope="col">Services</th></tr>
          </thead>
          <tbody>
            {rows.map((a) => (
              <tr key={`${a.cluster}/${a.namespace}/${a.name}`}>
                <th scope="row"><a href={href('apps', a.cluster, a.namespace, a.name)}>{a.name}</a></th>
                <td>{a.namespace}</td>
                <td>{a.cluster}</td>
                <td>{a.services.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
