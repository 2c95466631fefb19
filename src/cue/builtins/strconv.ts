/** The `strconv` package. */
import { BuiltinError, mkBool, mkFloat, mkInt, mkStr, formatFloat } from '../adt/scalar.js';
import { bool, int, num, str } from './args.js';
import type { Builtin, Package } from './types.js';

const fn = (name: string, arity: number, call: Builtin['call']): Builtin => ({ name, arity, call });

function parseInt(s: string, base: number): number {
  let t = s.replace(/_/g, '');
  let sign = 1;
  if (t.startsWith('-')) {
    sign = -1;
    t = t.slice(1);
  } else if (t.startsWith('+')) t = t.slice(1);
  if (base === 0) {
    if (/^0[xX]/.test(t)) {
      base = 16;
      t = t.slice(2);
    } else if (/^0[bB]/.test(t)) {
      base = 2;
      t = t.slice(2);
    } else if (/^0[oO]/.test(t)) {
      base = 8;
      t = t.slice(2);
    } else if (/^0\d/.test(t)) {
      base = 8;
      t = t.slice(1);
    } else base = 10;
  }
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, base);
  if (t === '' || ![...t.toLowerCase()].every((c) => digits.includes(c))) {
    throw new BuiltinError('eval', `strconv.ParseInt: parsing ${JSON.stringify(s)}: invalid syntax`);
  }
  return sign * Number.parseInt(t, base);
}

export const STRCONV: Package = {
  Atoi: fn('Atoi', 1, ([a], c) => {
    const s = str(c, a!);
    if (!/^[+-]?\d+$/.test(s)) throw new BuiltinError('eval', `strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
    return mkInt(Number.parseInt(s, 10));
  }),
  Itoa: fn('Itoa', 1, ([a], c) => mkStr(String(int(c, a!)))),
  ParseInt: fn('ParseInt', 3, ([a, b], c) => mkInt(parseInt(str(c, a!), int(c, b!)))),
  ParseUint: fn('ParseUint', 3, ([a, b], c) => {
    const v = parseInt(str(c, a!), int(c, b!));
    if (v < 0) throw new BuiltinError('eval', 'strconv.ParseUint: invalid syntax');
    return mkInt(v);
  }),
  FormatInt: fn('FormatInt', 2, ([a, b], c) => mkStr(int(c, a!).toString(int(c, b!)))),
  FormatUint: fn('FormatUint', 2, ([a, b], c) => mkStr(int(c, a!).toString(int(c, b!)))),
  ParseFloat: fn('ParseFloat', 2, ([a], c) => {
    const s = str(c, a!).replace(/_/g, '');
    const v = Number(s);
    if (s.trim() === '' || Number.isNaN(v) && !/^[+-]?nan$/i.test(s)) throw new BuiltinError('eval', `strconv.ParseFloat: parsing ${JSON.stringify(s)}: invalid syntax`);
    return mkFloat(v);
  }),
  FormatFloat: fn('FormatFloat', 4, ([a, f, p], c) => {
    const v = num(c, a!).v;
    const fmt = String.fromCharCode(int(c, f!));
    const prec = int(c, p!);
    if (fmt === 'f') return mkStr(prec < 0 ? String(v) : v.toFixed(prec));
    if (fmt === 'e') return mkStr(prec < 0 ? v.toExponential() : v.toExponential(prec));
    return mkStr(prec < 0 ? String(v) : v.toPrecision(prec));
  }),
  ParseBool: fn('ParseBool', 1, ([a], c) => {
    const s = str(c, a!);
    if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return mkBool(true);
    if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return mkBool(false);
    throw new BuiltinError('eval', `strconv.ParseBool: parsing ${JSON.stringify(s)}: invalid syntax`);
  }),
  FormatBool: fn('FormatBool', 1, ([a], c) => mkStr(String(bool(c, a!)))),
  Quote: fn('Quote', 1, ([a], c) => mkStr(JSON.stringify(str(c, a!)))),
  Unquote: fn('Unquote', 1, ([a], c) => {
    const s = str(c, a!);
    try {
      if (s.startsWith('`') && s.endsWith('`') && s.length >= 2) return mkStr(s.slice(1, -1));
      if (s.startsWith("'") && s.endsWith("'")) return mkStr(JSON.parse('"' + s.slice(1, -1).replace(/"/g, '\\"') + '"'));
      const v: unknown = JSON.parse(s);
      if (typeof v === 'string') return mkStr(v);
    } catch {
      // fall through
    }
    throw new BuiltinError('eval', 'strconv.Unquote: invalid syntax');
  }),
};
void formatFloat;
