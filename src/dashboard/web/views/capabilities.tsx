/**
 * Component types, traits and addons: one search over names, kinds and
 * descriptions; a component or trait with its parameters (the `vela show`
 * tables), source and an example; an addon with its status (as `vela addon
 * list` says), versions and the definitions it brings.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { AddonAnswer, CapabilitiesAnswer, CapabilityAnswer } from '../../server/api-types.js';
import { call } from '../api.js';
import { href } from '../router.js';
import { Failure } from './common.js';

/** One entry of the search: a definition or an addon. */
interface Entry {
  readonly name: string;
  readonly kind: string;
  readonly description: string;
  readonly detail: string;
  readonly link: string;
  readonly current: boolean;
}

export function CapabilitiesPage({ selected, addon = false }: { selected?: string; addon?: boolean }) {
  const [list, setList] = useState<CapabilitiesAnswer>();
  const [error, setError] = useState<unknown>();
  const [query, setQuery] = useState('');
  useEffect(() => {
    call<CapabilitiesAnswer>('/api/capabilities').then(setList, setError);
  }, []);
  const entries = useMemo<Entry[]>(
    () => [
      ...(list?.capabilities ?? []).map((c) => ({ name: c.name, kind: c.kind, description: c.description, detail: c.detail, link: href('capabilities', c.name), current: !addon && selected === c.name })),
      ...(list?.addons ?? []).map((a) => ({ name: a.name, kind: 'addon', description: a.description, detail: a.status, link: href('capabilities', 'addon', a.name), current: addon && selected === a.name })),
    ],
    [list, selected, addon],
  );
  const found = useMemo(() => {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    return entries.filter((c) => words.every((w) => `${c.name} ${c.kind} ${c.description} ${c.detail}`.toLowerCase().includes(w)));
  }, [entries, query]);
  return (
    <>
      <h1 tabIndex={-1}>Capabilities</h1>
      {error !== undefined && <Failure error={error} />}
      <div class="columns">
        <section aria-labelledby="cap-list-heading" class="sidebar">
          <h2 id="cap-list-heading" class="sr-only">Search</h2>
          <label for="cap-search">Search capabilities</label>
          <input id="cap-search" type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} placeholder="name, kind (addon, trait…) or description" aria-controls="cap-results" />
          <p role="status" class="muted">{list ? `${found.length} of ${entries.length}` : 'Loading…'}</p>
          {list?.addonProblem && <p class="notice">Addons could not be listed: {list.addonProblem}</p>}
          <ul id="cap-results" class="cap-list">
            {found.map((c) => (
              <li key={`${c.kind}/${c.name}`} data-kind={c.kind}>
                <a href={c.link} aria-current={c.current ? 'page' : undefined}>{c.name}</a> <span class="muted">{c.kind}{c.kind === 'addon' ? `, ${c.detail}` : ''}</span>
                <div class="muted small">{c.description}</div>
              </li>
            ))}
          </ul>
        </section>
        <div class="detail">{selected ? (addon ? <Addon name={selected} /> : <Capability name={selected} />) : <p>Choose a component type, trait or addon to see its parameters or definitions.</p>}</div>
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

function Addon({ name }: { name: string }) {
  const [answer, setAnswer] = useState<AddonAnswer>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    setAnswer(undefined);
    setError(undefined);
    call<AddonAnswer>(`/api/addons/${encodeURIComponent(name)}`).then(setAnswer, setError);
  }, [name]);
  if (error !== undefined) return <Failure error={error} />;
  if (!answer) return <p role="status">Loading {name}…</p>;
  const a = answer.addon;
  return (
    <section aria-labelledby="cap-heading">
      <h2 id="cap-heading">{a.name} <span class="muted">addon</span> <span class={`badge ${a.status === 'disabled' ? '' : 'ok'}`}>{a.status}</span></h2>
      <p>{a.description}</p>
      <dl class="addon-facts">
        <dt>Version</dt><dd>{a.enabledVersion ? `${a.enabledVersion} enabled; ` : ''}{a.availableVersions.length ? `offered: ${a.availableVersions.join(', ')}` : a.version}</dd>
        <dt>Registry</dt><dd>{a.registry}</dd>
        {answer.tags.length > 0 && <><dt>Tags</dt><dd>{answer.tags.join(', ')}</dd></>}
        {answer.dependencies.length > 0 && <><dt>Needs</dt><dd>{answer.dependencies.map((d) => (d.version ? `${d.name} ${d.version}` : d.name)).join(', ')}</dd></>}
        {answer.url && <><dt>Home</dt><dd>{answer.url}</dd></>}
      </dl>
      <table class="addon-definitions">
        <caption>Definitions it brings</caption>
        <thead><tr><th scope="col">Name</th><th scope="col">Kind</th><th scope="col">Description</th><th scope="col">Workload or applies to</th></tr></thead>
        <tbody>
          {answer.definitions.length === 0 && <tr><td colSpan={4}>None.</td></tr>}
          {answer.definitions.map((d) => (
            <tr key={`${d.kind}/${d.name}`}><th scope="row"><code>{d.name}</code></th><td>{d.kind}</td><td>{d.description}</td><td>{d.detail}</td></tr>
          ))}
        </tbody>
      </table>
      <p>{a.status === 'disabled' ? <>Enable it with <code>vela addon enable {a.name}</code>; its definitions then show here with their parameters.</> : <>Its definitions are installed: choose one in the list to see its parameters.</>}</p>
    </section>
  );
}
