/**
 * Whether an app has anything to render on the client (client-render.ts),
 * kept apart so that every render can ask without loading the YAML parser,
 * execa and the rest of client rendering.
 */
import type { JsonObject } from '../appfile/index.js';
import type { RenderedApp } from '../render/index.js';

/** A kustomization file as an object: built on the client, never sent to a cluster. */
export const isKustomization = (o: JsonObject): boolean => o.apiVersion === 'kustomize.config.k8s.io/v1beta1' && o.kind === 'Kustomization';

export const isHelmRelease = (o: JsonObject): boolean => typeof o.apiVersion === 'string' && o.apiVersion.startsWith('helm.toolkit.fluxcd.io/') && o.kind === 'HelmRelease';

export function needsClientRender(app: RenderedApp, renderCharts: boolean): boolean {
  return app.manifests.some((m) => isKustomization(m.object) || (renderCharts && isHelmRelease(m.object)));
}
