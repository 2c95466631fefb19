/**
 * Expressions in value position (CUE spec "Operators", "Interpolation",
 * "Slice expressions"): the value of an expression, as opposed to unifying
 * it into a vertex (unify.ts). Composite results (struct and list literals,
 * `&`, disjunctions) are evaluated in an anonymous vertex; operators work on
 * the concrete values of their operands (defaults resolved), lists support
 * `+` and `*`, and `x == _|_` tests whether x fails.
 */
import { isReference } from '../adt/expr.js';
import type * as adt from '../adt/expr.js';
import { binaryScalar, unaryScalar } from '../adt/ops.js';
import { bottom, excludesComposite, formatScalar, isConcrete, mkBool, mkBytes, mkInt, mkStr, spanOf, type Scalar } from '../adt/scalar.js';
import { Status, Vertex, deref, type Env } from '../adt/vertex.js';
import { evalCall } from './calls.js';
import type { Evaluator, Val } from './evaluator.js';
import { makeList } from './lists.js';
import { MAX_LIST, MAX_STRING, tooLarge } from '../adt/limits.js';
import { formatDecimal } from '../adt/number.js';
import { notAValue } from './merge.js';

export function evalExpr(evaluator: Evaluator, e: adt.Expr, env: Env): Val {
  evaluator.step();
  switch (e.k) {
    case 'lit':
      return e.value;
    case 'bottom':
      return bottom('user', 'explicit error (_|_ literal) in source', spanOf(e.node), e.node);
    case 'fieldref':
    case 'letref':
    case 'bindref':
    case 'select':
    case 'index':
    case 'source': {
      const r = evaluator.resolveRef(e, env);
      if (r instanceof Vertex) evaluator.evalVertex(r);
      return r;
    }
    case 'importref':
      return notAValue(e, e.node);
    case 'builtin':
      return notAValue(e.builtin, e.node);
    case 'unresolved':
      return bottom('eval', e.message, spanOf(e.node), e.node);
    case 'unary':
      return unaryScalar(e.op, evaluator.concrete(evaluator.evalExpr(e.x, env), e.x.node), e.node);
    case 'binary':
      return evalBinary(evaluator, e, env);
    case 'interpolation':
      return evalInterpolation(evaluator, e, env);
    case 'call':
      return evalCall(evaluator, e, env);
    case 'slice':
      return evalSlice(evaluator, e, env);
    case 'struct':
    case 'list':
    case 'alias':
    case 'disjunction':
      return anon(evaluator, e, env);
    case 'bad':
      return bottom('eval', 'invalid expression', spanOf(e.node), e.node);
  }
}

/** An anonymous vertex holding one expression (struct and list literals, unifications, disjunctions). */
export function anon(evaluator: Evaluator, e: adt.Expr, env: Env): Vertex {
  const v = new Vertex(env.vertex, '');
  v.addConjunct({ k: 'expr', expr: e, env });
  evaluator.evalVertex(v);
  return v;
}

/**
 * An existence test, `x == _|_` or `x != _|_` (x fails or is undefined), as a boolean; undefined for any other
 * expression. Comprehensions' `if` clauses ask it directly, without a boolean value made for each.
 */
export function existenceTest(evaluator: Evaluator, e: adt.Expr, env: Env): boolean | undefined {
  if (e.k !== 'binary' || (e.op !== '==' && e.op !== '!=') || (e.y.k !== 'bottom' && e.x.k !== 'bottom')) return undefined;
  const tested = e.y.k === 'bottom' ? e.x : e.y;
  let isBottom: boolean;
  if (tested.k === 'binary' && tested.op === '&' && compositeAgainstScalar(evaluator, tested, env)) isBottom = true;
  else {
    const val = evaluator.evalExpr(tested, env);
    isBottom = val instanceof Vertex ? evaluator.isBottomVertex(val) : val.k === 'bottom';
  }
  return e.op === '==' ? isBottom : !isBottom;
}

/**
 * Whether `x & T` is known to fail without unifying x's conjuncts again: x is a reference to a finished struct or
 * list with no disjunction left, and T a scalar or a scalar constraint that admits neither (`string`, `>=1`, `"a"`).
 * Definitions test an entry's type this way (`(e & string) != _|_`) for every struct entry.
 */
function compositeAgainstScalar(evaluator: Evaluator, e: adt.Binary, env: Env): boolean {
  const ref = e.y.k === 'lit' ? e.x : e.x.k === 'lit' ? e.y : undefined;
  const lit = e.y.k === 'lit' ? e.y.value : e.x.k === 'lit' ? e.x.value : undefined;
  if (!ref || !lit || !isReference(ref)) return false;
  const r = evaluator.resolveRef(ref, env);
  if (!(r instanceof Vertex)) return false;
  evaluator.evalVertex(r);
  if (r.status !== Status.Done) return false;
  const d = deref(r);
  return !d.disj && !d.err && (d.isStruct || d.isList) && excludesComposite(lit, d.isList);
}

function evalBinary(evaluator: Evaluator, e: adt.Binary, env: Env): Val {
  const node = e.node;
  if (e.op === '&') return anon(evaluator, e, env);
  const exists = existenceTest(evaluator, e, env);
  if (exists !== undefined) return mkBool(exists, node);
  if (e.op === '&&' || e.op === '||') {
    const a = evaluator.concrete(evaluator.evalExpr(e.x, env), e.x.node);
    if (a.k === 'bottom') return a;
    if (a.k === 'bool' && ((e.op === '&&' && !a.v) || (e.op === '||' && a.v))) return mkBool(a.v, node);
    const b = evaluator.concrete(evaluator.evalExpr(e.y, env), e.y.node);
    if (b.k === 'bottom') return b;
    if (!isConcrete(a) || !isConcrete(b)) return bottom('incomplete', `operand of ${e.op} is not concrete`, spanOf(node), node);
    return binaryScalar(e.op, a, b, node);
  }
  const x = evaluator.evalExpr(e.x, env);
  const y = evaluator.evalExpr(e.y, env);
  // Lists: concatenation and repetition; structs/lists: equality.
  const left = x instanceof Vertex ? evaluator.defaultOf(x) : undefined;
  const right = y instanceof Vertex ? evaluator.defaultOf(y) : undefined;
  if ((left && (left.isList || left.isStruct)) || (right && (right.isList || right.isStruct))) return compositeBinary(evaluator, e, x, y, left, right, env);
  const a = evaluator.concrete(x, e.x.node);
  const b = evaluator.concrete(y, e.y.node);
  if (a.k === 'bottom') return a;
  if (b.k === 'bottom') return b;
  if (!isConcrete(a) || !isConcrete(b)) {
    const nonConcrete = !isConcrete(a) ? a : b;
    return bottom('incomplete', `non-concrete value ${formatScalar(nonConcrete)} in operand to ${e.op}`, spanOf(node), node);
  }
  return binaryScalar(e.op, a, b, node);
}

function compositeBinary(evaluator: Evaluator, e: adt.Binary, x: Val, y: Val, left: Vertex | undefined, right: Vertex | undefined, env: Env): Val {
  const node = e.node;
  if (left?.err) return left.err;
  if (right?.err) return right.err;
  if ((e.op === '==' || e.op === '!=') && left && right) {
    const eq = evaluator.sameValue(left, right);
    return mkBool(e.op === '==' ? eq : !eq, node);
  }
  if ((e.op === '==' || e.op === '!=') && (left || right)) {
    const other = left ? y : x;
    if (!(other instanceof Vertex) && other.k === 'null') return mkBool(e.op === '!=', node);
  }
  if (e.op === '+' && left?.isList && right?.isList) {
    const size = (left.elems ?? []).length + (right.elems ?? []).length;
    if (size > MAX_LIST) return bottom('limit', tooLarge('list concatenation', size, MAX_LIST), spanOf(node), node);
    return makeList(env.vertex, [...(left.elems ?? []), ...(right.elems ?? [])]);
  }
  if (e.op === '*' && (left?.isList || right?.isList)) {
    const list = left?.isList ? left : right!;
    const n = evaluator.concrete(left?.isList ? y : x, node);
    if (n.k !== 'int') return bottom('eval', `invalid operation: list ${e.op} ${formatScalar(n)}`, spanOf(node), node);
    const size = n.v * BigInt((list.elems ?? []).length);
    if (size > BigInt(MAX_LIST)) return bottom('limit', tooLarge('list repetition', size, MAX_LIST), spanOf(node), node);
    const elems: Vertex[] = [];
    for (let i = 0n; i < n.v; i++) elems.push(...(list.elems ?? []));
    return makeList(env.vertex, elems);
  }
  const kind = (w: Vertex | undefined) => (w ? (w.isList ? 'list' : 'struct') : 'scalar');
  return bottom('eval', `invalid operation ${e.op} on ${kind(left)} and ${kind(right)}`, spanOf(node), node);
}

function evalInterpolation(evaluator: Evaluator, e: adt.Interpolation, env: Env): Scalar {
  let out = '';
  for (const part of e.parts) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    const at = part.node;
    const c = evaluator.concrete(evaluator.evalExpr(part, env), at);
    switch (c.k) {
      case 'string':
      case 'bytes':
        out += c.v;
        break;
      case 'int':
        out += String(c.v);
        break;
      case 'float':
        out += formatDecimal(c.v);
        break;
      case 'bool':
        out += String(c.v);
        break;
      case 'bottom':
        return c;
      case 'null':
        return bottom('eval', 'cannot use null in interpolation', spanOf(at), at);
      default:
        return bottom('incomplete', `invalid interpolation: non-concrete value ${formatScalar(c)}`, spanOf(at), at);
    }
    // Checked as it grows: `"\(a)\(a)"` doubles at every step of a chain.
    if (out.length > MAX_STRING) return bottom('limit', tooLarge('interpolated string', out.length, MAX_STRING), spanOf(e.node), e.node);
  }
  return e.type === 'bytes' ? mkBytes(out, e.node) : mkStr(out, e.node);
}

function evalSlice(evaluator: Evaluator, e: adt.Slice, env: Env): Val {
  const node = e.node;
  const base = evaluator.evalExpr(e.x, env);
  const lo = e.lo ? evaluator.concrete(evaluator.evalExpr(e.lo, env), e.lo.node) : mkInt(0);
  if (lo.k !== 'int') return lo.k === 'bottom' ? lo : bottom('eval', 'slice index must be an int', spanOf(node), node);
  if (base instanceof Vertex) {
    const elems = evaluator.listElems(base);
    if (!elems) return bottom('eval', 'cannot slice a non-list', spanOf(node), node);
    const hi = e.hi ? evaluator.concrete(evaluator.evalExpr(e.hi, env), e.hi.node) : mkInt(elems.length);
    if (hi.k !== 'int') return hi.k === 'bottom' ? hi : bottom('eval', 'slice index must be an int', spanOf(node), node);
    if (lo.v < 0n || hi.v > BigInt(elems.length) || lo.v > hi.v) return bottom('eval', `invalid slice index [${lo.v}:${hi.v}] with length ${elems.length}`, spanOf(node), node);
    return makeList(env.vertex, elems.slice(Number(lo.v), Number(hi.v)));
  }
  const s = evaluator.concrete(base, e.x.node);
  if (s.k !== 'string' && s.k !== 'bytes') return s.k === 'bottom' ? s : bottom('eval', 'cannot slice this value', spanOf(node), node);
  const hi = e.hi ? evaluator.concrete(evaluator.evalExpr(e.hi, env), e.hi.node) : mkInt(s.v.length);
  if (hi.k !== 'int') return hi.k === 'bottom' ? hi : bottom('eval', 'slice index must be an int', spanOf(node), node);
  if (lo.v < 0n || hi.v > BigInt(s.v.length) || lo.v > hi.v) return bottom('eval', `invalid slice index [${lo.v}:${hi.v}] with length ${s.v.length}`, spanOf(node), node);
  return { k: s.k, v: s.v.slice(Number(lo.v), Number(hi.v)), src: node };
}
