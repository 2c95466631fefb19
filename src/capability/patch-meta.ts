/**
 * KubeVela's patch conventions: the strategy annotations of a trait's
 * `patch` value, read from the comments on its fields (`// +patchKey=name`,
 * `// +patchStrategy=retainKeys|replace|jsonMergePatch|jsonPatch`), as a
 * tree parallel to the exported patch document (render/patch.ts applies it).
 *
 * A comment above a shorthand chain (`// +patchStrategy=retainKeys` over
 * `patch: spec: replicas: x`) documents the innermost field of the chain,
 * as in CUE, except the whole-document strategies `jsonMergePatch` and
 * `jsonPatch`, which apply where they are written.
 */
import type { Value } from '../cue/index.js';

export type PatchStrategy = 'retainKeys' | 'replace' | 'jsonMergePatch' | 'jsonPatch';

export interface PatchMeta {
  patchKey?: string;
  strategy?: PatchStrategy;
  fields?: Record<string, PatchMeta>;
  items?: PatchMeta[];
  /** An open list (`[...T]`, `[a, ...]`): it unifies with a longer list, its items first. */
  open?: boolean;
  /**
   * The concrete part of an open list's element type (`[...{lifecycle: {...}}]`), with its annotations:
   * in CUE it unifies with every item of the list it meets, so it is merged into each workload item.
   */
  each?: { value: PatchValue; meta?: PatchMeta };
}

type PatchValue = null | boolean | number | string | PatchValue[] | { [key: string]: PatchValue };

interface Tags {
  patchKey?: string;
  strategy?: PatchStrategy;
}

const STRATEGIES = new Set<string>(['retainKeys', 'replace', 'jsonMergePatch', 'jsonPatch']);
const TAG = /^\s*\+(patchKey|patchStrategy)=(\S+)\s*$/;
const MAX_DEPTH = 64;

function isNonEmptyStruct(x: unknown): x is { [key: string]: PatchValue } {
  return x !== null && typeof x === 'object' && !Array.isArray(x) && Object.keys(x).length > 0;
}

/** The annotations of a patch value (undefined when it has none). */
export function patchMetaOf(patch: Value): PatchMeta | undefined {
  // Tags by the path of the field they apply to, relative to the patch (joined with NUL).
  const assigned = new Map<string, Tags>();
  const base = patch.path.length;
  const collect = (v: Value, depth: number) => {
    if (depth > MAX_DEPTH) return;
    for (const c of v.doc()) {
      const m = TAG.exec(c.text);
      if (!m) continue;
      const tags: Tags = m[1] === 'patchKey' ? { patchKey: m[2] } : STRATEGIES.has(m[2]!) ? { strategy: m[2] as PatchStrategy } : {};
      const whole = tags.strategy === 'jsonMergePatch' || tags.strategy === 'jsonPatch';
      const end = v.path.length - (whole ? c.chain : 0);
      if (end < base) continue; // written above the patch itself
      const at = v.path.slice(base, end);
      const key = at.join('\u0000');
      assigned.set(key, { ...assigned.get(key), ...tags });
    }
    for (const f of v.fields()) if (f.value.isSet) collect(f.value, depth + 1);
    for (const e of v.elements()) collect(e, depth + 1);
    const elementType = v.isOpenList() ? v.elementType() : undefined;
    if (elementType) collect(elementType, depth + 1);
  };
  const build = (v: Value, depth: number): PatchMeta | undefined => {
    if (depth > MAX_DEPTH) return undefined;
    const meta: PatchMeta = { ...assigned.get(v.path.slice(base).join('\u0000')) };
    const fields: Record<string, PatchMeta> = {};
    for (const f of v.fields()) {
      if (!f.value.isSet) continue;
      const m = build(f.value, depth + 1);
      if (m) fields[f.label] = m;
    }
    if (Object.keys(fields).length) meta.fields = fields;
    const items = v.elements().map((e) => build(e, depth + 1) ?? {});
    if (items.some((m) => Object.keys(m).length)) meta.items = items;
    if (v.isOpenList()) {
      meta.open = true;
      const elementType = v.elementType();
      const each = elementType?.export({ allowIncomplete: true });
      if (elementType && each?.ok && isNonEmptyStruct(each.data)) {
        const eachMeta = build(elementType, depth + 1);
        meta.each = { value: each.data, ...(eachMeta && { meta: eachMeta }) };
      }
    }
    return Object.keys(meta).length ? meta : undefined;
  };
  collect(patch, 0);
  return build(patch, 0);
}
