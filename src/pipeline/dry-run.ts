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
import { loadApp, type LoadAppOptions } from './load-app.js';
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
}

export interface DryRunResult {
  readonly rendered: RenderedApp;
  /** The Appfile as shown in messages. */
  readonly appfile: string;
  /** Services whose image is the computed (not built) tag. */
  readonly unbuilt: readonly { service: string; image: string }[];
  readonly warnings: readonly Diagnostic[];
  /** What became of the manifests, with `output`. */
  readonly output?: ManifestOutput;
}

export async function dryRun(opts: DryRunOptions & { output: ManifestOutputOptions }): Promise<DryRunResult & { output: ManifestOutput }>;
export async function dryRun(opts: DryRunOptions): Promise<DryRunResult>;
export async function dryRun(opts: DryRunOptions): Promise<DryRunResult> {
  const { app, loaded, warnings } = await loadApp(opts);
  const r = await renderWithImages(app, loaded.registry, opts.images ?? {}, { namespace: opts.namespace, clusterVersion: opts.clusterVersion });
  const output = opts.output && (await outputManifests(r.rendered, { clusterVersion: opts.clusterVersion ?? DEFAULT_CLUSTER_VERSION, ...opts.output }));
  return { rendered: r.rendered, appfile: app.file.name, unbuilt: r.unbuilt, warnings: [...warnings, ...r.warnings], ...(output && { output }) };
}

/**
 * Renders a loaded app. Services with a build section whose image is not in
 * `images` (not built in this run) get the reference their build would produce.
 */
export async function renderWithImages(
  app: AppModel,
  registry: DefinitionRegistry,
  images: Readonly<Record<string, string>>,
  opts: Pick<RenderOptions, 'namespace' | 'clusterVersion'> & { observer?: Observer },
): Promise<{ rendered: RenderedApp; unbuilt: { service: string; image: string }[]; warnings: Diagnostic[] }> {
  const refs: Record<string, string> = { ...images };
  const unbuilt: { service: string; image: string }[] = [];
  const toPlan = app.services.filter((s) => s.build && refs[s.name] === undefined);
  if (toPlan.length) {
    // Lazy: the build module is only needed when the Appfile has build sections.
    const { planBuilds } = await import('../image/index.js');
    for (const p of await planBuilds(app, { only: toPlan.map((s) => s.name) })) {
      refs[p.service] = p.ref;
      unbuilt.push({ service: p.service, image: p.ref });
    }
  }
  // What templates `observe` is read through the observer (a connected cluster), if any.
  const { observer, ...renderOpts } = opts;
  const r = await renderObserving(app, registry, { ...renderOpts, images: refs }, observer);
  if (!r.app) throw new DiagnosticError(r.diagnostics);
  // Templates' `warnings` (and other non-fatal findings) travel with the result.
  return { rendered: r.app, unbuilt, warnings: r.diagnostics.filter((d) => d.severity === 'warning') };
}
