/**
 * One addon as a catalog shows it (the dashboard's Capabilities view): what
 * its metadata says, the definitions it brings (read as vela reads any
 * definition), and where it came from. Nothing is enabled or written: the
 * addon is looked up in the configured registries as `vela addon enable NAME`
 * would find it.
 */
import type { AddonDependency } from '../addon/index.js';
import { addonDefinitions } from './addon-render.js';
import { findTarget, type AddonContext } from './addon-sources.js';

export interface AddonDefinitionSummary {
  readonly kind: string;
  readonly name: string;
  readonly description: string;
  /** Components: the workload; traits: what they apply to. */
  readonly detail: string;
}

export interface AddonShown {
  readonly name: string;
  readonly version: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly url?: string;
  readonly dependencies: readonly AddonDependency[];
  readonly registry: string;
  readonly definitions: readonly AddonDefinitionSummary[];
}

/** The addon named, newest version first, from the configured registries; an unknown name says which are near. */
export async function showAddon(ctx: AddonContext, name: string): Promise<AddonShown> {
  const { found } = await findTarget(ctx, name, {});
  const meta = found.addon.meta;
  const definitions = addonDefinitions(found.addon)
    .map((d) => ({ kind: d.kind, name: d.name, description: d.description, detail: d.kind === 'component' ? (d.workloadType ?? '') : d.kind === 'trait' ? d.appliesTo.join(', ') : '' }))
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
  return {
    name: meta.name,
    version: meta.version,
    description: meta.description,
    tags: meta.tags,
    ...(meta.url !== undefined && { url: meta.url }),
    dependencies: meta.dependencies,
    registry: found.origin.registry,
    definitions,
  };
}
