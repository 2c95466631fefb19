/** The `list` package. */
import { Vertex, type Val } from '../adt/vertex.js';
import { BuiltinError, mkBool, mkFloat, mkInt, type Concrete } from '../adt/scalar.js';
import { binaryScalar } from '../adt/ops.js';
import { bool, decimal, int, list } from './args.js';
import { MAX_LIST, tooLarge } from '../adt/limits.js';
import { add, cmp, decimalFromInt, isZero, mul, quo, truncToInt, type Decimal } from '../adt/number.js';
import type { Builtin, CallContext, Package } from './types.js';

const fn = (name: string, arity: number, call: Builtin['call']): Builtin => ({ name, arity, call });

function concreteArg(c: CallContext, v: Val): Concrete {
  const s = c.concrete(v);
  if (s.k === 'bottom') throw new BuiltinError(s.err.code, s.err.msg);
  if (s.k === 'top' || s.k === 'constraint') throw new BuiltinError('incomplete', 'non-concrete list element');
  return s;
}

function nums(c: CallContext, l: Val): { v: Decimal; float: boolean }[] {
  return list(c, l).map((e) => decimal(c, e));
}

/** An int when every input was one, else a float. */
function numberResult(xs: readonly { float: boolean }[], d: Decimal): Val {
  return xs.some((x) => x.float) ? mkFloat(d) : mkInt(truncToInt(d));
}


function flatten(c: CallContext, elems: Vertex[], depth: number): Val[] {
  const out: Val[] = [];
  for (const e of elems) {
    const inner = depth !== 0 ? c.listElems(e) : undefined;
    if (inner) out.push(...flatten(c, inner, depth - 1));
    else out.push(e);
  }
  return out;
}

/** Sorts with a comparator struct `{x: _, y: _, less: bool}` (list.Ascending, list.Descending or the user's own). */
function sortWith(c: CallContext, elems: Vertex[], cmp: Val, stable: boolean): Vertex[] {
  if (!(cmp instanceof Vertex)) throw new BuiltinError('eval', 'comparator must be a struct');
  const less = (a: Vertex, b: Vertex): boolean => {
    const r = c.fill(cmp, { x: a, y: b });
    const l = r.arcs?.get('less');
    if (!l) throw new BuiltinError('eval', 'comparator has no field less');
    return bool(c, l);
  };
  const idx = elems.map((e, i) => ({ e, i }));
  idx.sort((p, q) => (less(p.e, q.e) ? -1 : less(q.e, p.e) ? 1 : stable ? p.i - q.i : p.i - q.i));
  return idx.map((p) => p.e);
}

export const LIST: Package = {
  Concat: fn('Concat', 1, ([l], c) => c.makeList(undefined, list(c, l!).flatMap((x) => list(c, x)))),
  Contains: fn('Contains', 2, ([l, v], c) => {
    const target = v instanceof Vertex ? v : c.makeList(undefined, [v!]).elems![0]!;
    return mkBool(list(c, l!).some((e) => c.sameValue(e, target)));
  }),
  FlattenN: fn('FlattenN', 2, ([l, n], c) => c.makeList(undefined, flatten(c, list(c, l!), int(c, n!)))),
  Flatten: fn('Flatten', 1, ([l], c) => c.makeList(undefined, flatten(c, list(c, l!), -1))),
  Take: fn('Take', 2, ([l, n], c) => {
    const k = int(c, n!);
    if (k < 0) throw new BuiltinError('eval', 'negative index');
    return c.makeList(undefined, list(c, l!).slice(0, k));
  }),
  Drop: fn('Drop', 2, ([l, n], c) => {
    const k = int(c, n!);
    if (k < 0) throw new BuiltinError('eval', 'negative index');
    return c.makeList(undefined, list(c, l!).slice(k));
  }),
  Slice: fn('Slice', 3, ([l, i, j], c) => {
    const xs = list(c, l!);
    const a = int(c, i!);
    const b = int(c, j!);
    if (a < 0 || b > xs.length || a > b) throw new BuiltinError('eval', `invalid slice index ${a}:${b} with length ${xs.length}`);
    return c.makeList(undefined, xs.slice(a, b));
  }),
  Repeat: fn('Repeat', 2, ([l, n], c) => {
    const k = int(c, n!);
    if (k < 0) throw new BuiltinError('eval', 'negative count');
    const xs = list(c, l!);
    if (k * xs.length > MAX_LIST) throw new BuiltinError('limit', tooLarge('result', k * xs.length, MAX_LIST));
    const out: Vertex[] = [];
    for (let i = 0; i < k; i++) out.push(...xs);
    return c.makeList(undefined, out);
  }),
  Range: fn('Range', 3, ([a, b, s], c) => {
    const start = decimal(c, a!);
    const limit = decimal(c, b!);
    const step = decimal(c, s!);
    if (isZero(step.v)) throw new BuiltinError('eval', 'step must be non zero');
    const up = step.v.coef > 0n;
    if ((up && cmp(start.v, limit.v) > 0) || (!up && cmp(start.v, limit.v) < 0)) throw new BuiltinError('eval', 'end must be greater/less than start');
    const float = start.float || limit.float || step.float;
    const out: Val[] = [];
    for (let x = start.v; up ? cmp(x, limit.v) < 0 : cmp(x, limit.v) > 0; x = add(x, step.v)) {
      out.push(float ? mkFloat(x) : mkInt(truncToInt(x)));
      if (out.length > MAX_LIST) throw new BuiltinError('limit', tooLarge('range', `more than ${MAX_LIST}`, MAX_LIST));
    }
    return c.makeList(undefined, out);
  }),
  Sum: fn('Sum', 1, ([l], c) => {
    const xs = nums(c, l!);
    return numberResult(xs, xs.reduce((acc, x) => add(acc, x.v), decimalFromInt(0n)));
  }),
  Product: fn('Product', 1, ([l], c) => {
    const xs = nums(c, l!);
    return numberResult(xs, xs.reduce((acc, x) => mul(acc, x.v), decimalFromInt(1n)));
  }),
  Max: fn('Max', 1, ([l], c) => {
    const xs = nums(c, l!);
    if (!xs.length) throw new BuiltinError('eval', 'empty list');
    const m = xs.reduce((acc, x) => (cmp(x.v, acc.v) > 0 ? x : acc));
    return m.float ? mkFloat(m.v) : mkInt(truncToInt(m.v));
  }),
  Min: fn('Min', 1, ([l], c) => {
    const xs = nums(c, l!);
    if (!xs.length) throw new BuiltinError('eval', 'empty list');
    const m = xs.reduce((acc, x) => (cmp(x.v, acc.v) < 0 ? x : acc));
    return m.float ? mkFloat(m.v) : mkInt(truncToInt(m.v));
  }),
  Avg: fn('Avg', 1, ([l], c) => {
    const xs = nums(c, l!);
    if (!xs.length) throw new BuiltinError('eval', 'empty list');
    return mkFloat(quo(xs.reduce((acc, x) => add(acc, x.v), decimalFromInt(0n)), decimalFromInt(BigInt(xs.length)))!);
  }),
  Sort: fn('Sort', 2, ([l, cmp], c) => c.makeList(undefined, sortWith(c, list(c, l!), cmp!, false))),
  SortStable: fn('SortStable', 2, ([l, cmp], c) => c.makeList(undefined, sortWith(c, list(c, l!), cmp!, true))),
  SortStrings: fn('SortStrings', 1, ([l], c) => {
    const xs = list(c, l!).map((e) => ({ e, s: concreteArg(c, e) }));
    for (const x of xs) if (x.s.k !== 'string') throw new BuiltinError('eval', 'SortStrings: element is not a string');
    xs.sort((a, b) => ((a.s as { v: string }).v < (b.s as { v: string }).v ? -1 : (a.s as { v: string }).v > (b.s as { v: string }).v ? 1 : 0));
    return c.makeList(undefined, xs.map((x) => x.e));
  }),
  IsSorted: fn('IsSorted', 2, ([l, cmp], c) => {
    const xs = list(c, l!);
    const sorted = sortWith(c, xs, cmp!, true);
    return mkBool(sorted.every((e, i) => e === xs[i]));
  }),
  IsSortedStrings: fn('IsSortedStrings', 1, ([l], c) => {
    const xs = list(c, l!).map((e) => concreteArg(c, e));
    return mkBool(xs.every((x, i) => i === 0 || binaryScalar('<=', xs[i - 1]!, x).k === 'bool' && (binaryScalar('<=', xs[i - 1]!, x) as { v: boolean }).v));
  }),
  UniqueItems: { validator: true, ...fn('UniqueItems', 1, ([l], c) => {
    const xs = list(c, l!);
    return mkBool(xs.every((x, i) => xs.findIndex((y) => c.sameValue(x, y)) === i));
  }) },
  MinItems: { ...fn('MinItems', 2, ([l, n], c) => mkBool(list(c, l!).length >= int(c, n!))), validator: true },
  MaxItems: { ...fn('MaxItems', 2, ([l, n], c) => mkBool(list(c, l!).length <= int(c, n!))), validator: true },
};
