/**
 * The `regexp` package, RE2 as Go's regexp (../adt/regex.ts): linear time
 * whatever the pattern and input. Replacement templates expand as Go's do:
 * `$1`, `${1}`, `$name`, `${name}`, `$$`.
 */
import { compileRegex, type Regex, type RegexMatch } from '../adt/regex.js';
import { MAX_STRING } from '../adt/limits.js';
import { BuiltinError, mkBool, mkStr } from '../adt/scalar.js';
import type { Val } from '../adt/vertex.js';
import { int, str } from './args.js';
import type { Builtin, CallContext, Package } from './types.js';

const fn = (name: string, arity: number, call: Builtin['call']): Builtin => ({ name, arity, call });

function re(c: CallContext, p: Val): Regex {
  try {
    return compileRegex(str(c, p));
  } catch (e) {
    if (e instanceof BuiltinError) throw e;
    throw new BuiltinError('eval', (e as Error).message);
  }
}

const strs = (c: CallContext, xs: readonly string[]) => c.makeList(undefined, xs.map((x) => mkStr(x)));
const noMatch = () => new BuiltinError('eval', 'no match');
const groupsOf = (m: RegexMatch) => m.groups.map((g) => g ?? '');

/** Go's Regexp.Expand: `$1`, `${1}`, `$name`, `${name}` and `$$` in a replacement template. */
function expand(template: string, m: RegexMatch, names: ReadonlyMap<number, string>): string {
  const byName = new Map<string, number>();
  for (const [i, n] of names) byName.set(n, i);
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template[i]!;
    if (ch !== '$' || i + 1 >= template.length) {
      out += ch;
      continue;
    }
    if (template[i + 1] === '$') {
      out += '$';
      i++;
      continue;
    }
    let name: string;
    let end: number;
    if (template[i + 1] === '{') {
      const close = template.indexOf('}', i + 2);
      name = close < 0 ? '' : template.slice(i + 2, close);
      end = close;
    } else {
      const w = /^[A-Za-z0-9_]+/.exec(template.slice(i + 1));
      name = w ? w[0] : '';
      end = i + name.length;
    }
    if (!name || !/^[A-Za-z0-9_]+$/.test(name)) {
      out += ch; // not a reference: a literal `$`
      continue;
    }
    const index = /^\d+$/.test(name) ? Number(name) : byName.get(name);
    out += index !== undefined ? (m.groups[index] ?? '') : '';
    i = end;
  }
  return out;
}

function replace(s: string, r: Regex, piece: (m: RegexMatch) => string): string {
  let out = '';
  let last = 0;
  for (const m of r.findAll(s, -1)) {
    out += s.slice(last, m.start) + piece(m);
    last = m.end;
    if (out.length > MAX_STRING) throw new BuiltinError('limit', `result longer than ${MAX_STRING} characters`);
  }
  return out + s.slice(last);
}

function named(r: Regex, m: RegexMatch): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [i, n] of r.names) out[n] = m.groups[i] ?? '';
  return out;
}

export const REGEXP: Package = {
  Match: fn('Match', 2, ([p, s], c) => mkBool(re(c, p!).test(str(c, s!)))),
  Valid: fn('Valid', 1, ([p], c) => {
    re(c, p!);
    return mkBool(true);
  }),
  Find: fn('Find', 2, ([p, s], c) => {
    const m = re(c, p!).find(str(c, s!));
    if (!m) throw noMatch();
    return mkStr(m.groups[0]!);
  }),
  FindAll: fn('FindAll', 3, ([p, s, n], c) => {
    const out = re(c, p!).findAll(str(c, s!), int(c, n!));
    if (!out.length) throw noMatch();
    return strs(c, out.map((m) => m.groups[0]!));
  }),
  FindSubmatch: fn('FindSubmatch', 2, ([p, s], c) => {
    const m = re(c, p!).find(str(c, s!));
    if (!m) throw noMatch();
    return strs(c, groupsOf(m));
  }),
  FindAllSubmatch: fn('FindAllSubmatch', 3, ([p, s, n], c) => {
    const out = re(c, p!).findAll(str(c, s!), int(c, n!));
    if (!out.length) throw noMatch();
    return c.makeList(undefined, out.map((m) => strs(c, groupsOf(m))));
  }),
  FindNamedSubmatch: fn('FindNamedSubmatch', 2, ([p, s], c) => {
    const r = re(c, p!);
    const m = r.find(str(c, s!));
    if (!m) throw noMatch();
    return c.fromJSON(named(r, m));
  }),
  FindAllNamedSubmatch: fn('FindAllNamedSubmatch', 3, ([p, s, n], c) => {
    const r = re(c, p!);
    const out = r.findAll(str(c, s!), int(c, n!));
    if (!out.length) throw noMatch();
    return c.fromJSON(out.map((m) => named(r, m)));
  }),
  ReplaceAll: fn('ReplaceAll', 3, ([p, s, t], c) => {
    const r = re(c, p!);
    const template = str(c, t!);
    return mkStr(replace(str(c, s!), r, (m) => expand(template, m, r.names)));
  }),
  ReplaceAllLiteral: fn('ReplaceAllLiteral', 3, ([p, s, t], c) => {
    const literal = str(c, t!);
    return mkStr(replace(str(c, s!), re(c, p!), () => literal));
  }),
  QuoteMeta: fn('QuoteMeta', 1, ([s], c) => mkStr(str(c, s!).replace(/[\\.+*?()|[\]{}^$]/g, '\\$&'))),
};
