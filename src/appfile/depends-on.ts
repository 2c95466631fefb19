/**
 * `dependsOn`: a list of other services of the same Appfile, deployed (and
 * healthy) before this one. Unknown names, self references, repeats and
 * cycles are errors.
 */
import { didYouMean, error, type Diagnostic, type Span } from '../source/index.js';
import { formatDocPath } from './doc-path.js';
import type { DocPath } from './model.js';
import { describe, type LNode } from './yaml-tree.js';

export interface DependencyRef {
  readonly name: string;
  readonly span: Span;
}

/** Reads the shape (a list of names); existence is checked by `checkDependencies`. */
export function readDependsOn(n: LNode, path: DocPath, diags: Diagnostic[]): DependencyRef[] {
  const bad = (msg: string, span: Span, p: DocPath, hint?: string) =>
    diags.push(error(msg, span, { path: formatDocPath(p), code: 'appfile/depends-on', ...(hint ? { hint } : {}) }));
  if (n.kind === 'scalar' && n.value === null) return [];
  if (n.kind !== 'seq') {
    const example = n.kind === 'scalar' && typeof n.value === 'string' ? `dependsOn: [${n.value}]` : 'dependsOn: [db, cache]';
    bad(`must be a list of service names (got ${describe(n)})`, n.span, path, `for example \`${example}\``);
    return [];
  }
  const out: DependencyRef[] = [];
  n.items.forEach((it, i) => {
    if (it.kind === 'scalar' && typeof it.value === 'string') out.push({ name: it.value, span: it.span });
    else bad(`must be a service name (got ${describe(it)})`, it.span, [...path, i]);
  });
  return out;
}

export interface DependencyNode {
  readonly name: string;
  readonly deps: readonly DependencyRef[];
}

export function checkDependencies(services: readonly DependencyNode[], diags: Diagnostic[]): void {
  const names = services.map((s) => s.name);
  const known = new Set(names);
  for (const s of services) {
    const seen = new Set<string>();
    for (const d of s.deps) {
      const path = formatDocPath(['services', s.name, 'dependsOn']);
      if (d.name === s.name) {
        diags.push(error(`service "${s.name}" cannot depend on itself`, d.span, { path, code: 'appfile/depends-on' }));
      } else if (!known.has(d.name)) {
        diags.push(
          error(`unknown service "${d.name}"`, d.span, {
            path,
            code: 'appfile/depends-on',
            hint: didYouMean(d.name, names.filter((n) => n !== s.name)) ?? `services: ${names.join(', ')}`,
          }),
        );
      } else if (seen.has(d.name)) {
        diags.push(error(`"${d.name}" is listed twice`, d.span, { path, code: 'appfile/depends-on' }));
      }
      seen.add(d.name);
    }
  }
  reportCycles(services, known, diags);
}

/** Depth-first search in file order; each cycle is reported once, at the edge that closes it. */
function reportCycles(services: readonly DependencyNode[], known: ReadonlySet<string>, diags: Diagnostic[]): void {
  const byName = new Map(services.map((s) => [s.name, s]));
  const state = new Map<string, 'active' | 'done'>();
  const stack: { name: string; via?: DependencyRef }[] = [];
  const visit = (name: string, via?: DependencyRef): void => {
    const st = state.get(name);
    if (st === 'done') return;
    if (st === 'active') {
      const from = stack.findIndex((f) => f.name === name);
      const cycle = stack.slice(from);
      const names = [...cycle.map((f) => f.name), name];
      const edges = cycle.slice(1).map((f) => f.via!.span);
      diags.push(
        error(`dependency cycle: ${names.join(' -> ')}`, via!.span, {
          path: formatDocPath(['services', stack.at(-1)!.name, 'dependsOn']),
          code: 'appfile/depends-on-cycle',
          hint: 'remove one of these dependsOn entries',
          related: edges,
        }),
      );
      return;
    }
    state.set(name, 'active');
    stack.push({ name, ...(via ? { via } : {}) });
    for (const d of byName.get(name)?.deps ?? []) {
      if (d.name !== name && known.has(d.name)) visit(d.name, d);
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const s of services) visit(s.name);
}
