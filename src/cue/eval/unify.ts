/**
 * Unification of one conjunct into a vertex (CUE spec "Unification"): an
 * expression in unification position adds to the vertex rather than
 * computing a value. Struct and list literals add their declarations
 * (structs.ts, lists.ts), `&` adds both sides, a disjunction is recorded
 * for disjunctions.ts, a reference splices the conjuncts of the vertex it
 * names (re-bound here), and anything else is evaluated (expressions.ts)
 * and its value merged.
 *
 * `close(x)`, `and(list)` and `or(list)` act on conjuncts, not on values, so
 * they are handled here too.
 */
import type * as ast from '../ast.js';
import type * as adt from '../adt/expr.js';
import { K, bottom, isIncomplete, spanOf } from '../adt/scalar.js';
import { conflict } from '../adt/ops.js';
import { Status, Vertex, append, deref, disjGroup, type CloseInfo, type Conjunct, type DisjAlt, type Env } from '../adt/vertex.js';
import { shapeOf, withClose } from './closedness.js';
import { addDisjGroup } from './disjunctions.js';
import type { Evaluator } from './evaluator.js';
import { addListLit } from './lists.js';
import { markList, markStruct, mergeScalar, notAValue, withSrc } from './merge.js';
import type { Pending } from './pending.js';
import { addPattern, addStructLit, arc } from './structs.js';

export function addExpr(evaluator: Evaluator, v: Vertex, e: adt.Expr, env: Env, close: CloseInfo | undefined, pending: Pending): void {
  switch (e.k) {
    case 'struct':
      addStructLit(evaluator, v, e, env, close, pending);
      return;
    case 'list':
      addListLit(evaluator, v, e, env, close);
      return;
    case 'lit':
      mergeScalar(v, e.value);
      return;
    case 'bottom':
      mergeScalar(v, bottom('user', 'explicit error (_|_ literal) in source', spanOf(e.node), e.node));
      return;
    case 'alias':
      addExpr(evaluator, v, e.x, { vertex: env.vertex, parent: env, binds: [v] }, close, pending);
      return;
    case 'binary':
      if (e.op === '&') {
        addExpr(evaluator, v, e.x, env, close, pending);
        addExpr(evaluator, v, e.y, env, close, pending);
        return;
      }
      break;
    case 'disjunction':
      addDisjunction(evaluator, v, e, env, close, pending);
      return;
    case 'fieldref':
    case 'letref':
    case 'bindref':
    case 'select':
    case 'index':
    case 'source': {
      const r = evaluator.resolveRef(e, env);
      if (r instanceof Vertex) splice(evaluator, v, r, e.node, close, pending, isSoleConjunct(v, e, env));
      else mergeScalar(v, withSrc(r, e.node));
      return;
    }
    case 'importref':
    case 'builtin':
      mergeScalar(v, notAValue(e.k === 'builtin' ? e.builtin : e, e.node));
      return;
    case 'call':
      if (specialCall(evaluator, v, e, env, close, pending)) return;
      break;
  }
  const val = evaluator.evalExpr(e, env);
  if (val instanceof Vertex) mergeVertexValue(evaluator, v, val, close, pending);
  else mergeScalar(v, val);
}

function addDisjunction(evaluator: Evaluator, v: Vertex, e: adt.Disjunction, env: Env, close: CloseInfo | undefined, pending: Pending): void {
  if (e.literals) {
    addDisjGroup(evaluator, v, disjGroup(e.literals, e.marked), e, pending);
    return;
  }
  const alts: DisjAlt[] = e.alts.map((a) => ({ conj: { k: 'expr', expr: a.expr, env, close }, def: a.def }));
  if (close && !(close.kind === 'def' && close.extra) && e.node.kind === 'BinaryExpr') {
    // A disjunction in a definition (or that is one) closes each alternative to its own fields: the
    // definition's value at this place is the disjunction, which does not say which fields one branch allows.
    for (let i = 0; i < alts.length; i++) {
      const c = alts[i]!.conj as Extract<Conjunct, { k: 'expr' }>;
      if (c.expr.k === 'lit') continue;
      alts[i] = { def: alts[i]!.def, conj: { ...c, close: { kind: 'def', defs: [shapeOf(evaluator, c.expr, c.env)] } } };
    }
  }
  addDisjGroup(evaluator, v, disjGroup(alts, e.marked), e, pending);
}

/** `close(x)`, `and(list)`, `or(list)`. */
function specialCall(evaluator: Evaluator, v: Vertex, e: adt.Call, env: Env, close: CloseInfo | undefined, pending: Pending): boolean {
  if (e.fn.k !== 'builtin') return false;
  const name = e.fn.builtin.name;
  if (name !== 'close' && name !== 'and' && name !== 'or') return false;
  if (e.args.length !== 1) {
    mergeScalar(v, bottom('eval', `${name}: expected 1 argument, got ${e.args.length}`, spanOf(e.node), e.node));
    return true;
  }
  const arg = e.args[0]!;
  if (name === 'close') {
    const anon = new Vertex(v.parent, v.label);
    anon.addConjunct({ k: 'expr', expr: arg, env, close });
    evaluator.evalVertex(anon);
    anon.more().closedByCall = true;
    if (!deref(anon).isStruct) {
      mergeScalar(v, bottom('eval', 'close: argument must be a struct', spanOf(arg.node), arg.node));
      return true;
    }
    markStruct(v, e.node);
    for (const c of anon.conjuncts) evaluator.addConjunct(v, withClose(c, { kind: 'def', defs: [anon] }), pending);
    return true;
  }
  const list = evaluator.evalExpr(arg, env);
  const elems = list instanceof Vertex ? evaluator.listElems(list) : undefined;
  if (!elems) {
    mergeScalar(v, bottom(list instanceof Vertex || list.k !== 'bottom' ? 'eval' : list.err.code, `${name}: argument must be a list`, spanOf(arg.node), arg.node));
    return true;
  }
  if (name === 'and') {
    for (const elem of elems) evaluator.addConjunct(v, { k: 'vertex', v: elem, close }, pending);
    return true;
  }
  if (elems.length === 0) {
    mergeScalar(v, bottom('conflict', 'empty disjunction: or of an empty list', spanOf(e.node), e.node));
    return true;
  }
  addDisjGroup(evaluator, v, disjGroup(elems.map((elem) => ({ conj: { k: 'vertex', v: elem, close } as Conjunct, def: false })), false), e, pending);
  return true;
}

/**
 * Whether `e` is all of `v`: its only conjunct, or the only embedding of a struct literal that is (`{e.variable}`,
 * a comprehension's value), not part of one (`x & y`), with nothing else that shapes `v` (closedness, patterns,
 * disjunction choices, injected data).
 */
function isSoleConjunct(v: Vertex, e: adt.Expr, env: Env): boolean {
  const cs = v.conjuncts;
  if (cs.length !== 1) return false;
  const c = cs[0]!;
  if (c.k !== 'expr' || c.close !== undefined || v.rare !== undefined || v.patterns !== undefined || v.closeInfos !== undefined) return false;
  if (c.expr === e) return c.env === env;
  const s = c.expr;
  // addStructLit's scope for the literal: its vertex, under the conjunct's.
  return s.k === 'struct' && s.decls.length === 1 && s.decls[0]!.k === 'embed' && s.decls[0]!.expr === e && env.vertex === v && env.parent === c.env;
}

/** Whether the data vertex `w` is v's only conjunct, with nothing else that shapes v (as isSoleConjunct). */
function isSoleVertex(v: Vertex, w: Vertex): boolean {
  const cs = v.conjuncts;
  if (cs.length !== 1) return false;
  const c = cs[0]!;
  return c.k === 'vertex' && c.v === w && c.close === undefined && v.rare === undefined && v.patterns === undefined && v.closeInfos === undefined;
}

/**
 * Unification with a referenced vertex: take its conjuncts, re-bound here. When the reference is all the vertex
 * has (`image: parameter.image`, `variable: e`, `env: _envVars`), its value is the referenced one, so the vertex
 * forwards to the finished value (as a disjunction forwards to the alternative it settled on): the referenced
 * conjuncts (a disjunction, a regular expression, a comprehension) are not unified again for every place that
 * refers to them. A conjunct that comes later resets the vertex, which then takes the conjuncts as below.
 */
function splice(evaluator: Evaluator, v: Vertex, r: Vertex, src: ast.Node, close: CloseInfo | undefined, pending: Pending, sole = false): void {
  if (r === v) return; // `a: a` adds nothing
  for (let p = v.parent; p; p = p.parent) {
    if (p === r) {
      mergeScalar(v, bottom('structural-cycle', 'structural cycle', spanOf(src), src));
      return;
    }
  }
  if (!v.markSpliced(r)) return;
  // Make sure the parent of r has gathered all conjuncts of its arcs.
  if (r.status === Status.Unevaluated && r.parent?.status === Status.Unevaluated) evaluator.evalVertex(r.parent);
  if (sole && !r.isDef && r.conjuncts.length > 0) {
    const reentries = evaluator.reentries;
    evaluator.evalVertex(r);
    // Not when r is being evaluated (a reference cycle) or read a value being evaluated to compute its own.
    if (r.status === Status.Done && evaluator.reentries === reentries && !r.rare?.closedByCall) {
      v.forward = deref(r);
      return;
    }
  }
  let closeInfo: CloseInfo | undefined = close;
  if (r.isDef || r.rare?.closedByCall) {
    evaluator.evalVertex(r);
    closeInfo = { kind: 'def', defs: [r] };
  }
  if (r.conjuncts.length === 0) {
    // A vertex built by the evaluator (e.g. a builtin result) has no conjuncts of its own.
    evaluator.addConjunct(v, { k: 'vertex', v: r, close: closeInfo }, pending);
    return;
  }
  const conjuncts = r.conjuncts;
  for (let i = 0; i < conjuncts.length; i++) evaluator.addConjunct(v, withClose(conjuncts[i]!, closeInfo), pending);
}

/** Merges an already-built value (injected data, builtin results) without rebinding. */
export function mergeVertexValue(evaluator: Evaluator, v: Vertex, w0: Vertex, close: CloseInfo | undefined, pending: Pending): void {
  evaluator.evalVertex(w0);
  const w = deref(w0);
  // Finished data that is all of v (a template's `context`, which it only reads): v is that value, as for a
  // reference that is all of a vertex (splice). Its fields are not copied into arcs of v, one vertex each.
  if (w.conjuncts.length === 0 && w.status === Status.Done && !w.disj && !w.err && isSoleVertex(v, w0)) {
    v.forward = w;
    return;
  }
  if (w.disj) {
    mergeDisjunction(evaluator, v, w, w.disj, close, pending);
    return;
  }
  if (w.err) mergeScalar(v, w.err);
  if (w.isStruct) {
    markStruct(v);
    mergeArcs(evaluator, v, w, close);
    if (w.patterns) for (const p of w.patterns) addPattern(evaluator, v, p);
    if (w.openEllipsis) v.openEllipsis = true;
    if (w.closeInfos) for (const closeInfo of w.closeInfos) v.closeInfos = append(v.closeInfos, closeInfo);
  } else if (w.isList) {
    markList(v);
    const rare = v.more();
    rare.listParts = append(rare.listParts, {
      elems: (w.elems ?? []).map((e) => ({ k: 'vertex', v: e }) as Conjunct),
      open: w.rare?.listOpen ?? false,
      rest: w.rare?.listRest ?? [],
      src: undefined,
    });
  }
  mergeScalar(v, w.scalar);
  if (close) v.closeInfos = append(v.closeInfos, close);
}

// The closures of merging are made in functions of their own, so that mergeVertexValue keeps no heap context.
function mergeDisjunction(evaluator: Evaluator, v: Vertex, w: Vertex, disj: NonNullable<Vertex['disj']>, close: CloseInfo | undefined, pending: Pending): void {
  const defaults = disj.defaults;
  const alts = disj.alts.map((a, i): DisjAlt => ({ conj: { k: 'vertex', v: a, close }, def: defaults[i]! }));
  addDisjGroup(evaluator, v, disjGroup(alts, defaults.includes(true) && defaults.includes(false)), w, pending);
}

function mergeArcs(evaluator: Evaluator, v: Vertex, w: Vertex, close: CloseInfo | undefined): void {
  // forEach, not for-of: no iterator objects per field while the code is still cold.
  w.arcs?.forEach((a, key) => {
    const child = arc(evaluator, v, key, a.arcType, undefined);
    child.decls ??= a.decls;
    child.addConjunct({ k: 'vertex', v: a, close: close && { kind: 'arc', up: close, key } });
  });
}

/** Validators (`strings.MinRunes(3)`, `list.MaxItems(2)`) on a struct or list, and kinds that exclude it. */
export function checkValidators(evaluator: Evaluator, v: Vertex): void {
  if (v.err) return;
  if ((v.isStruct || v.isList) && v.scalar.k === 'constraint') {
    for (const b of v.scalar.bounds) {
      if (!b.call) continue;
      const r = b.call.test(v);
      if (r.k === 'bottom') {
        if (!isIncomplete(r.err.code)) v.err = r;
      } else if (!(r.k === 'bool' && r.v)) {
        v.err = bottom('conflict', `invalid value ${evaluator.describe(v)} (does not satisfy ${b.call.name})`, spanOf(b.src), b.src);
      }
      if (v.err) return;
    }
  }
  if ((v.isStruct || v.isList) && v.scalar.k === 'constraint') {
    const need = v.isStruct ? K.struct : K.list;
    if (!(v.scalar.kinds & need)) v.err = conflict(v.scalar, { k: 'constraint', kinds: need, bounds: [] });
  }
}
