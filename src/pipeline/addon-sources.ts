/**
 * Where addons come from in one run of an addon command: the configured
 * registries (or the one `--registry` names, by name or as a source), an
 * addon folder or package given instead of a name, and the folder next to
 * it (a checked-out catalog) for its dependencies. Addons are read once per
 * run and checked as they are read.
 */
import { dirname, join } from 'node:path';
import {
  LOCAL_REGISTRY,
  listRegistries,
  newestFirst,
  openSource,
  parseSourceSpec,
  readAddon,
  satisfies,
  unknownRegistry,
  type AddonOrigin,
  type AddonPackage,
  type AddonSource,
  type AddonSummary,
} from '../addon/index.js';
import { nodeFileSystem, type FileSystem, type Reporter } from '../host/index.js';
import { DiagnosticError, didYouMean, error, type Diagnostic } from '../source/index.js';

export interface AddonContext {
  readonly cwd: string;
  /** `$VELA_HOME` (registries, enabled addons, caches). */
  readonly velaHome: string;
  readonly fs?: FileSystem;
  readonly signal?: AbortSignal;
  readonly reporter?: Reporter;
}

/** An addon read from a source: its package, where it came from, and notes from reading it. */
export interface FoundAddon {
  readonly addon: AddonPackage;
  readonly origin: AddonOrigin;
  readonly notes: readonly Diagnostic[];
}

export const cacheDir = (velaHome: string) => join(velaHome, 'cache');

/** A registry given as a name or a source. */
export async function registrySources(ctx: AddonContext, registry: string | undefined): Promise<AddonSource[]> {
  const fs = ctx.fs ?? nodeFileSystem;
  const configured = await listRegistries(fs, ctx.velaHome);
  const open = (name: string, source: string) => openSource(parseSourceSpec(source, ctx.cwd), { fs, cacheDir: cacheDir(ctx.velaHome), registry: name, signal: ctx.signal });
  if (registry === undefined) return Promise.all(configured.map((r) => open(r.name, r.source)));
  const named = configured.find((r) => r.name === registry);
  if (named) return [await open(named.name, named.source)];
  // Not a name: a source, unless it reads like a name that is not configured.
  if (/^[a-z0-9-]+$/.test(registry) && !(await fs.exists(join(ctx.cwd, registry)))) throw unknownRegistry(registry, configured);
  return [await open(LOCAL_REGISTRY, registry)];
}

/**
 * Whether the command line names an addon folder or package rather than an
 * addon by name: a URL or a path (`./x`, `a/b`, `x.tgz`), or, as KubeVela
 * reads it, a bare word that is a folder here with a metadata.yaml.
 */
export async function isAddonPath(ctx: AddonContext, target: string): Promise<boolean> {
  if (/^https?:\/\//i.test(target)) return /\.(tgz|tar\.gz)$/.test(target);
  if (/[/\\]|^[.~]|\.(tgz|tar\.gz)$/.test(target)) return true;
  const fs = ctx.fs ?? nodeFileSystem;
  return fs.exists(join(ctx.cwd, target, 'metadata.yaml'));
}

/**
 * Finds addons by name (and version constraint) across sources, reading each
 * once. The first source that has a version the constraint accepts wins.
 */
export class AddonFinder {
  private readonly loaded = new Map<string, Promise<FoundAddon>>();
  private readonly listings = new Map<AddonSource, Promise<AddonSummary[]>>();

  constructor(private readonly sources: readonly AddonSource[]) {}

  private listing(source: AddonSource): Promise<AddonSummary[]> {
    let l = this.listings.get(source);
    if (!l) this.listings.set(source, (l = source.list()));
    return l;
  }

  /** The addon, or undefined when no source has a version the constraint accepts. */
  async find(name: string, constraint?: string, version?: string): Promise<FoundAddon | undefined> {
    for (const source of this.sources) {
      const summary = (await this.listing(source)).find((a) => a.name === name);
      if (!summary) continue;
      let pick = version;
      if (pick === undefined && constraint !== undefined) {
        pick = newestFirst(summary.versions).find((v) => satisfies(v, constraint) === true);
        if (pick === undefined) continue;
      }
      return this.load(source, name, pick);
    }
    return undefined;
  }

  /** Loads and reads an addon from one source; a broken addon is a DiagnosticError pointing into it. */
  load(source: AddonSource, name: string, version?: string): Promise<FoundAddon> {
    const key = `${source.label}\u0000${name}\u0000${version ?? ''}`;
    let p = this.loaded.get(key);
    if (!p) {
      p = source.load(name, version).then(({ files, origin }) => {
        const r = readAddon(files, name);
        if (!r.addon) throw new DiagnosticError(r.diagnostics);
        return { addon: r.addon, origin, notes: r.diagnostics };
      });
      this.loaded.set(key, p);
    }
    return p;
  }
}

/**
 * The addon a command names and the sources for its dependencies: a folder
 * or package (its siblings, then the registries, give the dependencies), or
 * a name looked up in the registries (all, or the one --registry names).
 */
export async function findTarget(ctx: AddonContext, target: string, opts: { registry?: string; version?: string }): Promise<{ found: FoundAddon; finder: AddonFinder }> {
  const fs = ctx.fs ?? nodeFileSystem;
  if (await isAddonPath(ctx, target)) {
    const spec = parseSourceSpec(target, ctx.cwd);
    const single = await openSource(spec, { fs, cacheDir: cacheDir(ctx.velaHome), registry: LOCAL_REGISTRY, signal: ctx.signal });
    const [summary] = await single.list();
    if (!summary) throw new DiagnosticError([error(`${target} is not an addon: it has no metadata.yaml with a name`, undefined, { code: 'addon/not-an-addon' })]);
    // A folder in a checked-out catalog: its dependencies are likely its siblings.
    const siblings: AddonSource[] = [];
    if (spec.kind === 'path' && (await fs.stat(spec.path))?.kind === 'directory') {
      siblings.push(await openSource({ kind: 'path', path: dirname(spec.path) }, { fs, cacheDir: cacheDir(ctx.velaHome), registry: LOCAL_REGISTRY, signal: ctx.signal }));
    }
    const finder = new AddonFinder([single, ...siblings, ...(await registrySources(ctx, opts.registry))]);
    return { found: await finder.load(single, summary.name, opts.version), finder };
  }
  const sources = await registrySources(ctx, opts.registry);
  if (!sources.length) {
    throw new DiagnosticError([error(`no addon registry is configured to find "${target}" in`, undefined, { code: 'addon/no-registry', hint: 'add one (vela addon registry add NAME SRC), pass --registry SRC, or give the addon\'s folder' })]);
  }
  const finder = new AddonFinder(sources);
  const found = await finder.find(target, undefined, opts.version);
  if (!found) {
    const names = (await Promise.all(sources.map((s) => s.list()))).flat().map((a) => a.name);
    throw new DiagnosticError([
      error(`no addon "${target}"${opts.version ? ` ${opts.version}` : ''} in ${sources.length === 1 ? sources[0]!.label : `the ${sources.length} registries`}`, undefined, {
        code: 'addon/not-found',
        hint: didYouMean(target, names) ?? 'see `vela addon list`',
      }),
    ]);
  }
  return { found, finder };
}
