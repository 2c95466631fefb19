/**
 * `vela up` for an app with policies or a workflow: plan the delivery
 * (src/workflow planDelivery: every error at its line, before anything is
 * built or applied anywhere), build the images once, then run the workflow
 * (runWorkflow) with its effects wired here:
 *   - deliver: one target (a cluster and namespace) of one step — connect,
 *     render the target's app (its overrides applied) for that cluster's
 *     version and namespace, and apply it with its own inventory and lock;
 *     a managed cluster of an OCM hub gets a ManifestWork on the hub instead;
 *   - notify: a webhook POST (the URL from the step, or a Secret's key);
 *   - the state: a ConfigMap in the local cluster beside the app's inventory,
 *     so `vela workflow resume` from another machine reaches a waiting run.
 * A target that fails (cluster down, refused) fails its step with the
 * cluster's message; the other targets go on and are reported.
 */
import { randomUUID } from 'node:crypto';
import type { AppModel, NotificationMessage } from '../appfile/index.js';
import { appObserves, DEFAULT_CLUSTER_VERSION, type ClusterVersion, type RenderedApp } from '../render/index.js';
import { applyManifestWork, waitForManifestWork, type ClusterAccess, type ClusterDirectory } from '../deploy/index.js';
import { applyApp, connect, planApp, DEFAULT_TIMEOUT_MS, RunDeadline, withClient, type ClusterOptions, type KubeClient, type ObjectAction, type ResourcePolicies } from '../deploy/index.js';
import { DiagnosticError, error, formatDiagnosticLine, type Diagnostic } from '../source/index.js';
import { abortError, EnvironmentError, silentReporter, sleep, type Reporter } from '../host/index.js';
import {
  deliveringSteps,
  planDigest,
  runWorkflow,
  selectsManifest,
  type DeliveryOptions,
  type DeliveryRequest,
  type DeliveryOutcome,
  type RunnerDeps,
  type RunnerEvent,
  type StepState,
  type WorkflowPhase,
} from '../workflow/index.js';
import { buildImages } from './build.js';
import { directoryFor } from './clusters.js';
import { countActions, toClusterVersion, type DeliverOptions, type PlanDeliveryResult } from './deliver.js';
import { explicitNamespace } from './target-namespace.js';
import { checkManifests } from './check-manifests.js';
import { renderWithImages } from './dry-run.js';
import { recordBuiltImages } from './up.js';
import { clusterObserver, type Observer } from './observe.js';
import { definitionHealth } from './health.js';
import { loadApp, type LoadedApp } from './load-app.js';
import { planAppDelivery, usesWorkflow } from './plan-app-delivery.js';
import { clusterStateStore } from './workflow.js';

export interface WorkflowDeliverOptions extends Omit<DeliverOptions, 'onRendered'> {
  /** Called once the delivery is planned, before anything is built or sent: the warnings so far. */
  readonly onPlanned?: (warnings: readonly Diagnostic[]) => void;
  /** `--yes`: approvals and untimed suspends pass at once. */
  readonly approveAll?: boolean;
  /** At a terminal without `--yes`: asked once when an approval or untimed suspend starts waiting. */
  readonly askApproval?: RunnerDeps['askApproval'];
  /** Between looks at the state while waiting at a gate; default 2 s. */
  readonly pollMs?: number;
  /** Images built already (`vela dev` builds only what changed): used as they are, nothing is built here. */
  readonly images?: Readonly<Record<string, string>>;
  /** Seams for tests and the benchmark: the clusters, and how a webhook is posted. */
  readonly directory?: ClusterDirectory;
  readonly post?: (url: string, body: string, signal: AbortSignal) => Promise<number>;
}

/** One target of one step, as `vela up` reports it. */
export interface TargetReport {
  readonly step: string;
  readonly cluster: string;
  readonly namespace?: string;
  readonly ok: boolean;
  readonly message?: string;
  /** Failed on the app's input (an error at its line, exit 1), not on the cluster. */
  readonly inputError?: boolean;
  readonly summary?: Readonly<Record<ObjectAction, number>>;
  /** Mutating requests sent; 0 when nothing changed. */
  readonly writes?: number;
  /** Through an OCM hub: the ManifestWork's phase. */
  readonly work?: string;
}

export interface WorkflowDeliverResult {
  readonly app: string;
  /** Where the workflow state is kept (the local cluster). */
  readonly stateNamespace: string;
  readonly phase: WorkflowPhase;
  readonly message?: string;
  readonly steps: readonly StepState[];
  readonly targets: readonly TargetReport[];
}

/** The resource policies as the apply path asks for them, per object. */
export function resourcePolicies(options: DeliveryOptions): ResourcePolicies {
  const once = options.applyOnce?.enable ? options.applyOnce.rules : undefined;
  const gcRules = options.garbageCollect?.rules ?? [];
  return {
    readOnly: (s) => options.readOnly.some((sel) => selectsManifest(sel, s)),
    shared: (s) => options.sharedResource.some((sel) => selectsManifest(sel, s)),
    // Enabled without rules: every object is applied once (KubeVela's meaning).
    ...(gcRules.length ? { onLeave: (s) => {
      // The first rule that selects the object decides, as KubeVela matches them.
      const rule = gcRules.find((r) => selectsManifest(r.selector, s));
      return rule?.strategy === 'never' ? 'release' : rule?.strategy === 'onAppDelete' ? 'keep' : 'delete';
    } } : {}),
    ...(once ? { applyOnce: (s) => (once.length === 0 ? ['*'] : once.filter((r) => !r.selector || selectsManifest(r.selector, s)).flatMap((r) => r.paths)) } : {}),
  };
}

/** Ownership and prune for one target, from the flags and the app's policies: the same for planning and applying. */
function ownership(opts: WorkflowDeliverOptions, app: AppModel, options: DeliveryOptions) {
  return {
    force: opts.force,
    takeOver: { all: opts.takeOver === true, rules: app.takeOver ?? [] },
    policies: resourcePolicies(options),
    // keepLegacyResource: what left the app stays in the cluster.
    prune: opts.prune !== false && options.garbageCollect?.keepLegacyResource !== true,
  };
}

/** A message for a failed target: the cluster's own words, one line per problem. */
function failureText(err: unknown): string {
  if (err instanceof DiagnosticError) return err.diagnostics.map((d) => formatDiagnosticLine(d) + (d.hint ? ` (${d.hint})` : '')).join('; ');
  return (err as Error)?.message ?? String(err);
}

/** The workflow state lives in the local cluster's namespace of the app: made when missing (the app may go only to other clusters). */
async function ensureNamespace(client: KubeClient, namespace: string, signal?: AbortSignal): Promise<void> {
  if (await client.get({ apiVersion: 'v1', kind: 'Namespace', name: namespace }, signal)) return;
  await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }, signal ? { signal } : {});
}

async function defaultPost(url: string, body: string, signal: AbortSignal): Promise<number> {
  const answer = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal });
  await answer.arrayBuffer();
  return answer.status;
}

/** `vela up` with a workflow. The phase says how it ended; a failed one is thrown by the caller after the report is printed. */
export async function deliverWorkflow(opts: WorkflowDeliverOptions, loadedApp?: LoadedApp): Promise<WorkflowDeliverResult> {
  const loaded = loadedApp ?? (await loadApp(opts));
  const reporter: Reporter = opts.reporter ?? silentReporter;
  const directory = opts.directory ?? (await directoryFor(opts.cluster));
  const { plan, warnings } = planAppDelivery(loaded, directory);
  opts.onPlanned?.([...loaded.warnings, ...warnings]);
  const explicit = await explicitNamespace(opts.cluster);
  const writtenNs = loaded.app.baseServices ? loaded.app.baseNamespace : loaded.app.namespace;

  const images = opts.build === false || opts.images ? [] : await buildImages(loaded.app, { push: opts.push ?? true, reporter });
  await recordBuiltImages(loaded.app, images, { ...opts, reporter });
  const refs = opts.images ? { ...opts.images } : Object.fromEntries(images.map((i) => [i.service, i.ref]));

  const local = await directory.access('local');
  if (local.kind !== 'direct') throw new EnvironmentError('the local cluster must be reached directly', { code: 'cluster/local' });
  const stateNs = explicit ?? writtenNs;
  const stateClient = await connect({ ...opts.cluster, target: local.target, ...(stateNs !== undefined ? { namespace: stateNs } : {}) });
  const stateNamespace = stateClient.target.namespace;
  const reports: TargetReport[] = [];
  const renders = renderCache(loaded, refs);
  try {
    await ensureNamespace(stateClient, stateNamespace, opts.cluster.signal);
    const deliverOne = async (request: DeliveryRequest, signal: AbortSignal): Promise<DeliveryOutcome> => {
      const access = await directory.access(request.target.cluster);
      // A topology's namespace wins; the app's own gives way to -n / --env.
      const ns = request.target.namespace !== undefined && request.target.namespace !== writtenNs ? request.target.namespace : (explicit ?? request.target.namespace);
      try {
        const report = await deliverTarget(access, request, ns, renders, opts, signal);
        reports.push({ step: request.step, ...report });
        return { ok: true, message: describeReport(report), details: { ...(report.summary ? { summary: report.summary } : {}), ...(report.work ? { work: report.work } : {}) } };
      } catch (err) {
        if (signal.aborted && opts.cluster.signal?.aborted) throw err;
        const message = failureText(err);
        const inputError = err instanceof DiagnosticError && err.exitCode === 1;
        reports.push({ step: request.step, cluster: request.target.cluster, ...(ns !== undefined ? { namespace: ns } : {}), ok: false, message, ...(inputError && { inputError }) });
        return { ok: false, message };
      }
    };
    const state = await runWorkflow(plan, {
      store: clusterStateStore(stateClient, plan.app, stateNamespace),
      clock: { now: () => Date.now(), sleep: (ms, signal) => sleep(ms, signal) },
      deliver: deliverOne,
      notify: (message, signal) => notify(message, stateClient, stateNamespace, opts.post ?? defaultPost, signal),
      newRunId: randomUUID,
      digest: planDigest(plan, JSON.stringify(refs)),
      ...(opts.cluster.signal ? { signal: opts.cluster.signal } : {}),
      ...(opts.pollMs !== undefined ? { pollMs: opts.pollMs } : {}),
      approveAll: opts.approveAll === true,
      ...(opts.askApproval ? { askApproval: opts.askApproval } : {}),
      onEvent: (event) => progress(event, reporter),
    });
    return { app: plan.app, stateNamespace, phase: state.phase, ...(state.message ? { message: state.message } : {}), steps: state.steps, targets: reports };
  } finally {
    stateClient.close();
  }
}

function describeReport(r: Omit<TargetReport, 'step'>): string {
  if (r.work) return `ManifestWork ${r.work}`;
  const s = r.summary;
  return s ? `${s.created} created, ${s.updated} updated, ${s.unchanged} unchanged, ${s.pruned} pruned` : 'delivered';
}

function progress(event: RunnerEvent, reporter: Reporter): void {
  if (event.type === 'step-started') reporter.info(`step ${event.step} (${event.kind}) started`);
  else if (event.type === 'waiting') reporter.info(`step ${event.step}: ${event.message ?? (event.gate === 'Approval' ? 'waiting for approval' : 'suspended')}; \`vela workflow resume\` goes on`);
  else if (event.type === 'target-finished') reporter.info(`step ${event.step}: cluster ${event.result.cluster}${event.result.ok ? '' : ' failed'}: ${event.result.message ?? ''}`);
  else if (event.type === 'step-finished') reporter.info(`step ${event.step} ${event.phase}${event.message ? `: ${event.message}` : ''}`);
}

/**
 * Renders by target app, namespace and cluster version, once each: the
 * targets of one deploy step share their app, and most clusters their
 * version, so ten clusters cost one render (CUE evaluation is the CPU-heavy
 * part of a delivery).
 */
interface RenderCache {
  /** `observer`: the target cluster, for templates that read live objects (`observe`); their renders are the cluster's own. */
  render(app: AppModel, namespace: string | undefined, version: ClusterVersion | undefined, target?: { cluster: string; observer: Observer }): Promise<{ rendered: RenderedApp }>;
}

function renderCache(loaded: LoadedApp, images: Record<string, string>): RenderCache {
  const byApp = new WeakMap<AppModel, Map<string, Promise<{ rendered: RenderedApp }>>>();
  return {
    render(app, namespace, version, target) {
      const entries = byApp.get(app) ?? new Map<string, Promise<{ rendered: RenderedApp }>>();
      byApp.set(app, entries);
      const observes = target !== undefined && appObserves(app, loaded.loaded.registry);
      const key = `${namespace ?? ''}\u0000${version?.gitVersion ?? ''}\u0000${observes ? target.cluster : ''}`;
      let entry = entries.get(key);
      if (!entry) {
        entry = renderWithImages(app, loaded.loaded.registry, images, { namespace, clusterVersion: version, ...(observes ? { observer: target.observer } : {}) });
        entries.set(key, entry);
      }
      return entry;
    },
  };
}

/** One target: directly (apply with inventory and lock), or through an OCM hub (a ManifestWork). */
async function deliverTarget(access: ClusterAccess, request: DeliveryRequest, namespace: string | undefined, renders: RenderCache, opts: WorkflowDeliverOptions, signal: AbortSignal): Promise<Omit<TargetReport, 'step'>> {
  const deadline = new RunDeadline(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, signal);
  const target = access.kind === 'direct' ? access.target : access.hubTarget;
  try {
    return await withClient({ ...opts.cluster, target, ...(namespace !== undefined ? { namespace } : {}), signal: deadline.signal }, async (client) => {
      try {
        if (access.kind === 'ocm') return await deliverThroughHub(client, access.name, request, namespace ?? 'default', renders, opts, deadline);
        const version = toClusterVersion(await client.serverVersion());
        const { rendered } = await renders.render(request.app, namespace ?? client.target.namespace, opts.clusterVersion ?? version, { cluster: request.target.cluster, observer: clusterObserver(client, deadline.signal) });
        // What the API server would refuse is refused here, at the Appfile line, before anything is written.
        await checkManifests(rendered.manifests, { clusterVersion: opts.clusterVersion ?? version ?? DEFAULT_CLUSTER_VERSION });
        const applied = await applyApp(rendered, {
          client,
          deadline,
          ...ownership(opts, request.app, request.options),
          wait: opts.wait,
          pollIntervalMs: opts.pollIntervalMs,
          lockTimeoutMs: opts.lockTimeoutMs,
          forceUnlock: opts.forceUnlock,
          definitionHealth: definitionHealth(),
        });
        const summary = countActions(applied.objects);
        const unhealthy = applied.health?.filter((h) => !h.healthy) ?? [];
        if (unhealthy.length) throw new Error(`not healthy: ${unhealthy.map((h) => `${h.service} (${h.message ?? h.reasons.join('; ')})`).join(', ')}`);
        return { cluster: request.target.cluster, namespace: applied.namespace, ok: true, summary, writes: applied.writes };
      } catch (err) {
        throw deadline.explain(err, client, `delivery to cluster ${request.target.cluster}`);
      }
    });
  } finally {
    deadline.dispose();
  }
}

/** A managed cluster: the rendered objects go into the app's ManifestWork on the hub; the agent applies them. */
async function deliverThroughHub(hub: KubeClient, cluster: string, request: DeliveryRequest, namespace: string, renders: RenderCache, opts: WorkflowDeliverOptions, deadline: RunDeadline): Promise<Omit<TargetReport, 'step'>> {
  const { rendered } = await renders.render(request.app, namespace, opts.clusterVersion);
  await checkManifests(rendered.manifests, { clusterVersion: opts.clusterVersion ?? DEFAULT_CLUSTER_VERSION });
  await applyManifestWork(hub, { cluster, app: rendered.name, namespace, manifests: rendered.manifests.map((m) => m.object) }, deadline.signal);
  if (!opts.wait) return { cluster, namespace, ok: true, work: 'sent' };
  const status = await waitForManifestWork(hub, cluster, rendered.name, namespace, { want: 'available', timeoutMs: deadline.remainingMs(), signal: deadline.signal });
  if (!status || status.phase === 'degraded') throw new Error(`the ManifestWork on hub ${hub.target.server} is ${status ? `degraded: ${status.message ?? 'no message'}` : 'gone'}`);
  return { cluster, namespace, ok: true, work: status.phase };
}

/** POSTs one message; the URL (a secret in itself) is never in a message. */
async function notify(message: NotificationMessage, client: KubeClient, namespace: string, post: NonNullable<WorkflowDeliverOptions['post']>, signal: AbortSignal): Promise<void> {
  let url: string;
  if ('value' in message.url) url = message.url.value;
  else {
    const ref = message.url.secretRef;
    const secret = await client.get({ apiVersion: 'v1', kind: 'Secret', name: ref.name, namespace }, signal);
    const encoded = (secret?.data as Record<string, string> | undefined)?.[ref.key];
    if (encoded === undefined) throw new DiagnosticError([error(`the ${message.channel} webhook URL is not there: Secret ${namespace}/${ref.name} has no key "${ref.key}"`, message.span, { code: 'workflow/notification-url', hint: `kubectl create secret generic ${ref.name} -n ${namespace} --from-literal=${ref.key}=URL` })]);
    url = Buffer.from(encoded, 'base64').toString('utf8').trim();
  }
  if (signal.aborted) throw abortError();
  const status = await post(url, JSON.stringify(message.body), signal).catch((err: unknown) => {
    throw new Error(`the ${message.channel} webhook could not be reached: ${(err as Error).message}`);
  });
  if (status < 200 || status >= 300) throw new Error(`the ${message.channel} webhook answered HTTP ${status}`);
}

/** The app when it has policies or a workflow (then `vela up` runs the workflow), else undefined. */
export async function loadWorkflowApp(opts: DeliverOptions): Promise<LoadedApp | undefined> {
  const loaded = await loadApp(opts);
  return usesWorkflow(loaded.app) ? loaded : undefined;
}

/** One target of one step, as `vela up --plan` shows it: the plan, or why there is none. */
export interface TargetPlan {
  readonly step: string;
  readonly cluster: string;
  readonly plan?: PlanDeliveryResult;
  readonly message?: string;
}

/**
 * `vela up --plan` / `vela diff` with a workflow: what each target of each
 * delivering step would get (server-side dry runs, nothing written), step by
 * step; gates and conditions are not evaluated. A managed cluster of an OCM
 * hub is not planned (its agent applies), and a cluster that cannot be read
 * says why; the others are planned regardless.
 */
export async function planWorkflowTargets(opts: WorkflowDeliverOptions, loaded: LoadedApp): Promise<{ app: string; targets: TargetPlan[] }> {
  const directory = opts.directory ?? (await directoryFor(opts.cluster));
  const { plan, warnings } = planAppDelivery(loaded, directory);
  opts.onPlanned?.([...loaded.warnings, ...warnings]);
  const explicit = await explicitNamespace(opts.cluster);
  const writtenNs = loaded.app.baseServices ? loaded.app.baseNamespace : loaded.app.namespace;
  const renders = renderCache(loaded, {});
  const targets: TargetPlan[] = [];
  for (const step of deliveringSteps(plan.steps)) {
    const planned = await Promise.all(
      step.targets.map(async (t): Promise<TargetPlan> => {
        const head = { step: step.name, cluster: t.target.cluster };
        try {
          const access = await directory.access(t.target.cluster);
          if (access.kind === 'ocm') return { ...head, message: `delivered through the ManifestWork on hub ${access.hub}: not planned` };
          const ns = t.target.namespace !== undefined && t.target.namespace !== writtenNs ? t.target.namespace : (explicit ?? t.target.namespace);
          return await withClient({ ...opts.cluster, target: access.target, ...(ns !== undefined ? { namespace: ns } : {}) }, async (client) => {
            const server = await client.serverVersion();
            const { rendered } = await renders.render(t.app, ns ?? client.target.namespace, opts.clusterVersion ?? toClusterVersion(server), { cluster: t.target.cluster, observer: clusterObserver(client, opts.cluster.signal) });
            const result = await planApp(rendered, {
              client,
              ...ownership(opts, t.app, plan.options),
              showSecrets: opts.showSecrets,
            });
            return { ...head, plan: { ...result, server: client.target.server, clusterVersion: server.gitVersion } };
          });
        } catch (err) {
          if (opts.cluster.signal?.aborted) throw err;
          return { ...head, message: failureText(err) };
        }
      }),
    );
    targets.push(...planned);
  }
  return { app: plan.app, targets };
}
