/**
 * Variable interpolation of the Compose Specification ("Interpolation"):
 * `$VAR`, `${VAR}`, `${VAR:-default}` / `${VAR-default}` (default when unset or
 * empty / when unset), `${VAR:?err}` / `${VAR?err}` (an error), `${VAR:+alt}` /
 * `${VAR+alt}` (the alternative when set), nested in defaults, and `$$` for a
 * literal `$`. Values only: keys are never interpolated.
 *
 * Unlike docker compose, which warns and substitutes an empty string, an unset
 * variable without a default is an error here: a Deployment with an empty
 * image or password is worse than a clear message at the line.
 */
import { error, type Diagnostic, type Span } from '../../source/index.js';
import type { LEntry, LNode, LScalar } from '../yaml-tree.js';

export type Lookup = (name: string) => string | undefined;

export interface InterpolateResult {
  readonly value: string;
  readonly diagnostics: Diagnostic[];
}

const nameStart = /[A-Za-z_]/;
const nameChar = /[A-Za-z0-9_]/;

/**
 * Interpolates one string. `at` is the scalar's span: when the scalar's source
 * text contains the expression verbatim, errors point at the expression itself.
 */
export function interpolateString(text: string, lookup: Lookup, at: Span): InterpolateResult {
  const diagnostics: Diagnostic[] = [];
  const raw = at.file.text.slice(at.start, at.end);
  const where = (expr: string): Span => {
    const i = raw.indexOf(expr);
    return i >= 0 ? { file: at.file, start: at.start + i, end: at.start + i + expr.length } : at;
  };
  // Only strings count: an environment object may answer `toString` with Object's function.
  const own: Lookup = (name) => {
    const v = lookup(name);
    return typeof v === 'string' ? v : undefined;
  };
  const value = expand(text, own, diagnostics, where, 0);
  return { value, diagnostics };
}

/** How deep defaults may nest (`${A:-${B:-...}}`): deeper is no configuration, and would cost time and stack. */
export const MAX_INTERPOLATION_DEPTH = 10;

function expand(text: string, lookup: Lookup, diags: Diagnostic[], where: (expr: string) => Span, depth: number): string {
  if (depth > MAX_INTERPOLATION_DEPTH) {
    diags.push(error(`variable references nest deeper than ${MAX_INTERPOLATION_DEPTH} levels`, where(text), { code: 'compose/interpolation', hint: 'write the default out instead of nesting ${VAR:-...} further' }));
    return '';
  }
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next === '{') {
      const close = matchingBrace(text, i + 1);
      if (close < 0) {
        const expr = text.slice(i);
        diags.push(
          error(`unterminated variable reference "${expr}"`, where(expr), {
            code: 'compose/interpolation',
            hint: 'close it with `}`, or write `$$` for a literal `$`',
          }),
        );
        return out + text.slice(i);
      }
      const expr = text.slice(i, close + 1);
      out += substitute(text.slice(i + 2, close), expr, lookup, diags, where, depth);
      i = close + 1;
      continue;
    }
    if (next !== undefined && nameStart.test(next)) {
      let j = i + 1;
      while (j < text.length && nameChar.test(text[j]!)) j++;
      const name = text.slice(i + 1, j);
      const v = lookup(name);
      if (v === undefined) diags.push(unset(name, `$${name}`, where));
      else out += v;
      i = j;
      continue;
    }
    // A lone `$` (at the end, or before a character that starts no name) stays as it is.
    out += c;
    i++;
  }
  return out;
}

function substitute(body: string, expr: string, lookup: Lookup, diags: Diagnostic[], where: (expr: string) => Span, depth: number): string {
  let j = 0;
  while (j < body.length && nameChar.test(body[j]!)) j++;
  const name = body.slice(0, j);
  if (name === '' || !nameStart.test(name[0]!)) {
    diags.push(error(`invalid variable reference "${expr}"`, where(expr), { code: 'compose/interpolation', hint: 'a variable name is letters, digits and `_`, e.g. ${TAG}' }));
    return '';
  }
  const rest = body.slice(j);
  const v = lookup(name);
  if (rest === '') {
    if (v === undefined) diags.push(unset(name, expr, where));
    return v ?? '';
  }
  const m = /^(:?)([-?+])([\s\S]*)$/.exec(rest);
  if (!m) {
    diags.push(
      error(`invalid variable reference "${expr}"`, where(expr), {
        code: 'compose/interpolation',
        hint: 'the forms are ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}, ${VAR:+alt} and ${VAR+alt}',
      }),
    );
    return '';
  }
  const colon = m[1] === ':';
  const op = m[2]!;
  const arg = m[3]!;
  const isSet = colon ? v !== undefined && v !== '' : v !== undefined;
  switch (op) {
    case '-':
      return isSet ? v! : expand(arg, lookup, diags, where, depth + 1);
    case '+':
      return isSet ? expand(arg, lookup, diags, where, depth + 1) : '';
    default: {
      if (isSet) return v!;
      const msg = expand(arg, lookup, diags, where, depth + 1);
      diags.push(
        error(`required variable ${name} is ${v === undefined ? 'not set' : 'empty'}${msg ? `: ${msg}` : ''}`, where(expr), {
          code: 'compose/unset-variable',
          hint: `set ${name} in the environment or in .env`,
        }),
      );
      return '';
    }
  }
}

function unset(name: string, expr: string, where: (expr: string) => Span): Diagnostic {
  return error(`variable ${name} is not set`, where(expr), {
    code: 'compose/unset-variable',
    hint: `set ${name} in the environment or in .env, or give a default: \${${name}:-value}`,
  });
}

/** Index of the `}` closing the `{` at `open`, counting nested `${...}`. */
function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let k = open; k < text.length; k++) {
    if (text[k] === '{') depth++;
    else if (text[k] === '}') {
      depth--;
      if (depth === 0) return k;
    }
  }
  return -1;
}

/**
 * The tree with every string value interpolated (keys untouched). Spans stay
 * those of the original scalars; top-level `x-` keys are left alone, since
 * they are only a place for anchors.
 */
export function interpolateTree(root: LNode, lookup: Lookup, diags: Diagnostic[]): LNode {
  const memo = new Map<LNode, LNode>();
  const walk = (n: LNode): LNode => {
    const seen = memo.get(n);
    if (seen) return seen;
    let out: LNode;
    if (n.kind === 'scalar') out = scalar(n);
    else if (n.kind === 'seq') out = { ...n, items: n.items.map(walk) };
    else out = { ...n, entries: n.entries.map((e): LEntry => ({ ...e, value: walk(e.value) })) };
    memo.set(n, out);
    return out;
  };
  const scalar = (n: LScalar): LScalar => {
    if (typeof n.value !== 'string' || !n.value.includes('$')) return n;
    const r = interpolateString(n.value, lookup, n.span);
    diags.push(...r.diagnostics);
    return { ...n, value: r.value };
  };
  if (root.kind !== 'map') return walk(root);
  return { ...root, entries: root.entries.map((e) => (e.key.startsWith('x-') ? e : { ...e, value: walk(e.value) })) };
}
