/** The `strings` package (a subset of Go's strings, as CUE exposes it). */
import { BuiltinError, mkBool, mkInt, mkStr } from '../adt/scalar.js';
import { int, list, str } from './args.js';
import { MAX_STRING, tooLarge } from '../adt/limits.js';
import type { Builtin, CallContext, Package } from './types.js';
import type { Val } from '../adt/vertex.js';

type F = (args: Val[], ctx: CallContext) => Val;
const fn = (name: string, arity: number, call: F): Builtin => ({ name, arity, call });
const s1 = (name: string, f: (s: string) => Val): Builtin => fn(name, 1, ([a], c) => f(str(c, a!)));
const s2 = (name: string, f: (a: string, b: string) => Val): Builtin => fn(name, 2, ([a, b], c) => f(str(c, a!), str(c, b!)));

const utf8Len = (s: string) => Buffer.byteLength(s, 'utf8');
const runes = (s: string) => [...s];

function splitN(s: string, sep: string, n: number): string[] {
  if (n === 0) return [];
  if (sep === '') {
    const r = runes(s);
    if (n < 0 || n >= r.length) return r;
    return [...r.slice(0, n - 1), r.slice(n - 1).join('')];
  }
  const parts = s.split(sep);
  if (n < 0 || parts.length <= n) return parts;
  return [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
}

function trimSet(s: string, cut: string, left: boolean, right: boolean): string {
  const set = new Set(runes(cut));
  const r = runes(s);
  let i = 0;
  let j = r.length;
  if (left) while (i < j && set.has(r[i]!)) i++;
  if (right) while (j > i && set.has(r[j - 1]!)) j--;
  return r.slice(i, j).join('');
}

const isSpace = (c: string) => /\s/u.test(c);

function toTitle(s: string): string {
  let prev = ' ';
  let out = '';
  for (const c of s) {
    out += isSpace(prev) || prev === '-' ? c.toUpperCase() : c;
    prev = c;
  }
  return out;
}

const strList = (ctx: CallContext, xs: string[]) => ctx.makeList(undefined, xs.map((x) => mkStr(x)));

export const STRINGS: Package = {
  Join: fn('Join', 2, ([l, sep], c) => {
    const parts = list(c, l!).map((e) => str(c, e));
    const glue = str(c, sep!);
    const size = parts.reduce((n, p) => n + p.length, 0) + glue.length * Math.max(0, parts.length - 1);
    if (size > MAX_STRING) throw new BuiltinError('limit', tooLarge('result', size, MAX_STRING));
    return mkStr(parts.join(glue));
  }),
  Split: fn('Split', 2, ([a, b], c) => strList(c, splitN(str(c, a!), str(c, b!), -1))),
  SplitN: fn('SplitN', 3, ([a, b, n], c) => strList(c, splitN(str(c, a!), str(c, b!), int(c, n!)))),
  SplitAfter: fn('SplitAfter', 2, ([a, b], c) => {
    const s = str(c, a!);
    const sep = str(c, b!);
    const parts = s.split(sep);
    return strList(c, parts.map((p, i) => (i < parts.length - 1 ? p + sep : p)));
  }),
  Fields: fn('Fields', 1, ([a], c) => strList(c, str(c, a!).split(/\s+/u).filter((x) => x !== ''))),
  Contains: s2('Contains', (a, b) => mkBool(a.includes(b))),
  ContainsAny: s2('ContainsAny', (a, b) => mkBool(runes(b).some((ch) => a.includes(ch)))),
  ContainsRune: fn('ContainsRune', 2, ([a, r], c) => {
    const rune = int(c, r!);
    // Go: a value that is no valid rune matches nothing (and never crashes).
    if (rune < 0 || rune > 0x10ffff) return mkBool(false);
    return mkBool(str(c, a!).includes(String.fromCodePoint(rune)));
  }),
  HasPrefix: s2('HasPrefix', (a, b) => mkBool(a.startsWith(b))),
  HasSuffix: s2('HasSuffix', (a, b) => mkBool(a.endsWith(b))),
  Index: s2('Index', (a, b) => mkInt(byteIndex(a, a.indexOf(b)))),
  LastIndex: s2('LastIndex', (a, b) => mkInt(byteIndex(a, a.lastIndexOf(b)))),
  IndexAny: s2('IndexAny', (a, b) => {
    let best = -1;
    for (const ch of runes(b)) {
      const i = a.indexOf(ch);
      if (i >= 0 && (best < 0 || i < best)) best = i;
    }
    return mkInt(byteIndex(a, best));
  }),
  Count: s2('Count', (a, b) => mkInt(b === '' ? runes(a).length + 1 : a.split(b).length - 1)),
  EqualFold: s2('EqualFold', (a, b) => mkBool(a.toLowerCase() === b.toLowerCase())),
  Repeat: fn('Repeat', 2, ([a, n], c) => {
    const count = int(c, n!);
    if (count < 0) throw new BuiltinError('eval', 'negative Repeat count');
    const s = str(c, a!);
    if (s.length * count > MAX_STRING) throw new BuiltinError('limit', tooLarge('result', s.length * count, MAX_STRING));
    return mkStr(s.repeat(count));
  }),
  Replace: fn('Replace', 4, ([a, o, nw, n], c) => {
    const s = str(c, a!);
    const old = str(c, o!);
    const rep = str(c, nw!);
    let count = int(c, n!);
    // At most one replacement per rune (plus one), each as long as `rep`.
    const most = s.length + (rep.length - old.length) * (old === '' ? s.length + 1 : Math.floor(s.length / old.length));
    if (most > MAX_STRING) throw new BuiltinError('limit', tooLarge('result', most, MAX_STRING));
    if (count < 0) return mkStr(old === '' ? runes(s).map((x) => rep + x).join('') + rep : s.split(old).join(rep));
    let out = '';
    let rest = s;
    while (count-- > 0) {
      const i = rest.indexOf(old);
      if (i < 0) break;
      out += rest.slice(0, i) + rep;
      rest = rest.slice(i + old.length);
      if (old === '') {
        out += rest.slice(0, 1);
        rest = rest.slice(1);
      }
    }
    return mkStr(out + rest);
  }),
  ToLower: s1('ToLower', (s) => mkStr(s.toLowerCase())),
  ToUpper: s1('ToUpper', (s) => mkStr(s.toUpperCase())),
  // CUE's ToTitle upper-cases the first letter of each word.
  ToTitle: s1('ToTitle', (s) => mkStr(toTitle(s))),
  Title: s1('Title', (s) => mkStr(toTitle(s))),
  ToCamel: s1('ToCamel', (s) => mkStr(s.length ? s[0]!.toLowerCase() + s.slice(1) : s)),
  TrimSpace: s1('TrimSpace', (s) => mkStr(s.trim())),
  Trim: s2('Trim', (a, b) => mkStr(trimSet(a, b, true, true))),
  TrimLeft: s2('TrimLeft', (a, b) => mkStr(trimSet(a, b, true, false))),
  TrimRight: s2('TrimRight', (a, b) => mkStr(trimSet(a, b, false, true))),
  TrimPrefix: s2('TrimPrefix', (a, b) => mkStr(b !== '' && a.startsWith(b) ? a.slice(b.length) : a)),
  TrimSuffix: s2('TrimSuffix', (a, b) => mkStr(b !== '' && a.endsWith(b) ? a.slice(0, a.length - b.length) : a)),
  MinRunes: { ...fn('MinRunes', 2, ([a, n], c) => mkBool(runes(str(c, a!)).length >= int(c, n!))), validator: true },
  MaxRunes: { ...fn('MaxRunes', 2, ([a, n], c) => mkBool(runes(str(c, a!)).length <= int(c, n!))), validator: true },
  ByteLen: s1('ByteLen', (s) => mkInt(utf8Len(s))),
  Runes: fn('Runes', 1, ([a], c) => c.makeList(undefined, runes(str(c, a!)).map((r) => mkInt(r.codePointAt(0)!)))),
};

/** Converts a UTF-16 index into a UTF-8 byte index (Go's strings functions count bytes). */
function byteIndex(s: string, i: number): number {
  return i < 0 ? i : utf8Len(s.slice(0, i));
}
