/**
 * Lists (CUE spec "Lists"): every list literal unified into a vertex adds a
 * part; once all conjuncts are in, the parts are combined element by
 * element. Closed lists must agree on their length; an open list (`[a,
 * ...T]`) accepts more elements, each constrained by T.
 */
import type * as adt from '../adt/expr.js';
import { BuiltinError, bottom, spanOf } from '../adt/scalar.js';
import { MAX_LIST, tooLarge } from '../adt/limits.js';
import { Status, Vertex, append, type CloseInfo, type Conjunct, type Env, type ListPart } from '../adt/vertex.js';
import { runClauses } from './comprehensions.js';
import type { Evaluator, Val } from './evaluator.js';
import { markList, mergeScalar } from './merge.js';

export function addListLit(evaluator: Evaluator, v: Vertex, l: adt.ListLit, env: Env, close: CloseInfo | undefined): void {
  markList(v, l.node);
  const part: ListPart = { elems: [], open: false, rest: [], src: l.node };
  for (let i = 0; i < l.elems.length; i++) {
    const elem = l.elems[i]!;
    if (elem.k === 'rest') {
      (part as { open: boolean }).open = true;
      if (elem.type) part.rest.push({ k: 'expr', expr: elem.type, env, close });
    } else if (elem.k === 'comprehension') {
      addListComprehension(evaluator, v, part, elem, env, close);
    } else {
      part.elems.push({ k: 'expr', expr: elem.expr, env, close });
    }
  }
  const rare = v.more();
  rare.listParts = append(rare.listParts, part);
}

/** The elements a comprehension yields. Its own function: only comprehensions keep their variables in a heap context for the closures. */
function addListComprehension(evaluator: Evaluator, v: Vertex, part: ListPart, elem: adt.Comprehension, env: Env, close: CloseInfo | undefined): void {
  runClauses(
    evaluator,
    elem.clauses,
    0,
    env,
    (e) => {
      if (part.elems.length >= MAX_LIST) {
        mergeScalar(v, bottom('limit', tooLarge('list comprehension', `more than ${MAX_LIST} elements`, MAX_LIST), spanOf(elem.node), elem.node));
        return false;
      }
      part.elems.push({ k: 'expr', expr: elem.body, env: e, close });
    },
    (err) => mergeScalar(v, err),
  );
}

export function finishList(v: Vertex): void {
  const parts = v.rare?.listParts;
  if (!v.isList || !parts) return;
  // Indexed loops and no filtered copies: this runs for every list while the code is still cold (a CLI run is short).
  let first: ListPart | undefined;
  let len = 0;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (p.open) continue;
    if (first === undefined) {
      first = p;
      len = p.elems.length;
    } else if (p.elems.length !== len) {
      mergeScalar(v, bottom('conflict', `incompatible list lengths (${len} and ${p.elems.length})`, [...spanOf(first.src), ...spanOf(p.src)], p.src));
      return;
    }
  }
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (first === undefined) len = Math.max(len, p.elems.length);
    else if (p.open && p.elems.length > len) {
      mergeScalar(v, bottom('conflict', `incompatible list lengths (${len} and at least ${p.elems.length})`, spanOf(p.src), p.src));
      return;
    }
  }
  const elems = new Array<Vertex>(len);
  for (let i = 0; i < len; i++) {
    const elem = new Vertex(v, String(i));
    for (let j = 0; j < parts.length; j++) {
      const p = parts[j]!;
      const c = p.elems[i];
      if (c) elem.addConjunct(c);
      else if (p.open) for (const r of p.rest) elem.addConjunct(r);
    }
    elems[i] = elem;
  }
  v.elems = elems;
  const rare = v.more();
  rare.listOpen = first === undefined;
  if (rare.listOpen) rare.listRest = parts.flatMap((p) => p.rest);
}

/** The elements of a list value (after defaults), or undefined when it is not a list. */
export function listElems(evaluator: Evaluator, v0: Vertex): Vertex[] | undefined {
  evaluator.evalVertex(v0);
  const v = evaluator.defaultOf(v0);
  if (!v.isList) return undefined;
  return v.elems ?? [];
}

/** A finished list of the given values (builtin results, list operators); longer than MAX_LIST is a BuiltinError. */
export function makeList(parent: Vertex | undefined, elems: readonly Val[]): Vertex {
  if (elems.length > MAX_LIST) throw new BuiltinError('limit', tooLarge('list', elems.length, MAX_LIST));
  const v = new Vertex(parent, '');
  v.isList = true;
  v.status = Status.Done;
  v.elems = elems.map((elem, i) => {
    const c = new Vertex(v, String(i));
    c.addConjunct(elem instanceof Vertex ? ({ k: 'vertex', v: elem } as Conjunct) : { k: 'scalar', val: elem });
    return c;
  });
  return v;
}
