/**
 * The `strconv` package, as Go's strconv that CUE exposes: integers are
 * 64-bit there (a value out of range is an error), bases are 2 to 36, and
 * floats are 64-bit.
 */
import { BuiltinError, floatFromNumber, mkBool, mkInt, mkStr } from '../adt/scalar.js';
import { bigInt, bool, int, num, str } from './args.js';
import type { Builtin, Package } from './types.js';

const fn = (name: string, arity: number, call: Builtin['call']): Builtin => ({ name, arity, call });

const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';

function checkBase(name: string, base: number, allowZero: boolean): void {
  if ((base < 2 && !(allowZero && base === 0)) || base > 36) throw new BuiltinError('eval', `strconv.${name}: invalid base ${base}`);
}

/** The signed or unsigned range of an integer of `bits` bits (0 means 64). */
function inRange(v: bigint, bits: number, unsigned: boolean): boolean {
  const size = BigInt(bits === 0 ? 64 : bits);
  if (unsigned) return v >= 0n && v < 1n << size;
  return v >= -(1n << (size - 1n)) && v < 1n << (size - 1n);
}

function parseInteger(name: string, s: string, base: number, bits: number, unsigned: boolean): bigint {
  const syntax = () => new BuiltinError('eval', `strconv.${name}: parsing ${JSON.stringify(s)}: invalid syntax`);
  checkBase(name, base, true);
  if (bits < 0 || bits > 64) throw new BuiltinError('eval', `strconv.${name}: invalid bit size ${bits}`);
  let t = s;
  let negative = false;
  if (!unsigned && (t.startsWith('-') || t.startsWith('+'))) {
    negative = t.startsWith('-');
    t = t.slice(1);
  }
  if (base === 0) {
    base = 10;
    const prefix = t.slice(0, 2).toLowerCase();
    if (prefix === '0x') [base, t] = [16, t.slice(2)];
    else if (prefix === '0b') [base, t] = [2, t.slice(2)];
    else if (prefix === '0o') [base, t] = [8, t.slice(2)];
    else if (/^0\d/.test(t)) [base, t] = [8, t.slice(1)];
    // Underscores are allowed between digits only when the base comes from the prefix.
    if (/^_|_$|__/.test(t)) throw syntax();
    t = t.replace(/_/g, '');
  }
  const allowed = DIGITS.slice(0, base);
  if (t === '' || ![...t.toLowerCase()].every((ch) => allowed.includes(ch))) throw syntax();
  let v = 0n;
  const b = BigInt(base);
  for (const ch of t.toLowerCase()) v = v * b + BigInt(allowed.indexOf(ch));
  if (negative) v = -v;
  if (!inRange(v, bits, unsigned)) throw new BuiltinError('eval', `strconv.${name}: parsing ${JSON.stringify(s)}: value out of range`);
  return v;
}

function formatInteger(name: string, v: bigint, base: number): string {
  checkBase(name, base, false);
  return v.toString(base);
}

export const STRCONV: Package = {
  Atoi: fn('Atoi', 1, ([a], c) => {
    const s = str(c, a!);
    if (!/^[+-]?\d+$/.test(s)) throw new BuiltinError('eval', `strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
    const v = BigInt(s);
    if (!inRange(v, 64, false)) throw new BuiltinError('eval', `strconv.Atoi: parsing ${JSON.stringify(s)}: value out of range`);
    return mkInt(v);
  }),
  Itoa: fn('Itoa', 1, ([a], c) => mkStr(String(bigInt(c, a!)))),
  ParseInt: fn('ParseInt', 3, ([a, b, bits], c) => mkInt(parseInteger('ParseInt', str(c, a!), int(c, b!), int(c, bits!), false))),
  ParseUint: fn('ParseUint', 3, ([a, b, bits], c) => mkInt(parseInteger('ParseUint', str(c, a!), int(c, b!), int(c, bits!), true))),
  FormatInt: fn('FormatInt', 2, ([a, b], c) => mkStr(formatInteger('FormatInt', bigInt(c, a!), int(c, b!)))),
  FormatUint: fn('FormatUint', 2, ([a, b], c) => {
    const v = bigInt(c, a!);
    if (v < 0n) throw new BuiltinError('eval', `strconv.FormatUint: negative value ${v}`);
    return mkStr(formatInteger('FormatUint', v, int(c, b!)));
  }),
  ParseFloat: fn('ParseFloat', 2, ([a], c) => {
    const s = str(c, a!).replace(/_/g, '');
    const v = Number(s);
    if (s.trim() === '' || Number.isNaN(v)) throw new BuiltinError('eval', `strconv.ParseFloat: parsing ${JSON.stringify(s)}: invalid syntax`);
    if (!Number.isFinite(v)) throw new BuiltinError('eval', `strconv.ParseFloat: parsing ${JSON.stringify(s)}: value out of range`);
    return floatFromNumber(v);
  }),
  FormatFloat: fn('FormatFloat', 4, ([a, f, p], c) => {
    const v = num(c, a!).v;
    const fmt = String.fromCharCode(int(c, f!));
    const prec = int(c, p!);
    if (prec > 100) throw new BuiltinError('eval', `strconv.FormatFloat: precision ${prec} too large`);
    if (fmt === 'f') return mkStr(prec < 0 ? String(v) : v.toFixed(prec));
    if (fmt === 'e') return mkStr(prec < 0 ? v.toExponential() : v.toExponential(prec));
    return mkStr(prec < 0 ? String(v) : v.toPrecision(Math.max(1, prec)));
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
      if (s.startsWith("'") && s.endsWith("'")) return mkStr(JSON.parse('"' + s.slice(1, -1).replace(/"/g, '\\"') + '"') as string);
      const v: unknown = JSON.parse(s);
      if (typeof v === 'string') return mkStr(v);
    } catch {
      // not a quoted string: the error below
    }
    throw new BuiltinError('eval', 'strconv.Unquote: invalid syntax');
  }),
};
