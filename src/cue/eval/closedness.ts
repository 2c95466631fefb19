/**
 * Closedness (CUE spec "Closed structs", "Definitions"): a conjunct that
 * came from a definition, from `close()` or from an embedded definition
 * carries a CloseInfo saying where it came from. Once a vertex is evaluated,
 * each of its close infos allows only the labels that its origin declares
 * (or matches by a pattern); fields the origin's own declarations added are
 * always allowed. An arc that no origin allows gets a "field not allowed"
 * error.
 *
 * For an arc below a definition (`#D: a: {...}`) the origin is found by
 * walking the CloseInfo chain down the definition's evaluated value; a field
 * reached through a pattern or an open struct is not closed there.
 */
import type * as adt from '../adt/expr.js';
import { bottom, spanOf } from '../adt/scalar.js';
import { Status, Vertex, deref, isRegularKey, labelOfKey, type CloseInfo, type Conjunct, type Env } from '../adt/vertex.js';
import type { Evaluator } from './evaluator.js';

export function checkClosed(evaluator: Evaluator, v: Vertex): void {
  if (!v.closeInfos || !v.arcs || !v.isStruct) return;
  for (const closeInfo of v.closeInfos) {
    const allowed = allowedBy(evaluator, closeInfo);
    if (!allowed) continue;
    v.arcs.forEach((a, key) => {
      if (!isRegularKey(key) || a.rare?.addedUnder?.includes(closeInfo)) return;
      if (!allowed(key)) {
        const src = a.decls?.[0]?.label;
        a.err ??= bottom('closed', `field not allowed: ${labelOfKey(key)}`, spanOf(src), src);
        a.status = Status.Done;
      }
    });
  }
}

/** A predicate for the labels a close info allows, or undefined when it allows everything. */
function allowedBy(evaluator: Evaluator, closeInfo: CloseInfo): ((key: string) => boolean) | undefined {
  const origins = resolveClose(evaluator, closeInfo);
  if (!origins) return undefined;
  const { defs, extra } = origins;
  for (const d of defs) if (d.openEllipsis || !d.isStruct) return undefined;
  return (key) => {
    if (extra?.has(key)) return true;
    for (const d of defs) {
      if (d.arcs?.has(key)) return true;
      if (d.patterns?.some((p) => evaluator.patternMatches(p, key))) return true;
    }
    return false;
  };
}

function resolveClose(evaluator: Evaluator, closeInfo: CloseInfo): { defs: Vertex[]; extra?: ReadonlySet<string> } | undefined {
  if (closeInfo.kind === 'def') {
    return {
      defs: closeInfo.defs.map((d) => {
        evaluator.evalVertex(d);
        return deref(d);
      }),
      extra: closeInfo.extra,
    };
  }
  const up = resolveClose(evaluator, closeInfo.up);
  if (!up) return undefined;
  const defs: Vertex[] = [];
  for (const d of up.defs) {
    const a = d.arcs?.get(closeInfo.key);
    if (!a) return undefined; // came in through a pattern or an open struct: not closed here
    evaluator.evalVertex(a);
    defs.push(evaluator.defaultOf(a));
  }
  return { defs };
}

/** One alternative of a closed disjunction evaluated on its own, to know which fields it allows. */
export function shapeOf(evaluator: Evaluator, expr: adt.Expr, env: Env): Vertex {
  let byEnv = evaluator.shapes.get(expr);
  if (!byEnv) evaluator.shapes.set(expr, (byEnv = new WeakMap()));
  let v = byEnv.get(env);
  if (!v) {
    v = new Vertex(undefined, '#alt');
    v.addConjunct({ k: 'expr', expr, env });
    byEnv.set(env, v);
    evaluator.evalVertex(v);
  }
  return v;
}

/** A conjunct that carries the closedness of where it was spliced into. */
export function withClose(c: Conjunct, close: CloseInfo | undefined): Conjunct {
  if (!close || c.k === 'scalar') return c;
  return { ...c, close };
}
