/**
 * `vela dry-run` (and the last step of `vela up --output`): render the app
 * without a cluster and without Docker. Services with a `build` section get
 * the image reference their build would produce (the computed tag); nothing
 * is built.
 */
import { DiagnosticError } from '../source/diagnostic.js';
import { renderApp, type ClusterVersion, type RenderedApp } from '../render/index.js';
import { loadApp, type LoadAppOptions } from './load-app.js';
import type { Diagnostic } from '../source/diagnostic.js';

export interface DryRunOptions extends LoadAppOptions {
  /** `-n`: overrides the Appfile's namespace. */
  namespace?: string;
  clusterVersion?: ClusterVersion;
  /** Image references of services already built (from `vela build`/`up`); others get the computed tag. */
  images?: Readonly<Record<string, string>>;
}

export interface DryRunResult {
  readonly rendered: RenderedApp;
  /** The Appfile as shown in messages. */
  readonly appfile: string;
  /** Services whose image is the computed (not built) tag. */
  readonly unbuilt: readonly { service: string; image: string }[];
  readonly warnings: readonly Diagnostic[];
}

export async function dryRun(opts: DryRunOptions): Promise<DryRunResult> {
  const { app, loaded, warnings } = await loadApp(opts);
  const images: Record<string, string> = { ...opts.images };
  const unbuilt: { service: string; image: string }[] = [];
  const toPlan = app.services.filter((s) => s.build && images[s.name] === undefined);
  if (toPlan.length) {
    // Lazy: the build module is only needed when the Appfile has build sections.
    const { planBuilds } = await import('../build/plan.js');
    const plans = await planBuilds(app, { only: toPlan.map((s) => s.name) });
    for (const p of plans) {
      images[p.service] = p.ref;
      unbuilt.push({ service: p.service, image: p.ref });
    }
  }
  const r = renderApp(app, loaded.registry, { namespace: opts.namespace, images, clusterVersion: opts.clusterVersion });
  if (!r.app) throw new DiagnosticError(r.diagnostics);
  return { rendered: r.app, appfile: app.file.name, unbuilt, warnings };
}

