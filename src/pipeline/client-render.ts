/**
 * Rendering on the client what would otherwise be rendered in the cluster,
 * after the templates ran:
 *
 * - a kustomization (an object of `kustomize.config.k8s.io/v1beta1` kind
 *   `Kustomization`, such as the fluxcd addon's `kustomize` component gives
 *   for a local `path`) is never an object for the cluster: it is built with
 *   `kubectl kustomize`, its folders relative to the app's folder, and
 *   replaced by what the build gives. No Flux needed;
 * - with `--render-charts`, each Flux HelmRelease whose chart comes from a
 *   HelmRepository of the app (the built-in `helmchart`, the fluxcd addon's
 *   `helm`) is rendered with `helm template` (its release name, namespace,
 *   chart, version and values) and replaced, with its repository, by the
 *   chart's objects. Values from ConfigMaps or Secrets (valuesFrom) live in
 *   the cluster and cannot be rendered here.
 *
 * The objects made this way carry the service's labels like any other, go to
 * the release's (or the app's) namespace, and are judged healthy by the
 * built-in rules (the definition's health policy was about the Flux objects).
 */
import { delimiter, isAbsolute, join, relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { JsonObject } from '../appfile/index.js';
import { EnvironmentError, makeTempDir, nodeEnvironment, nodeFileSystem, removeTree, writeFileInPlace, type Environment, type FileSystem } from '../host/index.js';
import { finalizeObject, identityOf, isClusterScoped, orderManifests, toYaml, type ClusterVersion, type Manifest, type RenderedApp } from '../render/index.js';
import { DiagnosticError, error, type Diagnostic } from '../source/index.js';

export interface ClientRenderOptions {
  /** `--render-charts`: HelmReleases through `helm template`. */
  readonly renderCharts?: boolean;
  /** The app's folder: a kustomization's folders are relative to it. */
  readonly appDir: string;
  readonly clusterVersion?: ClusterVersion;
  /** PATH, KUBECTL (default: the process's). */
  readonly environment?: Environment;
  readonly fs?: FileSystem;
  readonly signal?: AbortSignal;
}

import { isHelmRelease, isKustomization, needsClientRender } from './needs-client-render.js';

export { needsClientRender };
const obj = (x: unknown): JsonObject => (x !== null && typeof x === 'object' && !Array.isArray(x) ? (x as JsonObject) : {});
const str = (x: unknown): string | undefined => (typeof x === 'string' && x ? x : undefined);
const metaOf = (o: JsonObject) => obj(o.metadata);

/** An executable on PATH (or the one an environment variable names), or undefined. */
export async function findExecutable(name: string, env: Environment, fs: FileSystem, override?: string): Promise<string | undefined> {
  const named = override && env.get(override);
  if (named) return named;
  for (const dir of (env.get('PATH') ?? '').split(delimiter)) {
    if (!dir) continue;
    const path = join(dir, name);
    const info = await fs.stat(path);
    if (info?.kind === 'file' && (info.mode & 0o111) !== 0) return path;
  }
  return undefined;
}

async function run(program: string, args: readonly string[], what: string, signal?: AbortSignal): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  const { execa } = await import('execa');
  try {
    const r = await execa(program, args, { reject: false, timeout: 120_000, cancelSignal: signal, stdin: 'ignore', maxBuffer: 64 * 1024 * 1024 });
    return { ok: r.exitCode === 0 && !r.timedOut, stdout: String(r.stdout), stderr: String(r.stderr) || (r.timedOut ? 'timed out after 120s' : '') };
  } catch (e) {
    throw new EnvironmentError(`cannot run ${program} (${what}): ${(e as Error).message.split('\n')[0]}`, { code: 'client-render/exec' });
  }
}

/** The objects of a YAML stream (a build's output); empty documents and `List`s' items handled. */
function objectsOf(text: string, what: string): JsonObject[] {
  const out: JsonObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) throw new DiagnosticError([error(`${what} printed YAML that does not read: ${doc.errors[0]!.message.split('\n')[0]}`, undefined, { code: 'client-render/output' })]);
    const o = doc.toJS({ maxAliasCount: 100 }) as unknown;
    if (o === null || o === undefined) continue;
    const item = obj(o);
    if (typeof item.kind === 'string' && item.kind.endsWith('List') && Array.isArray(item.items)) out.push(...item.items.map(obj));
    else out.push(item);
  }
  return out;
}

function serviceFailure(m: Manifest, message: string, hint?: string): DiagnosticError {
  return new DiagnosticError([error(message, m.origin.span, { path: `services.${m.origin.service}`, code: 'client-render/failed', ...(hint && { hint }) })]);
}

/** A kustomization → `kubectl kustomize` of a copy whose local folders point at the app's folder. */
async function buildKustomization(m: Manifest, opts: ClientRenderOptions, kubectl: string): Promise<JsonObject[]> {
  const { apiVersion, kind, metadata: _metadata, ...body } = m.object;
  const dir = await makeTempDir('vela-kustomize-');
  // Kustomize takes folders relative to the kustomization (never absolute): the app's folder as seen from the copy.
  const local = (p: unknown) => (typeof p === 'string' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(p) && !p.includes('?ref=') ? relative(dir, isAbsolute(p) ? p : resolve(opts.appDir, p)) : p);
  const rewritten: JsonObject = { apiVersion, kind, ...body };
  for (const key of ['resources', 'bases', 'components']) {
    if (Array.isArray(rewritten[key])) rewritten[key] = (rewritten[key] as unknown[]).map(local) as JsonObject[keyof JsonObject];
  }
  try {
    await writeFileInPlace(join(dir, 'kustomization.yaml'), toYaml(rewritten));
    const r = await run(kubectl, ['kustomize', dir], 'kustomize', opts.signal);
    if (!r.ok) {
      throw serviceFailure(m, `kubectl kustomize of ${m.origin.service} failed: ${r.stderr.trim().split('\n').slice(-3).join(' ').replaceAll(dir, '<kustomization>')}`, 'check the folder and its kustomization.yaml (`kubectl kustomize DIR` shows the same)');
    }
    return objectsOf(r.stdout, 'kubectl kustomize');
  } finally {
    await removeTree(dir);
  }
}

/** A HelmRelease and its HelmRepository → `helm template` arguments. */
function helmTemplateArgs(release: Manifest, manifests: readonly Manifest[], appNamespace: string, valuesFile: string | undefined, clusterVersion: ClusterVersion | undefined): { args: string[]; repository?: Manifest; namespace: string } {
  const spec = obj(release.object.spec);
  const chartSpec = obj(obj(spec.chart).spec);
  const ref = obj(chartSpec.sourceRef);
  const name = str(metaOf(release.object).name)!;
  const ns = str(metaOf(release.object).namespace) ?? appNamespace;
  if (spec.valuesFrom !== undefined) throw serviceFailure(release, `--render-charts: ${name} takes values from ConfigMaps or Secrets (valuesFrom), which are in the cluster`, 'render without --render-charts (Flux reads them), or give the values inline');
  if (ref.kind !== 'HelmRepository') throw serviceFailure(release, `--render-charts: the chart of ${name} comes from a ${String(ref.kind ?? 'missing source')}; only charts from a HelmRepository are rendered on the client`);
  const repository = manifests.find((m) => m.object.kind === 'HelmRepository' && metaOf(m.object).name === ref.name && (str(metaOf(m.object).namespace) ?? appNamespace) === (str(ref.namespace) ?? ns));
  if (!repository) throw serviceFailure(release, `--render-charts: the HelmRepository ${String(ref.name)} of ${name} is not part of the app`);
  const repoSpec = obj(repository.object.spec);
  const url = str(repoSpec.url);
  const chart = str(chartSpec.chart);
  if (!url || !chart) throw serviceFailure(release, `--render-charts: ${name} has no chart or repository URL`);
  const target = str(spec.targetNamespace) ?? ns;
  // Flux's default release name: `[targetNamespace-]name`.
  const releaseName = str(spec.releaseName) ?? (str(spec.targetNamespace) ? `${str(spec.targetNamespace)}-${name}` : name);
  const oci = repoSpec.type === 'oci';
  const args = ['template', releaseName, oci ? `${url.replace(/\/+$/, '')}/${chart}` : chart, '--namespace', target];
  if (!oci) args.push('--repo', url);
  const version = str(chartSpec.version);
  if (version && version !== '*') args.push('--version', version);
  if (obj(spec.install).crds !== 'Skip') args.push('--include-crds');
  if (obj(spec.test).enable !== true) args.push('--skip-tests');
  if (obj(spec.install).disableHooks === true) args.push('--no-hooks');
  if (clusterVersion) args.push('--kube-version', clusterVersion.gitVersion);
  if (valuesFile) args.push('--values', valuesFile);
  return { args, repository, namespace: target };
}

async function templateChart(release: Manifest, app: RenderedApp, opts: ClientRenderOptions, helm: string): Promise<{ objects: JsonObject[]; repository?: Manifest; namespace: string }> {
  const values = obj(release.object.spec).values;
  const dir = await makeTempDir('vela-helm-');
  try {
    const valuesFile = values !== undefined ? join(dir, 'values.yaml') : undefined;
    if (valuesFile) await writeFileInPlace(valuesFile, toYaml(values));
    const { args, repository, namespace } = helmTemplateArgs(release, app.manifests, app.namespace, valuesFile, opts.clusterVersion);
    const r = await run(helm, args, '--render-charts', opts.signal);
    if (!r.ok) throw serviceFailure(release, `helm template of ${release.origin.service} failed: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`, 'check the chart, its version and the repository (helm template shows the same)');
    return { objects: objectsOf(r.stdout, 'helm template'), repository, namespace };
  } finally {
    await removeTree(dir);
  }
}

/** The app with kustomizations built and (with renderCharts) charts templated on the client. */
export async function renderOnClient(app: RenderedApp, opts: ClientRenderOptions): Promise<{ rendered: RenderedApp; notes: Diagnostic[] }> {
  const renderCharts = opts.renderCharts === true;
  if (!needsClientRender(app, renderCharts)) return { rendered: app, notes: [] };
  const env = opts.environment ?? nodeEnvironment();
  const fs = opts.fs ?? nodeFileSystem;
  const replaced = new Map<Manifest, Manifest[]>();
  const dropped = new Set<Manifest>();
  const notes: Diagnostic[] = [];
  const made = (from: Manifest, objects: JsonObject[], namespace: string, tag: string): Manifest[] =>
    objects.map((object, i) => {
      const meta = obj(object.metadata);
      const placed = meta.namespace === undefined && !isClusterScoped(object.kind) ? { ...object, metadata: { ...meta, namespace } } : object;
      const m: Manifest = { object: placed, origin: { service: from.origin.service, definition: from.origin.definition, outputName: `${tag}-${i}`, ...(from.origin.span && { span: from.origin.span }) } };
      finalizeObject(m, app.name, namespace);
      return m;
    });

  const kustomizations = app.manifests.filter((m) => isKustomization(m.object));
  if (kustomizations.length) {
    const kubectl = await findExecutable('kubectl', env, fs, 'KUBECTL');
    if (!kubectl) {
      throw new EnvironmentError(`kubectl is needed to build the kustomization of ${kustomizations.map((m) => m.origin.service).join(', ')} on the client, and it is not on PATH`, {
        code: 'client-render/no-kubectl',
        hint: 'install kubectl (or set KUBECTL to its path), or give the component a url for Flux to build it in the cluster',
      });
    }
    for (const m of kustomizations) replaced.set(m, made(m, await buildKustomization(m, opts, kubectl), app.namespace, 'kustomize'));
  }

  const releases = renderCharts ? app.manifests.filter((m) => isHelmRelease(m.object)) : [];
  const servicesRendered = new Set<string>();
  if (releases.length) {
    const helm = await findExecutable('helm', env, fs);
    if (!helm) throw new EnvironmentError('--render-charts needs the helm command, and it is not on PATH', { code: 'client-render/no-helm', hint: 'install helm 3, or leave out --render-charts to let Flux install the charts' });
    for (const m of releases) {
      const { objects, repository, namespace } = await templateChart(m, app, opts, helm);
      replaced.set(m, made(m, objects, namespace, 'chart'));
      if (repository) dropped.add(repository);
      servicesRendered.add(m.origin.service);
      notes.push({ severity: 'warning', message: `service ${m.origin.service}: the chart was rendered on the client with helm template (${objects.length} objects); Flux will not manage this release`, span: m.origin.span, code: 'client-render/chart' });
    }
  }

  const manifests: Manifest[] = [];
  for (const m of app.manifests) {
    if (dropped.has(m) && !replaced.has(m)) continue;
    manifests.push(...(replaced.get(m) ?? [m]));
  }
  const seen = new Map<string, Manifest>();
  for (const m of manifests) {
    const id = identityOf(m.object);
    const prev = seen.get(id);
    if (prev) throw serviceFailure(m, `${id} is produced twice (by service ${prev.origin.service} and by service ${m.origin.service}), after rendering on the client`, 'give the objects different names');
    seen.set(id, m);
  }
  const services = app.services.map((s) => (servicesRendered.has(s.name) || kustomizations.some((k) => k.origin.service === s.name) ? { ...s, status: undefined } : s));
  return { rendered: { ...app, manifests: orderManifests(manifests), services }, notes };
}
