/**
 * The order to enable addons in: every dependency before what needs it
 * (fluxcd before keda), each addon once, dependencies that are already
 * enabled (in a version the constraint accepts) left out. A cycle is an
 * error naming it (`a -> b -> a`); a dependency no source has is an error at
 * the `dependencies` entry of the addon that needs it.
 */
import { DiagnosticError, error, type Diagnostic, type SourceFile, type Span } from '../source/index.js';
import { satisfies } from './semver.js';
import type { AddonMeta } from './types.js';

export interface DependencyNode {
  readonly meta: AddonMeta;
  /** metadata.yaml, to point at a dependency that cannot be had. */
  readonly metadataFile?: SourceFile;
}

/** Finds an addon by name (and a version constraint); undefined when no source has it. */
export type FindAddon<N extends DependencyNode> = (name: string, constraint: string | undefined, neededBy: N) => Promise<N | undefined>;

function dependencySpan(node: DependencyNode, index: number): Span | undefined {
  const f = node.metadataFile;
  if (!f) return undefined;
  // The n-th `- name:` under `dependencies:`; else the file's start.
  const block = f.text.indexOf('dependencies:');
  if (block < 0) return { file: f, start: 0, end: 0 };
  const re = /-\s*name:\s*(\S+)/g;
  re.lastIndex = block;
  let m: RegExpExecArray | null = null;
  for (let i = 0; i <= index; i++) m = re.exec(f.text);
  return m ? { file: f, start: m.index, end: m.index + m[0].length } : { file: f, start: block, end: block + 'dependencies:'.length };
}

/**
 * The addons to enable, dependencies first, `root` last. `enabled` maps the
 * names of enabled addons to their versions.
 */
export async function dependencyOrder<N extends DependencyNode>(root: N, find: FindAddon<N>, enabled: ReadonlyMap<string, string>): Promise<N[]> {
  const order: N[] = [];
  const done = new Set<string>();
  const problems: Diagnostic[] = [];
  const visit = async (node: N, path: readonly string[]): Promise<void> => {
    const name = node.meta.name;
    if (done.has(name)) return;
    const deps = node.meta.dependencies;
    for (let i = 0; i < deps.length; i++) {
      const dep = deps[i]!;
      if (dep.name === name || path.includes(dep.name)) {
        const cycle = [...path.slice(path.indexOf(dep.name) >= 0 ? path.indexOf(dep.name) : path.length), name, dep.name];
        problems.push(error(`dependency cycle: ${cycle.join(' -> ')}`, dependencySpan(node, i), { code: 'addon/dependency-cycle', hint: 'an addon cannot depend, directly or not, on itself; remove one of these dependencies' }));
        continue;
      }
      const have = enabled.get(dep.name);
      if (have !== undefined && !done.has(dep.name)) {
        if (dep.version === undefined || satisfies(have, dep.version) !== false) continue;
        problems.push(
          error(`addon ${name} needs ${dep.name} ${dep.version}, but ${dep.name} ${have || '(no version)'} is enabled`, dependencySpan(node, i), {
            code: 'addon/dependency-version',
            hint: `upgrade it first: vela addon upgrade ${dep.name}`,
          }),
        );
        continue;
      }
      if (done.has(dep.name)) continue;
      const found = await find(dep.name, dep.version, node);
      if (!found) {
        problems.push(
          error(`addon ${name} depends on ${dep.name}${dep.version ? ` ${dep.version}` : ''}, which none of the addon sources has`, dependencySpan(node, i), {
            code: 'addon/missing-dependency',
            hint: `add a registry that has it (vela addon registry add NAME SRC), or enable ${dep.name} from its folder first`,
          }),
        );
        continue;
      }
      await visit(found, [...path, name]);
    }
    if (!done.has(name)) {
      done.add(name);
      order.push(node);
    }
  };
  await visit(root, []);
  if (problems.length) throw new DiagnosticError(problems);
  return order;
}

/** Enabled addons that depend on `name` (disable refuses while there are any). */
export function dependents(name: string, enabled: readonly AddonMeta[]): string[] {
  return enabled.filter((m) => m.name !== name && m.dependencies.some((d) => d.name === name)).map((m) => m.name).sort();
}
