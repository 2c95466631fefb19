/**
 * Where rendered manifests go when no cluster is involved (`vela dry-run`,
 * `vela up --output DIR`): into a folder, one file per object
 * (write-manifests.ts), or as one text for stdout. Either way the manifests are
 * complete, and checked as the API server would check them
 * (check-manifests.ts), before anything is written.
 */
import { nodeFileSystem, type FileSystem } from '../host/index.js';
import { DEFAULT_CLUSTER_VERSION, manifestsToJson, manifestsToYaml, type ClusterVersion, type RenderedApp } from '../render/index.js';
import { checkManifests } from './check-manifests.js';
import { writeManifests, type WrittenManifests } from './write-manifests.js';

export type ManifestFormat = 'yaml' | 'json';

export interface ManifestOutputOptions {
  readonly format: ManifestFormat;
  /** Write one file per object into this folder instead of returning the text. */
  readonly dir?: string;
  readonly fs?: FileSystem;
  /** The version the manifests were rendered for (default: render's default), for the checks that depend on it. */
  readonly clusterVersion?: ClusterVersion;
}

export type ManifestOutput =
  /** Multi-document YAML, or a JSON `List`, for stdout. */
  | { readonly kind: 'text'; readonly text: string }
  | ({ readonly kind: 'folder' } & WrittenManifests);

export async function outputManifests(rendered: RenderedApp, opts: ManifestOutputOptions): Promise<ManifestOutput> {
  // Rendered for the default version when none was given (render-app.ts): checked for the same.
  await checkManifests(rendered.manifests, { clusterVersion: opts.clusterVersion ?? DEFAULT_CLUSTER_VERSION });
  if (opts.dir === undefined) {
    return { kind: 'text', text: opts.format === 'json' ? manifestsToJson(rendered.manifests) : manifestsToYaml(rendered.manifests) };
  }
  const written = await writeManifests(opts.dir, rendered.name, rendered.manifests, opts.format, opts.fs ?? nodeFileSystem);
  return { kind: 'folder', ...written };
}
