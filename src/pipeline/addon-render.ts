/**
 * An addon → what vela would apply: its Application (src/addon evaluates the
 * template), then that Application through vela's own steps, as any app:
 * parsed as a KubeVela Application, resolved against the definitions (the
 * lookup path, plus the addon's own definitions and those of addons enabled
 * before it in this run, which KubeVela would have installed first), and
 * rendered to manifests. Nothing is written.
 */
import { stringify } from 'yaml';
import { addonApplication, addonParameterSchema, checkParameters, DEFAULT_ADDON_NAMESPACE, type AddonPackage, type Parameters } from '../addon/index.js';
import { parseApplication, resolveAppModel } from '../appfile/index.js';
import { parseDefinitionFile, type DefinitionSource } from '../capability/index.js';
import type { ClusterVersion, RenderedApp } from '../render/index.js';
import { DiagnosticError, SourceFile, type Diagnostic } from '../source/index.js';
import { renderWithImages } from './dry-run.js';
import { loadRegistry, type LoadedRegistry } from './registry.js';

export interface RenderAddonOptions {
  readonly cwd: string;
  readonly velaHome: string;
  /** `-n`: the namespace of the Application and its objects, over a topology policy's (default: the topology's, else vela-system). */
  readonly namespace?: string;
  readonly clusterVersion?: ClusterVersion;
  /** Definitions of addons enabled earlier in this run. */
  readonly earlierDefinitions?: readonly DefinitionSource[];
}

export interface RenderedAddon {
  readonly application: Record<string, unknown>;
  /** The Application as YAML, as the renderer read it. */
  readonly applicationText: string;
  readonly rendered: RenderedApp;
  /** The addon's definitions, read as vela reads any. */
  readonly definitions: readonly DefinitionSource[];
  /** The parameters the template saw (defaults filled in). */
  readonly parameters: Parameters;
  readonly registry: LoadedRegistry;
  readonly warnings: readonly Diagnostic[];
}

/** The addon's definitions as definition sources (origin `addon`). */
export function addonDefinitions(addon: AddonPackage): DefinitionSource[] {
  return addon.definitions.flatMap((f) => parseDefinitionFile(f, 'addon').definitions);
}

export async function renderAddon(addon: AddonPackage, params: Parameters, opts: RenderAddonOptions): Promise<RenderedAddon> {
  const problems = checkParameters(params, addonParameterSchema(addon), addon.meta.name);
  if (problems.length) throw new DiagnosticError(problems);
  const app = addonApplication(addon, params, { namespace: opts.namespace ?? DEFAULT_ADDON_NAMESPACE });
  const definitions = addonDefinitions(addon);
  const registry = await loadRegistry({ cwd: opts.cwd, velaHome: opts.velaHome, extraSources: [...definitions, ...(opts.earlierDefinitions ?? [])] });
  const header = `# The Application of addon ${addon.meta.name}${addon.meta.version ? ` ${addon.meta.version}` : ''}, from its template and resources\n`;
  const applicationText = header + stringify(app.application, { lineWidth: 0, aliasDuplicateObjects: false });
  // The addon's labels are for KubeVela's controller: vela's objects carry app.oam.dev/name (addon-NAME) instead.
  const metadata = app.application.metadata as Record<string, unknown>;
  const forParser = { ...app.application, metadata: { name: metadata.name, namespace: metadata.namespace } };
  // Named for where it came from: the positions are those of the evaluated Application (what --dry-run shows).
  const template = addon.templateCue?.name ?? addon.templateYaml?.name;
  const file = new SourceFile(`addon ${addon.meta.name} (Application${template ? ` evaluated from ${template}` : ''})`, header + stringify(forParser, { lineWidth: 0, aliasDuplicateObjects: false }));
  const parsed = parseApplication(file, { dir: opts.cwd });
  const { app: model, diagnostics } = resolveAppModel(parsed, registry.registry);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!model || errors.length) throw new DiagnosticError(errors.length ? errors : diagnostics);
  const { rendered, warnings } = await renderWithImages(model, registry.registry, {}, { namespace: opts.namespace, clusterVersion: opts.clusterVersion });
  return {
    application: app.application,
    applicationText,
    rendered,
    definitions,
    parameters: app.parameters,
    registry,
    warnings: [...app.diagnostics, ...diagnostics.filter((d) => d.severity === 'warning'), ...warnings],
  };
}
