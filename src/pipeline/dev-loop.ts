/**
 * `vela dev` (and `vela up --watch`): deliver once, then watch the inputs
 * (dev-inputs.ts) and deliver again on each change, until the signal (Ctrl-C).
 *
 * One cycle: read the Appfile and the definitions, rebuild only the images
 * whose inputs changed (a changed file in their context as sent, or a changed
 * `build` section; the others keep the reference of their last build), render,
 * then apply (only what changed is written: the apply's dry runs prove the
 * rest unchanged) or, with `--output DIR`, rewrite the manifests. An app with
 * policies or a workflow is delivered as `vela up` delivers it (its workflow,
 * to every cluster its topology names: deliver-workflow.ts), with the images
 * of this cycle; a gate (approval, suspend) waits as it does there. Between
 * cycles the process stays warm: the definitions stay compiled (read again
 * only when one of their files changes), and one cluster client keeps its
 * discovery answers. A cycle whose input is wrong (a broken Appfile mid-edit,
 * a failing build) applies nothing: its diagnostics are reported and the last
 * good deployment keeps running. Cycles never overlap: changes that arrive
 * during one are gathered into the next.
 */
import { dirname, join, resolve } from 'node:path';
import type { AppModel } from '../appfile/index.js';
import {
  applyApp,
  connect,
  deleteApp,
  followLogs,
  type ClusterOptions,
  type DeleteResult,
  type KubeClient,
  type LogFollower,
  type LogSource,
  type ObjectAction,
} from '../deploy/index.js';
import { nodeFileSystem, watchFiles, type FileSystem, type FileWatch, type Reporter } from '../host/index.js';
import { DiagnosticError, error, type Diagnostic } from '../source/index.js';
import { buildImages } from './build.js';
import { countActions, deliveredObject, emptySummary, toClusterVersion, type DeliveredObject } from './deliver.js';
import { explicitNamespace } from './target-namespace.js';
import { isDevInput, touchedContexts, touchesDefinitions, watchRoots, type DevInputs, type WatchedContext } from './dev-inputs.js';
import { renderWithImages } from './dry-run.js';
import { definitionHealth } from './health.js';
import { loadApp, type LoadAppOptions, type LoadedApp } from './load-app.js';
import { usesWorkflow } from './plan-app-delivery.js';
import { outputManifests, type ManifestOutputOptions } from './manifest-output.js';
import { forgetLoadedRegistries, type LoadedRegistry } from './registry.js';

export interface DevOptions extends LoadAppOptions {
  /** `-n`: the namespace, over the Appfile's. */
  readonly namespace?: string;
  /** The cluster to deliver to; absent with `output`. */
  readonly cluster?: ClusterOptions;
  /** `--output DIR`: rewrite the manifests there on each change, no cluster. */
  readonly output?: ManifestOutputOptions & { dir: string };
  /** Build images (default true); `push` them (default true). */
  readonly build?: boolean;
  readonly push?: boolean;
  readonly force?: boolean;
  readonly takeOver?: boolean;
  readonly prune?: boolean;
  /** Per cycle, against the cluster; default 5 minutes. */
  readonly timeoutMs?: number;
  /** `--cleanup`: delete the app from the cluster when watching stops. */
  readonly cleanup?: boolean;
  /** Follow the app's logs (default true with a cluster). */
  readonly logs?: boolean;
  /** Quiet time that ends a burst of saves; default 150 ms. */
  readonly debounceMs?: number;
  /** Build progress of each cycle. */
  readonly reporter?: Reporter;
  /** Ctrl-C: stops watching (after the cycle in flight). */
  readonly signal: AbortSignal;
  readonly onEvent: (event: DevEvent) => void;
}

/** What changed in the cluster (or the folder) in one cycle. */
export interface CycleChanges {
  readonly summary: Readonly<Record<ObjectAction, number>>;
  /** The objects written or pruned (unchanged ones left out). */
  readonly objects: readonly DeliveredObject[];
  /** Files written or removed, with `--output`. */
  readonly files?: number;
  /** An app with policies or a workflow: what each target of the workflow got (per-object changes are not listed). */
  readonly clusters?: readonly { readonly cluster: string; readonly namespace?: string; readonly summary?: Readonly<Record<ObjectAction, number>>; readonly ok: boolean; readonly message?: string }[];
}

export type DevEvent =
  | { readonly kind: 'watching'; readonly roots: readonly string[] }
  /** A cycle delivered; `built` are the services whose image was built (not found cached). */
  | { readonly kind: 'delivered'; readonly cycle: number; readonly trigger: readonly string[]; readonly rebuilt: readonly string[]; readonly built: readonly string[]; readonly changes: CycleChanges; readonly warnings: readonly Diagnostic[]; readonly ms: number; readonly target: string }
  /** The input is wrong: nothing was applied, the last good deployment stays. */
  | { readonly kind: 'invalid'; readonly cycle: number; readonly trigger: readonly string[]; readonly diagnostics: readonly Diagnostic[]; readonly ms: number }
  /** The delivery failed (the cluster refused, was unreachable): reported, watching goes on. */
  | { readonly kind: 'failed'; readonly cycle: number; readonly trigger: readonly string[]; readonly error: unknown; readonly ms: number }
  | { readonly kind: 'log'; readonly source: LogSource; readonly line: string }
  | { readonly kind: 'cleanup'; readonly result: DeleteResult };

export interface DevResult {
  readonly cycles: number;
  readonly delivered: number;
  readonly cleanup?: DeleteResult;
}

interface LastGood {
  readonly app: AppModel;
  /** Delivered by its workflow (to every cluster it names): cleaned up there too. */
  readonly workflow: boolean;
  /** Per service with a build section: its image reference, and the build section it was built from. */
  readonly images: ReadonlyMap<string, { ref: string; key: string }>;
}

/** What identifies a build besides its context's files. */
const buildKey = (app: AppModel, service: AppModel['services'][number]) => JSON.stringify([service.image, { ...service.build, span: undefined }, app.dir]);

export async function runDev(opts: DevOptions): Promise<DevResult> {
  const fs: FileSystem = opts.fs ?? nodeFileSystem;
  const cwd = resolve(opts.cwd);
  const signal = opts.signal;
  let client: KubeClient | undefined;
  let follower: LogFollower | undefined;
  let last: LastGood | undefined;
  let cycles = 0;
  let delivered = 0;
  let inputs: DevInputs = {
    appDir: opts.file && opts.file !== '-' ? dirname(resolve(cwd, opts.file)) : cwd,
    definitionDirs: [],
    contexts: [],
    outputDir: opts.output ? resolve(cwd, opts.output.dir) : undefined,
  };

  const refreshInputs = async (app: AppModel, registry: LoadedRegistry): Promise<void> => {
    const { createContextFilter } = await import('../image/index.js');
    const contexts: WatchedContext[] = [];
    for (const service of app.services) {
      if (!service.build) continue;
      const dir = resolve(app.dir, service.build.context);
      const ignore = await fs.readText(join(dir, '.dockerignore')).catch(() => undefined);
      contexts.push({ service: service.name, dir, filter: createContextFilter(ignore, [service.build.dockerfile, '.dockerignore']) });
    }
    inputs = {
      ...inputs,
      appDir: resolve(app.dir),
      definitionDirs: registry.searched.filter((s) => s.origin !== 'builtin').map((s) => s.dir),
      contexts,
    };
  };

  const cycle = async (trigger: readonly string[]): Promise<void> => {
    const n = ++cycles;
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    if (touchesDefinitions(inputs, trigger)) forgetLoadedRegistries();
    let loaded;
    try {
      loaded = await loadApp(opts);
    } catch (err) {
      if (err instanceof DiagnosticError) return opts.onEvent({ kind: 'invalid', cycle: n, trigger, diagnostics: err.diagnostics, ms: ms() });
      return opts.onEvent({ kind: 'failed', cycle: n, trigger, error: err, ms: ms() });
    }
    const { app } = loaded;
    await refreshInputs(app, loaded.loaded);
    try {
      const touched = touchedContexts(inputs, trigger);
      const images = new Map<string, { ref: string; key: string }>();
      const toBuild: string[] = [];
      for (const service of app.services) {
        if (!service.build) continue;
        const key = buildKey(app, service);
        const before = last?.images.get(service.name);
        if (before && before.key === key && !touched.has(service.name)) images.set(service.name, before);
        else toBuild.push(service.name);
      }
      const built = opts.build === false || !toBuild.length ? [] : await buildImages(app, { only: toBuild, push: opts.push ?? true, reporter: opts.reporter });
      for (const image of built) images.set(image.service, { ref: image.ref, key: buildKey(app, app.services.find((s) => s.name === image.service)!) });
      const refs = Object.fromEntries([...images].map(([service, image]) => [service, image.ref]));
      const rebuilt = opts.build === false ? [] : toBuild;
      const fresh = built.filter((image) => image.built).map((image) => image.service);
      const workflow = usesWorkflow(app);
      const changes = opts.output ? await toFolder(app, loaded.loaded, refs) : workflow ? await toClusters(loaded, refs) : await toCluster(app, loaded.loaded, refs);
      last = { app, workflow, images: opts.build === false ? new Map() : images };
      delivered++;
      opts.onEvent({ kind: 'delivered', cycle: n, trigger, rebuilt, built: fresh, changes: changes.changes, warnings: [...loaded.warnings, ...changes.warnings], ms: ms(), target: changes.target });
    } catch (err) {
      if (err instanceof DiagnosticError && err.exitCode === 1) return opts.onEvent({ kind: 'invalid', cycle: n, trigger, diagnostics: err.diagnostics, ms: ms() });
      if ((err as Error).name === 'AbortError' && signal.aborted) return;
      return opts.onEvent({ kind: 'failed', cycle: n, trigger, error: err, ms: ms() });
    }
  };

  const toFolder = async (app: AppModel, loaded: LoadedRegistry, refs: Record<string, string>) => {
    const { rendered, warnings } = await renderWithImages(app, loaded.registry, refs, { namespace: opts.namespace ?? app.namespace });
    const output = await outputManifests(rendered, opts.output!);
    const files = output.kind === 'folder' ? output.files.length : 0;
    return { changes: { summary: emptySummary(), objects: [], files }, warnings, target: opts.output!.dir };
  };

  const toCluster = async (app: AppModel, loaded: LoadedRegistry, refs: Record<string, string>) => {
    const cluster = opts.cluster ?? {};
    client ??= await connect({ ...cluster, signal });
    const server = await client.serverVersion();
    const namespace = (await explicitNamespace(cluster)) ?? app.namespace ?? client.target.namespace;
    const { rendered, warnings } = await renderWithImages(app, loaded.registry, refs, { namespace, clusterVersion: toClusterVersion(server) });
    const applied = await applyApp(rendered, {
      ...cluster,
      client,
      signal,
      force: opts.force,
      takeOver: { all: opts.takeOver === true, rules: app.takeOver ?? [] },
      prune: opts.prune,
      timeoutMs: opts.timeoutMs,
      definitionHealth: definitionHealth(),
    });
    const summary = countActions(applied.objects);
    const objects = applied.objects.filter((obj) => obj.action !== 'unchanged').map(deliveredObject);
    if (opts.logs !== false) {
      if (!follower) follower = await followLogs(client, app.name, { signal, onLine: (source, line) => opts.onEvent({ kind: 'log', source, line }) });
      else if (objects.length) await follower.refresh();
    }
    return { changes: { summary, objects }, warnings, target: `${applied.namespace} (context "${applied.context}")` };
  };

  const toClusters = async (loadedApp: LoadedApp, refs: Record<string, string>) => {
    const cluster = opts.cluster ?? {};
    const { deliverWorkflow } = await import('./deliver-workflow.js');
    // The plan's own warnings (a selector matching one cluster less…); the loaded app's are reported by the cycle.
    let planWarnings: Diagnostic[] = [];
    const r = await deliverWorkflow(
      {
        ...opts,
        cluster: { ...cluster, signal },
        images: refs,
        wait: false,
        onPlanned: (warnings) => (planWarnings = warnings.filter((w) => !loadedApp.warnings.includes(w))),
      },
      loadedApp,
    );
    if (r.phase === 'failed' || r.phase === 'terminated') {
      const failed = r.targets.filter((t) => !t.ok);
      const why = failed.length ? failed.map((t) => `cluster ${t.cluster}: ${t.message ?? 'failed'}`).join('; ') : (r.message ?? r.phase);
      throw new DiagnosticError([error(`the workflow of ${r.app} did not succeed: ${why}`, undefined, { code: 'workflow/failed' })], failed.length > 0 && failed.every((t) => t.inputError) ? 1 : 2);
    }
    const summary = emptySummary();
    for (const t of r.targets) for (const [action, count] of Object.entries(t.summary ?? {})) summary[action as ObjectAction] += count;
    const clusters = r.targets.map((t) => ({ cluster: t.cluster, ...(t.namespace !== undefined ? { namespace: t.namespace } : {}), ...(t.summary ? { summary: t.summary } : {}), ok: t.ok, ...(t.message ? { message: t.message } : {}) }));
    // Logs: of the app's pods in the kubeconfig's cluster, when it is one of the targets.
    if (opts.logs !== false && r.targets.some((t) => t.cluster === 'local')) {
      client ??= await connect({ ...cluster, signal });
      if (!follower) follower = await followLogs(client, loadedApp.app.name, { signal, onLine: (source, line) => opts.onEvent({ kind: 'log', source, line }) });
      else await follower.refresh();
    }
    const target = [...new Set(r.targets.map((t) => `${t.cluster}${t.namespace ? `/${t.namespace}` : ''}`))].join(', ');
    return { changes: { summary, objects: [], clusters }, warnings: planWarnings, target };
  };

  // What chokidar watches: decided at its scan, so folders that became inputs since (a new build context, a new
  // definitions folder) are added after each cycle.
  const watchedPaths = () => [...watchRoots(inputs), ...inputs.contexts.map((context) => context.dir)];
  let watch: FileWatch | undefined;
  let watching = new Set<string>();
  const rewatch = () => {
    const added = watchedPaths().filter((path) => !watching.has(path));
    if (added.length) watch?.add(added);
    watching = new Set(watchedPaths());
  };

  // Changes gathered while a cycle runs go into the next one.
  let pending: string[] = [];
  let running: Promise<void> | undefined;
  const schedule = (paths: readonly string[]) => {
    pending.push(...paths);
    if (running || signal.aborted) return;
    running = (async () => {
      while (pending.length && !signal.aborted) {
        const batch = [...new Set(pending)].sort();
        pending = [];
        await cycle(batch);
        rewatch();
      }
      running = undefined;
    })();
  };

  await cycle([]);
  watching = new Set(watchedPaths());
  watch = await watchFiles([...watching], {
    debounceMs: opts.debounceMs,
    ignored: (path, folder) => !isDevInput(inputs, path, folder),
    onChange: (paths) => {
      const relevant = paths.filter((path) => isDevInput(inputs, path, false));
      if (relevant.length) schedule(relevant);
    },
  });
  await watch.ready;
  opts.onEvent({ kind: 'watching', roots: watchRoots(inputs) });
  try {
    await new Promise<void>((stop) => (signal.aborted ? stop() : signal.addEventListener('abort', () => stop(), { once: true })));
  } finally {
    await watch.close();
    await running?.catch(() => undefined);
    follower?.stop();
    await follower?.done.catch(() => undefined);
  }
  let cleanup: DeleteResult | undefined;
  try {
    if (opts.cleanup && last?.workflow) {
      // Every cluster the workflow's state names, then the state (as `vela delete`).
      const { deleteEverywhere } = await import('./cluster-targets.js');
      // The state is beside the app's inventory in the local cluster: in the namespace the app was delivered with.
      const namespace = (await explicitNamespace(opts.cluster ?? {})) ?? (last.app.baseServices ? last.app.baseNamespace : last.app.namespace);
      const everywhere = await deleteEverywhere({ app: last.app.name, cwd }, { ...opts.cluster, ...(namespace !== undefined ? { namespace } : {}), signal: undefined }, { timeoutMs: opts.timeoutMs });
      for (const t of everywhere ?? []) if (t.result) opts.onEvent({ kind: 'cleanup', result: t.result });
      cleanup = everywhere?.find((t) => t.result)?.result;
    } else if (opts.cleanup && client && last) {
      const namespace = (await explicitNamespace(opts.cluster ?? {})) ?? last.app.namespace ?? client.target.namespace;
      // Ctrl-C has aborted the watch's signal: the deletion gets one of its own (bounded by its timeout).
      cleanup = await deleteApp(last.app.name, { ...opts.cluster, namespace, client: undefined, signal: undefined, timeoutMs: opts.timeoutMs });
      opts.onEvent({ kind: 'cleanup', result: cleanup });
    }
  } finally {
    client?.close();
  }
  return { cycles, delivered, ...(cleanup && { cleanup }) };
}

