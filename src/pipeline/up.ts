/**
 * `vela up`: build and push the images of services with a build section,
 * render, then deliver: to a folder (`--output DIR`) or to the cluster.
 */
import type { Diagnostic } from '../source/index.js';
import type { AppModel } from '../appfile/index.js';
import type { ClusterVersion, RenderedApp } from '../render/index.js';
import { renderWithImages } from './dry-run.js';
import type { Reporter } from '../host/index.js';
import { loadApp, type LoadAppOptions } from './load-app.js';
import { buildImages, type BuiltImage } from './build.js';
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
  /** Reads what templates `observe` (the cluster delivered to); without it, nothing is found. */
  observer?: Observer;
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
  const refs = Object.fromEntries(images.map((i) => [i.service, i.ref]));
  const { rendered, warnings: renderWarnings } = await renderWithImages(app, loaded.registry, refs, {
    namespace: opts.namespace ?? app.namespace ?? opts.defaultNamespace,
    clusterVersion: opts.clusterVersion,
    observer: opts.observer,
  });
  return { model: app, rendered, images, warnings: [...warnings, ...renderWarnings] };
}

/** `vela up --output DIR`: build, render, then write the manifests into the folder. */
export async function upToFolder(opts: RenderForUpOptions & { output: ManifestOutputOptions & { dir: string } }): Promise<RenderedForUp & { output: ManifestOutput }> {
  const r = await buildAndRender(opts);
  return { ...r, output: await outputManifests(r.rendered, opts.output) };
}
