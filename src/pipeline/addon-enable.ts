/**
 * `vela addon enable` and `vela addon upgrade`: find the addon and its
 * dependencies, then for each in dependency order (fluxcd before keda):
 *
 *   1. check the parameters against parameter.cue and render the addon's
 *      Application through vela's pipeline (addon-render.ts);
 *   2. check its definitions against those already installed (another
 *      addon's of the same name is a conflict; a built-in is replaced);
 *   3. apply the manifests with the app's own inventory (`addon-NAME`), so
 *      that an upgrade prunes what the new version no longer has and
 *      `disable` deletes exactly what was applied;
 *   4. only then install its definitions and remember it (state.ts), so a
 *      failure at any earlier step leaves nothing half-installed.
 *
 * `--dry-run` stops after 1 and returns what would be applied;
 * `--definitions-only` skips 3 (no cluster is contacted).
 */
import { join } from 'node:path';
import {
  LOCAL_REGISTRY,
  addonNotes,
  addonsRoot,
  dependencyOrder,
  definitionFileNames,
  findEnabled,
  listEnabled,
  mergeParameters,
  parseParameterPairs,
  addonParameterSchema,
  satisfies,
  writeAddon,
  type AddonState,
  type DependencyNode,
  type Parameters,
} from '../addon/index.js';
import type { DefinitionSource } from '../capability/index.js';
import { applyApp, withClient, type ClusterOptions, type KubeClient, type ObjectAction } from '../deploy/index.js';
import { originComment, toYaml, type ClusterVersion, type RenderedApp } from '../render/index.js';
import { nodeFileSystem } from '../host/index.js';
import { DiagnosticError, error, warning, type Diagnostic } from '../source/index.js';
import { findTarget, type AddonContext, type FoundAddon } from './addon-sources.js';
import { renderAddon, type RenderedAddon } from './addon-render.js';
import { countActions, deliveredObject, toClusterVersion, type DeliveredObject } from './deliver.js';
import { definitionHealth } from './health.js';
import { addonOf, forgetLoadedRegistries, loadRegistry } from './registry.js';

export interface EnableAddonOptions extends AddonContext {
  /** An addon name, or its folder or package. */
  readonly target: string;
  /** A configured registry's name, or a source. */
  readonly registry?: string;
  /** `--set key=value` (and positional `key=value`). */
  readonly set?: readonly string[];
  readonly version?: string;
  readonly dryRun?: boolean;
  readonly definitionsOnly?: boolean;
  /** Install into the project's `.vela/addons/` instead of `$VELA_HOME/addons/`. */
  readonly local?: boolean;
  /** The namespace of the addons' Applications (default vela-system). */
  readonly namespace?: string;
  readonly cluster: ClusterOptions;
  /** Take over definitions another enabled addon installed. */
  readonly overrideDefinitions?: boolean;
  /** Do not check `system.kubernetes` against the cluster. */
  readonly skipVersionCheck?: boolean;
  readonly wait?: boolean;
  readonly timeoutMs?: number;
  /** For renders without a cluster (dry run, definitions only). */
  readonly clusterVersion?: ClusterVersion;
  /** `vela addon upgrade`: the addon must be enabled; its parameters are kept, `set` changes them. */
  readonly upgrade?: boolean;
}

export interface AddonEnableEntry {
  readonly name: string;
  readonly version: string;
  readonly registry: string;
  readonly source: string;
  readonly mode: 'cluster' | 'definitions-only' | 'dry-run';
  /** Enabled because another addon needs it. */
  readonly dependency: boolean;
  /** The version enabled before (upgrades). */
  readonly previousVersion?: string;
  readonly app: string;
  readonly namespace: string;
  /** `component NAME` / `trait NAME` for each definition it installs. */
  readonly definitions: readonly string[];
  readonly summary?: Readonly<Record<ObjectAction, number>>;
  readonly objects?: readonly DeliveredObject[];
  /** NOTES.cue's notes. */
  readonly notes?: string;
  /** Dry run: the Application and the manifests. */
  readonly application?: Record<string, unknown>;
  readonly rendered?: RenderedApp;
}

export interface EnableResult {
  readonly addons: readonly AddonEnableEntry[];
  readonly warnings: readonly Diagnostic[];
}

/** `kind name` of each definition of an addon. */
const definitionLabels = (defs: readonly DefinitionSource[]) => defs.map((d) => `${d.kind} ${d.name}`);

/** Step 2: definitions of the same name elsewhere on the lookup path. */
async function definitionConflicts(name: string, defs: readonly DefinitionSource[], opts: EnableAddonOptions): Promise<Diagnostic[]> {
  const { registry } = await loadRegistry({ cwd: opts.cwd, velaHome: opts.velaHome });
  const out: Diagnostic[] = [];
  for (const d of defs) {
    const existing = d.kind === 'component' ? registry.component(d.name) : registry.trait(d.name);
    if (!existing) continue;
    const owner = existing.origin === 'addon' ? addonOf(existing.path) : undefined;
    if (existing.origin === 'addon' && owner !== name) {
      if (!opts.overrideDefinitions) {
        out.push(error(`addon ${name}: ${d.kind} ${d.name} is already installed by addon ${owner}`, d.span, { code: 'addon/definition-conflict', hint: `disable ${owner} first, or pass --override-definitions` }));
      }
    } else if (existing.origin === 'builtin') {
      out.push(warning(`addon ${name}: its ${d.kind} ${d.name} replaces the built-in one`, d.span, { code: 'addon/definition-builtin' }));
    } else if (existing.origin !== 'addon') {
      out.push(warning(`addon ${name}: its ${d.kind} ${d.name} is hidden by ${existing.path} (${existing.origin}), which comes first on the lookup path`, d.span, { code: 'addon/definition-hidden' }));
    }
  }
  return out;
}

/** `system.kubernetes` against the server; `system.vela` names KubeVela's version and says nothing about vela. */
function versionProblems(found: FoundAddon, server: string | undefined, skip: boolean): Diagnostic[] {
  const system = found.addon.meta.system;
  const out: Diagnostic[] = [];
  if (system?.vela) out.push(warning(`addon ${found.addon.meta.name} asks for KubeVela ${system.vela}; vela renders on the client, so this is not checked`, undefined, { code: 'addon/system-vela' }));
  if (system?.kubernetes && server && !skip && satisfies(server.replace(/^v/, '').replace(/[+-].*$/, ''), system.kubernetes) === false) {
    out.push(
      error(`addon ${found.addon.meta.name} needs Kubernetes ${system.kubernetes}; the cluster runs ${server}`, undefined, {
        code: 'addon/system-kubernetes',
        hint: 'use another cluster (--context), another version of the addon (--version), or --skip-version-check',
      }),
    );
  }
  return out;
}

export async function enableAddon(opts: EnableAddonOptions): Promise<EnableResult> {
  const where = { velaHome: opts.velaHome, cwd: opts.cwd };
  const enabled = await listEnabled(where);
  let target = opts.target;
  let registry = opts.registry;
  const before = await findEnabled(target, where);
  if (opts.upgrade) {
    if (!before) throw new DiagnosticError([error(`addon ${target} is not enabled`, undefined, { code: 'addon/not-enabled', hint: `enable it: vela addon enable ${target}` })]);
    // From where it came, unless told otherwise: the addon's own folder or package, or the registry it was found in.
    if (registry === undefined && before.registry !== LOCAL_REGISTRY) registry = before.registry;
    else if (registry === undefined) {
      const fs = opts.fs ?? nodeFileSystem;
      const isAddonItself = /\.(tgz|tar\.gz)$/.test(before.source) || (await fs.exists(join(before.source, 'metadata.yaml')));
      if (isAddonItself) target = before.source;
      else registry = before.source;
    }
  }
  const { found: root, finder } = await findTarget(opts, target, { registry, version: opts.version });
  const name = root.addon.meta.name;
  const previous = before ?? (await findEnabled(name, where));
  const given = parseParameterPairs(opts.set ?? [], addonParameterSchema(root.addon));
  const params: Parameters = opts.upgrade && previous ? mergeParameters(previous.parameters as Parameters, given) : given;

  type Node = DependencyNode & { found: FoundAddon };
  const rootNode: Node = { meta: root.addon.meta, metadataFile: root.addon.metadataFile, found: root };
  const enabledVersions = new Map(enabled.filter((a) => a.name !== name).map((a) => [a.name, a.version]));
  const order = await dependencyOrder<Node>(
    rootNode,
    async (dep, constraint) => {
      const f = await finder.find(dep, constraint);
      return f && { meta: f.addon.meta, metadataFile: f.addon.metadataFile, found: f };
    },
    enabledVersions,
  );

  const warnings: Diagnostic[] = [];
  const entries: AddonEnableEntry[] = [];
  const scope = opts.local ? 'project' : (previous?.scope ?? 'user');
  // -n wins; an upgrade stays where the addon is; else the template's topology, else vela-system.
  const namespace = opts.namespace ?? (opts.upgrade ? previous?.namespace : undefined);

  const run = async (client: KubeClient | undefined): Promise<void> => {
    const server = client ? await client.serverVersion() : undefined;
    const clusterVersion = (server && toClusterVersion(server)) ?? opts.clusterVersion;
    const earlier: DefinitionSource[] = [];
    for (const node of order) {
      const { addon, origin, notes } = node.found;
      const isRoot = node === rootNode;
      const versions = versionProblems(node.found, server?.gitVersion, opts.skipVersionCheck === true);
      if (versions.some((d) => d.severity === 'error')) throw new DiagnosticError(versions.filter((d) => d.severity === 'error'));
      warnings.push(...notes, ...versions);
      const addonParams = isRoot ? params : {};
      const r: RenderedAddon = await renderAddon(addon, addonParams, { cwd: opts.cwd, velaHome: opts.velaHome, namespace, clusterVersion, earlierDefinitions: earlier });
      warnings.push(...r.warnings);
      const conflicts = await definitionConflicts(addon.meta.name, r.definitions, opts);
      if (conflicts.some((d) => d.severity === 'error')) throw new DiagnosticError(conflicts.filter((d) => d.severity === 'error'));
      warnings.push(...conflicts);
      earlier.push(...r.definitions);
      const base = {
        name: addon.meta.name,
        version: addon.meta.version,
        registry: origin.registry,
        source: origin.source,
        dependency: !isRoot,
        ...(isRoot && previous && { previousVersion: previous.version }),
        app: r.rendered.name,
        namespace: r.rendered.namespace,
        definitions: definitionLabels(r.definitions),
      };
      const addonNote = addonNotes(addon, r.parameters);
      if (opts.dryRun) {
        entries.push({ ...base, mode: 'dry-run', application: r.application, rendered: r.rendered, ...(addonNote && { notes: addonNote }) });
        continue;
      }
      let applied: Pick<AddonEnableEntry, 'summary' | 'objects'> = {};
      if (client) {
        const result = await applyApp(r.rendered, { ...opts.cluster, client, wait: opts.wait, timeoutMs: opts.timeoutMs, reporter: opts.reporter, definitionHealth: definitionHealth() });
        applied = { summary: countActions(result.objects), objects: result.objects.map(deliveredObject) };
      }
      // Step 4, only now: the addon rendered (and was applied), so its definitions may be found by every command.
      const state: AddonState = {
        name: addon.meta.name,
        version: addon.meta.version,
        description: addon.meta.description,
        registry: origin.registry,
        source: origin.source,
        ...(origin.commit && { commit: origin.commit }),
        dependencies: addon.meta.dependencies,
        parameters: addonParams,
        mode: client ? 'cluster' : 'definitions-only',
        app: r.rendered.name,
        namespace: r.rendered.namespace,
        ...(client && { context: client.target.context, server: client.target.server }),
        definitions: [...definitionFileNames(addon).keys()].sort(),
      };
      const files = new Map([...definitionFileNames(addon)].map(([file, src]) => [file, src.text]));
      const existing = isRoot ? previous : undefined;
      await writeAddon(existing && !opts.local ? existing.dir.replace(/[/\\][^/\\]+$/, '') : addonsRoot(scope, where), state, files);
      forgetLoadedRegistries();
      entries.push({ ...base, mode: state.mode, ...applied, ...(addonNote && { notes: addonNote }) });
    }
  };

  if (opts.dryRun || opts.definitionsOnly) await run(undefined);
  else await withClient(opts.cluster, (client) => run(client));
  return { addons: entries, warnings };
}

/**
 * `--dry-run`'s text: for each addon in order, its Application, then the
 * manifests vela would apply (YAML documents with comments), or all of them
 * as one JSON `List`.
 */
export function addonDryRunText(result: EnableResult, format: 'yaml' | 'json'): string {
  const entries = result.addons.filter((a) => a.application && a.rendered);
  if (format === 'json') {
    const items = entries.flatMap((a) => [a.application!, ...a.rendered!.manifests.map((m) => m.object)]);
    return JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 2) + '\n';
  }
  return entries
    .map((a) => {
      const head = `# addon ${a.name}${a.version ? ` ${a.version}` : ''}: its Application (what KubeVela would run)\n${toYaml(a.application)}`;
      const manifests = a.rendered!.manifests.map((m) => `# addon ${a.name}: ${originComment(m)}\n${toYaml(m.object)}`);
      return [head, ...manifests].join('---\n');
    })
    .join('---\n');
}
