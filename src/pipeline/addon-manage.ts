/**
 * The other addon commands: `vela addon list` (what the registries offer and
 * what is enabled), `status` (what vela remembers, and the health of the
 * addon's Application in its cluster), `disable` (delete its objects through
 * its inventory, then its definitions; refused while an enabled addon
 * depends on it) and `registry add|list|remove`.
 */
import {
  addRegistry,
  dependents,
  findEnabled,
  listEnabled,
  listRegistries,
  newestFirst,
  removeAddon,
  removeRegistry,
  showSource,
  type AddonMeta,
  type EnabledAddon,
  type RegistryEntry,
} from '../addon/index.js';
import { appStatus, deleteApp, type AppStatus, type ClusterOptions, type ObjectRef } from '../deploy/index.js';
import { nodeFileSystem } from '../host/index.js';
import { DiagnosticError, didYouMean, error, warning, type Diagnostic } from '../source/index.js';
import { registrySources, type AddonContext } from './addon-sources.js';
import { definitionHealth } from './health.js';
import { forgetLoadedRegistries } from './registry.js';

export interface AddonListEntry {
  readonly name: string;
  /** The newest version a registry offers (or the enabled one, for an addon no registry lists). */
  readonly version: string;
  readonly description: string;
  /** `enabled`, `definitions-only` or `disabled`. */
  readonly status: 'enabled' | 'definitions-only' | 'disabled';
  /** The version enabled, when enabled. */
  readonly enabledVersion?: string;
  /** The registry that offers it (the first, when several do), or where the enabled one came from. */
  readonly registry: string;
  readonly availableVersions: readonly string[];
}

/** `vela addon list [--registry SRC]`: every visible addon of the registries, and every enabled one. */
export async function listAddons(ctx: AddonContext, opts: { registry?: string } = {}): Promise<{ addons: AddonListEntry[]; registries: number }> {
  const sources = await registrySources(ctx, opts.registry);
  const enabled = await listEnabled(ctx);
  const byName = new Map<string, AddonListEntry>();
  for (const source of sources) {
    for (const a of await source.list()) {
      if (byName.has(a.name)) continue;
      const on = enabled.find((e) => e.name === a.name);
      if (a.invisible && !on) continue;
      byName.set(a.name, {
        name: a.name,
        version: newestFirst(a.versions)[0] ?? '',
        description: a.description,
        status: statusOf(on),
        ...(on && { enabledVersion: on.version }),
        registry: source.registry,
        availableVersions: newestFirst(a.versions),
      });
    }
  }
  if (opts.registry === undefined) {
    for (const on of enabled) {
      if (byName.has(on.name)) continue;
      byName.set(on.name, { name: on.name, version: on.version, description: on.description, status: statusOf(on), enabledVersion: on.version, registry: on.registry, availableVersions: on.version ? [on.version] : [] });
    }
  }
  return { addons: [...byName.values()].sort((a, b) => a.name.localeCompare(b.name)), registries: sources.length };
}

const statusOf = (on: EnabledAddon | undefined): AddonListEntry['status'] => (!on ? 'disabled' : on.mode === 'definitions-only' ? 'definitions-only' : 'enabled');

export interface AddonStatusResult {
  readonly name: string;
  readonly status: AddonListEntry['status'];
  readonly version?: string;
  readonly registry?: string;
  readonly source?: string;
  readonly scope?: 'project' | 'user';
  readonly app?: string;
  readonly namespace?: string;
  readonly context?: string;
  readonly definitions: readonly string[];
  readonly dependencies: readonly string[];
  /** The addon's Application in its cluster (enabled in cluster mode). */
  readonly health?: AppStatus;
  /** The parameters it was enabled with: shown only when asked for (they may hold secrets). */
  readonly parameters?: Record<string, unknown>;
}

/** `vela addon status NAME`: what vela remembers, and the health of its Application. */
export async function addonStatus(ctx: AddonContext, name: string, cluster: ClusterOptions, opts: { verbose?: boolean } = {}): Promise<AddonStatusResult> {
  const on = await findEnabled(name, ctx);
  if (!on) return { name, status: 'disabled', definitions: [], dependencies: [] };
  const base: AddonStatusResult = {
    name,
    status: statusOf(on),
    version: on.version,
    registry: on.registry,
    source: showSource(on.source),
    scope: on.scope,
    ...(on.app && { app: on.app }),
    ...(on.namespace && { namespace: on.namespace }),
    ...(on.context && { context: on.context }),
    definitions: on.definitions,
    dependencies: on.dependencies.map((d) => d.name),
    ...(opts.verbose && { parameters: on.parameters }),
  };
  if (on.mode !== 'cluster' || !on.app) return base;
  const health = await appStatus(on.app, { ...cluster, ...(on.namespace && { namespace: on.namespace }), definitionHealth: definitionHealth() });
  return { ...base, health };
}

export interface DisableResult {
  readonly name: string;
  readonly app?: string;
  readonly namespace?: string;
  readonly deleted: readonly ObjectRef[];
  readonly definitions: readonly string[];
  readonly warnings: readonly Diagnostic[];
}

/** `vela addon disable NAME`: its objects (through its inventory), then its definitions. */
export async function disableAddon(ctx: AddonContext, name: string, cluster: ClusterOptions): Promise<DisableResult> {
  const enabled = await listEnabled(ctx);
  const on = enabled.find((a) => a.name === name);
  if (!on) {
    throw new DiagnosticError([error(`addon ${name} is not enabled`, undefined, { code: 'addon/not-enabled', hint: didYouMean(name, enabled.map((a) => a.name)) ?? 'see `vela addon list`' })]);
  }
  const metas = enabled.map((a) => ({ name: a.name, dependencies: a.dependencies }) as Pick<AddonMeta, 'name' | 'dependencies'> as AddonMeta);
  const needing = dependents(name, metas);
  if (needing.length) {
    throw new DiagnosticError([
      error(`addon ${needing.join(', ')} ${needing.length === 1 ? 'depends' : 'depend'} on ${name}, which cannot be disabled while ${needing.length === 1 ? 'it is' : 'they are'} enabled`, undefined, {
        code: 'addon/needed',
        hint: `disable ${needing.join(', ')} first`,
      }),
    ]);
  }
  const warnings: Diagnostic[] = [];
  let deleted: readonly ObjectRef[] = [];
  if (on.mode === 'cluster' && on.app) {
    try {
      deleted = (await deleteApp(on.app, { ...cluster, ...(on.namespace && { namespace: on.namespace }) })).deleted;
    } catch (e) {
      // Already gone from the cluster (deleted by hand, or another cluster): the definitions still go.
      if (!(e instanceof DiagnosticError && e.diagnostics.some((d) => d.code === 'deploy/no-app'))) throw e;
      warnings.push(warning(`the Application ${on.app} of addon ${name} is not in namespace ${on.namespace} any more; removing its definitions`, undefined, { code: 'addon/app-gone' }));
    }
  }
  await removeAddon(on.dir);
  forgetLoadedRegistries();
  return { name, ...(on.app && { app: on.app }), ...(on.namespace && { namespace: on.namespace }), deleted, definitions: on.definitions, warnings };
}

export async function registryAdd(ctx: AddonContext, name: string, source: string): Promise<RegistryEntry & { replaced: boolean }> {
  const r = await addRegistry(ctx.fs ?? nodeFileSystem, ctx.velaHome, name, source, ctx.cwd);
  return { ...r, source: showSource(r.source) };
}

export async function registryList(ctx: AddonContext): Promise<RegistryEntry[]> {
  return (await listRegistries(ctx.fs ?? nodeFileSystem, ctx.velaHome)).map((r) => ({ ...r, source: showSource(r.source) }));
}

export async function registryRemove(ctx: AddonContext, name: string): Promise<RegistryEntry> {
  const r = await removeRegistry(ctx.fs ?? nodeFileSystem, ctx.velaHome, name);
  return { ...r, source: showSource(r.source) };
}
