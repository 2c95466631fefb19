/**
 * Regular expressions as CUE has them: RE2 (Go's regexp), evaluated by
 * re2js, which runs in time linear in the input. JavaScript's own RegExp
 * backtracks: `(a+)+$` on a long input would hang the process, and its
 * syntax differs from RE2's (`(?i)`, `\z`, `(?P<name>`).
 *
 * Compiled expressions are cached by their source; an invalid expression is
 * an Error whose message says why, at the expression that uses it.
 */
import { RE2JS } from 're2js';

export interface RegexMatch {
  readonly start: number;
  readonly end: number;
  /** Group 0 is the whole match; an unmatched group is undefined. */
  readonly groups: readonly (string | undefined)[];
}

export interface Regex {
  test(s: string): boolean;
  /** The first match, or undefined. */
  find(s: string): RegexMatch | undefined;
  /** Successive non-overlapping matches (at most `limit` when it is not negative). */
  findAll(s: string, limit: number): RegexMatch[];
  /** Group names by their index. */
  readonly names: ReadonlyMap<number, string>;
}

const MAX_CACHE = 1000;
/** Answers of `test` kept per expression; short strings only. */
const MAX_TESTED = 256;
const MAX_TESTED_LENGTH = 256;
const cache = new Map<string, Regex | Error>();

/** Compiles an RE2 expression; throws an Error (with CUE-like wording) when it is not one. */
export function compileRegex(src: string): Regex {
  let re = cache.get(src);
  if (!re) {
    try {
      re = wrap(RE2JS.compile(src));
    } catch (e) {
      re = new Error(`invalid regular expression ${JSON.stringify(src)}: ${(e as Error).message.replace(/^error parsing regexp: /, '')}`);
    }
    if (cache.size >= MAX_CACHE) cache.clear();
    cache.set(src, re);
  }
  if (re instanceof Error) throw re;
  return re;
}

function wrap(p: RE2JS): Regex {
  const names = new Map<number, string>();
  for (const [name, index] of Object.entries(p.namedGroups())) names.set(index, name);
  const count = p.groupCount();
  const matchAt = (m: ReturnType<RE2JS['matcher']>): RegexMatch => {
    const groups: (string | undefined)[] = [];
    for (let g = 0; g <= count; g++) groups.push(m.group(g) ?? undefined);
    return { start: m.start(), end: m.end(), groups };
  };
  // The same few strings meet the same expression once per service (an env name against its pattern): answers are kept.
  const tested = new Map<string, boolean>();
  return {
    names,
    test(s) {
      if (s.length > MAX_TESTED_LENGTH) return p.test(s);
      let hit = tested.get(s);
      if (hit === undefined) {
        hit = p.test(s);
        if (tested.size >= MAX_TESTED) tested.clear();
        tested.set(s, hit);
      }
      return hit;
    },
    find(s) {
      const m = p.matcher(s);
      return m.find() ? matchAt(m) : undefined;
    },
    findAll(s, limit) {
      const m = p.matcher(s);
      const out: RegexMatch[] = [];
      let prevEnd = -1;
      while ((limit < 0 || out.length < limit) && m.find()) {
        // Go: an empty match right after the previous match is not a match of its own.
        if (m.start() === m.end() && m.start() === prevEnd) continue;
        prevEnd = m.end();
        out.push(matchAt(m));
      }
      return out;
    },
  };
}
