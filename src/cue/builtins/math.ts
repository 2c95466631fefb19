/** The `math` package. Rounding functions give ints when the result is integral, as CUE's decimal builtins do. */
import { BuiltinError, mkFloat, mkInt } from '../adt/scalar.js';
import { int, num } from './args.js';
import type { Builtin, Package } from './types.js';
import type { Val } from '../adt/vertex.js';

const fn = (name: string, arity: number, call: Builtin['call']): Builtin => ({ name, arity, call });
const toInt = (name: string, f: (x: number) => number): Builtin =>
  fn(name, 1, ([a], c) => {
    const r = f(num(c, a!).v);
    return Number.isInteger(r) ? mkInt(r) : mkFloat(r);
  });
const toFloat = (name: string, f: (x: number) => number): Builtin =>
  fn(name, 1, ([a], c) => {
    const r = f(num(c, a!).v);
    if (Number.isNaN(r)) throw new BuiltinError('eval', `${name}: invalid argument`);
    return mkFloat(r);
  });

/** Go's math.Round: half away from zero. */
const roundHalfAway = (x: number) => (x < 0 ? -Math.round(-x) : Math.round(x));
const roundHalfEven = (x: number) => {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
};

export const MATH: Package = {
  Floor: toInt('Floor', Math.floor),
  Ceil: toInt('Ceil', Math.ceil),
  Trunc: toInt('Trunc', Math.trunc),
  Round: toInt('Round', roundHalfAway),
  RoundToEven: toInt('RoundToEven', roundHalfEven),
  Abs: fn('Abs', 1, ([a], c) => {
    const x = num(c, a!);
    return x.float ? mkFloat(Math.abs(x.v)) : mkInt(Math.abs(x.v));
  }),
  Sqrt: toFloat('Sqrt', Math.sqrt),
  Cbrt: toFloat('Cbrt', Math.cbrt),
  Exp: toFloat('Exp', Math.exp),
  Exp2: toFloat('Exp2', (x) => 2 ** x),
  Log: toFloat('Log', Math.log),
  Log2: toFloat('Log2', Math.log2),
  Log10: toFloat('Log10', Math.log10),
  Sin: toFloat('Sin', Math.sin),
  Cos: toFloat('Cos', Math.cos),
  Tan: toFloat('Tan', Math.tan),
  Pow: fn('Pow', 2, ([a, b], c) => mkFloat(num(c, a!).v ** num(c, b!).v)),
  Pow10: fn('Pow10', 1, ([a], c) => mkFloat(10 ** int(c, a!))),
  Signbit: fn('Signbit', 1, ([a], c) => ({ k: 'bool', v: Object.is(num(c, a!).v, -0) || num(c, a!).v < 0 }) as Val),
  MultipleOf: { ...fn('MultipleOf', 2, ([a, b], c) => ({ k: 'bool', v: num(c, a!).v % num(c, b!).v === 0 }) as Val), validator: true },
  Pi: mkFloat(Math.PI),
  E: mkFloat(Math.E),
  Sqrt2: mkFloat(Math.SQRT2),
  Ln2: mkFloat(Math.LN2),
  MaxInt8: mkInt(127),
  MinInt8: mkInt(-128),
  MaxInt16: mkInt(32767),
  MinInt16: mkInt(-32768),
  MaxInt32: mkInt(2147483647),
  MinInt32: mkInt(-2147483648),
  MaxUint8: mkInt(255),
  MaxUint16: mkInt(65535),
  MaxUint32: mkInt(4294967295),
  MaxInt64: mkInt(Number.MAX_SAFE_INTEGER),
  MinInt64: mkInt(Number.MIN_SAFE_INTEGER),
};
