/**
 * Candidates for shell completion (`vela __complete KIND`): definition names
 * from the lookup path, service names from the Appfile in the working folder.
 * Completion runs on every <TAB>, so this never fails loudly: a missing or
 * broken Appfile or definition folder gives fewer candidates, not an error.
 */
import { findAppfile, parseYamlTree } from '../appfile/index.js';
import { SourceFile } from '../source/index.js';
import { nodeFileSystem } from '../host/index.js';
import type { CompletionKind } from './complete-kinds.js';
import { loadRegistry, type RegistryOptions } from './registry.js';

export { completionKinds, type CompletionKind } from './complete-kinds.js';

export interface Candidate {
  readonly name: string;
  readonly description: string;
}

export interface CandidateOptions extends RegistryOptions {
  /** `-f PATH` already on the command line, for services. */
  file?: string;
}

export async function completionCandidates(kind: CompletionKind, opts: CandidateOptions): Promise<Candidate[]> {
  try {
    if (kind === 'services' || kind === 'apps') return await fromAppfile(kind, opts);
    const { registry } = await loadRegistry(opts);
    const defs =
      kind === 'components' ? registry.components() : kind === 'traits' ? registry.traits() : [...registry.components(), ...registry.traits()];
    return defs.map((d) => ({ name: d.name, description: d.description }));
  } catch {
    return [];
  }
}

/**
 * Service names (or the app's name) of the Appfile, read as plain YAML: no
 * definitions needed, a half-written file still completes. Deployed apps are
 * not listed: asking the cluster on every <TAB> would be slow.
 */
async function fromAppfile(kind: 'services' | 'apps', opts: CandidateOptions): Promise<Candidate[]> {
  if (opts.file === '-') return [];
  const found = await findAppfile(opts.cwd, opts.file, { fs: nodeFileSystem, stdin: process.stdin });
  if ('error' in found) return [];
  const { root } = parseYamlTree(new SourceFile(found.path, found.text));
  if (kind === 'apps') {
    const name = root?.kind === 'map' ? root.entries.find((e) => e.key === 'name')?.value : undefined;
    return name?.kind === 'scalar' && typeof name.value === 'string' && name.value !== '' ? [{ name: name.value, description: `the app of ${found.path}` }] : [];
  }
  const section = root?.kind === 'map' ? root.entries.find((e) => e.key === 'services')?.value : undefined;
  if (section?.kind !== 'map') return [];
  return section.entries.map((e) => {
    const type = e.value.kind === 'map' ? e.value.entries.find((x) => x.key === 'type')?.value : undefined;
    const t = type?.kind === 'scalar' && typeof type.value === 'string' ? type.value : 'webservice';
    return { name: e.key, description: t };
  });
}
