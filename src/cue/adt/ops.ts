/**
 * Operations on scalars (CUE spec "Unification", "Bounds", "Operators"):
 * unification of basic values, constraints and bounds; arithmetic and
 * comparison of concrete values.
 */
import type * as ast from '../ast.js';
import type { Span } from '../../source/index.js';
import { compileRegex } from './regex.js';
import { MAX_STRING, tooLarge } from './limits.js';
import { NumberRangeError, add, cmp, intAdd, intMul, intSub, isIntegral, mul, neg, quo, sub, truncToInt, type Decimal } from './number.js';
import {
  K,
  K_ALL,
  LazyError,
  K_NUMBER,
  bottom,
  decimalOf,
  formatScalar,
  isConcrete,
  kindName,
  kindOf,
  mkBool,
  mkFloat,
  mkInt,
  spanOf,
  typeName,
  type Bottom,
  type Bound,
  type BoundOp,
  type Concrete,
  type Constraint,
  type Float,
  type Int,
  type Scalar,
} from './scalar.js';

class ConflictError extends LazyError {
  constructor(
    private readonly a: Scalar,
    private readonly b: Scalar,
  ) {
    super('conflict');
  }

  protected message(): string {
    const ta = typeName(this.a);
    const tb = typeName(this.b);
    return `conflicting values ${formatScalar(this.a)} and ${formatScalar(this.b)}${ta !== tb ? ` (mismatched types ${ta} and ${tb})` : ''}`;
  }

  protected positions(): readonly Span[] {
    return spans(this.a, this.b);
  }
}

function spans(a: Scalar, b: Scalar) {
  return [...spanOf(a.src), ...spanOf(b.src)];
}

export function conflict(a: Scalar, b: Scalar): Bottom {
  // Messages are built only when reported: most conflicts just eliminate a disjunct.
  return { k: 'bottom', err: new ConflictError(a, b), src: b.src ?? a.src };
}

/** The kinds a bound can apply to. */
function boundKinds(b: Bound): number {
  switch (b.op) {
    case '=~':
    case '!~':
      return K.string | K.bytes;
    case '!=':
    case 'call':
      return K_ALL;
    default:
      return b.v.k === 'string' ? K.string : b.v.k === 'bytes' ? K.bytes : K_NUMBER;
  }
}

export function mkBound(op: BoundOp, v: Concrete, src?: ast.Node): Constraint {
  const b: Bound = { op, v, src };
  return { k: 'constraint', kinds: boundKinds(b), bounds: [b], src };
}

/** Checks a concrete value against a bound; undefined when it holds. */
export function checkBound(b: Bound, c: Concrete): Bottom | undefined {
  let ok: boolean;
  switch (b.op) {
    case 'call': {
      const r = b.call!.test(c);
      if (r.k === 'bottom') return r;
      if (r.k === 'bool' && r.v) return undefined;
      return bottom('conflict', `invalid value ${formatScalar(c)} (does not satisfy ${b.call!.name})`, [...spanOf(c.src), ...spanOf(b.src)], c.src);
    }
    case '!=':
      ok = !equalScalars(b.v, c);
      break;
    case '=~':
    case '!~': {
      if ((c.k !== 'string' && c.k !== 'bytes') || (b.v.k !== 'string' && b.v.k !== 'bytes')) return mismatch(b, c);
      let m: boolean;
      try {
        m = compileRegex(b.v.v).test(c.v);
      } catch (e) {
        return bottom('eval', (e as Error).message, spanOf(b.src));
      }
      ok = b.op === '=~' ? m : !m;
      break;
    }
    default: {
      const cmp = compare(c, b.v);
      if (cmp === undefined) return mismatch(b, c);
      ok = b.op === '<' ? cmp < 0 : b.op === '<=' ? cmp <= 0 : b.op === '>' ? cmp > 0 : cmp >= 0;
    }
  }
  if (ok) return undefined;
  return bottom('conflict', `invalid value ${formatScalar(c)} (out of bound ${b.op}${formatScalar(b.v)})`, [...spanOf(c.src), ...spanOf(b.src)], c.src);
}

function mismatch(b: Bound, c: Concrete): Bottom {
  return bottom(
    'conflict',
    `conflicting values ${b.op}${formatScalar(b.v)} and ${formatScalar(c)} (mismatched types ${kindName(boundKinds(b))} and ${c.k})`,
    [...spanOf(b.src), ...spanOf(c.src)],
    c.src,
  );
}

function compare(a: Concrete, b: Concrete): number | undefined {
  if (a.k === 'int' && b.k === 'int') return a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
  if (isNum(a) && isNum(b)) return cmp(decimalOf(a), decimalOf(b));
  if ((a.k === 'string' && b.k === 'string') || (a.k === 'bytes' && b.k === 'bytes')) return a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
  return undefined;
}

export function equalScalars(a: Concrete, b: Concrete): boolean {
  if (a.k === 'int' && b.k === 'int') return a.v === b.v;
  if (isNum(a) && isNum(b)) return cmp(decimalOf(a), decimalOf(b)) === 0;
  if (a.k !== b.k) return false;
  if (a.k === 'null') return true;
  return (a as { v: unknown }).v === (b as { v: unknown }).v;
}

/** Unification of two scalars (commutative). */
export function unifyScalar(a: Scalar, b: Scalar): Scalar {
  if (a.k === 'top') return b.src || a.src === undefined ? b : b;
  if (b.k === 'top') return a;
  if (a.k === 'bottom') return a;
  if (b.k === 'bottom') return b;
  if (isConcrete(a)) {
    if (isConcrete(b)) {
      if (a.k === b.k && equalScalars(a, b)) return a;
      return conflict(a, b);
    }
    return meetConstraint(a, b as Constraint);
  }
  if (isConcrete(b)) return meetConstraint(b, a);
  // two constraints
  const kinds = a.kinds & b.kinds;
  if (kinds === 0) return conflict(a, b);
  const bounds = [...a.bounds];
  for (const x of b.bounds) if (!bounds.some((y) => y.op === x.op && (x.call ? x.call.name === y.call?.name : equalScalars(y.v, x.v)))) bounds.push(x);
  return simplify({ k: 'constraint', kinds, bounds, src: a.src ?? b.src }, a, b);
}

function meetConstraint(c: Concrete, s: Constraint): Scalar {
  if (!(s.kinds & kindOf(c))) return conflict(s, c);
  // Indexed, not for-of: no iterator objects while the code is still cold (this runs for most scalars).
  const bounds = s.bounds;
  for (let i = 0; i < bounds.length; i++) {
    const err = checkBound(bounds[i]!, c);
    if (err) return err;
  }
  return c;
}

/** Detects empty numeric ranges and collapses `>=n & <=n` on ints. */
function simplify(c: Constraint, a: Scalar, b: Scalar): Scalar {
  if (c.bounds.length < 2) return c;
  let lo: Decimal | undefined;
  let loIncl = true;
  let hi: Decimal | undefined;
  let hiIncl = true;
  for (const bound of c.bounds) {
    if (bound.v.k !== 'int' && bound.v.k !== 'float') continue;
    const v = decimalOf(bound.v);
    if (bound.op === '>' || bound.op === '>=') {
      const order = lo === undefined ? 1 : cmp(v, lo);
      if (order > 0 || (order === 0 && bound.op === '>')) {
        lo = v;
        loIncl = bound.op === '>=';
      }
    } else if (bound.op === '<' || bound.op === '<=') {
      const order = hi === undefined ? -1 : cmp(v, hi);
      if (order < 0 || (order === 0 && bound.op === '<')) {
        hi = v;
        hiIncl = bound.op === '<=';
      }
    }
  }
  if (lo === undefined || hi === undefined) return c;
  const order = cmp(lo, hi);
  if (order > 0 || (order === 0 && !(loIncl && hiIncl))) {
    return bottom('conflict', `incompatible bounds ${formatScalar(a)} and ${formatScalar(b)}`, spans(a, b), b.src);
  }
  if (order === 0 && (c.kinds & K_NUMBER) === K.int && isIntegral(lo)) {
    const v = mkInt(truncToInt(lo), c.src);
    for (const bound of c.bounds) if (checkBound(bound, v)) return c;
    return v;
  }
  return c;
}

// ---------------------------------------------------------------- operators

function isNum(s: Scalar): s is Int | Float {
  return s.k === 'int' || s.k === 'float';
}

/** Arithmetic on two numbers: exact on ints, decimal (34 digits) as soon as one is a float. */
function arith(op: '+' | '-' | '*', a: Int | Float, b: Int | Float, src?: ast.Node): Scalar {
  try {
    if (a.k === 'int' && b.k === 'int') return mkInt(op === '+' ? intAdd(a.v, b.v) : op === '-' ? intSub(a.v, b.v) : intMul(a.v, b.v), src);
    const x = decimalOf(a);
    const y = decimalOf(b);
    return mkFloat(op === '+' ? add(x, y) : op === '-' ? sub(x, y) : mul(x, y), src);
  } catch (e) {
    if (e instanceof NumberRangeError) return bottom('limit', e.message, spanOf(src), src);
    throw e;
  }
}

function invalidOp(op: string, a: Scalar, b: Scalar, src?: ast.Node): Bottom {
  return bottom('eval', `invalid operation ${formatScalar(a)} ${op} ${formatScalar(b)} (mismatched types ${typeName(a)} and ${typeName(b)})`, spanOf(src), src);
}

/** Binary arithmetic and comparison on concrete scalars. */
export function binaryScalar(op: ast.BinaryOp, a: Concrete, b: Concrete, src?: ast.Node): Scalar {
  switch (op) {
    case '+':
      if (isNum(a) && isNum(b)) return arith('+', a, b, src);
      if ((a.k === 'string' && b.k === 'string') || (a.k === 'bytes' && b.k === 'bytes')) {
        const size = a.v.length + b.v.length;
        if (size > MAX_STRING) return bottom('limit', tooLarge(`${a.k} concatenation`, size, MAX_STRING), spanOf(src), src);
        return { k: a.k, v: a.v + b.v, src };
      }
      return invalidOp(op, a, b, src);
    case '-':
      if (isNum(a) && isNum(b)) return arith('-', a, b, src);
      return invalidOp(op, a, b, src);
    case '*':
      if (isNum(a) && isNum(b)) return arith('*', a, b, src);
      if ((a.k === 'string' || a.k === 'bytes') && b.k === 'int') return repeat(a, b.v, src);
      if ((b.k === 'string' || b.k === 'bytes') && a.k === 'int') return repeat(b, a.v, src);
      return invalidOp(op, a, b, src);
    case '/':
      if (isNum(a) && isNum(b)) {
        try {
          const q = quo(decimalOf(a), decimalOf(b));
          if (!q) return bottom('eval', 'division by zero', spanOf(src), src);
          return mkFloat(q, src);
        } catch (e) {
          if (e instanceof NumberRangeError) return bottom('limit', e.message, spanOf(src), src);
          throw e;
        }
      }
      return invalidOp(op, a, b, src);
    case '==':
    case '!=': {
      // Values of different basic types are unequal (CUE spec "Comparison operators"; v0.4 rejected them).
      const eq = equalScalars(a, b);
      return mkBool(op === '==' ? eq : !eq);
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const c = compare(a, b);
      if (c === undefined) return invalidOp(op, a, b, src);
      return mkBool(op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0);
    }
    case '=~':
    case '!~': {
      if ((a.k !== 'string' && a.k !== 'bytes') || (b.k !== 'string' && b.k !== 'bytes')) return invalidOp(op, a, b, src);
      try {
        const m = compileRegex(b.v).test(a.v);
        return mkBool(op === '=~' ? m : !m);
      } catch (e) {
        return bottom('eval', (e as Error).message, spanOf(src), src);
      }
    }
    case '&&':
    case '||':
      if (a.k === 'bool' && b.k === 'bool') return mkBool(op === '&&' ? a.v && b.v : a.v || b.v);
      return invalidOp(op, a, b, src);
    default:
      return bottom('eval', `unsupported operator ${op}`, spanOf(src), src);
  }
}

function repeat(s: Concrete & { k: 'string' | 'bytes'; v: string }, n: bigint, src?: ast.Node): Scalar {
  if (n < 0n) return bottom('eval', `cannot repeat ${s.k} a negative number of times`, spanOf(src), src);
  const size = BigInt(s.v.length) * n;
  if (size > BigInt(MAX_STRING)) return bottom('limit', tooLarge(`${s.k} repetition`, size, MAX_STRING), spanOf(src), src);
  return { k: s.k, v: s.v.repeat(Number(n)), src };
}

export function unaryScalar(op: ast.UnaryOp, a: Scalar, src?: ast.Node): Scalar {
  if (a.k === 'bottom') return a;
  switch (op) {
    case '-':
    case '+':
      if (isNum(a)) return a.k === 'int' ? mkInt(op === '-' ? -a.v : a.v, src) : mkFloat(op === '-' ? neg(a.v) : a.v, src);
      if (a.k === 'constraint' && (a.kinds & K_NUMBER) === a.kinds) return a;
      break;
    case '!':
      if (a.k === 'bool') return mkBool(!a.v);
      break;
    default:
      if (isConcrete(a)) return mkBound(op as BoundOp, a, src);
  }
  if (!isConcrete(a)) return bottom('incomplete', `operand ${formatScalar(a)} of '${op}' not concrete`, spanOf(src), src);
  return bottom('eval', `invalid operation ${op}${formatScalar(a)} (${op} ${typeName(a)})`, spanOf(src), src);
}
