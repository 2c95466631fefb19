/** The `regexp` package (RE2 syntax translated by ../regex.ts). */
import { compileRegex } from '../adt/regex.js';
import { BuiltinError, mkBool, mkStr } from '../adt/scalar.js';
import type { Val } from '../adt/vertex.js';
import { int, str } from './args.js';
import type { Builtin, CallContext, Package } from './types.js';

const fn = (name: string, arity: number, call: Builtin['call']): Builtin => ({ name, arity, call });

function re(c: CallContext, p: Val, global = false): RegExp {
  try {
    const r = compileRegex(str(c, p));
    return global ? new RegExp(r.source, r.flags + 'g') : r;
  } catch (e) {
    if (e instanceof BuiltinError) throw e;
    throw new BuiltinError('eval', (e as Error).message);
  }
}

const strs = (c: CallContext, xs: string[]) => c.makeList(undefined, xs.map((x) => mkStr(x)));
const noMatch = () => new BuiltinError('eval', 'no match');

/** Go's replacement syntax `$1`, `${name}` → JavaScript's `$1`, `$<name>`. */
const goReplacement = (s: string) => s.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, n: string) => (/^\d+$/.test(n) ? `$${n}` : `$<${n}>`));

export const REGEXP: Package = {
  Match: fn('Match', 2, ([p, s], c) => mkBool(re(c, p!).test(str(c, s!)))),
  Valid: fn('Valid', 1, ([p], c) => {
    re(c, p!);
    return mkBool(true);
  }),
  Find: fn('Find', 2, ([p, s], c) => {
    const m = re(c, p!).exec(str(c, s!));
    if (!m) throw noMatch();
    return mkStr(m[0]);
  }),
  FindAll: fn('FindAll', 3, ([p, s, n], c) => {
    const limit = int(c, n!);
    const all = [...str(c, s!).matchAll(re(c, p!, true))].map((m) => m[0]);
    const out = limit < 0 ? all : all.slice(0, limit);
    if (!out.length) throw noMatch();
    return strs(c, out);
  }),
  FindSubmatch: fn('FindSubmatch', 2, ([p, s], c) => {
    const m = re(c, p!).exec(str(c, s!));
    if (!m) throw noMatch();
    return strs(c, [...m].map((x) => x ?? ''));
  }),
  FindAllSubmatch: fn('FindAllSubmatch', 3, ([p, s, n], c) => {
    const limit = int(c, n!);
    const all = [...str(c, s!).matchAll(re(c, p!, true))];
    const out = limit < 0 ? all : all.slice(0, limit);
    if (!out.length) throw noMatch();
    return c.makeList(undefined, out.map((m) => strs(c, [...m].map((x) => x ?? ''))));
  }),
  FindNamedSubmatch: fn('FindNamedSubmatch', 2, ([p, s], c) => {
    const m = re(c, p!).exec(str(c, s!));
    if (!m) throw noMatch();
    return c.fromJSON({ ...(m.groups ?? {}) });
  }),
  ReplaceAll: fn('ReplaceAll', 3, ([p, s, r], c) => mkStr(str(c, s!).replace(re(c, p!, true), goReplacement(str(c, r!))))),
  ReplaceAllLiteral: fn('ReplaceAllLiteral', 3, ([p, s, r], c) => {
    const rep = str(c, r!);
    return mkStr(str(c, s!).replace(re(c, p!, true), () => rep));
  }),
  QuoteMeta: fn('QuoteMeta', 1, ([s], c) => mkStr(str(c, s!).replace(/[\\.+*?()|[\]{}^$]/g, '\\$&'))),
};
