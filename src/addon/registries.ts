/**
 * Addon registries: named sources of addons kept in
 * `$VELA_HOME/addon-registries.json` (KubeVela keeps them in a ConfigMap of
 * its cluster; vela renders on the client, so they live with the user), and
 * the source (folder, git catalog, HTTP catalog, package) each one opens.
 */
import { join } from 'node:path';
import type { FileSystem } from '../host/index.js';
import { DiagnosticError, didYouMean, error } from '../source/index.js';
import { redactUrl } from './git.js';
import { FolderSource, SingleAddonSource } from './sources/folder.js';
import { GitCatalogSource } from './sources/git-catalog.js';
import { HttpIndexSource, TgzSource } from './sources/package.js';
import { formatSourceSpec, parseSourceSpec, type SourceSpec } from './source-spec.js';
import type { AddonSource } from './types.js';

export interface RegistryEntry {
  readonly name: string;
  /** The source as given (a folder made absolute). */
  readonly source: string;
}

/** The name of addons enabled from a folder or package given on the command line. */
export const LOCAL_REGISTRY = 'local';

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export const registriesFile = (velaHome: string) => join(velaHome, 'addon-registries.json');

export async function listRegistries(fs: FileSystem, velaHome: string): Promise<RegistryEntry[]> {
  const file = registriesFile(velaHome);
  let text: string;
  try {
    text = await fs.readText(file);
  } catch {
    return [];
  }
  try {
    const data = JSON.parse(text) as { registries?: unknown };
    if (!Array.isArray(data.registries)) throw new Error('no registries list');
    return data.registries.filter((r): r is RegistryEntry => typeof r?.name === 'string' && typeof r?.source === 'string');
  } catch (e) {
    throw new DiagnosticError([error(`${file} is not a registry list: ${(e as Error).message}`, undefined, { code: 'addon/registries', hint: 'fix or remove the file; `vela addon registry add` writes it' })]);
  }
}

async function save(fs: FileSystem, velaHome: string, registries: readonly RegistryEntry[]): Promise<void> {
  await fs.writeFileAtomic(registriesFile(velaHome), JSON.stringify({ registries }, null, 2) + '\n');
}

/** Adds (or replaces) a registry. A folder must exist; other sources are checked when used. */
export async function addRegistry(fs: FileSystem, velaHome: string, name: string, source: string, cwd: string): Promise<RegistryEntry & { replaced: boolean }> {
  if (!NAME.test(name)) throw new DiagnosticError([error(`invalid registry name "${name}": lower case letters, digits and '-'`, undefined, { code: 'addon/registry-name' })]);
  if (name === LOCAL_REGISTRY) throw new DiagnosticError([error(`"${LOCAL_REGISTRY}" is reserved for addons enabled from a folder`, undefined, { code: 'addon/registry-name' })]);
  const spec = parseSourceSpec(source, cwd);
  if (spec.kind === 'path' && !(await fs.exists(spec.path))) throw new DiagnosticError([error(`no such folder: ${spec.path}`, undefined, { code: 'addon/registry-source', hint: 'give a catalog folder, a git URL or an HTTP(S) URL' })]);
  const entry = { name, source: formatSourceSpec(spec) };
  const all = await listRegistries(fs, velaHome);
  const replaced = all.some((r) => r.name === name);
  await save(fs, velaHome, [...all.filter((r) => r.name !== name), entry].sort((a, b) => a.name.localeCompare(b.name)));
  return { ...entry, replaced };
}

export async function removeRegistry(fs: FileSystem, velaHome: string, name: string): Promise<RegistryEntry> {
  const all = await listRegistries(fs, velaHome);
  const found = all.find((r) => r.name === name);
  if (!found) throw unknownRegistry(name, all);
  await save(fs, velaHome, all.filter((r) => r.name !== name));
  return found;
}

export function unknownRegistry(name: string, all: readonly RegistryEntry[]): DiagnosticError {
  const names = all.map((r) => r.name);
  return new DiagnosticError([
    error(`no addon registry "${name}"`, undefined, { code: 'addon/unknown-registry', hint: didYouMean(name, names) ?? (names.length ? `registries: ${names.join(', ')}` : 'add one: vela addon registry add NAME SRC') }),
  ]);
}

export interface OpenSourceOptions {
  readonly fs: FileSystem;
  /** `$VELA_HOME/cache/...`: where git catalogs are cloned. */
  readonly cacheDir: string;
  /** The registry's name (`local` for a source given on the command line). */
  readonly registry: string;
  readonly signal?: AbortSignal;
}

/** The AddonSource a source spec names. */
export async function openSource(spec: SourceSpec, opts: OpenSourceOptions): Promise<AddonSource> {
  const source = formatSourceSpec(spec);
  switch (spec.kind) {
    case 'git':
      return new GitCatalogSource({ fs: opts.fs, url: spec.url, ref: spec.ref, subdir: spec.subdir, registry: opts.registry, source, cacheDir: join(opts.cacheDir, 'git'), signal: opts.signal });
    case 'http':
      return /\.(tgz|tar\.gz)$/.test(new URL(spec.url).pathname)
        ? new TgzSource(spec.url, opts.fs, { registry: opts.registry, source }, opts.signal)
        : new HttpIndexSource(spec.url, { registry: opts.registry, source }, opts.signal);
    case 'path': {
      const info = await opts.fs.stat(spec.path);
      if (!info) throw new DiagnosticError([error(`no such folder: ${spec.path}`, undefined, { code: 'addon/registry-source' })]);
      if (info.kind === 'file' && /\.(tgz|tar\.gz)$/.test(spec.path)) return new TgzSource(spec.path, opts.fs, { registry: opts.registry, source }, opts.signal);
      if (info.kind !== 'directory') throw new DiagnosticError([error(`${spec.path} is neither a folder nor a .tgz package`, undefined, { code: 'addon/registry-source' })]);
      if (await opts.fs.exists(join(spec.path, 'metadata.yaml'))) return new SingleAddonSource(opts.fs, spec.path, spec.path);
      return new FolderSource({ fs: opts.fs, dir: spec.path, label: `registry ${opts.registry} (${spec.path})`, origin: { registry: opts.registry, source } });
    }
  }
}

/** The source as shown to the user (credentials removed). */
export const showSource = (source: string): string => redactUrl(source);
