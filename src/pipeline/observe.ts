/**
 * The pipeline's half of `observe` (src/render/observe.ts): when a template
 * declares it, render in two passes, reading the objects it asks for from the
 * cluster in between. Reading is all it does: gets and lists through the
 * deploy module's KubeClient, never a write. Without a cluster (`vela
 * dry-run`, `vela up --output`) nothing is read: `context.observed` is empty
 * and `context.clusterConnected` false, and templates act as on a first deploy.
 */
import type { AppModel, JsonObject } from '../appfile/index.js';
import type { DefinitionRegistry } from '../capability/index.js';
import { UnknownKindError, type KubeClient } from '../deploy/index.js';
import { mapLimit } from '../host/index.js';
import { appObserves, observedFrom, planObservation, renderApp, type ObjectQuery, type QueryAnswer, type RenderOptions, type RenderResult } from '../render/index.js';

/** Answers a pass's queries, one answer per query in order. */
export type Observer = (queries: readonly ObjectQuery[]) => Promise<QueryAnswer[]>;

/** Requests in flight at once: a few, as the objects are few and the apply after them is the long part. */
const CONCURRENT_READS = 8;

/** An Observer that reads from a cluster. A kind the server does not serve (a CRD not installed) has no objects. */
export function clusterObserver(client: KubeClient, signal?: AbortSignal): Observer {
  return (queries) =>
    mapLimit(
      queries,
      CONCURRENT_READS,
      async (query): Promise<QueryAnswer> => {
        try {
          if ('name' in query) return (await client.get({ apiVersion: query.apiVersion, kind: query.kind, name: query.name, namespace: query.namespace }, signal)) as JsonObject | undefined;
          const labelSelector = Object.entries(query.labelSelector)
            .map(([k, v]) => `${k}=${v}`)
            .join(',');
          return (await client.list(query.apiVersion, query.kind, { namespace: query.namespace, labelSelector, signal })) as JsonObject[];
        } catch (err) {
          if (err instanceof UnknownKindError) return 'name' in query ? undefined : [];
          throw err;
        }
      },
      signal,
    );
}

/**
 * Renders an app: in one pass, or, when a template declares `observe`, in two
 * with the cluster read in between (when there is an observer; else nothing
 * is found). `context.clusterConnected` says whether there was one.
 */
export async function renderObserving(app: AppModel, registry: DefinitionRegistry, opts: RenderOptions, observer: Observer | undefined): Promise<RenderResult> {
  const clusterConnected = observer !== undefined;
  if (!appObserves(app, registry)) return renderApp(app, registry, { ...opts, clusterConnected });
  const { plan, diagnostics } = planObservation(app, registry, { ...opts, clusterConnected });
  if (diagnostics.length) return { diagnostics };
  const answers = observer && plan.queries.length ? await observer(plan.queries) : undefined;
  return renderApp(app, registry, { ...opts, clusterConnected, observed: observedFrom(plan, answers) });
}
