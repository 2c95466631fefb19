/** Component types and traits: a search over names and descriptions, and each one's parameters (the `vela show` tables), source and an example. */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { CapabilitiesAnswer, CapabilityAnswer } from '../../server/api-types.js';
import { call } from '../api.js';
import { href } from '../router.js';
import { Failure } from './common.js';

export function CapabilitiesPage({ selected }: { selected?: string }) {
  const [list, setList] = useState<CapabilitiesAnswer>();
  const [error, setError] = useState<unknown>();
  const [query, setQuery] = useState('');
  useEffect(() => {
    call<CapabilitiesAnswer>('/api/capabilities').then(setList, setError);
  }, []);
  const found = useMemo(() => {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    return (list?.capabilities ?? []).filter((c) => words.every((w) => `${c.name} ${c.kind} ${c.description} ${c.detail}`.toLowerCase().includes(w)));
  }, [list, query]);
  return (
    <>
      <h1 tabIndex={-1}>Capabilities</h1>
      {error !== undefined && <Failure error={error} />}
      <div class="columns">
        <section aria-labelledby="cap-list-heading" class="sidebar">
          <h2 id="cap-list-heading" class="sr-only">Search</h2>
          <label for="cap-search">Search capabilities</label>
          <input id="cap-search" type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} placeholder="name or description" aria-controls="cap-results" />
          <p role="status" class="muted">{list ? `${found.length} of ${list.capabilities.length}` : 'Loading…'}</p>
          <ul id="cap-results" class="cap-list">
            {found.map((c) => (
              <li key={`${c.kind}/${c.name}`}>
                <a href={href('capabilities', c.name)} aria-current={selected === c.name ? 'page' : undefined}>{c.name}</a> <span class="muted">{c.kind}</span>
                <div class="muted small">{c.description}</div>
              </li>
            ))}
          </ul>
        </section>
        <div class="detail">{selected ? <Capability name={selected} /> : <p>Choose a component type or trait to see its parameters.</p>}</div>
      </div>
    </>
  );
}

function Capability({ name }: { name: string }) {
  const [answer, setAnswer] = useState<CapabilityAnswer>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    setAnswer(undefined);
    setError(undefined);
    call<CapabilityAnswer>(`/api/capabilities/${encodeURIComponent(name)}`).then(setAnswer, setError);
  }, [name]);
  if (error !== undefined) return <Failure error={error} />;
  if (!answer) return <p role="status">Loading {name}…</p>;
  const c = answer.capability;
  return (
    <section aria-labelledby="cap-heading">
      <h2 id="cap-heading">{c.name} <span class="muted">{c.kind}</span></h2>
      <p>{c.description}</p>
      <p class="muted">{c.kind === 'component' ? `Workload: ${c.detail || 'not stated'}` : `Applies to: ${c.detail}`}. Source: <code>{c.path}</code> ({c.origin}).</p>
      {answer.tables.map((t) => (
        <table key={t.path} class="params">
          <caption>{t.path ? <code>{t.path}</code> : 'Parameters'}{t.description ? ` — ${t.description}` : ''}</caption>
          <thead><tr><th scope="col">Name</th><th scope="col">Description</th><th scope="col">Type</th><th scope="col">Required</th><th scope="col">Default</th></tr></thead>
          <tbody>
            {t.rows.map((r) => (
              <tr key={r.name}><th scope="row"><code>{r.name}</code></th><td>{r.description}</td><td><code>{r.type}</code></td><td>{r.required ? 'yes' : 'no'}</td><td>{r.default !== undefined ? <code>{r.default}</code> : ''}</td></tr>
            ))}
          </tbody>
        </table>
      ))}
      <h3>Example</h3>
      <pre class="example" tabIndex={0} aria-label={`An Appfile using ${c.name}`}><code>{answer.example}</code></pre>
    </section>
  );
}
