/**
 * Numbers as CUE has them (CUE spec "Numeric values"; cue's adt/decimal.go):
 * integers of any size, exact, and floats as decimals (a coefficient and a
 * power of ten), so `0.1 + 0.2` is `0.3` and `9007199254740993` stays what
 * it says. Float arithmetic rounds to 34 significant digits, half away from
 * zero, as current CUE does (CUE v0.4 used 24); a quotient that is exact
 * keeps the exponent of its operands (`4 / 2` is `2`, `6.0 / 2` is `3.0`).
 *
 * Floats print the way cue prints them (the General Decimal Arithmetic
 * "to-scientific-string": `1.5E+3`, `100.0`, `1E-7`), integers as digits.
 *
 * Sizes are bounded: a number may have at most MAX_DIGITS digits and an
 * exponent of at most MAX_EXPONENT, so that hostile input cannot make the
 * engine spend its memory on one number.
 */

/** value = coef × 10^exp */
export interface Decimal {
  readonly coef: bigint;
  readonly exp: number;
}

export const PRECISION = 34;
export const MAX_DIGITS = 10_000;
export const MAX_EXPONENT = 100_000;

/** Thrown by arithmetic whose result is too large to represent within the bounds. */
export class NumberRangeError extends Error {}

const TEN = 10n;

function pow10(n: number): bigint {
  return TEN ** BigInt(n);
}

function digits(x: bigint): number {
  return (x < 0n ? -x : x).toString().length;
}

function checkInt(x: bigint): bigint {
  if (digits(x) > MAX_DIGITS) throw new NumberRangeError(`integer too large (more than ${MAX_DIGITS} digits)`);
  return x;
}

function checkDecimal(d: Decimal): Decimal {
  if (Math.abs(d.exp) > MAX_EXPONENT) throw new NumberRangeError(`number out of range (exponent ${d.exp})`);
  return d;
}

// ---------------------------------------------------------------- integers

export function intAdd(a: bigint, b: bigint): bigint {
  return checkInt(a + b);
}
export function intSub(a: bigint, b: bigint): bigint {
  return checkInt(a - b);
}
export function intMul(a: bigint, b: bigint): bigint {
  return checkInt(a * b);
}

/** Euclidean division and modulus (CUE's div and mod: the remainder is never negative). */
export function euclidDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  const r = a - q * b;
  return r < 0n ? (b > 0n ? q - 1n : q + 1n) : q;
}
export function euclidMod(a: bigint, b: bigint): bigint {
  return a - b * euclidDiv(a, b);
}

/** A JavaScript number for an integer that fits one exactly, else undefined. */
export function smallInt(x: bigint): number | undefined {
  return x <= BigInt(Number.MAX_SAFE_INTEGER) && x >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(x) : undefined;
}

// ---------------------------------------------------------------- decimals

export function decimalFromInt(x: bigint): Decimal {
  return { coef: x, exp: 0 };
}

/**
 * A decimal from its text: digits with an optional fraction and exponent,
 * underscores allowed (`1_000.5e-3`, `.5`, `1.`). Undefined if it is not one.
 */
export function parseDecimal(text: string): Decimal | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.replace(/_/g, ''));
  if (!m) return undefined;
  const intPart = m[2] ?? '';
  const frac = m[3] ?? '';
  if (intPart === '' && frac === '') return undefined;
  const exp = (m[4] ? Number(m[4]) : 0) - frac.length;
  if (!Number.isSafeInteger(exp)) return undefined;
  let coef = BigInt((intPart || '0') + frac);
  if (m[1] === '-') coef = -coef;
  if ((intPart + frac).replace(/^0+/, '').length > MAX_DIGITS) return undefined;
  return { coef, exp };
}

/** The decimal of a JavaScript number (its shortest round-trip text); undefined for NaN and infinities. */
export function decimalFromNumber(x: number): Decimal | undefined {
  if (!Number.isFinite(x)) return undefined;
  return parseDecimal(String(x));
}

/** The nearest JavaScript number (Infinity when out of range). */
export function decimalToNumber(d: Decimal): number {
  return Number(`${d.coef}e${d.exp}`);
}

export function isZero(d: Decimal): boolean {
  return d.coef === 0n;
}

export function isIntegral(d: Decimal): boolean {
  if (d.exp >= 0 || d.coef === 0n) return true;
  return d.coef % pow10(-d.exp) === 0n;
}

/** The integer part, truncated toward zero. */
export function truncToInt(d: Decimal): bigint {
  if (d.exp >= 0) return checkInt(d.coef * pow10(d.exp));
  if (-d.exp > digits(d.coef) + 1) return 0n;
  return d.coef / pow10(-d.exp);
}

/** Rounds to an integer with the given rule. */
export function roundToInt(d: Decimal, rule: 'floor' | 'ceil' | 'halfAway' | 'halfEven'): bigint {
  if (d.exp >= 0) return checkInt(d.coef * pow10(d.exp));
  const t = truncToInt(d);
  const rest: Decimal = { coef: d.coef - t * pow10(-d.exp), exp: d.exp }; // same sign as d (or zero)
  if (rest.coef === 0n) return t;
  const up = d.coef > 0n ? t + 1n : t - 1n; // away from zero
  switch (rule) {
    case 'floor':
      return d.coef > 0n ? t : t - 1n;
    case 'ceil':
      return d.coef > 0n ? t + 1n : t;
    case 'halfAway':
    case 'halfEven': {
      const twice = (rest.coef < 0n ? -rest.coef : rest.coef) * 2n;
      const unit = pow10(-d.exp);
      if (twice > unit) return up;
      if (twice < unit) return t;
      if (rule === 'halfAway') return up;
      return t % 2n === 0n ? t : up;
    }
  }
}

/** Aligns two decimals to the smaller exponent. */
function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  if (a.exp === b.exp) return [a.coef, b.coef, a.exp];
  if (a.exp > b.exp) {
    const shift = a.exp - b.exp;
    if (shift > MAX_DIGITS * 2) return alignFar(a, b);
    return [a.coef * pow10(shift), b.coef, b.exp];
  }
  const shift = b.exp - a.exp;
  if (shift > MAX_DIGITS * 2) {
    const [y, x, e] = alignFar(b, a);
    return [x, y, e];
  }
  return [a.coef, b.coef * pow10(shift), a.exp];
}

/** `a` is so much larger than `b` that `b` only matters for rounding: keep a sticky digit of it. */
function alignFar(big: Decimal, small: Decimal): [bigint, bigint, number] {
  const exp = big.exp - PRECISION - 2;
  const sticky = small.coef === 0n ? 0n : small.coef > 0n ? 1n : -1n;
  return [big.coef * pow10(PRECISION + 2), sticky, exp];
}

/** Rounds a coefficient to PRECISION significant digits, half away from zero. */
function round(coef: bigint, exp: number, precision = PRECISION): Decimal {
  const n = digits(coef);
  if (n <= precision) return checkDecimal({ coef, exp });
  const drop = n - precision;
  const unit = pow10(drop);
  let q = coef / unit;
  const r = coef - q * unit;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice >= unit) q += coef < 0n ? -1n : 1n;
  // Rounding up may add a digit (999… → 1000…): drop it again.
  if (digits(q) > precision) return checkDecimal({ coef: q / TEN, exp: exp + drop + 1 });
  return checkDecimal({ coef: q, exp: exp + drop });
}

export function add(a: Decimal, b: Decimal): Decimal {
  const [x, y, e] = align(a, b);
  return round(x + y, e);
}

export function sub(a: Decimal, b: Decimal): Decimal {
  const [x, y, e] = align(a, b);
  return round(x - y, e);
}

export function mul(a: Decimal, b: Decimal): Decimal {
  return round(a.coef * b.coef, a.exp + b.exp);
}

/** a / b, or undefined when b is zero. */
export function quo(a: Decimal, b: Decimal): Decimal | undefined {
  if (b.coef === 0n) return undefined;
  if (a.coef === 0n) return { coef: 0n, exp: a.exp - b.exp };
  const ideal = a.exp - b.exp;
  // Scale the dividend so that the quotient has at least PRECISION + 1 digits, then round.
  const scale = Math.max(0, PRECISION + 1 + digits(b.coef) - digits(a.coef));
  const num = a.coef * pow10(scale);
  const q = num / b.coef;
  const exact = q * b.coef === num;
  if (exact) {
    // An exact quotient keeps the ideal exponent where it can (`6.0 / 2` is `3.0`, `4 / 2` is `2`).
    let coef = q;
    let exp = ideal - scale;
    while (exp < ideal && coef % TEN === 0n) {
      coef /= TEN;
      exp++;
    }
    return round(coef, exp);
  }
  // Not exact: a sticky last digit stands for the non-zero remainder, so that rounding breaks a tie upward.
  const sign = a.coef > 0n === b.coef > 0n ? 1n : -1n;
  return round(q * 10n + sign, ideal - scale - 1);
}

export function neg(a: Decimal): Decimal {
  return { coef: -a.coef, exp: a.exp };
}

export function abs(a: Decimal): Decimal {
  return a.coef < 0n ? neg(a) : a;
}

export function cmp(a: Decimal, b: Decimal): -1 | 0 | 1 {
  if (a.coef === 0n && b.coef === 0n) return 0;
  const sa = a.coef < 0n ? -1 : a.coef > 0n ? 1 : 0;
  const sb = b.coef < 0n ? -1 : b.coef > 0n ? 1 : 0;
  if (sa !== sb) return sa < sb ? -1 : 1;
  // Same sign: compare magnitudes by adjusted exponent first, so that huge exponents need no big powers.
  const adjA = digits(a.coef) + a.exp;
  const adjB = digits(b.coef) + b.exp;
  if (adjA !== adjB) return (adjA < adjB) === sa > 0 ? -1 : 1;
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The text cue prints for a float ("to-scientific-string"). */
export function formatDecimal(d: Decimal): string {
  const neg = d.coef < 0n;
  const s = (neg ? -d.coef : d.coef).toString();
  const adjusted = d.exp + s.length - 1;
  let out: string;
  if (d.exp <= 0 && adjusted >= -6) {
    if (d.exp === 0) out = s;
    else {
      const point = s.length + d.exp;
      out = point > 0 ? `${s.slice(0, point)}.${s.slice(point)}` : `0.${'0'.repeat(-point)}${s}`;
    }
  } else {
    const mantissa = s.length > 1 ? `${s[0]}.${s.slice(1)}` : s;
    out = `${mantissa}E${adjusted >= 0 ? '+' : ''}${adjusted}`;
  }
  return neg && d.coef !== 0n ? `-${out}` : out;
}

/** A canonical text of a decimal value: no exponent for ordinary magnitudes, trailing fraction zeros removed. */
export function canonicalDecimal(d: Decimal): string {
  let { coef, exp } = d;
  if (coef === 0n) return '0';
  while (coef % TEN === 0n) {
    coef /= TEN;
    exp++;
  }
  const neg = coef < 0n;
  const s = (neg ? -coef : coef).toString();
  const adjusted = exp + s.length - 1;
  let out: string;
  if (adjusted >= 21 || adjusted < -6) {
    const mantissa = s.length > 1 ? `${s[0]}.${s.slice(1)}` : s;
    out = `${mantissa}e${adjusted >= 0 ? '+' : ''}${adjusted}`;
  } else if (exp >= 0) out = s + '0'.repeat(exp);
  else {
    const point = s.length + exp;
    out = point > 0 ? `${s.slice(0, point)}.${s.slice(point)}` : `0.${'0'.repeat(-point)}${s}`;
  }
  return neg ? `-${out}` : out;
}
