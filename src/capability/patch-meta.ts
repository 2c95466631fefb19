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
import type { Program, Value } from '../cue/index.js';

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

const mayAnnotate = new WeakMap<Program, boolean>();

/**
 * Whether the patches of a program can have annotations at all: a tag needs a `+patchKey` or `+patchStrategy`
 * comment in its text, an open list a `...` (or a package, whose text is not the program's). When neither is
 * there, patchMetaOf would walk the patch to find nothing: a trait like scaler, evaluated once per service,
 * skips the walk. Decided once per program.
 */
export function mayHavePatchMeta(program: Program): boolean {
  let may = mayAnnotate.get(program);
  if (may === undefined) {
    may = program.imports.some((m) => m.size > 0) || program.files.some((f) => f.src.text.includes('+patch') || f.src.text.includes('...'));
    mayAnnotate.set(program, may);
  }
  return may;
}

/** The annotations of a patch value (undefined when it has none). */
export function patchMetaOf(patch: Value): PatchMeta | undefined {
  // One walk, depth first. A comment's tags apply to its own field or, for the whole-document strategies above a
  // shorthand chain, to the field the chain starts at: always the field itself or one that encloses it, so the
  // tags of each field on the current path are kept by depth below the patch, complete once its subtree is walked.
  const tagsAt: (Tags | undefined)[] = [];
  const walk = (v: Value, depth: number): PatchMeta | undefined => {
    if (depth > MAX_DEPTH) return undefined;
    // The path now ends at this field: what was kept for an earlier sibling and below it is done with.
    tagsAt.length = depth;
    for (const c of v.doc()) {
      const m = TAG.exec(c.text);
      if (!m) continue;
      const tags: Tags = m[1] === 'patchKey' ? { patchKey: m[2] } : STRATEGIES.has(m[2]!) ? { strategy: m[2] as PatchStrategy } : {};
      const whole = tags.strategy === 'jsonMergePatch' || tags.strategy === 'jsonPatch';
      const at = depth - (whole ? c.chain : 0);
      if (at < 0) continue; // written above the patch itself
      tagsAt[at] = { ...tagsAt[at], ...tags };
    }
    let fields: Record<string, PatchMeta> | undefined;
    for (const f of v.fields()) {
      if (!f.value.isSet) continue;
      const m = walk(f.value, depth + 1);
      if (m) (fields ??= {})[f.label] = m;
    }
    const items = v.elements().map((e) => walk(e, depth + 1) ?? {});
    const open = v.isOpenList();
    const elementType = open ? v.elementType() : undefined;
    // Walked even when it adds nothing to merge: its comments may annotate an enclosing field.
    const eachMeta = elementType ? walk(elementType, depth + 1) : undefined;
    const meta: PatchMeta = { ...tagsAt[depth] };
    if (fields) meta.fields = fields;
    if (items.some((m) => Object.keys(m).length)) meta.items = items;
    if (open) {
      meta.open = true;
      const each = elementType?.export({ allowIncomplete: true });
      if (each?.ok && isNonEmptyStruct(each.data)) meta.each = eachMeta ? { value: each.data, meta: eachMeta } : { value: each.data };
    }
    return Object.keys(meta).length ? meta : undefined;
  };
  return walk(patch, 0);
}
