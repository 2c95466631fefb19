/**
 * The plan of an Appfile against the cluster, object by object, with the
 * changed fields of each (Secret values come redacted from the server); then
 * apply it, after a confirmation that names what changes where.
 */
import { useRef, useState } from 'preact/hooks';
import type { ApplyAnswer, FieldChangeRow, PlanAnswer, PlanRow } from '../../server/api-types.js';
import { call } from '../api.js';
import { Failure } from './common.js';

const show = (value: unknown) => (value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value));

export function PlanPage() {
  const [text, setText] = useState('');
  const [plan, setPlan] = useState<{ answer: PlanAnswer; text: string }>();
  const [applied, setApplied] = useState<ApplyAnswer>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState<'' | 'planning' | 'applying'>('');
  const [confirming, setConfirming] = useState(false);
  const confirmButton = useRef<HTMLButtonElement>(null);

  const run = async () => {
    setBusy('planning');
    setError(undefined);
    setApplied(undefined);
    setConfirming(false);
    try {
      setPlan({ answer: await call<PlanAnswer>('/api/plan', { appfile: text }), text });
    } catch (err) {
      setPlan(undefined);
      setError(err);
    } finally {
      setBusy('');
    }
  };
  const apply = async () => {
    if (!plan) return;
    setBusy('applying');
    setError(undefined);
    try {
      // What was planned is what is applied: the text as it was when planned.
      setApplied(await call<ApplyAnswer>('/api/apply', { appfile: plan.text, confirmed: true }));
      setConfirming(false);
      setPlan(undefined);
    } catch (err) {
      setError(err);
    } finally {
      setBusy('');
    }
  };
  const changing = plan ? plan.answer.entries.filter((e) => e.action !== 'unchanged').length : 0;
  return (
    <>
      <h1 tabIndex={-1}>Plan and diff</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          run();
        }}
      >
        <label for="appfile">Appfile (YAML)</label>
        <p id="appfile-hint" class="muted">Leave it empty to plan the Appfile of the folder <code>vela dashboard</code> runs in, or paste one.</p>
        <textarea id="appfile" aria-describedby="appfile-hint" rows={12} spellcheck={false} value={text} onInput={(e) => setText(e.currentTarget.value)} />
        <div class="toolbar">
          <button type="submit" disabled={busy !== ''}>{busy === 'planning' ? 'Planning…' : 'Plan'}</button>
          {plan && (
            <button type="button" disabled={busy !== '' || changing === 0} onClick={() => { setConfirming(true); setTimeout(() => confirmButton.current?.focus(), 0); }}>
              Apply…
            </button>
          )}
        </div>
      </form>
      <div aria-live="polite">{busy && <p role="status">{busy === 'planning' ? 'Planning against the cluster…' : 'Applying (images with a build section are built and pushed first)…'}</p>}</div>
      {error !== undefined && <Failure error={error} />}
      {confirming && plan && (
        <section class="confirm" role="alertdialog" aria-labelledby="confirm-heading" aria-describedby="confirm-text">
          <h2 id="confirm-heading">Apply {plan.answer.app}?</h2>
          <p id="confirm-text">
            {changing} {changing === 1 ? 'object changes' : 'objects change'} in namespace <strong>{plan.answer.namespace}</strong> of context <strong>{plan.answer.context}</strong> ({plan.answer.server}).
          </p>
          <div class="toolbar">
            <button type="button" ref={confirmButton} class="danger" disabled={busy !== ''} onClick={apply}>Yes, apply</button>
            <button type="button" onClick={() => setConfirming(false)}>Cancel</button>
          </div>
        </section>
      )}
      {applied && (
        <section aria-labelledby="applied-heading" role="status">
          <h2 id="applied-heading">Applied {applied.app}</h2>
          <p>{Object.entries(applied.summary).filter(([, n]) => n > 0).map(([action, n]) => `${n} ${action}`).join(', ') || 'nothing changed'} in namespace {applied.namespace}.</p>
          {applied.progress.length > 0 && (
            <details>
              <summary>What <code>vela up</code> said ({applied.progress.length} lines)</summary>
              <pre class="progress" tabIndex={0} aria-label="Build and apply output">{applied.progress.join('\n')}</pre>
            </details>
          )}
        </section>
      )}
      {plan && <PlanTable plan={plan.answer} />}
    </>
  );
}

function PlanTable({ plan }: { plan: PlanAnswer }) {
  return (
    <section aria-labelledby="plan-heading">
      <h2 id="plan-heading">Plan of {plan.app}</h2>
      <p>
        Namespace <strong>{plan.namespace}</strong>, context <strong>{plan.context}</strong>, Kubernetes {plan.clusterVersion}; from {plan.source}.{' '}
        {Object.entries(plan.summary).filter(([, n]) => n > 0).map(([action, n]) => `${n} ${action}`).join(', ')}
      </p>
      {plan.warnings && <pre class="diagnostics">{plan.warnings}</pre>}
      <table class="plan">
        <thead><tr><th scope="col">Action</th><th scope="col">Object</th><th scope="col">Service</th><th scope="col">Changes</th></tr></thead>
        <tbody>{plan.entries.map((e) => <Entry key={`${e.kind}/${e.namespace ?? ''}/${e.name}`} entry={e} />)}</tbody>
      </table>
    </section>
  );
}

function Entry({ entry }: { entry: PlanRow }) {
  return (
    <tr data-object={`${entry.kind}/${entry.name}`}>
      <td><span class={`action ${entry.action}`}>{entry.action}</span></td>
      <th scope="row">{entry.kind}/{entry.name}</th>
      <td>{entry.service ?? ''}</td>
      <td>{entry.changes?.length ? <Changes changes={entry.changes} /> : ''}</td>
    </tr>
  );
}

function Changes({ changes }: { changes: readonly FieldChangeRow[] }) {
  return (
    <details open={changes.length <= 5}>
      <summary>{changes.length} {changes.length === 1 ? 'field' : 'fields'}</summary>
      <table class="diff">
        <thead><tr><th scope="col">Field</th><th scope="col">Before</th><th scope="col">After</th></tr></thead>
        <tbody>
          {changes.map((c) => (
            <tr key={c.path}>
              <th scope="row"><code>{c.path}</code></th>
              <td class="before"><code>{show(c.before)}</code></td>
              <td class="after"><code>{show(c.after)}</code></td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
