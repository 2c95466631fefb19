/**
 * Merging into one vertex (CUE spec "Unification"): a scalar, or the fact
 * that the vertex is a struct or a list. A conflict is recorded as the
 * vertex's error (a bottom), never thrown: errors are values until export.
 * The first fatal error wins over an incomplete one.
 */
import type * as ast from '../ast.js';
import { conflict, unifyScalar } from '../adt/ops.js';
import { K, bottom, isConcrete, isIncomplete, spanOf, type Bottom, type Scalar } from '../adt/scalar.js';
import type { Vertex } from '../adt/vertex.js';

export function mergeScalar(v: Vertex, s: Scalar): void {
  if (s.k === 'top') return;
  if (s.k === 'bottom') {
    if (!v.err || (isIncomplete(v.err.err.code) && !isIncomplete(s.err.code))) v.err = s;
    return;
  }
  if (isConcrete(s) && (v.isStruct || v.isList)) {
    v.err ??= conflict({ k: 'constraint', kinds: v.isList ? K.list : K.struct, bounds: [] }, s);
    return;
  }
  if (s.k === 'constraint' && !(s.kinds & (K.list | K.struct)) && (v.isStruct || v.isList)) {
    v.err ??= conflict({ k: 'constraint', kinds: v.isList ? K.list : K.struct, bounds: [] }, s);
    return;
  }
  const r = unifyScalar(v.scalar, s);
  if (r.k === 'bottom') {
    if (!v.err || isIncomplete(v.err.err.code)) v.err = r;
  } else v.scalar = r;
}

export function markStruct(v: Vertex, src?: ast.Node): void {
  if (v.isList) {
    v.err ??= bottom('conflict', 'conflicting values list and struct (mismatched types list and struct)', spanOf(src), src);
    return;
  }
  if (isConcrete(v.scalar) || (v.scalar.k === 'constraint' && !(v.scalar.kinds & K.struct))) {
    v.err ??= conflict(v.scalar, { k: 'constraint', kinds: K.struct, bounds: [], src });
    return;
  }
  v.isStruct = true;
}

export function markList(v: Vertex, src?: ast.Node): void {
  if (v.isStruct) {
    v.err ??= bottom('conflict', 'conflicting values struct and list (mismatched types struct and list)', spanOf(src), src);
    return;
  }
  if (isConcrete(v.scalar) || (v.scalar.k === 'constraint' && !(v.scalar.kinds & K.list))) {
    v.err ??= conflict(v.scalar, { k: 'constraint', kinds: K.list, bounds: [], src });
    return;
  }
  v.isList = true;
}

/** A scalar that remembers where it was written, for positions in errors. */
export function withSrc(s: Scalar, e: ast.Node): Scalar {
  return s.src ? s : ({ ...s, src: e } as Scalar);
}

/** A builtin or a package where a value is needed. */
export function notAValue(r: { readonly name: string } | { readonly path: string }, node: ast.Node): Bottom {
  const what = 'path' in r ? `package "${r.path}"` : `builtin ${r.name}`;
  return bottom('eval', `cannot use ${what} as a value`, spanOf(node), node);
}
