/**
 * `vela dry-run` (and the last step of `vela up --output`): render the app
 * without a cluster and without Docker. Services with a `build` section get
 * the image reference their build would produce (the computed tag); nothing
 * is built.
 */
import { DiagnosticError, type Diagnostic } from '../source/index.js';
import { DEFAULT_CLUSTER_VERSION, type ClusterVersion, type RenderedApp, type RenderOptions } from '../render/index.js';
import type { AppModel } from '../appfile/index.js';
import type { DefinitionRegistry } from '../capability/index.js';
import { formatNote, loadApp, type LoadAppOptions } from './load-app.js';
import { needsClientRender } from './needs-client-render.js';
import { nodeFileSystem, type FileSystem } from '../host/index.js';
import { pinnedImages } from './build-artifacts.js';
import { outputManifests, type ManifestOutput, type ManifestOutputOptions } from './manifest-output.js';
import { renderObserving, type Observer } from './observe.js';

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
  /** With `-v`: how the file's format was decided, when it was guessed. */
  readonly formatNote?: string;
  /** Services whose image came from a build-artifacts file, and which file. */
  readonly pinned: readonly { service: string; image: string; from: string }[];
  readonly warnings: readonly Diagnostic[];
  /** What became of the manifests, with `output`. */
  readonly output?: ManifestOutput;
}

export async function dryRun(opts: DryRunOptions & { output: ManifestOutputOptions }): Promise<DryRunResult & { output: ManifestOutput }>;
export async function dryRun(opts: DryRunOptions): Promise<DryRunResult>;
export async function dryRun(opts: DryRunOptions): Promise<DryRunResult> {
  const env = opts.envName === undefined ? undefined : await environmentNamed(opts.envName, opts);
  const { app, loaded, warnings, detected } = await loadApp(opts);
  const note = formatNote(app.file.name, detected);
  const pinned = await pinnedImages(app, { cwd: opts.cwd, fs: opts.fs ?? nodeFileSystem, ...(opts.buildArtifacts !== undefined ? { file: opts.buildArtifacts } : {}) });
  const r = await renderWithImages(app, loaded.registry, { ...pinned.images, ...opts.images }, { namespace: opts.namespace ?? env?.namespace, clusterVersion: opts.clusterVersion, renderCharts: opts.renderCharts, ...(opts.fs ? { fs: opts.fs } : {}) });
  const target = opts.output && env && opts.output.folder === undefined ? { ...opts.output, folder: env.name } : opts.output;
  const output = target && (await outputManifests(r.rendered, { clusterVersion: opts.clusterVersion ?? DEFAULT_CLUSTER_VERSION, ...target }));
  const pins = pinned.file === undefined ? [] : Object.entries(pinned.images).map(([service, image]) => ({ service, image, from: pinned.file! }));
  return { rendered: r.rendered, appfile: app.file.name, unbuilt: r.unbuilt, pinned: pins, ...(note ? { formatNote: note } : {}), warnings: [...warnings, ...pinned.warnings, ...r.warnings], ...(output && { output }) };
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
