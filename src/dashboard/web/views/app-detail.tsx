/** One app, live: per service health, replicas, images, endpoints and objects; its events, workflow and logs. */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiError, AppAnswer, LogLine, StepRow, WorkflowAnswer } from '../../server/api-types.js';
import { appPath, call, listen } from '../api.js';
import { href } from '../router.js';
import { Failure, Health, isErrorBody, Offline } from './common.js';

interface Props {
  readonly cluster: string;
  readonly namespace: string;
  readonly app: string;
}

export function AppDetailPage({ cluster, namespace, app }: Props) {
  const [answer, setAnswer] = useState<AppAnswer | ApiError>();
  const [down, setDown] = useState(false);
  useEffect(() => {
    setAnswer(undefined);
    return listen(`/api/live?app=${encodeURIComponent(`${cluster}/${namespace}/${app}`)}`, { app: setAnswer }, setDown);
  }, [cluster, namespace, app]);
  const ok = answer && !isErrorBody(answer) ? answer : undefined;
  return (
    <>
      <p class="crumbs"><a href={href('apps')}>Apps</a> / {cluster} / {namespace}</p>
      <h1 tabIndex={-1}>{app}</h1>
      <Offline down={down} />
      {!answer && <p role="status">Loading {app}…</p>}
      {isErrorBody(answer) && <Failure error={answer} />}
      {ok && (
        <>
          <section aria-labelledby="services-heading">
            <h2 id="services-heading">Services</h2>
            {/* Announced when a service's health changes, without moving focus. */}
            <p class="summary" role="status" aria-live="polite">
              {ok.services.filter((s) => s.healthy).length} of {ok.services.length} services healthy
            </p>
            {ok.services.map((s) => (
              <article class="service" key={s.name} aria-labelledby={`svc-${s.name}`} data-service={s.name}>
                <h3 id={`svc-${s.name}`}>
                  {s.name} <span class="muted">{s.type}</span> <Health healthy={s.healthy} />
                </h3>
                <dl>
                  <dt>Replicas</dt><dd class="replicas">{s.replicas ?? '—'}</dd>
                  <dt>Images</dt><dd>{s.images.length ? s.images.join(', ') : '—'}</dd>
                  <dt>Endpoints</dt><dd>{s.endpoints.length ? s.endpoints.join(', ') : '—'}</dd>
                  {s.message && <><dt>Status</dt><dd>{s.message}</dd></>}
                  {!s.healthy && s.reasons.length > 0 && <><dt>Why not healthy</dt><dd class="reasons">{s.reasons.join('; ')}</dd></>}
                </dl>
                <details>
                  <summary>{s.objects.length} objects</summary>
                  <ul>{s.objects.map((o) => <li key={`${o.kind}/${o.name}`}>{o.kind}/{o.name}</li>)}</ul>
                </details>
              </article>
            ))}
          </section>
          <Workflow cluster={cluster} namespace={namespace} app={app} live={ok.workflow} />
          <section aria-labelledby="events-heading">
            <h2 id="events-heading">Recent events</h2>
            {ok.events.length === 0 ? (
              <p>No events.</p>
            ) : (
              <table>
                <thead><tr><th scope="col">Type</th><th scope="col">Reason</th><th scope="col">Object</th><th scope="col">Message</th><th scope="col">Last seen</th></tr></thead>
                <tbody>
                  {ok.events.map((e, i) => (
                    <tr key={i}><td>{e.type}</td><td>{e.reason}</td><td>{e.object}</td><td>{e.message}{e.count > 1 ? ` (×${e.count})` : ''}</td><td>{e.lastSeen ?? ''}</td></tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <Logs cluster={cluster} namespace={namespace} app={app} services={ok.services.map((s) => s.name)} />
        </>
      )}
    </>
  );
}

/** The live state from the app's stream; a resume's answer shows at once, until the stream sends a newer state. */
function Workflow({ cluster, namespace, app, live }: Props & { live: WorkflowAnswer }) {
  const [resumed, setResumed] = useState<WorkflowAnswer>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const liveJson = JSON.stringify(live);
  useEffect(() => setResumed(undefined), [liveJson]);
  const state = resumed ?? live;
  const resume = async (step?: string) => {
    setBusy(true);
    setError(undefined);
    try {
      setResumed(await call<WorkflowAnswer>(`${appPath(cluster, namespace, app)}/workflow/resume`, step ? { step } : {}));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const rows = (steps: readonly StepRow[], depth: number): preact.JSX.Element[] =>
    steps.flatMap((s) => [
      <tr key={`${depth}-${s.name}`}>
        <th scope="row" style={{ paddingLeft: `${0.5 + depth * 1.5}rem` }}>{s.name}</th>
        <td>{s.type}</td>
        <td>{s.phase}{s.reason ? ` (${s.reason})` : ''}</td>
        <td>{s.message ?? ''}</td>
        <td>{s.waiting && <button type="button" disabled={busy} onClick={() => resume(s.name)}>Resume {s.name}</button>}</td>
      </tr>,
      ...rows(s.subSteps ?? [], depth + 1),
    ]);
  return (
    <section aria-labelledby="workflow-heading">
      <h2 id="workflow-heading">Workflow</h2>
      {error !== undefined && <Failure error={error} />}
      {!state.present && <p>This app has no workflow state (it was deployed without workflow steps).</p>}
      {state.present && (
        <>
          <p>Phase: <strong>{state.phase}</strong>{state.suspended ? ', suspended' : ''}{state.message ? ` — ${state.message}` : ''}</p>
          <table>
            <thead><tr><th scope="col">Step</th><th scope="col">Type</th><th scope="col">State</th><th scope="col">Message</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
            <tbody>{rows(state.steps, 0)}</tbody>
          </table>
        </>
      )}
    </section>
  );
}

const MAX_LINES = 1000;

function Logs({ cluster, namespace, app, services }: Props & { services: readonly string[] }) {
  const [service, setService] = useState('');
  const [lines, setLines] = useState<string[]>([]);
  const [status, setStatus] = useState('connecting');
  const box = useRef<HTMLPreElement>(null);
  useEffect(() => {
    setLines([]);
    setStatus('following');
    const query = service ? `?service=${encodeURIComponent(service)}` : '';
    // A stream that ended or failed stays closed: EventSource would otherwise open it again every few seconds.
    const stop = listen(`${appPath(cluster, namespace, app)}/logs${query}`, {
      // Prefixed as `vela logs` prefixes them, so lines of several pods can be told apart.
      line: ({ pod, container, line }: LogLine) => setLines((old) => [...old.slice(-(MAX_LINES - 1)), `[${pod}/${container}] ${line}`]),
      end: () => {
        stop();
        setStatus('ended');
      },
      failure: (body: ApiError) => {
        stop();
        setStatus(`no logs: ${body.error.message}`);
      },
    });
    return stop;
  }, [cluster, namespace, app, service]);
  useEffect(() => {
    if (box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines]);
  return (
    <section aria-labelledby="logs-heading">
      <h2 id="logs-heading">Logs</h2>
      <div class="toolbar">
        <label for="log-service">Service</label>
        <select id="log-service" value={service} onChange={(e) => setService(e.currentTarget.value)}>
          <option value="">every service</option>
          {services.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
        <span class="muted">{status}</span>
      </div>
      <pre class="logs" ref={box} tabIndex={0} role="log" aria-label="Log lines">{lines.length ? lines.join('\n') : 'No log lines yet.'}</pre>
    </section>
  );
}
