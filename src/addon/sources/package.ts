/**
 * Packaged addons over HTTP(S) or on disk: a catalog index in the format of
 * a Helm chart repository (`index.yaml`: `entries: {NAME: [{version, urls,
 * digest, description, keywords, annotations}]}`, what KubeVela's versioned
 * addon registries serve, with `annotations` `system.vela` and
 * `system.kubernetes`), and the `.tgz` packages it points to (or one given
 * directly).
 */
import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import type { FileSystem } from '../../host/index.js';
import { DiagnosticError, didYouMean, error, SourceFile } from '../../source/index.js';
import { redactUrl } from '../git.js';
import { fetchBytes, isHttpUrl, resolveUrl } from '../http.js';
import { readMetadata } from '../metadata.js';
import { compareVersions, newestFirst, parseVersion } from '../semver.js';
import { readTgz } from '../tgz.js';
import type { AddonFiles, AddonOrigin, AddonSource, AddonSummary, LoadedAddon } from '../types.js';
import { isPlainObject } from '../yaml-spans.js';

interface IndexEntry {
  readonly name: string;
  readonly version: string;
  readonly description: string;
  readonly keywords: readonly string[];
  readonly urls: readonly string[];
  readonly digest?: string;
}

const garbage = (url: string, why: string) =>
  new DiagnosticError([error(`${redactUrl(url)} is not an addon catalog index: ${why}`, undefined, { code: 'addon/bad-index', hint: 'an HTTP registry serves index.yaml as a Helm chart repository does: entries: {NAME: [{version, urls: [NAME-VERSION.tgz]}]}' })]);

/** Reads an index; any other content is an error that says what was expected. */
export function parseIndex(text: string, url: string): Map<string, IndexEntry[]> {
  let data: unknown;
  try {
    data = parseYaml(text, { maxAliasCount: 100 });
  } catch (e) {
    throw garbage(url, `not YAML (${(e as Error).message.split('\n')[0]})`);
  }
  if (!isPlainObject(data)) throw garbage(url, 'not a map');
  if (!isPlainObject(data.entries)) throw garbage(url, 'it has no `entries` map');
  const out = new Map<string, IndexEntry[]>();
  for (const [name, versions] of Object.entries(data.entries)) {
    if (!Array.isArray(versions)) throw garbage(url, `entries.${name} is not a list of versions`);
    const list: IndexEntry[] = [];
    for (const v of versions) {
      if (!isPlainObject(v) || typeof v.version !== 'string' || !Array.isArray(v.urls) || !v.urls.every((u) => typeof u === 'string') || !v.urls.length) {
        throw garbage(url, `entries.${name} has a version without version and urls`);
      }
      list.push({
        name,
        version: v.version,
        description: typeof v.description === 'string' ? v.description : '',
        keywords: Array.isArray(v.keywords) ? v.keywords.filter((k): k is string => typeof k === 'string') : [],
        urls: v.urls as string[],
        ...(typeof v.digest === 'string' && v.digest && { digest: v.digest.replace(/^sha256:/, '') }),
      });
    }
    out.set(name, list.sort((a, b) => {
      const x = parseVersion(a.version);
      const y = parseVersion(b.version);
      return x && y ? compareVersions(y, x) : 0;
    }));
  }
  return out;
}

/** The version to take: the one asked for (with or without `v`), else the newest release, else the newest. */
export function chooseVersion<T extends { version: string }>(entries: readonly T[], wanted?: string): T | undefined {
  if (wanted !== undefined) return entries.find((e) => e.version.replace(/^v/, '') === wanted.replace(/^v/, ''));
  const ordered = newestFirst(entries.map((e) => e.version));
  const release = ordered.find((v) => parseVersion(v) && !parseVersion(v)!.prerelease.length);
  const pick = release ?? ordered[0];
  return entries.find((e) => e.version === pick);
}

/** A package's files as SourceFiles named `label/path`. */
function packageFiles(files: Map<string, Buffer>, label: string): AddonFiles {
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)).map(([p, bytes]) => [p, new SourceFile(`${label}/${p}`, bytes.toString('utf8'))]));
}

export class HttpIndexSource implements AddonSource {
  readonly label: string;
  readonly registry: string;
  private index?: Promise<Map<string, IndexEntry[]>>;

  /** `url`: the catalog's root or its index file. */
  constructor(
    private readonly url: string,
    private readonly origin: AddonOrigin,
    private readonly signal?: AbortSignal,
  ) {
    this.registry = origin.registry;
    this.label = `registry ${origin.registry} (${redactUrl(url)})`;
  }

  get indexUrl(): string {
    return /\.(ya?ml|json)$/.test(new URL(this.url).pathname) ? this.url : `${this.url.replace(/\/+$/, '')}/index.yaml`;
  }

  private entries(): Promise<Map<string, IndexEntry[]>> {
    return (this.index ??= fetchBytes(this.indexUrl, { maxBytes: 16 * 1024 * 1024, signal: this.signal }).then((b) => parseIndex(b.toString('utf8'), this.indexUrl)));
  }

  async list(): Promise<AddonSummary[]> {
    const out: AddonSummary[] = [];
    for (const [name, versions] of await this.entries()) {
      const latest = chooseVersion(versions);
      out.push({ name, versions: newestFirst(versions.map((v) => v.version)), description: latest?.description ?? '', tags: latest?.keywords ?? [], invisible: false });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  async load(name: string, version?: string): Promise<LoadedAddon> {
    const entries = await this.entries();
    const versions = entries.get(name);
    if (!versions) {
      throw new DiagnosticError([error(`${this.label} has no addon "${name}"`, undefined, { code: 'addon/not-found', hint: didYouMean(name, [...entries.keys()]) ?? `it has: ${[...entries.keys()].join(', ') || 'nothing'}` })]);
    }
    const entry = chooseVersion(versions, version);
    if (!entry) throw new DiagnosticError([error(`${this.label} has no version ${version} of ${name}`, undefined, { code: 'addon/no-such-version', hint: `versions: ${newestFirst(versions.map((v) => v.version)).join(', ')}` })]);
    const packageUrl = resolveUrl(this.indexUrl, entry.urls[0]!);
    const bytes = await fetchBytes(packageUrl, { signal: this.signal });
    if (entry.digest) {
      const actual = createHash('sha256').update(bytes).digest('hex');
      if (actual !== entry.digest) {
        throw new DiagnosticError([error(`${redactUrl(packageUrl)} does not match the catalog's digest (sha256 ${actual}, the index says ${entry.digest})`, undefined, { code: 'addon/digest', hint: 'the package or the index changed under way; try again, or tell the catalog owner' })]);
      }
    }
    const label = redactUrl(packageUrl);
    const files = packageFiles(await readTgz(bytes, { label, stripTopFolder: true }), label);
    return { files, origin: this.origin };
  }
}

/** One packaged addon: a `.tgz` URL or file. */
export class TgzSource implements AddonSource {
  readonly label: string;
  readonly registry: string;

  constructor(
    private readonly location: string,
    private readonly fs: FileSystem,
    private readonly origin: AddonOrigin,
    private readonly signal?: AbortSignal,
  ) {
    this.registry = origin.registry;
    this.label = `the package ${redactUrl(location)}`;
  }

  private async files(): Promise<AddonFiles> {
    const bytes = isHttpUrl(this.location) ? await fetchBytes(this.location, { signal: this.signal }) : await this.fs.readBytes(this.location);
    const label = redactUrl(this.location);
    return packageFiles(await readTgz(bytes, { label, stripTopFolder: true }), label);
  }

  async list(): Promise<AddonSummary[]> {
    const files = await this.files();
    const meta = files.get('metadata.yaml') && readMetadata(files.get('metadata.yaml')!).meta;
    return meta ? [{ name: meta.name, versions: meta.version ? [meta.version] : [], description: meta.description, tags: meta.tags, invisible: meta.invisible }] : [];
  }

  async load(name: string, version?: string): Promise<LoadedAddon> {
    const files = await this.files();
    const metaFile = files.get('metadata.yaml');
    const meta = metaFile && readMetadata(metaFile).meta;
    if (meta && meta.name !== name) throw new DiagnosticError([error(`${this.label} holds the addon ${meta.name}, not ${name}`, undefined, { code: 'addon/not-found' })]);
    if (meta && version !== undefined && meta.version.replace(/^v/, '') !== version.replace(/^v/, '')) {
      throw new DiagnosticError([error(`${this.label} holds ${name} ${meta.version}, not ${version}`, undefined, { code: 'addon/no-such-version' })]);
    }
    return { files, origin: this.origin };
  }
}
