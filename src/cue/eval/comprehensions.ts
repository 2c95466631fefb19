/**
 * Comprehensions (CUE spec "Comprehensions"): `for`, `if` and `let` clauses
 * run left to right; each `for` iteration and each `let` opens a frame of
 * bindings (compiled by ../compile), and the body is yielded once per
 * complete run. A `for` over a struct visits its regular fields in order;
 * optional and unset required fields are skipped.
 *
 * A failing condition or source makes the comprehension yield nothing and
 * puts its error on the enclosing vertex, except an error that belongs to a
 * field (reported there, once).
 */
import type * as adt from '../adt/expr.js';
import { bottom, formatScalar, isConcrete, isIncomplete, mkInt, mkStr, spanOf, type Bottom } from '../adt/scalar.js';
import { Vertex, isRegularKey, type Binding, type Env } from '../adt/vertex.js';
import type { Evaluator } from './evaluator.js';

/**
 * Runs comprehension clauses, calling `yieldBody` with the environment of each iteration; `yieldBody` returns
 * false to stop the iterations (a size limit was reached). Returns false when stopped.
 */
export function runClauses(evaluator: Evaluator, clauses: readonly adt.Clause[], i: number, env: Env, yieldBody: (env: Env) => boolean | void, fail: (err: Bottom) => void): boolean {
  // A step per iteration too, so that a runaway comprehension stops at the limit before it fills memory.
  evaluator.step();
  if (i === clauses.length) return yieldBody(env) !== false;
  const clause = clauses[i]!;
  switch (clause.k) {
    case 'if': {
      const exists = evaluator.existenceTest(clause.cond, env);
      if (exists !== undefined) {
        evaluator.step(); // as evaluating the condition would
        return exists ? runClauses(evaluator, clauses, i + 1, env, yieldBody, fail) : true;
      }
      const cond = evaluator.concrete(evaluator.evalExpr(clause.cond, env), clause.cond.node);
      if (cond.k === 'bottom') {
        // A field that fails on its own reports its error where it is; the comprehension just does not run.
        if (isIncomplete(cond.err.code) || !evaluator.isFieldError(cond)) fail(cond);
        return true;
      }
      if (cond.k !== 'bool') {
        const node = clause.cond.node;
        fail(bottom('eval', `cannot use ${formatScalar(cond)} (type ${cond.k === 'constraint' ? 'non-concrete' : cond.k}) as bool in if clause`, spanOf(node), node));
        return true;
      }
      return cond.v ? runClauses(evaluator, clauses, i + 1, env, yieldBody, fail) : true;
    }
    case 'let': {
      const letVertex = new Vertex(env.vertex, clause.name);
      letVertex.addConjunct({ k: 'expr', expr: clause.expr, env });
      return runClauses(evaluator, clauses, i + 1, { vertex: env.vertex, parent: env, binds: [letVertex] }, yieldBody, fail);
    }
    case 'for':
      return forEach(evaluator, clause, env, nextClauses(evaluator, clauses, i + 1, env, yieldBody, fail), fail);
  }
}

/** The rest of the clauses, for each iteration of a `for`; made here so that only `for` clauses keep a heap context. */
function nextClauses(evaluator: Evaluator, clauses: readonly adt.Clause[], i: number, env: Env, yieldBody: (env: Env) => boolean | void, fail: (err: Bottom) => void): (binds: Binding[]) => boolean {
  return (binds) => runClauses(evaluator, clauses, i, { vertex: env.vertex, parent: env, binds }, yieldBody, fail);
}

function forEach(evaluator: Evaluator, clause: Extract<adt.Clause, { k: 'for' }>, env: Env, each: (binds: Binding[]) => boolean, fail: (err: Bottom) => void): boolean {
  const node = clause.source.node;
  const value = evaluator.evalExpr(clause.source, env);
  if (!(value instanceof Vertex)) {
    const s = evaluator.concrete(value, node);
    fail(s.k === 'bottom' ? s : bottom('eval', `cannot range over ${formatScalar(s)} (found ${s.k === 'constraint' ? 'non-concrete value' : s.k}, want list or struct)`, spanOf(node), node));
    return true;
  }
  const source = evaluator.defaultOf(value);
  if (source.err) {
    fail(source.err);
    return true;
  }
  if (source.isList) {
    const elems = evaluator.listElems(source) ?? [];
    for (let idx = 0; idx < elems.length; idx++) if (!each([elems[idx]!, mkInt(idx)])) return false;
    return true;
  }
  if (source.isStruct) {
    for (const [key, a] of [...(source.arcs ?? [])]) {
      if (!isRegularKey(key) || a.arcType !== 'regular') continue;
      if (!each([a, mkStr(key)])) return false;
    }
    return true;
  }
  const s = source.scalar;
  fail(bottom(isConcrete(s) ? 'eval' : 'incomplete', `cannot range over ${formatScalar(s)} (found ${isConcrete(s) ? s.k : 'non-concrete value'}, want list or struct)`, spanOf(node), node));
  return true;
}
