/**
 * `vela up`: build and push the images of services with a build section,
 * render, then deliver: to a folder (`--output DIR`) or to the cluster.
 */
import type { Diagnostic } from '../source/index.js';
import type { AppModel } from '../appfile/index.js';
import type { ClusterVersion, RenderedApp } from '../render/index.js';
import { dryRun, renderWithImages, type DryRunResult } from './dry-run.js';
import { usesWorkflow } from './plan-app-delivery.js';
import type { Reporter } from '../host/index.js';
import { loadApp, type LoadAppOptions } from './load-app.js';
import { buildImages, recordBuilds, type BuiltImage } from './build.js';
import type { ClusterOptions } from '../deploy/index.js';
import { explicitNamespace } from './target-namespace.js';
import { outputManifests, type ManifestOutputOptions, type ManifestOutput } from './manifest-output.js';
import type { Observer } from './observe.js';

export interface RenderForUpOptions extends LoadAppOptions {
  /** The target namespace, overriding the Appfile's. */
  namespace?: string;
  /** The namespace when neither `namespace` nor the Appfile names one (e.g. the kubeconfig context's). */
  defaultNamespace?: string;
  /** `context.clusterVersion` for the templates (from the cluster when delivering to one). */
  clusterVersion?: ClusterVersion;
  /** Build and push images first (default true). */
  build?: boolean;
  push?: boolean;
  reporter?: Reporter;
  /** `--render-charts`: Flux HelmReleases rendered on the client with `helm template`. */
  renderCharts?: boolean;
  /** Reads what templates `observe` (the cluster delivered to); without it, nothing is found. */
  observer?: Observer;
  /** `--file-output FILE`: where the build artifacts of the images built go (default `.vela/images.json` beside the Appfile). */
  fileOutput?: string;
  /** Runs the image builds (e.g. with a run's deadline paused: builds are bounded by Docker, not --timeout). */
  aroundBuild?: <T>(build: () => Promise<T>) => Promise<T>;
}

export interface RenderedForUp {
  /** The resolved app (its take-over policies go to delivery). */
  readonly model: AppModel;
  readonly rendered: RenderedApp;
  readonly images: readonly BuiltImage[];
  readonly warnings: readonly Diagnostic[];
}

/** The steps of `up` before delivery: load, build, render. Nothing is written. */
export async function buildAndRender(opts: RenderForUpOptions): Promise<RenderedForUp> {
  const { app, loaded, warnings } = await loadApp(opts);
  const build = () => buildImages(app, { push: opts.push ?? true, reporter: opts.reporter });
  const images = opts.build === false ? [] : opts.aroundBuild ? await opts.aroundBuild(build) : await build();
  await recordBuiltImages(app, images, opts);
  const refs = Object.fromEntries(images.map((i) => [i.service, i.ref]));
  const { rendered, warnings: renderWarnings } = await renderWithImages(app, loaded.registry, refs, {
    namespace: opts.namespace ?? app.namespace ?? opts.defaultNamespace,
    clusterVersion: opts.clusterVersion,
    renderCharts: opts.renderCharts,
    observer: opts.observer,
  });
  return { model: app, rendered, images, warnings: [...warnings, ...renderWarnings] };
}

/** As `vela build` does: what was built is recorded (build-artifacts.ts), and the reporter says where. */
export async function recordBuiltImages(app: AppModel, images: readonly BuiltImage[], opts: Pick<RenderForUpOptions, 'cwd' | 'fileOutput' | 'fs' | 'reporter'>): Promise<void> {
  const written = await recordBuilds(app, images, opts);
  if (written !== undefined) opts.reporter?.info(`wrote the build artifacts to ${written}`);
}

/**
 * `vela up --output DIR`: build, render, then write the manifests into the folder (one folder per cluster for an
 * app with policies or a workflow). With `cluster` (the cluster flags), `-n` and `--env` choose the namespace as they
 * do for the cluster, and an unknown environment is an error.
 */
export async function upToFolder(opts: RenderForUpOptions & { output: ManifestOutputOptions & { dir: string }; cluster?: ClusterOptions }): Promise<RenderedForUp & { output: ManifestOutput; clusters?: DryRunResult['clusters'] }> {
  const namespace = opts.namespace ?? (opts.cluster ? await explicitNamespace(opts.cluster) : undefined);
  const r = await buildAndRender({ ...opts, ...(namespace !== undefined ? { namespace } : {}) });
  if (usesWorkflow(r.model)) {
    // One folder per cluster, with the images just built.
    const images = Object.fromEntries(r.images.map((i) => [i.service, i.ref]));
    const perCluster = await dryRun({ ...opts, images, output: opts.output });
    return { ...r, warnings: perCluster.warnings, output: perCluster.output, ...(perCluster.clusters ? { clusters: perCluster.clusters } : {}) };
  }
  return { ...r, output: await outputManifests(r.rendered, opts.output) };
}
