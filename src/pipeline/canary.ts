/**
 * `vela canary status|promote|abort`: which namespace (and app) a command
 * means, then one call into the deploy module. The Appfile in the folder (or
 * `-f`), when there is one, names the app and its namespace, as for `vela
 * status`; without one, the service's name and the cluster options suffice:
 * what is stable is read from the cluster, not from the Appfile.
 */
import { abortCanary, canaryStatus, promoteCanary, type CanaryMove, type CanaryStatus, type ClusterOptions } from '../deploy/index.js';
import { DiagnosticError } from '../source/index.js';
import { explicitNamespace } from './deliver.js';
import { loadApp } from './load-app.js';

export type { CanaryMove, CanaryStatus, CanaryTrack, CanaryRouting } from '../deploy/index.js';

export interface CanaryRef {
  readonly cwd: string;
  /** `-f`: the Appfile naming the app. */
  readonly file?: string;
}

export interface CanaryMoveFlags {
  readonly wait?: boolean;
  readonly timeoutMs?: number;
  readonly pollIntervalMs?: number;
}

/** The app and cluster options: the Appfile's name and namespace when it is found (and -n or an environment do not say otherwise). */
async function resolveCanaryTarget(ref: CanaryRef, cluster: ClusterOptions): Promise<{ app?: string; cluster: ClusterOptions }> {
  let app;
  try {
    ({ app } = await loadApp({ cwd: ref.cwd, file: ref.file }));
  } catch (err) {
    // No Appfile here: the cluster options alone say where the service is.
    if (ref.file === undefined && err instanceof DiagnosticError && err.diagnostics.some((d) => d.code === 'appfile/not-found')) return { cluster };
    throw err;
  }
  const explicit = await explicitNamespace(cluster);
  return { app: app.name, cluster: explicit === undefined && app.namespace ? { ...cluster, namespace: app.namespace } : cluster };
}

/** `vela canary status [SERVICE]`. */
export async function canaryStatusOf(service: string | undefined, ref: CanaryRef, cluster: ClusterOptions): Promise<{ namespace: string; app?: string; canaries: CanaryStatus[] }> {
  const target = await resolveCanaryTarget(ref, cluster);
  const r = await canaryStatus(service, { ...target.cluster, app: target.app });
  return { namespace: r.namespace, ...(target.app && { app: target.app }), canaries: r.canaries };
}

/** `vela canary promote SERVICE`. */
export async function promote(service: string, ref: CanaryRef, cluster: ClusterOptions, flags: CanaryMoveFlags = {}): Promise<CanaryMove> {
  const target = await resolveCanaryTarget(ref, cluster);
  return promoteCanary(service, { ...target.cluster, app: target.app, ...flags });
}

/** `vela canary abort SERVICE`. */
export async function abort(service: string, ref: CanaryRef, cluster: ClusterOptions, flags: CanaryMoveFlags = {}): Promise<CanaryMove> {
  const target = await resolveCanaryTarget(ref, cluster);
  return abortCanary(service, { ...target.cluster, app: target.app, ...flags });
}
