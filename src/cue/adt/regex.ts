/**
 * CUE regular expressions are RE2. Most RE2 syntax is valid in JavaScript
 * with the `u` flag; translate the differences that definitions use:
 * leading inline flags `(?i)`, `(?s)`, `(?m)` and named groups `(?P<name>`.
 */
const cache = new Map<string, RegExp | Error>();

export function compileRegex(src: string): RegExp {
  let re = cache.get(src);
  if (!re) {
    try {
      let pattern = src;
      let flags = 'u';
      const m = /^\(\?([imsU]+)\)/.exec(pattern);
      if (m) {
        pattern = pattern.slice(m[0].length);
        for (const f of m[1]!) if (f !== 'U' && !flags.includes(f)) flags += f;
      }
      pattern = pattern.replace(/\(\?P</g, '(?<').replace(/\\z/g, '$').replace(/\\A/g, '^');
      re = new RegExp(pattern, flags);
    } catch (e) {
      re = new Error(`invalid regular expression ${JSON.stringify(src)}: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`);
    }
    if (cache.size > 1000) cache.clear();
    cache.set(src, re);
  }
  if (re instanceof Error) throw re;
  re.lastIndex = 0;
  return re;
}
