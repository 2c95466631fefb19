/**
 * Patch strategy annotations of a trait's `patch` value, read from the
 * comments on its fields (`// +patchKey=name`, `// +patchStrategy=...`), as
 * a tree parallel to the exported patch document.
 *
 * A comment above a shorthand chain (`// +patchStrategy=retainKeys` over
 * `patch: spec: replicas: x`) applies to the innermost field of the chain,
 * except the whole-document strategies `jsonMergePatch` and `jsonPatch`,
 * which apply where they are written.
 */
import type * as ast from './ast.js';
import type { Evaluator } from './eval/index.js';
import { deref, isRegularKey, type Vertex } from './adt/vertex.js';

export type PatchStrategy = 'retainKeys' | 'replace' | 'jsonMergePatch' | 'jsonPatch';

export interface PatchMeta {
  patchKey?: string;
  strategy?: PatchStrategy;
  fields?: Record<string, PatchMeta>;
  items?: PatchMeta[];
}

interface Tags {
  patchKey?: string;
  strategy?: PatchStrategy;
}

const STRATEGIES = new Set<string>(['retainKeys', 'replace', 'jsonMergePatch', 'jsonPatch']);

function tagsOf(d: ast.Field): Tags | undefined {
  let tags: Tags | undefined;
  for (const c of d.doc) {
    const m = /^\s*\+(patchKey|patchStrategy)=(\S+)\s*$/.exec(c.text);
    if (!m) continue;
    tags ??= {};
    if (m[1] === 'patchKey') tags.patchKey = m[2];
    else if (STRATEGIES.has(m[2]!)) tags.strategy = m[2] as PatchStrategy;
  }
  return tags;
}

/** The labels of a shorthand chain `a: b: c: v` below a field, or [] when its value is not one. */
function chainOf(d: ast.Field): string[] {
  const out: string[] = [];
  let v: ast.Expr = d.value;
  while (v.kind === 'StructLit' && v.decls.length === 1 && v.decls[0]!.kind === 'Field' && v.start === v.decls[0]!.start) {
    const f = v.decls[0] as ast.Field;
    if (f.label.kind === 'Ident') out.push(f.label.name);
    else if (f.label.kind === 'StringLabel') out.push(f.label.value);
    else break;
    v = f.value;
  }
  return out;
}

export function patchMetaOf(ev: Evaluator, root: Vertex): PatchMeta | undefined {
  const assigned = new Map<Vertex, Tags>();
  const assign = (v: Vertex, t: Tags) => assigned.set(v, { ...assigned.get(v), ...t });
  const collect = (v0: Vertex, depth: number) => {
    if (depth > 64) return;
    ev.evalVertex(v0);
    const v = ev.defaultOf(v0);
    for (const d of v0.decls ?? []) {
      const t = tagsOf(d);
      if (!t) continue;
      const chain = chainOf(d);
      const whole = t.strategy === 'jsonMergePatch' || t.strategy === 'jsonPatch';
      let target: Vertex | undefined = v;
      if (!whole) for (const k of chain) target = target && ev.defaultOf(deref(target)).arcs?.get(k);
      if (target) assign(whole ? v : target, t);
    }
    if (v.isStruct) for (const [k, a] of v.arcs ?? []) if (isRegularKey(k) && a.arcType === 'regular') collect(a, depth + 1);
    if (v.isList) for (const e of v.elems ?? []) collect(e, depth + 1);
  };
  collect(root, 0);
  const build = (v0: Vertex, depth: number): PatchMeta | undefined => {
    if (depth > 64) return undefined;
    const v = ev.defaultOf(v0);
    const t = assigned.get(v) ?? assigned.get(v0);
    const meta: PatchMeta = { ...t };
    if (v.isStruct) {
      const fields: Record<string, PatchMeta> = {};
      for (const [k, a] of v.arcs ?? []) {
        if (!isRegularKey(k) || a.arcType !== 'regular') continue;
        const m = build(a, depth + 1);
        if (m) fields[k] = m;
      }
      if (Object.keys(fields).length) meta.fields = fields;
    }
    if (v.isList) {
      const items = (v.elems ?? []).map((e) => build(e, depth + 1) ?? {});
      if (items.some((m) => Object.keys(m).length)) meta.items = items;
    }
    return Object.keys(meta).length ? meta : undefined;
  };
  return build(root, 0);
}
