/**
 * `vela export --gitops DIR` (and `vela dry-run --output DIR --layout
 * gitops`): the manifests of one app for one environment in `DIR/<folder>/`,
 * one file per object under a stable name (`<kind>-<name>.yaml`, no apply-order
 * number, so adding an object renames nothing), and a `kustomization.yaml`
 * listing them in apply order, ready for Flux or Argo CD. A file is written
 * only when its text changed, so a re-run leaves an unchanged folder untouched
 * (and a git diff shows only real changes); files of objects that left are
 * removed. What vela wrote is remembered in the folder's `.vela-output.json`;
 * nothing else in the folder is touched.
 *
 * An app delivered to several clusters (topology policies, a workflow) gets a
 * folder per cluster inside the environment's (`DIR/<env>/<cluster>/`), each
 * its own kustomization (a Flux Kustomization or Argo CD Application points
 * at one cluster's folder). The environment's index lists the clusters, so a
 * cluster that left the app has its files removed like an object that left,
 * and a folder that changes between the two shapes is cleaned of the other.
 */
import { join } from 'node:path';
import { originComment, toYaml, type Manifest } from '../render/index.js';
import { nodeFileSystem, type FileSystem } from '../host/index.js';
import { DiagnosticError, error } from '../source/index.js';
import { OUTPUT_INDEX, type WrittenManifests } from './write-manifests.js';

export const KUSTOMIZATION = 'kustomization.yaml';

export interface WrittenGitops extends WrittenManifests {
  /** The environment's folder inside DIR. */
  readonly folder: string;
  /** Files whose text changed (or that are new), the kustomization included. */
  readonly changed: readonly string[];
}

export async function writeGitops(
  dir: string,
  folder: string,
  app: string,
  manifests: readonly Manifest[],
  format: 'yaml' | 'json' = 'yaml',
  fs: FileSystem = nodeFileSystem,
): Promise<WrittenGitops> {
  const target = join(dir, folder);
  const previousClusters = (await readIndex(fs, target, app)).clusters;
  const leftClusters: string[] = [];
  for (const cluster of previousClusters) leftClusters.push(...(await removeGitops(fs, join(target, cluster), app)).map((f) => `${cluster}/${f}`));
  const written = await writeFolder(target, app, manifests, format, fs);
  return { ...written, folder, removed: [...leftClusters, ...written.removed] };
}

export interface WrittenGitopsClusters {
  /** The environment's folder inside DIR. */
  readonly dir: string;
  readonly folder: string;
  /** Per cluster, in the order given: what its folder got. */
  readonly clusters: readonly { readonly cluster: string; readonly written: WrittenGitops }[];
  /** Files removed, relative to the environment's folder (`<cluster>/<file>`, or a file of the single-cluster shape). */
  readonly removed: readonly string[];
}

/** The multi-cluster shape: `DIR/<folder>/<cluster>/`, one gitops folder per cluster the app is delivered to. */
export async function writeGitopsClusters(
  dir: string,
  folder: string,
  app: string,
  perCluster: readonly { readonly cluster: string; readonly manifests: readonly Manifest[] }[],
  format: 'yaml' | 'json' = 'yaml',
  fs: FileSystem = nodeFileSystem,
): Promise<WrittenGitopsClusters> {
  const target = join(dir, folder);
  const previous = await readIndex(fs, target, app);
  const now = new Set(perCluster.map((c) => c.cluster));
  // Every folder is this app's (or new) before any is written: a refusal leaves nothing half-written.
  for (const cluster of new Set([...now, ...previous.clusters])) await readIndex(fs, join(target, cluster), app);
  const clusters = [];
  for (const { cluster, manifests } of perCluster) {
    const written = await writeFolder(join(target, cluster), app, manifests, format, fs);
    clusters.push({ cluster, written: { ...written, folder: `${folder}/${cluster}` } });
  }
  const removed: string[] = [];
  for (const cluster of previous.clusters.filter((c) => !now.has(c))) removed.push(...(await removeGitops(fs, join(target, cluster), app)).map((f) => `${cluster}/${f}`));
  // The single-cluster shape's files, from an export before the app had policies.
  for (const f of previous.files) {
    await fs.remove(join(target, f));
    removed.push(f);
  }
  for (const c of clusters) removed.push(...c.written.removed.map((f) => `${c.cluster}/${f}`));
  await writeIndex(fs, target, { app, layout: 'gitops', clusters: perCluster.map((c) => c.cluster) });
  return { dir: target, folder, clusters, removed };
}

/** One folder's objects and kustomization.yaml; the folder must be this app's (or new). */
async function writeFolder(target: string, app: string, manifests: readonly Manifest[], format: 'yaml' | 'json', fs: FileSystem): Promise<Omit<WrittenGitops, 'folder'>> {
  const names = gitopsFileNames(manifests, format);
  const texts = manifests.map((m) => (format === 'json' ? JSON.stringify(m.object, null, 2) + '\n' : `# ${originComment(m)}\n${toYaml(m.object)}`));
  const kustomization = `# written by vela for app ${app}; vela rewrites this folder's files it lists\n${toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: names })}`;
  const previous = (await readIndex(fs, target, app)).files;
  const files = [...names, KUSTOMIZATION];
  const wanted = [...texts, kustomization];
  const changed: string[] = [];
  for (let i = 0; i < files.length; i++) {
    const path = join(target, files[i]!);
    const old = (await fs.stat(path))?.kind === 'file' ? await fs.readText(path) : undefined;
    if (old === wanted[i]) continue;
    await fs.writeFileAtomic(path, wanted[i]!);
    changed.push(files[i]!);
  }
  const keep = new Set(files);
  const removed = previous.filter((f) => !keep.has(f));
  for (const f of removed) await fs.remove(join(target, f));
  await writeIndex(fs, target, { app, layout: 'gitops', files });
  return { dir: target, files: names, removed, changed };
}

/** The files vela wrote into a folder, and its index, removed; other files stay. Returns the names removed. */
async function removeGitops(fs: FileSystem, target: string, app: string): Promise<string[]> {
  const { files, clusters } = await readIndex(fs, target, app);
  if (clusters.length) throw refuse(`${target} holds an export per cluster, not one cluster's`, 'remove the folder, then export again');
  for (const f of files) await fs.remove(join(target, f));
  // The folder itself stays, empty unless someone put files there: git does not track an empty folder.
  await fs.remove(join(target, OUTPUT_INDEX));
  return files;
}

async function writeIndex(fs: FileSystem, target: string, index: object): Promise<void> {
  const text = JSON.stringify(index, null, 2) + '\n';
  const path = join(target, OUTPUT_INDEX);
  if ((await fs.stat(path))?.kind !== 'file' || (await fs.readText(path)) !== text) await fs.writeFileAtomic(path, text);
}

const safeName = (f: unknown): f is string => typeof f === 'string' && f !== '' && !f.includes('/') && !f.includes('\\') && !f.startsWith('.');

/**
 * What vela wrote into the folder before (its files, or its cluster folders);
 * a folder of another app is refused (two apps would fight over kustomization.yaml).
 */
async function readIndex(fs: FileSystem, target: string, app: string): Promise<{ files: string[]; clusters: string[] }> {
  const path = join(target, OUTPUT_INDEX);
  if ((await fs.stat(path))?.kind !== 'file') {
    if ((await fs.stat(join(target, KUSTOMIZATION)))?.kind === 'file') {
      throw refuse(`${target} has a ${KUSTOMIZATION} that vela did not write`, 'export into an empty folder, or remove that kustomization.yaml');
    }
    return { files: [], clusters: [] };
  }
  let index: { app?: unknown; files?: unknown; clusters?: unknown };
  try {
    index = JSON.parse(await fs.readText(path)) as typeof index;
  } catch {
    throw refuse(`${path} is not vela's index (not JSON)`, 'remove it, and the files of the last export, then export again');
  }
  if (index.app !== app) {
    throw refuse(`${target} holds the export of app ${JSON.stringify(index.app)}, not ${app}`, 'give each app its own folder (e.g. --gitops deploy/<app>)');
  }
  return { files: Array.isArray(index.files) ? index.files.filter(safeName) : [], clusters: Array.isArray(index.clusters) ? index.clusters.filter(safeName) : [] };
}

function refuse(message: string, hint: string): DiagnosticError {
  return new DiagnosticError([error(message, undefined, { code: 'output/gitops', hint })]);
}

function slug(s: unknown): string {
  return String(s ?? '').toLowerCase().replace(/[^a-z0-9.-]+/g, '-');
}

/**
 * `<kind>-<name>.<ext>`; where two objects would share that, the namespace and
 * then the API group are added, for those objects only. The name follows the
 * object, not its position, so it stays when others come and go.
 */
export function gitopsFileNames(ms: readonly Manifest[], ext: 'yaml' | 'json' = 'yaml'): string[] {
  const meta = (m: Manifest) => (m.object.metadata ?? {}) as { name?: unknown; namespace?: unknown };
  const group = (m: Manifest) => String(m.object.apiVersion ?? '').split('/').slice(0, -1).join('.') || 'core';
  const levels = [
    (m: Manifest) => `${slug(m.object.kind)}-${slug(meta(m).name)}`,
    (m: Manifest) => `${slug(m.object.kind)}-${slug(meta(m).namespace ?? 'cluster')}-${slug(meta(m).name)}`,
    (m: Manifest) => `${slug(m.object.kind)}.${slug(group(m))}-${slug(meta(m).namespace ?? 'cluster')}-${slug(meta(m).name)}`,
  ];
  const names = ms.map((m) => levels[0]!(m));
  for (let level = 1; level < levels.length; level++) {
    const counts = new Map<string, number>();
    for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
    ms.forEach((m, i) => {
      if (counts.get(names[i]!)! > 1) names[i] = levels[level]!(m);
    });
  }
  return names.map((n) => `${n}.${ext}`);
}
