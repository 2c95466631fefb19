/**
 * Disjunctions (CUE spec "Disjunction", "Default values"). A disjunction met
 * while unifying a vertex is recorded as a group; when all conjuncts are in,
 * each alternative of the first group is evaluated in a clone of the vertex
 * with all its other conjuncts (the clone resolves the remaining groups
 * itself). Alternatives that fail are dropped, equal ones merged. The
 * default of the result is the set of surviving alternatives that were
 * defaults in every disjunction.
 *
 * A vertex left with one alternative forwards to it (`forward`); one left
 * with several keeps them (`disj`) and its default decides its value in
 * value position (defaultOf).
 */
import { conflict, equalScalars, unifyScalar } from '../adt/ops.js';
import { K, LazyError, excludesComposite, formatScalar, isConcrete, isIncomplete, type Bottom, type Scalar } from '../adt/scalar.js';
import type { Span } from '../../source/index.js';
import { Status, Vertex, append, deref, isRegularKey, type Conjunct, type DisjGroup } from '../adt/vertex.js';
import type { Evaluator } from './evaluator.js';
import { Pending } from './pending.js';

export function addDisjGroup(evaluator: Evaluator, v: Vertex, g: DisjGroup, key: object, pending?: Pending): void {
  // Which occurrence of this disjunction at the vertex: the identities met so far, in a list (a vertex meets few).
  const seen = v.choiceOcc;
  let o = 0;
  if (seen) for (let i = 0; i < seen.length; i++) if (seen[i] === key) o++;
  v.choiceOcc = append(seen, key);
  const chosen = v.rare?.choices?.get(key)?.[o];
  if (chosen !== undefined) {
    // A clone of a disjunction: take the chosen alternative in place.
    const alt = g.alts[chosen];
    if (alt) evaluator.addConjunct(v, alt.conj, pending ?? new Pending());
    return;
  }
  g.key = key;
  g.occ = o;
  v.disjGroups = append(v.disjGroups, g);
}

export function resolveDisjunctions(evaluator: Evaluator, v: Vertex): void {
  const groups = v.disjGroups!;
  v.disjGroups = undefined;
  if (groups.length === 1 && scalarDisjunction(v, groups[0]!)) return;
  const g = groups[0]!;
  const errors: Bottom[] = [];
  const alts: Vertex[] = [];
  const defaults: boolean[] = [];
  for (let ai = 0; ai < g.alts.length; ai++) {
    // A scalar alternative where the other conjuncts made a struct or a list fails: no clone needed to know.
    const kindError = scalarAgainstComposite(v, g.alts[ai]!.conj);
    if (kindError) {
      errors.push(kindError);
      continue;
    }
    const choices = new Map(v.rare?.choices);
    const forced = [...(choices.get(g.key!) ?? [])];
    forced[g.occ!] = ai;
    choices.set(g.key!, forced);
    const clone = evalClone(evaluator, v, choices);
    // An alternative that fails is dropped; so is one whose own value is incomplete (`*p.x | []` with p.x unset
    // gives []), as CUE drops them when the value is needed.
    const err = fatalError(evaluator, clone) ?? deref(clone).err;
    if (err) {
      errors.push(err);
      continue;
    }
    let def = g.marked ? g.alts[ai]!.def : true;
    for (let x: Vertex = clone; x.forward; x = x.forward) def &&= x.rare?.forwardDefault ?? true;
    const result = deref(clone);
    if (result.disj) {
      const anyDef = result.disj.defaults.includes(true);
      const ds = result.disj.defaults;
      for (let i = 0; i < result.disj.alts.length; i++) pushAlt(evaluator, alts, defaults, result.disj.alts[i]!, def && (anyDef ? ds[i]! : true));
    } else pushAlt(evaluator, alts, defaults, result, def);
  }
  settleDisjunction(v, alts, defaults, errors);
}

/** Adds an alternative, once: an equal one already there keeps its place and becomes a default if this one is. */
function pushAlt(evaluator: Evaluator, alts: Vertex[], defaults: boolean[], a: Vertex, d: boolean): void {
  for (let i = 0; i < alts.length; i++) {
    if (sameValue(evaluator, alts[i]!, a)) {
      defaults[i] = defaults[i]! || d;
      return;
    }
  }
  alts.push(a);
  defaults.push(d);
}

function settleDisjunction(v: Vertex, alts: Vertex[], defaults: boolean[], errors: Bottom[]): void {
  if (alts.length === 0) {
    // Often never shown (an outer disjunct or an unset optional field drops it): the text is made when read.
    v.err = { k: 'bottom', err: new EmptyDisjunction(errors) };
    return;
  }
  if (alts.length === 1) {
    v.forward = alts[0];
    v.more().forwardDefault = defaults[0];
    return;
  }
  v.disj = { alts, defaults };
}

/** Every alternative failed: their messages, made when read. */
class EmptyDisjunction extends LazyError {
  constructor(private readonly errors: readonly Bottom[]) {
    super(errors.every((e) => isIncomplete(e.err.code)) ? 'incomplete' : 'conflict');
  }

  protected message(): string {
    const msgs = [...new Set(this.errors.map((e) => e.err.msg))];
    return msgs.length === 1 ? msgs[0]! : `${msgs.length} errors in empty disjunction: ${msgs.join('; ')}`;
  }

  protected positions(): readonly Span[] {
    return this.errors.flatMap((e) => e.err.spans);
  }
}

/**
 * The conflict of an alternative that is a scalar or a scalar constraint (`string`, `"a"`, `>=1`) with a vertex
 * that its other conjuncts already made a struct or a list; undefined when the alternative must be tried.
 */
function scalarAgainstComposite(v: Vertex, c: Conjunct): Bottom | undefined {
  if (!v.isStruct && !v.isList) return undefined;
  const s = literalOf(c);
  if (!s || !excludesComposite(s, v.isList)) return undefined;
  return conflict({ k: 'constraint', kinds: v.isList ? K.list : K.struct, bounds: [] }, s);
}

/** The value of a conjunct that is a constant (a scalar, or a literal expression), else undefined. */
function literalOf(c: Conjunct): Scalar | undefined {
  if (c.k === 'scalar') return c.val;
  return c.k === 'expr' && c.expr.k === 'lit' ? c.expr.value : undefined;
}

/** Fast path: a disjunction of constants on a vertex that is not a struct or list. */
function scalarDisjunction(v: Vertex, g: DisjGroup): boolean {
  if (v.isStruct || v.isList || v.err) return false;
  const vals: Scalar[] = [];
  for (let i = 0; i < g.alts.length; i++) {
    const s = literalOf(g.alts[i]!.conj);
    if (!s) return false;
    vals.push(s);
  }
  const alts: Vertex[] = [];
  const defaults: boolean[] = [];
  const errors: Bottom[] = [];
  // Indexed loops, no closures: this runs for every field with a disjunction of literals (`*"TCP" | "UDP"`).
  for (let i = 0; i < vals.length; i++) {
    const r = unifyScalar(v.scalar, vals[i]!);
    if (r.k === 'bottom') {
      errors.push(r);
      continue;
    }
    const d = g.marked ? g.alts[i]!.def : true;
    const idx = indexOfScalar(alts, r);
    if (idx >= 0) {
      defaults[idx] = defaults[idx]! || d;
      continue;
    }
    const alt = new Vertex(v.parent, v.label);
    alt.arcType = v.arcType;
    alt.decls = v.decls;
    alt.scalar = r;
    alt.status = Status.Done;
    alts.push(alt);
    defaults.push(d);
  }
  settleDisjunction(v, alts, defaults, errors);
  return true;
}

function indexOfScalar(alts: readonly Vertex[], s: Scalar): number {
  for (let j = 0; j < alts.length; j++) if (sameScalar(alts[j]!.scalar, s)) return j;
  return -1;
}

function evalClone(evaluator: Evaluator, v: Vertex, choices: Map<object, number[]>): Vertex {
  const clone = new Vertex(v.parent, v.label);
  clone.arcType = v.arcType;
  clone.decls = v.decls;
  clone.conjuncts = [...v.conjuncts];
  clone.more().choices = choices;
  evaluator.evalVertex(clone);
  return clone;
}

/** The first fatal (non-incomplete) error in a vertex tree, evaluating it fully. */
export function fatalError(evaluator: Evaluator, v0: Vertex, depth = 0): Bottom | undefined {
  evaluator.evalVertex(v0);
  const v = deref(v0);
  if (v.err && !isIncomplete(v.err.err.code)) return v.err;
  if (depth > 64) return undefined;
  if (v.disj) return undefined;
  if (v.arcs) {
    for (const a of v.arcs.values()) {
      if (a.arcType !== 'regular') continue;
      const e = fatalError(evaluator, a, depth + 1);
      if (e) return e;
    }
  }
  if (v.elems) {
    for (const a of v.elems) {
      const e = fatalError(evaluator, a, depth + 1);
      if (e) return e;
    }
  }
  return undefined;
}

function regularArcs(v: Vertex): [string, Vertex][] {
  return [...(v.arcs ?? [])].filter(([k, a]) => isRegularKey(k) && a.arcType !== 'optional');
}

/** Structural equality of two evaluated values (for merging equal disjuncts). */
export function sameValue(evaluator: Evaluator, a0: Vertex, b0: Vertex, depth = 0): boolean {
  if (depth > 32) return false;
  evaluator.evalVertex(a0);
  evaluator.evalVertex(b0);
  const a = deref(a0);
  const b = deref(b0);
  if (a === b) return true;
  if (a.err || b.err || a.disj || b.disj) return false;
  if (a.isStruct !== b.isStruct || a.isList !== b.isList) return false;
  if (a.isStruct) {
    const ka = regularArcs(a);
    const kb = regularArcs(b);
    if (ka.length !== kb.length) return false;
    if (a.closeInfos?.length !== b.closeInfos?.length) return false;
    for (const [k, x] of ka) {
      const y = b.arcs!.get(k);
      if (!y || y.arcType !== x.arcType || !sameValue(evaluator, x, y, depth + 1)) return false;
    }
    if (!!a.patterns !== !!b.patterns) return false;
    return sameScalar(a.scalar, b.scalar);
  }
  if (a.isList) {
    const ea = a.elems ?? [];
    const eb = b.elems ?? [];
    if (ea.length !== eb.length || (a.rare?.listOpen ?? false) !== (b.rare?.listOpen ?? false)) return false;
    return ea.every((x, i) => sameValue(evaluator, x, eb[i]!, depth + 1));
  }
  return sameScalar(a.scalar, b.scalar);
}

function sameScalar(a: Scalar, b: Scalar): boolean {
  if (a.k !== b.k) return false;
  if (a.k === 'top') return true;
  if (a.k === 'constraint' && b.k === 'constraint') return a.kinds === b.kinds && formatScalar(a) === formatScalar(b);
  if (isConcrete(a) && isConcrete(b)) return equalScalars(a, b);
  return false;
}

/** The default of a disjunction (or the vertex itself). */
export function defaultOf(evaluator: Evaluator, v0: Vertex): Vertex {
  evaluator.evalVertex(v0);
  const v = deref(v0);
  if (!v.disj) return v;
  const { alts, defaults } = v.disj;
  // The one default, if exactly one alternative is marked (counted, not filtered: this runs for every read of a disjunction).
  let only = -1;
  for (let i = 0; i < alts.length; i++) {
    if (!defaults[i]) continue;
    if (only >= 0) return v;
    only = i;
  }
  return only >= 0 ? defaultOf(evaluator, alts[only]!) : v;
}
