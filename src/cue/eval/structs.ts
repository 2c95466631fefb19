/**
 * Struct literals (CUE spec "Structs", "Embedding", "Pattern constraints"):
 * a literal unified into a vertex opens a frame at that vertex and adds its
 * declarations: static fields become arcs at once (each with the field's
 * value as a conjunct), dynamic fields and embeddings run once the static
 * fields of every conjunct are in, comprehensions last. A pattern applies
 * to every regular arc whose label it matches, now and later.
 *
 * An embedded definition closes the embedding struct to the definition's
 * fields plus the struct's own declarations.
 */
import type * as ast from '../ast.js';
import { isReference, type Comprehension, type DynamicFieldDecl, type Expr, type FieldDecl, type StructLit } from '../adt/expr.js';
import { unifyScalar } from '../adt/ops.js';
import { bottom, formatScalar, mkStr, spanOf, type Scalar } from '../adt/scalar.js';
import { Vertex, append, deref, isRegularKey, labelOfKey, type CloseInfo, type Env, type Pattern } from '../adt/vertex.js';
import { withClose } from './closedness.js';
import { runClauses } from './comprehensions.js';
import type { Evaluator } from './evaluator.js';
import { markStruct, mergeScalar } from './merge.js';
import type { Pending } from './pending.js';

export function arc(evaluator: Evaluator, v: Vertex, key: string, type: 'regular' | 'optional' | 'required', field: ast.Field | undefined): Vertex {
  // `arcs` is an accessor (data vertices make their children on first access): read it once.
  let arcs = v.arcs;
  if (arcs === undefined) v.arcs = arcs = new Map();
  let a = arcs.get(key);
  if (!a) {
    a = new Vertex(v, labelOfKey(key));
    a.arcType = type;
    const at = v.rare?.insertAnchor;
    if (at !== undefined && field) (v.rare!.placed ??= []).push({ key, anchor: [...at.path, at.next++] });
    arcs.set(key, a);
    if (v.patterns && isRegularKey(key)) for (const p of v.patterns) applyPattern(evaluator, a, key, p);
  } else if (type === 'regular') {
    a.arcType = 'regular';
  } else if (type === 'required' && a.arcType === 'optional') {
    a.arcType = 'required';
  }
  if (field) a.decls = append(a.decls, field);
  return a;
}

export function addStructLit(evaluator: Evaluator, v: Vertex, s: StructLit, outer: Env, close: CloseInfo | undefined, pending: Pending): void {
  const env: Env = { vertex: v, parent: outer };
  if (s.duplicate) {
    const at = s.duplicate.node;
    mergeScalar(v, bottom('eval', `cannot have both alias and field with name "${s.duplicate.name}" in same scope`, spanOf(at), at));
  }
  if (close && !v.closeInfos?.includes(close)) v.closeInfos = append(v.closeInfos, close);
  let group: { defs: Vertex[]; extra: ReadonlySet<string> } | undefined;
  // Indexed, not for-of: no iterator objects per declaration while the code is still cold (a CLI run is short).
  const decls = s.decls;
  for (let i = 0; i < decls.length; i++) {
    const d = decls[i]!;
    switch (d.k) {
      case 'field':
        addField(evaluator, v, d.key, d, env, close);
        break;
      case 'pattern':
        addPattern(evaluator, v, { decl: d, env, close });
        break;
      case 'dynamic':
        pending.early(dynamicFieldTask(evaluator, v, d, env, close));
        break;
      case 'comprehension': {
        // Not a struct by itself: `x: { if c {"a"} }` embeds a scalar. Decided after the comprehensions ran.
        v.structHint = true;
        // Where the comprehension stands: before the arcs declared after it (nested: inside its parent's place).
        const at = v.rare?.insertAnchor;
        const anchor = at ? [...at.path, at.next++] : [v.arcs?.size ?? 0];
        pending.push(comprehensionTask(evaluator, v, d, env, close, pending, anchor));
        break;
      }
      case 'ellipsis':
        v.openEllipsis = true;
        break;
      case 'embed':
        group ??= { defs: [], extra: s.keys };
        addEmbed(evaluator, v, d.expr, env, close, group, pending);
        break;
    }
  }
  if (s.declaresStruct) markStruct(v, s.node);
}

// The deferred tasks are made here, not by closures in addStructLit: a closure there would make every call
// keep its variables in a heap context (and every declaration its own), deferred work or not.
function dynamicFieldTask(evaluator: Evaluator, v: Vertex, d: DynamicFieldDecl, env: Env, close: CloseInfo | undefined): () => void {
  return () => addDynamicField(evaluator, v, d, env, close);
}

function comprehensionTask(evaluator: Evaluator, v: Vertex, d: Comprehension, env: Env, close: CloseInfo | undefined, pending: Pending, anchor: number[]): () => void {
  return () => addComprehension(evaluator, v, d, env, close, pending, anchor);
}

function addField(evaluator: Evaluator, v: Vertex, key: string, d: FieldDecl | DynamicFieldDecl, env: Env, close: CloseInfo | undefined): void {
  const child = arc(evaluator, v, key, d.type, d.node);
  // A field declared by the definition itself (also from its comprehensions) is allowed by it.
  if (close && !child.rare?.addedUnder?.includes(close)) (child.more().addedUnder ??= []).push(close);
  child.addConjunct({ k: 'expr', expr: d.value, env, close: close && { kind: 'arc', up: close, key } });
}

function addDynamicField(evaluator: Evaluator, v: Vertex, d: DynamicFieldDecl, env: Env, close: CloseInfo | undefined): void {
  const node = d.label.node;
  const name = evaluator.concrete(evaluator.evalExpr(d.label, env), node);
  if (name.k !== 'string') {
    mergeScalar(v, name.k === 'bottom' ? name : bottom('eval', `invalid label ${formatScalar(name)}: label must be a string`, spanOf(node), node));
    return;
  }
  addField(evaluator, v, name.v, d, env, close);
}

export function addPattern(evaluator: Evaluator, v: Vertex, p: Pattern): void {
  (v.patterns ??= []).push(p);
  if (v.arcs) for (const [key, a] of v.arcs) if (isRegularKey(key)) applyPattern(evaluator, a, key, p);
}

function applyPattern(evaluator: Evaluator, a: Vertex, key: string, p: Pattern): void {
  if (!patternMatches(evaluator, p, key)) return;
  const env: Env = p.decl.alias ? { vertex: p.env.vertex, parent: p.env, binds: [mkStr(key)] } : p.env;
  a.addConjunct({ k: 'expr', expr: p.decl.value, env, close: p.close && { kind: 'arc', up: p.close, key } });
}

export function patternMatches(evaluator: Evaluator, p: Pattern, key: string): boolean {
  if (!p.matcher) {
    const m = evaluator.evalExpr(p.decl.label, p.env);
    if (m instanceof Vertex) {
      const d = deref(m);
      p.matcher = d.isStruct ? bottom('eval', 'invalid pattern', spanOf(p.decl.node.label), p.decl.node.label) : (d.err ?? d.scalar);
    } else p.matcher = m;
  }
  const m = p.matcher as Scalar;
  if (m.k === 'top') return true;
  if (m.k === 'bottom') return false;
  return unifyScalar(m, mkStr(key)).k !== 'bottom';
}

function addEmbed(evaluator: Evaluator, v: Vertex, e: Expr, env: Env, close: CloseInfo | undefined, group: { defs: Vertex[]; extra: ReadonlySet<string> }, pending: Pending): void {
  // An embedded definition closes the embedding struct to its fields plus the struct's own.
  if (isReference(e)) {
    const r = evaluator.resolveRef(e, env);
    if (r instanceof Vertex && (r.isDef || r.rare?.closedByCall) && r !== v) {
      const wasGrouped = group.defs.length > 0;
      group.defs.push(r);
      const closeInfo: CloseInfo = { kind: 'def', defs: group.defs, extra: group.extra };
      if (!wasGrouped) v.closeInfos = append(v.closeInfos, closeInfo);
      if (!v.markSpliced(r)) return;
      evaluator.evalVertex(r);
      const conjuncts = r.conjuncts;
      for (let i = 0; i < conjuncts.length; i++) evaluator.addConjunct(v, withClose(conjuncts[i]!, closeInfo), pending);
      return;
    }
  }
  evaluator.addExpr(v, e, env, close, pending);
}

function addComprehension(evaluator: Evaluator, v: Vertex, c: Comprehension, env: Env, close: CloseInfo | undefined, pending: Pending, anchor: readonly number[]): void {
  runClauses(
    evaluator,
    c.clauses,
    0,
    env,
    (e) => {
      const rare = v.more();
      const outer = rare.insertAnchor;
      rare.insertAnchor = { path: anchor, next: 0 };
      try {
        evaluator.addConjunct(v, { k: 'expr', expr: c.body, env: e, close }, pending);
      } finally {
        rare.insertAnchor = outer;
      }
    },
    (err) => mergeScalar(v, err),
  );
}

/** Moves the arcs that comprehensions added to where the comprehensions stand (see Vertex.placed). */
export function placeComprehensionFields(v: Vertex): void {
  const placed = v.rare?.placed;
  const arcs = v.arcs;
  if (v.rare) v.rare.placed = undefined;
  if (!placed || !arcs) return;
  // Often the comprehension stood last and nothing moves: that is found without listing the arcs.
  if (inOrder(arcs, placed)) return;
  const entries: { key: string; arc: Vertex; anchor: readonly number[] | undefined; index: number }[] = [];
  arcs.forEach((arc, key) => entries.push({ key, arc, anchor: anchorOf(placed, key), index: entries.length }));
  entries.sort((x, y) => comparePlaces(x.anchor, x.index, y.anchor, y.index));
  v.arcs = new Map(entries.map((e) => [e.key, e.arc]));
}

type Placed = readonly { key: string; anchor: readonly number[] }[];

/** Where a comprehension placed the arc `key` (the last time it was placed), or undefined when it stays. */
function anchorOf(placed: Placed, key: string): readonly number[] | undefined {
  let anchor: readonly number[] | undefined;
  for (let i = 0; i < placed.length; i++) if (placed[i]!.key === key) anchor = placed[i]!.anchor;
  return anchor;
}

/** Whether the arcs already stand in the order of their places (placeComprehensionFields). */
function inOrder(arcs: ReadonlyMap<string, Vertex>, placed: Placed): boolean {
  let prev: readonly number[] | undefined;
  let index = 0;
  let ordered = true;
  // forEach, not for-of: no iterator objects while the code is still cold.
  arcs.forEach((_, key) => {
    if (!ordered) return;
    const anchor = anchorOf(placed, key);
    if (index > 0 && comparePlaces(prev, index - 1, anchor, index) > 0) ordered = false;
    prev = anchor;
    index++;
  });
  return ordered;
}

/**
 * The order of two arcs, each given by its anchor (placed by a comprehension) or else its index among the arcs. As
 * sort keys: an arc that stayed at index i is [i, 1]; a placed arc at anchor [n, ...rest] is [n, 0, ...rest], before
 * the arc that followed the comprehension in the source. The keys are compared without being made.
 */
function comparePlaces(a: readonly number[] | undefined, ai: number, b: readonly number[] | undefined, bi: number): number {
  const la = a ? a.length + 1 : 2;
  const lb = b ? b.length + 1 : 2;
  for (let j = 0; j < la && j < lb; j++) {
    const x = a ? (j === 0 ? a[0]! : j === 1 ? 0 : a[j - 1]!) : j === 0 ? ai : 1;
    const y = b ? (j === 0 ? b[0]! : j === 1 ? 0 : b[j - 1]!) : j === 0 ? bi : 1;
    if (x !== y) return x - y;
  }
  return la - lb;
}
