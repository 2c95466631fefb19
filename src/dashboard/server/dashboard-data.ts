/**
 * The dashboard's reads and writes, each one pipeline call (the same use cases
 * the CLI commands run) turned into the API's JSON (api-types.ts). Which
 * cluster an app lives in is named by the cluster list: `local` is the one the
 * dashboard was started against (flags, environment, kubeconfig), the others
 * are the clusters registered with `vela cluster join`.
 */
import { appDetail } from '../../pipeline/app-detail.js';
import { clusterList, clusterStatus, DiscoveryCache, envList, type ClusterOptions } from '../../pipeline/cluster.js';
import { clusterListAll, type ClusterListing } from '../../pipeline/clusters.js';
import { deliverToCluster, planDelivery } from '../../pipeline/deliver.js';
import { listComponents, listTraits, showDefinition } from '../../pipeline/discovery.js';
import { workflowResume, workflowStatus, type StepState, type WorkflowState } from '../../pipeline/workflow.js';
import { velaHome, type Environment } from '../../host/index.js';
import { DiagnosticError, error, formatDiagnostics, type Diagnostic } from '../../source/index.js';
import { listAddons, type AddonListEntry } from '../../pipeline/addon-manage.js';
import { showAddon } from '../../pipeline/addon-show.js';
import type {
  AddonAnswer,
  AddonRow,
  AppAnswer,
  ApplyAnswer,
  AppsAnswer,
  CapabilitiesAnswer,
  CapabilityAnswer,
  CapabilityRow,
  ClusterApps,
  ClustersAnswer,
  PlanAnswer,
  StepRow,
  WorkflowAnswer,
} from './api-types.js';
import { exampleSnippet, type SnippetSchema } from './example-snippet.js';
import { ProgressLines } from './progress-lines.js';

export interface DashboardContext {
  /** The working folder: its Appfile is the one planned when none is pasted. */
  readonly cwd: string;
  /** `-f`: the Appfile to plan instead of the folder's. */
  readonly file?: string;
  /** The local cluster (`--kubeconfig`, `--context`, `--env`); never a namespace: the dashboard looks at every one. */
  readonly cluster: ClusterOptions;
  readonly definitionDirs?: readonly string[];
  readonly environment: Environment;
  /** Per request to a cluster (ms): a cluster that does not answer shows as unreachable instead of hanging the page. */
  readonly requestTimeoutMs: number;
}

const LOCAL = 'local';

/** How each cluster is reached, from the last cluster list (registered clusters by kubeconfig and context). */
export class ClusterBook {
  private byName = new Map<string, ClusterOptions>();
  private listing: readonly ClusterListing[] = [];
  private warnings: readonly string[] = [];
  private loaded?: { at: number; promise: Promise<void> };

  constructor(private readonly ctx: DashboardContext) {}

  /**
   * The cluster list, read again when older than `maxAgeMs`. With `stale`,
   * an older list answers at once while the new one is read (the app list
   * should not wait for every cluster's probe; the next reading sees the new list).
   */
  async refresh(maxAgeMs = 0, opts: { stale?: boolean } = {}): Promise<{ clusters: readonly ClusterListing[]; warnings: readonly string[] }> {
    const now = Date.now();
    const had = this.loaded !== undefined && this.names().length > 0;
    if (!this.loaded || now - this.loaded.at > maxAgeMs) {
      const promise = this.load();
      this.loaded = { at: now, promise };
      promise.catch(() => (this.loaded = undefined));
    }
    if (!(opts.stale && had)) await this.loaded.promise;
    return { clusters: this.listing, warnings: this.warnings };
  }

  private async load(): Promise<void> {
    const { cluster, environment, requestTimeoutMs } = this.ctx;
    const list = await clusterListAll({ env: environment, kubeconfig: cluster.kubeconfig, context: cluster.context, envName: cluster.envName, timeoutMs: requestTimeoutMs });
    const byName = new Map<string, ClusterOptions>([[LOCAL, this.options(cluster)]]);
    for (const c of list.clusters) {
      if (c.name !== LOCAL && c.kubeconfig && c.context && (c.source === 'kubeconfig' || c.source === 'copy')) byName.set(c.name, this.options({ kubeconfig: c.kubeconfig, context: c.context }));
    }
    this.byName = byName;
    this.listing = list.clusters;
    this.warnings = list.warnings;
  }

  private options(base: ClusterOptions): ClusterOptions {
    return { ...base, environment: this.ctx.environment, requestTimeoutMs: this.ctx.requestTimeoutMs, retry: { retries: 0 }, discovery: this.discovery };
  }

  /** One discovery cache for every client the dashboard makes: each cluster's API resources are asked for once. */
  private readonly discovery = new DiscoveryCache();

  /** The options of a cluster by name, in `namespace`; an unknown name is the user's error. */
  async optionsFor(name: string, namespace?: string): Promise<ClusterOptions> {
    if (!this.byName.has(name)) await this.refresh(0);
    const found = name === LOCAL && !this.byName.has(LOCAL) ? this.options(this.ctx.cluster) : this.byName.get(name);
    if (!found) throw new DiagnosticError([error(`no cluster named "${name}"`, undefined, { code: 'dashboard/no-cluster', hint: 'see the Clusters page (vela cluster list)' })]);
    return namespace === undefined ? found : { ...found, namespace };
  }

  /** Clusters whose apps can be listed: local, and every registered cluster reached through a kubeconfig. */
  names(): string[] {
    return [...this.byName.keys()];
  }

  listingOf(name: string): ClusterListing | undefined {
    return this.listing.find((c) => c.name === name);
  }
}

/** A failure in one line, as a cluster's problem is shown. */
export const problemOf = (err: unknown): string => (err instanceof DiagnosticError ? (err.diagnostics[0]?.message ?? 'failed') : err instanceof Error ? err.message : String(err));

/** What the clusters' watches know: whether a cluster answers (undefined while nothing is known yet). */
export interface KnownReachability {
  reachabilityOf(name: string): { readonly reachable: boolean; readonly problem?: string } | undefined;
}

/**
 * Every app in every namespace of every cluster that answers; a cluster that
 * does not is listed with its problem. A cluster its watch or the last probe
 * found down is not asked again (that would wait for its timeout) until the
 * watch lists again.
 */
export async function loadApps(book: ClusterBook, known: KnownReachability): Promise<AppsAnswer> {
  // The cluster list is read from files and probes each cluster: often enough for a join to show, and only on a change.
  await book.refresh(10_000, { stale: true }).catch(() => undefined);
  const clusters = await Promise.all(
    book.names().map(async (name): Promise<ClusterApps> => {
      const listing = book.listingOf(name);
      const watched = known.reachabilityOf(name);
      const down = watched ? !watched.reachable : name !== LOCAL && listing !== undefined && !listing.reachable;
      if (down) return { cluster: name, reachable: false, problem: watched?.problem ?? listing?.problem ?? 'not reachable', apps: [] };
      try {
        const apps = await clusterList(await book.optionsFor(name), true);
        return { cluster: name, reachable: true, apps: apps.map((a) => ({ cluster: name, name: a.name, namespace: a.namespace, services: a.services })) };
      } catch (err) {
        return { cluster: name, reachable: false, problem: problemOf(err), apps: [] };
      }
    }),
  );
  return { clusters };
}

export async function loadApp(book: ClusterBook, cluster: string, namespace: string, app: string): Promise<AppAnswer> {
  const options = await book.optionsFor(cluster, namespace);
  // The workflow's state is a ConfigMap in the app's namespace: the app's watch sees it move, so the page's workflow is live too.
  const [status, detail, workflow] = await Promise.all([clusterStatus({ app, cwd: '/' }, options), appDetail(app, options), loadWorkflow(book, cluster, namespace, app)]);
  return {
    cluster,
    workflow,
    app: status.app,
    namespace: status.namespace,
    services: status.services.map((s) => ({
      name: s.name,
      type: s.type,
      healthy: s.healthy,
      reasons: s.reasons,
      ...(s.replicas !== undefined && { replicas: s.replicas }),
      endpoints: s.endpoints,
      ...(s.message !== undefined && { message: s.message }),
      images: detail.images[s.name] ?? [],
      objects: s.objects,
    })),
    events: detail.events,
  };
}

/** A step waits for a resume when it runs, suspended or waiting for approval (the rule of `vela workflow resume`). */
const stepRow = (s: StepState): StepRow => ({
  name: s.name,
  type: s.type,
  phase: s.phase,
  ...(s.reason !== undefined && { reason: s.reason }),
  ...(s.message !== undefined && { message: s.message }),
  waiting: s.phase === 'running' && (s.reason === 'Suspend' || s.reason === 'Approval'),
  ...(s.subSteps?.length && { subSteps: s.subSteps.map(stepRow) }),
});

const workflowAnswer = (state: WorkflowState): WorkflowAnswer => ({
  present: true,
  phase: state.phase,
  suspended: state.suspended,
  ...(state.message !== undefined && { message: state.message }),
  steps: state.steps.map(stepRow),
});

export async function loadWorkflow(book: ClusterBook, cluster: string, namespace: string, app: string): Promise<WorkflowAnswer> {
  try {
    return workflowAnswer((await workflowStatus({ app, cwd: '/' }, await book.optionsFor(cluster, namespace))).state);
  } catch (err) {
    if (err instanceof DiagnosticError && err.diagnostics.some((d) => d.code === 'workflow/no-state')) return { present: false, steps: [] };
    throw err;
  }
}

export async function resumeWorkflow(book: ClusterBook, cluster: string, namespace: string, app: string, step?: string): Promise<WorkflowAnswer> {
  return workflowAnswer((await workflowResume({ app, cwd: '/' }, await book.optionsFor(cluster, namespace), step)).state);
}

/** Where the Appfile comes from: pasted text is read as standard input is (`<stdin>` in diagnostics, as `vela diff -f -` says). */
function appfileOptions(ctx: DashboardContext, pasted: string | undefined) {
  const base = { cwd: ctx.cwd, definitionDirs: ctx.definitionDirs ?? [], velaHome: velaHome(ctx.environment), environment: ctx.environment };
  if (pasted === undefined) return { ...base, ...(ctx.file !== undefined && { file: ctx.file }), source: ctx.file ?? 'the working folder' };
  return { ...base, file: '-', stdin: textStream(pasted), source: '<stdin>' };
}

async function* textStream(text: string): AsyncIterable<string> {
  yield text;
}

export async function planAppfile(ctx: DashboardContext, pasted: string | undefined, signal: AbortSignal): Promise<PlanAnswer> {
  const { source, ...opts } = appfileOptions(ctx, pasted);
  let warnings: readonly Diagnostic[] = [];
  const plan = await planDelivery({ ...opts, cluster: { ...ctx.cluster, environment: ctx.environment, signal }, onRendered: (w) => (warnings = w) });
  return {
    app: plan.app,
    namespace: plan.namespace,
    context: plan.context,
    server: plan.server,
    clusterVersion: plan.clusterVersion,
    summary: plan.summary,
    entries: plan.entries.map((e) => ({
      action: e.action,
      apiVersion: e.ref.apiVersion,
      kind: e.ref.kind,
      name: e.ref.name,
      ...(e.ref.namespace !== undefined && { namespace: e.ref.namespace }),
      ...(e.service !== undefined && { service: e.service }),
      ...(e.changes && { changes: e.changes }),
    })),
    source,
    ...(warnings.length && { warnings: formatDiagnostics(warnings, { color: false }) }),
  };
}

/**
 * `vela up` from the page: services with a `build` section are built and
 * pushed through the Docker engine first (DOCKER_HOST, as the CLI finds it),
 * then the rest is the CLI's run. What the build said comes back as lines.
 */
export async function applyAppfile(ctx: DashboardContext, pasted: string | undefined, signal: AbortSignal): Promise<ApplyAnswer> {
  const { source: _source, ...opts } = appfileOptions(ctx, pasted);
  const progress = new ProgressLines();
  const result = await deliverToCluster({ ...opts, reporter: progress, cluster: { ...ctx.cluster, environment: ctx.environment, signal } });
  return {
    app: result.app,
    namespace: result.namespace,
    summary: result.summary,
    objects: result.objects.map((o) => ({ action: o.action, kind: o.kind, name: o.name, ...(o.service !== undefined && { service: o.service }) })),
    writes: result.writes,
    progress: progress.lines,
  };
}

function discoveryOptions(ctx: DashboardContext) {
  return { cwd: ctx.cwd, definitionDirs: ctx.definitionDirs ?? [], velaHome: velaHome(ctx.environment) };
}

export async function loadCapabilities(ctx: DashboardContext): Promise<CapabilitiesAnswer> {
  const [components, traits, addons] = await Promise.all([
    listComponents(discoveryOptions(ctx)),
    listTraits(discoveryOptions(ctx)),
    // A registry that does not answer leaves the definitions listed, with the problem said.
    listAddons(addonContext(ctx)).then(
      (listed) => ({ rows: listed.addons.map(addonRow) }),
      (err: unknown) => ({ rows: [], problem: problemOf(err) }),
    ),
  ]);
  const capabilities: CapabilityRow[] = [
    ...components.definitions.map((d) => ({ name: d.name, kind: d.kind, description: d.description, origin: d.origin, path: d.path, detail: d.workload ?? '' })),
    ...traits.definitions.map((d) => ({ name: d.name, kind: d.kind, description: d.description, origin: d.origin, path: d.path, detail: d.appliesTo.join(', ') })),
  ];
  return { capabilities, addons: addons.rows, ...('problem' in addons && { addonProblem: addons.problem }) };
}

const addonContext = (ctx: DashboardContext) => ({ cwd: ctx.cwd, velaHome: velaHome(ctx.environment) });

const addonRow = (a: AddonListEntry): AddonRow => ({
  name: a.name,
  version: a.version,
  description: a.description,
  status: a.status,
  ...(a.enabledVersion !== undefined && { enabledVersion: a.enabledVersion }),
  registry: a.registry,
  availableVersions: a.availableVersions,
});

/** One addon: its row of the list (enabled or not), and what its metadata and definitions say. */
export async function loadAddon(ctx: DashboardContext, name: string): Promise<AddonAnswer> {
  const [shown, listed] = await Promise.all([showAddon(addonContext(ctx), name), listAddons(addonContext(ctx))]);
  const entry = listed.addons.find((a) => a.name === shown.name);
  return {
    addon: entry ? addonRow(entry) : { name: shown.name, version: shown.version, description: shown.description, status: 'disabled', registry: shown.registry, availableVersions: [shown.version] },
    tags: shown.tags,
    ...(shown.url !== undefined && { url: shown.url }),
    dependencies: shown.dependencies.map((d) => ({ name: d.name, ...(d.version !== undefined && { version: d.version }) })),
    definitions: shown.definitions,
  };
}

export async function loadCapability(ctx: DashboardContext, name: string): Promise<CapabilityAnswer> {
  const ref = await showDefinition(name, discoveryOptions(ctx));
  const d = ref.definition;
  const capability: CapabilityRow = { name: d.name, kind: d.kind, description: d.description, origin: d.origin, path: d.path, detail: d.kind === 'component' ? (d.workload ?? '') : d.kind === 'trait' ? d.appliesTo.join(', ') : '' };
  return {
    capability,
    tables: ref.tables.map((t) => ({
      path: t.path,
      description: t.description,
      rows: t.rows.map((r) => ({ name: r.name, description: r.description, type: r.type, required: r.required, ...(r.default !== undefined && { default: r.default }) })),
    })),
    example: exampleSnippet(d.kind, d.name, ref.schema as SnippetSchema),
  };
}

export async function loadClusters(book: ClusterBook, maxAgeMs: number): Promise<ClustersAnswer> {
  const [{ clusters, warnings }, envs] = await Promise.all([book.refresh(maxAgeMs), envList().catch(() => ({ current: undefined, envs: [] }))]);
  return {
    clusters: clusters.map((c) => ({
      name: c.name,
      source: c.source,
      ...(c.server !== undefined && { server: c.server }),
      reachable: c.reachable,
      ...(c.version !== undefined && { version: c.version }),
      ...(c.problem !== undefined && { problem: c.problem }),
      labels: c.labels,
    })),
    environments: envs.envs.map((e) => ({ name: e.name, namespace: e.namespace, ...(e.context !== undefined && { context: e.context }), current: envs.current === e.name })),
    warnings,
  };
}
