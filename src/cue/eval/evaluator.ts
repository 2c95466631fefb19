/**
 * The evaluator (CUE's internal/core/adt evaluation): unifies the conjuncts
 * of each vertex (CUE spec "Unification", "Structs", "Lists",
 * "Disjunction", "Default values", "Comprehensions", "References").
 * Evaluation is lazy and per vertex: a vertex is evaluated when it is looked
 * up or exported, so a field may refer to one defined later and the order of
 * conjuncts does not matter.
 *
 * References in unification position splice the conjuncts of the vertex they
 * refer to, each with its own environment, while struct literals are re-bound
 * to the vertex they are evaluated at: that is what makes
 * `#D: {x: int, y: x}; a: #D & {x: 2}` give `a.y: 2`.
 *
 * This class holds the state of one evaluation (limits, caches) and the
 * vertex loop; the work is done by the modules of this folder, one concern
 * each: unify.ts (conjuncts into a vertex), structs.ts, lists.ts,
 * comprehensions.ts, disjunctions.ts, closedness.ts, references.ts,
 * expressions.ts (values of expressions), calls.ts (the builtins bridge) and
 * data.ts (plain data in and out).
 */
import type * as ast from '../ast.js';
import type { CallContext } from '../builtins/index.js';
import type * as adt from '../adt/expr.js';
import { LimitError, isConcrete, type Bottom, type Scalar } from '../adt/scalar.js';
import { Status, deref, type CloseInfo, type Conjunct, type Env, type Pattern, type Val, type Vertex } from '../adt/vertex.js';
import * as calls from './calls.js';
import { checkClosed } from './closedness.js';
import * as data from './data.js';
import * as disjunctions from './disjunctions.js';
import * as expressions from './expressions.js';
import * as lists from './lists.js';
import { mergeScalar } from './merge.js';
import { Pending } from './pending.js';
import * as references from './references.js';
import * as structs from './structs.js';
import * as unify from './unify.js';

export type { Val };

export { LimitError };

export interface EvalOptions {
  /** Maximum number of evaluation steps before giving up. */
  maxSteps?: number;
  /** Maximum nesting of evaluation (guards the JavaScript stack). */
  maxDepth?: number;
}

/** Literals first, so that all static arcs exist before references and comprehensions look. */
function rank(c: Conjunct): number {
  if (c.k !== 'expr') return 0;
  const k = c.expr.k;
  return k === 'struct' || k === 'list' || k === 'lit' ? 0 : 1;
}

/** The conjuncts, rank 0 before rank 1, each in its order (a stable sort, without the work array of Array.prototype.sort). */
function byRank(cs: readonly Conjunct[]): Conjunct[] {
  const out = new Array<Conjunct>(cs.length);
  let n = 0;
  for (let i = 0; i < cs.length; i++) if (rank(cs[i]!) === 0) out[n++] = cs[i]!;
  for (let i = 0; i < cs.length; i++) if (rank(cs[i]!) !== 0) out[n++] = cs[i]!;
  return out;
}

export class Evaluator implements CallContext {
  steps = 0;
  depth = 0;
  readonly maxSteps: number;
  readonly maxDepth: number;
  // Made on first use: a template is evaluated once per service, and most evaluations need none of them
  // (weak collections in particular cost the garbage collector more than plain objects).
  private fieldErrorSet: WeakSet<Bottom> | undefined;
  private shapeMap: WeakMap<adt.Expr, WeakMap<Env, Vertex>> | undefined;
  private sourceValueMap: Map<string, Vertex> | undefined;
  /** Errors of fields, which are reported at the field itself (not again where a comprehension reads them). */
  markFieldError(err: Bottom): void {
    (this.fieldErrorSet ??= new WeakSet()).add(err);
  }
  isFieldError(err: Bottom): boolean {
    return this.fieldErrorSet?.has(err) ?? false;
  }
  /** One alternative of a closed disjunction evaluated on its own (closedness.ts). */
  get shapes(): WeakMap<adt.Expr, WeakMap<Env, Vertex>> {
    return (this.shapeMap ??= new WeakMap());
  }
  /** Package members written in CUE, evaluated once (calls.ts). */
  get sourceValues(): Map<string, Vertex> {
    return (this.sourceValueMap ??= new Map());
  }
  /** The vertices being evaluated, innermost last (to know who read a vertex in a reference cycle). */
  readonly stack: Vertex[] = [];
  /** The call being evaluated, for builtins that need its position. */
  callNode: ast.Node | undefined;
  callEnv: Env | undefined;

  constructor(opts: EvalOptions = {}) {
    this.maxSteps = opts.maxSteps ?? 1_000_000;
    this.maxDepth = opts.maxDepth ?? 1200;
  }

  step(): void {
    if (++this.steps > this.maxSteps) throw new LimitError(`evaluation exceeded the step limit (${this.maxSteps} steps): is there an unbounded recursion?`);
  }

  // -------------------------------------------------------------- the vertex loop

  /**
   * How many times a vertex under evaluation was read (a reference into a value being computed). A value computed
   * meanwhile may depend on what that vertex had so far, so it is not shared (unify.ts, splice).
   */
  reentries = 0;

  /** Evaluates a vertex shallowly: its kind, scalar value and arcs (not the arcs' values). */
  evalVertex(v: Vertex): void {
    if (v.status !== Status.Unevaluated) {
      if (v.status === Status.Evaluating) this.reentries++;
      // A shared value (unify.ts, splice) may have been reset by a conjunct that came later: evaluate it again.
      else if (v.forward !== undefined && v.forward.status === Status.Unevaluated) this.evalVertex(v.forward);
      return;
    }
    if (++this.depth > this.maxDepth) {
      this.depth--;
      throw new LimitError(`evaluation nested too deeply (more than ${this.maxDepth} levels)`);
    }
    v.status = Status.Evaluating;
    this.stack.push(v);
    try {
      do {
        v.lateConjuncts = false;
        this.unifyConjuncts(v);
      } while ((v.lateConjuncts && this.resetForLate(v)) || (v.rare?.cycleReaders !== undefined && this.resolveCycle(v)));
    } finally {
      if (v.rare) v.rare.provisional = undefined;
      v.status = Status.Done;
      this.stack.pop();
      this.depth--;
    }
  }

  /**
   * A reference cycle through this vertex (`a: b + 1, a: c, b: a - 1, c: 2`): its readers got a cycle error. If
   * the other conjuncts made its value concrete, evaluate once more with that value given to the readers (a fixed
   * point: a conflict shows if the cycle disagrees); else keep the cycle error, as CUE reports it.
   */
  private resolveCycle(v: Vertex): boolean {
    const rare = v.rare!;
    const readers = rare.cycleReaders!;
    rare.cycleReaders = undefined;
    if (rare.provisional || !isConcrete(v.scalar)) return false;
    const value = v.scalar;
    for (const r of readers) if (r.status === Status.Done) r.reset();
    v.status = Status.Done;
    v.reset();
    v.status = Status.Evaluating;
    v.more().provisional = value;
    return true;
  }

  private resetForLate(v: Vertex): boolean {
    v.status = Status.Done;
    v.reset();
    v.status = Status.Evaluating;
    return true;
  }

  private unifyConjuncts(v: Vertex): void {
    this.step();
    const pending = new Pending();
    let queue: readonly Conjunct[] = v.conjuncts;
    for (let j = 1; j < queue.length; j++) {
      if (rank(queue[j]!) < rank(queue[j - 1]!)) {
        queue = byRank(v.conjuncts);
        break;
      }
    }
    let i = 0;
    for (;;) {
      // Conjuncts may arrive while others are added (queue is v.conjuncts): take them all, then one deferred task.
      while (i < queue.length) this.addConjunct(v, queue[i++]!, pending);
      const task = pending.next();
      if (!task) break;
      task();
    }
    if (v.structHint && !v.isStruct && !v.isList && v.scalar.k === 'top' && !v.err) v.isStruct = true;
    if (v.rare?.placed) structs.placeComprehensionFields(v);
    lists.finishList(v);
    if (v.disjGroups && v.disjGroups.length) disjunctions.resolveDisjunctions(this, v);
    const d = deref(v);
    unify.checkValidators(this, d);
    checkClosed(this, d);
  }

  addConjunct(v: Vertex, c: Conjunct, pending: Pending): void {
    this.step();
    switch (c.k) {
      case 'scalar':
        mergeScalar(v, c.val);
        return;
      case 'vertex':
        unify.mergeVertexValue(this, v, c.v, c.close, pending);
        return;
      case 'expr':
        unify.addExpr(this, v, c.expr, c.env, c.close, pending);
        return;
    }
  }

  // -------------------------------------------------------------- entry points used across modules

  /** Evaluates an expression in value position. */
  evalExpr(e: adt.Expr, env: Env): Val {
    return expressions.evalExpr(this, e, env);
  }

  /** `x != _|_` / `x == _|_` as a boolean; undefined for other expressions (expressions.ts). */
  existenceTest(e: adt.Expr, env: Env): boolean | undefined {
    return expressions.existenceTest(this, e, env);
  }

  /** An anonymous vertex holding one expression (struct and list literals, unifications, disjunctions). */
  anon(e: adt.Expr, env: Env): Vertex {
    return expressions.anon(this, e, env);
  }

  /** Resolves a reference to a vertex, or to a scalar (a bottom when it fails). */
  resolveRef(e: adt.Expr, env: Env): Val {
    return references.resolveRef(this, e, env);
  }

  /** Unifies an expression into a vertex (unify.ts). */
  addExpr(v: Vertex, e: adt.Expr, env: Env, close: CloseInfo | undefined, pending: Pending): void {
    unify.addExpr(this, v, e, env, close, pending);
  }

  arc(v: Vertex, key: string, type: 'regular' | 'optional' | 'required', field: ast.Field | undefined): Vertex {
    return structs.arc(this, v, key, type, field);
  }

  patternMatches(p: Pattern, key: string): boolean {
    return structs.patternMatches(this, p, key);
  }

  /** The default of a disjunction (or the vertex itself). */
  defaultOf(v: Vertex): Vertex {
    return disjunctions.defaultOf(this, v);
  }

  /** The first fatal (non-incomplete) error in a vertex tree, evaluating it fully. */
  fatalError(v: Vertex): Bottom | undefined {
    return disjunctions.fatalError(this, v);
  }

  /** Structural equality of two evaluated values. */
  sameValue(a: Vertex, b: Vertex): boolean {
    return disjunctions.sameValue(this, a, b);
  }

  /** The elements of a list value (after defaults), or undefined when it is not a list. */
  listElems(v: Vertex): Vertex[] | undefined {
    return lists.listElems(this, v);
  }

  makeList(parent: Vertex | undefined, elems: readonly Val[]): Vertex {
    return lists.makeList(parent, elems);
  }

  // -------------------------------------------------------------- CallContext for builtins (calls.ts)

  /** A scalar for a value in value position: defaults resolved; structs/lists give a bottom. */
  concrete(v: Val, src?: ast.Node): Scalar {
    return calls.concrete(this, v, src);
  }

  describe(v: Vertex): string {
    return calls.describe(v);
  }

  isBottomVertex(v: Vertex): boolean {
    return calls.isBottomVertex(this, v);
  }

  toJSON(v: Val): unknown {
    return data.exportValue(this, v, []);
  }

  exportValue(v: Val, path: string[], depth = 0, keepFloats = false, allowIncomplete = false): unknown {
    return data.exportValue(this, v, path, depth, keepFloats, allowIncomplete);
  }

  fromJSON(x: unknown, parent?: Vertex): Val {
    return data.fromJSON(x, parent);
  }

  unify(schema: Vertex, value: Val): Vertex {
    return calls.unifyWith(this, schema, value);
  }

  fill(v: Vertex, fields: Record<string, Val>): Vertex {
    return calls.fill(this, v, fields);
  }

  structFields(v: Val): [string, Vertex][] | undefined {
    return calls.structFields(this, v);
  }
}
