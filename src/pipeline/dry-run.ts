/**
 * `vela dry-run` (and the last step of `vela up --output`): render the app
 * without a cluster and without Docker. Services with a `build` section get
 * the image reference their build would produce (the computed tag); nothing
 * is built.
 */
import { join } from 'node:path';
import { DiagnosticError, type Diagnostic } from '../source/index.js';
import { DEFAULT_CLUSTER_VERSION, type ClusterVersion, type Manifest, type RenderedApp, type RenderOptions } from '../render/index.js';
import type { AppModel } from '../appfile/index.js';
import type { DefinitionRegistry } from '../capability/index.js';
import { loadApp, type LoadAppOptions, type LoadedApp } from './load-app.js';
import { needsClientRender } from './needs-client-render.js';
import { nodeFileSystem, type FileSystem } from '../host/index.js';
import { pinnedImages } from './build-artifacts.js';
import { deliveringSteps } from '../workflow/index.js';
import { directoryFor } from './clusters.js';
import { planAppDelivery, usesWorkflow } from './plan-app-delivery.js';
import { outputManifests, type ManifestOutput, type ManifestOutputOptions } from './manifest-output.js';
import { renderObserving, type Observer } from './observe.js';
import { checkManifests } from './check-manifests.js';
import { writeGitopsClusters } from './write-gitops.js';

export interface DryRunOptions extends LoadAppOptions {
  /** `-n`: overrides the Appfile's namespace. */
  namespace?: string;
  clusterVersion?: ClusterVersion;
  /** Image references of services already built (from `vela build`/`up`); others get the computed tag. */
  images?: Readonly<Record<string, string>>;
  /** Where the result goes (stdout text or a folder); without it, it is only returned. */
  output?: ManifestOutputOptions;
  /** `--build-artifacts FILE`: pin the images it names (build-artifacts.ts); without it `.vela/images.json` is used where it matches. */
  buildArtifacts?: string;
  /** `--env NAME`: render into that vela environment's namespace (unless `namespace`); a gitops folder is named after it. */
  envName?: string;
  /** `--render-charts`: Flux HelmReleases rendered on the client with `helm template` (client-render.ts). */
  renderCharts?: boolean;
}

export interface DryRunResult {
  readonly rendered: RenderedApp;
  /** The Appfile as shown in messages. */
  readonly appfile: string;
  /** Services whose image is the computed (not built) tag. */
  readonly unbuilt: readonly { service: string; image: string }[];
  /** Services whose image came from a build-artifacts file, and which file. */
  readonly pinned: readonly { service: string; image: string; from: string }[];
  readonly warnings: readonly Diagnostic[];
  /** What became of the manifests, with `output`. */
  readonly output?: ManifestOutput;
  /** An app with policies or a workflow, with `output.dir`: one folder per cluster it is delivered to (`DIR/CLUSTER`). */
  readonly clusters?: readonly { readonly cluster: string; readonly output: ManifestOutput }[];
}

export async function dryRun(opts: DryRunOptions & { output: ManifestOutputOptions }): Promise<DryRunResult & { output: ManifestOutput }>;
export async function dryRun(opts: DryRunOptions): Promise<DryRunResult>;
export async function dryRun(opts: DryRunOptions): Promise<DryRunResult> {
  const env = opts.envName === undefined ? undefined : await environmentNamed(opts.envName, opts);
  const loadedApp = await loadApp(opts);
  const { app, loaded, warnings } = loadedApp;
  if (opts.output?.dir !== undefined && usesWorkflow(app)) return dryRunPerCluster(loadedApp, opts, opts.output.dir, env);
  const pinned = await pinnedImages(app, { cwd: opts.cwd, fs: opts.fs ?? nodeFileSystem, ...(opts.buildArtifacts !== undefined ? { file: opts.buildArtifacts } : {}) });
  const r = await renderWithImages(app, loaded.registry, { ...pinned.images, ...opts.images }, { namespace: opts.namespace ?? env?.namespace, clusterVersion: opts.clusterVersion, renderCharts: opts.renderCharts, ...(opts.fs ? { fs: opts.fs } : {}) });
  const target = opts.output && env && opts.output.folder === undefined ? { ...opts.output, folder: env.name } : opts.output;
  const output = target && (await outputManifests(r.rendered, { clusterVersion: opts.clusterVersion ?? DEFAULT_CLUSTER_VERSION, ...target }));
  const pins = pinned.file === undefined ? [] : Object.entries(pinned.images).map(([service, image]) => ({ service, image, from: pinned.file! }));
  return { rendered: r.rendered, appfile: app.file.name, unbuilt: r.unbuilt, pinned: pins, warnings: [...warnings, ...pinned.warnings, ...r.warnings], ...(output && { output }) };
}

/**
 * Renders a loaded app. Services with a build section whose image is not in
 * `images` (not built in this run) get the reference their build would produce.
 */
export async function renderWithImages(
  app: AppModel,
  registry: DefinitionRegistry,
  images: Readonly<Record<string, string>>,
  opts: Pick<RenderOptions, 'namespace' | 'clusterVersion'> & { observer?: Observer; fs?: FileSystem; renderCharts?: boolean },
): Promise<{ rendered: RenderedApp; unbuilt: { service: string; image: string }[]; warnings: Diagnostic[] }> {
  const refs: Record<string, string> = { ...images };
  const unbuilt: { service: string; image: string }[] = [];
  const toPlan = app.services.filter((s) => s.build && refs[s.name] === undefined);
  if (toPlan.length) {
    // Lazy: the build module is only needed when the Appfile has build sections.
    const { planBuilds } = await import('../image/index.js');
    for (const p of await planBuilds(app, { only: toPlan.map((s) => s.name) }, opts.fs)) {
      refs[p.service] = p.ref;
      unbuilt.push({ service: p.service, image: p.ref });
    }
  }
  // What templates `observe` is read through the observer (a connected cluster), if any.
  const r = await renderObserving(app, registry, { namespace: opts.namespace, clusterVersion: opts.clusterVersion, images: refs }, opts.observer);
  if (!r.app) throw new DiagnosticError(r.diagnostics);
  // Templates' `warnings` (and other non-fatal findings) travel with the result.
  const warnings = r.diagnostics.filter((d) => d.severity === 'warning');
  // Kustomizations built and (with --render-charts) charts templated on the client; loaded only when there are any.
  if (!needsClientRender(r.app, opts.renderCharts === true)) return { rendered: r.app, unbuilt, warnings };
  const { renderOnClient } = await import('./client-render.js');
  const client = await renderOnClient(r.app, { renderCharts: opts.renderCharts, appDir: app.dir, clusterVersion: opts.clusterVersion });
  return { rendered: client.rendered, unbuilt, warnings: [...warnings, ...client.notes] };
}

/** A vela environment by name (an unknown one is an error); loaded lazily: rendering needs no cluster code. */
async function environmentNamed(name: string, opts: Pick<DryRunOptions, 'fs' | 'environment'>) {
  const { resolveEnv } = await import('../deploy/index.js');
  return resolveEnv(name, { ...(opts.fs ? { fs: opts.fs } : {}), ...(opts.environment ? { env: opts.environment } : {}) });
}

/**
 * `--output DIR` for an app with policies or a workflow: what each cluster
 * gets (every delivering step's targets of that cluster; an object two steps
 * deliver is written as the later one renders it), planned against the
 * cluster registry, in `DIR/CLUSTER`, or with the gitops layout in
 * `DIR/<env>/CLUSTER` with a kustomization.yaml each (write-gitops.ts). The
 * namespace of each target is chosen as `vela up` chooses it, so the preview
 * equals the delivery. Every cluster's manifests are checked before any file
 * is written.
 */
async function dryRunPerCluster(loadedApp: LoadedApp, opts: DryRunOptions, dir: string, env: { name: string; namespace: string } | undefined): Promise<DryRunResult> {
  const { app, loaded, warnings } = loadedApp;
  const environment = opts.environment;
  const directory = await directoryFor({ ...(environment ? { environment } : {}), ...(opts.fs ? { fs: opts.fs } : {}) });
  const { plan, warnings: planWarnings } = planAppDelivery(loadedApp, directory);
  const pinned = await pinnedImages(app, { cwd: opts.cwd, fs: opts.fs ?? nodeFileSystem, ...(opts.buildArtifacts !== undefined ? { file: opts.buildArtifacts } : {}) });
  const images = { ...pinned.images, ...opts.images };
  const explicit = opts.namespace ?? env?.namespace;
  const writtenNs = app.baseServices ? app.baseNamespace : app.namespace;
  const byCluster = new Map<string, Map<string, Manifest>>();
  const all: Diagnostic[] = [...warnings, ...pinned.warnings, ...planWarnings];
  const unbuilt = new Map<string, string>();
  let first: RenderedApp | undefined;
  for (const step of deliveringSteps(plan.steps)) {
    for (const t of step.targets) {
      // As deliver-workflow.ts: a topology's own namespace wins; the app's gives way to -n / --env.
      const namespace = t.target.namespace !== undefined && t.target.namespace !== writtenNs ? t.target.namespace : (explicit ?? t.target.namespace ?? t.app.namespace);
      const r = await renderWithImages(t.app, loaded.registry, images, { namespace, clusterVersion: opts.clusterVersion });
      first ??= r.rendered;
      all.push(...r.warnings);
      for (const u of r.unbuilt) unbuilt.set(u.service, u.image);
      const objects = byCluster.get(t.target.cluster) ?? new Map<string, Manifest>();
      for (const m of r.rendered.manifests) {
        const meta = (m.object.metadata ?? {}) as { name?: string; namespace?: string };
        objects.set(`${String(m.object.apiVersion)}/${String(m.object.kind)}/${meta.namespace ?? ''}/${meta.name ?? ''}`, m);
      }
      byCluster.set(t.target.cluster, objects);
    }
  }
  const rendered = first ?? (await renderWithImages(app, loaded.registry, images, { namespace: explicit, clusterVersion: opts.clusterVersion })).rendered;
  const clusterVersion = opts.clusterVersion ?? DEFAULT_CLUSTER_VERSION;
  const perCluster = [...byCluster].map(([cluster, objects]) => ({ cluster, manifests: [...objects.values()] }));
  for (const c of perCluster) await checkManifests(c.manifests, { clusterVersion });
  const pins = pinned.file === undefined ? [] : Object.entries(pinned.images).map(([service, image]) => ({ service, image, from: pinned.file! }));
  const result = { rendered, appfile: app.file.name, pinned: pins, unbuilt: [...unbuilt].map(([service, image]) => ({ service, image })), warnings: all };
  if (opts.output?.layout === 'gitops') {
    const folder = opts.output.folder ?? env?.name ?? explicit ?? writtenNs ?? 'default';
    const written = await writeGitopsClusters(dir, folder, rendered.name, perCluster, opts.output.format, opts.fs ?? nodeFileSystem);
    const inFolder = (pick: 'files' | 'changed') => written.clusters.flatMap((c) => c.written[pick].map((f) => `${c.cluster}/${f}`));
    const output: ManifestOutput = { kind: 'gitops', dir: written.dir, folder, files: inFolder('files'), changed: inFolder('changed'), removed: written.removed };
    return { ...result, output, clusters: written.clusters.map((c) => ({ cluster: c.cluster, output: { kind: 'gitops', ...c.written } })) };
  }
  const clusters: { cluster: string; output: ManifestOutput }[] = [];
  for (const c of perCluster) {
    clusters.push({ cluster: c.cluster, output: await outputManifests({ ...rendered, manifests: c.manifests }, { clusterVersion, ...opts.output!, dir: join(dir, c.cluster) }) });
  }
  // The whole folder, as one output: every cluster's files under their folder.
  const inFolder = (c: { cluster: string; output: ManifestOutput }, pick: 'files' | 'removed') => (c.output.kind === 'folder' ? c.output[pick].map((f) => `${c.cluster}/${f}`) : []);
  const output: ManifestOutput = { kind: 'folder', dir, files: clusters.flatMap((c) => inFolder(c, 'files')), removed: clusters.flatMap((c) => inFolder(c, 'removed')) };
  return { ...result, output, clusters };
}
