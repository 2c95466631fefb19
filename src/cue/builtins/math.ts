/**
 * The `math` package. Rounding, Abs and MultipleOf are exact on decimals and
 * rounding gives ints, as CUE's decimal builtins do; the transcendental
 * functions are computed in floating point (as Go's math package does). A
 * result that floating point cannot hold (`math.Pow(10, 400)`) is an error,
 * never an infinity.
 */
import { BuiltinError, floatFromNumber, mkBool, mkFloat, mkInt } from '../adt/scalar.js';
import { abs, isZero, parseDecimal, quo, roundToInt, isIntegral, type Decimal } from '../adt/number.js';
import { decimal, int, num } from './args.js';
import type { Builtin, Package } from './types.js';

const fn = (name: string, arity: number, call: Builtin['call']): Builtin => ({ name, arity, call });

const rounding = (name: string, rule: Parameters<typeof roundToInt>[1] | 'trunc'): Builtin =>
  fn(name, 1, ([a], c) => {
    const x = decimal(c, a!).v;
    return mkInt(rule === 'trunc' ? roundToInt(x, x.coef < 0n ? 'ceil' : 'floor') : roundToInt(x, rule));
  });

const floating = (name: string, f: (x: number) => number): Builtin =>
  fn(name, 1, ([a], c) => {
    const r = f(num(c, a!).v);
    if (Number.isNaN(r)) throw new BuiltinError('eval', 'invalid argument');
    return floatFromNumber(r);
  });

const constant = (text: string) => mkFloat(parseDecimal(text)!);

export const MATH: Package = {
  Floor: rounding('Floor', 'floor'),
  Ceil: rounding('Ceil', 'ceil'),
  Trunc: rounding('Trunc', 'trunc'),
  Round: rounding('Round', 'halfAway'),
  RoundToEven: rounding('RoundToEven', 'halfEven'),
  Abs: fn('Abs', 1, ([a], c) => {
    const x = decimal(c, a!);
    return x.float ? mkFloat(abs(x.v)) : mkInt(x.v.coef < 0n ? -x.v.coef : x.v.coef);
  }),
  Sqrt: floating('Sqrt', Math.sqrt),
  Cbrt: floating('Cbrt', Math.cbrt),
  Exp: floating('Exp', Math.exp),
  Exp2: floating('Exp2', (x) => 2 ** x),
  Log: floating('Log', Math.log),
  Log2: floating('Log2', Math.log2),
  Log10: floating('Log10', Math.log10),
  Sin: floating('Sin', Math.sin),
  Cos: floating('Cos', Math.cos),
  Tan: floating('Tan', Math.tan),
  Pow: fn('Pow', 2, ([a, b], c) => floatFromNumber(num(c, a!).v ** num(c, b!).v)),
  Pow10: fn('Pow10', 1, ([a], c) => floatFromNumber(10 ** int(c, a!))),
  Signbit: fn('Signbit', 1, ([a], c) => mkBool(decimal(c, a!).v.coef < 0n)),
  MultipleOf: {
    ...fn('MultipleOf', 2, ([a, b], c) => {
      const divisor: Decimal = decimal(c, b!).v;
      if (isZero(divisor)) throw new BuiltinError('eval', 'division by zero');
      const q = quo(decimal(c, a!).v, divisor);
      return mkBool(q !== undefined && isIntegral(q));
    }),
    validator: true,
  },
  Pi: constant('3.14159265358979323846264338327950288419716939937510582097494459'),
  E: constant('2.71828182845904523536028747135266249775724709369995957496696763'),
  Sqrt2: constant('1.41421356237309504880168872420969807856967187537694807317667974'),
  Ln2: constant('0.693147180559945309417232121458176568075500134360255254120680009'),
};
