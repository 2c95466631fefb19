/**
 * Versions as addons write them (`1.2.3`, `v1.2.3`, `1.2.3-rc.1`, `1.2`) and
 * the constraints of `dependencies[].version` and `system.{vela,kubernetes}`
 * (`>=1.2.0`, `<2`, `^1.2`, `~1.2.3`, `1.x`, `=1.0.0`, `>=1.0 <2.0`, `>=1.0,
 * <2.0`, `a || b`), with the semantics of Semantic Versioning 2.0.0 and the
 * usual caret/tilde ranges. A pre-release satisfies a range only when the
 * range names a pre-release of the same major.minor.patch, as npm and
 * Masterminds/semver (KubeVela's library) both do.
 */

export interface Version {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly prerelease: readonly (string | number)[];
  /** The text as written. */
  readonly raw: string;
}

const VERSION = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/** A version, or undefined when the text is not one. Missing minor and patch are 0 (`1.20` is `1.20.0`). */
export function parseVersion(text: string): Version | undefined {
  const m = VERSION.exec(text.trim());
  if (!m) return undefined;
  const prerelease = m[4] ? m[4].split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : [];
  return { major: Number(m[1]), minor: Number(m[2] ?? 0), patch: Number(m[3] ?? 0), prerelease, raw: text.trim() };
}

/** <0, 0, >0 like a sort comparator; a release is greater than its pre-releases. */
export function compareVersions(a: Version, b: Version): number {
  const core = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (core) return Math.sign(core);
  if (!a.prerelease.length && !b.prerelease.length) return 0;
  if (!a.prerelease.length) return 1;
  if (!b.prerelease.length) return -1;
  for (let i = 0; i < Math.max(a.prerelease.length, b.prerelease.length); i++) {
    const x = a.prerelease[i];
    const y = b.prerelease[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return Math.sign(x - y);
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** Sorts version texts newest first; texts that are not versions go last, in their given order. */
export function newestFirst(texts: readonly string[]): string[] {
  const parsed = texts.map((t, i) => ({ t, i, v: parseVersion(t) }));
  return parsed
    .sort((a, b) => (a.v && b.v ? compareVersions(b.v, a.v) : a.v ? -1 : b.v ? 1 : a.i - b.i))
    .map((x) => x.t);
}

type Comparator = { op: '<' | '<=' | '>' | '>=' | '='; v: Version };

/** Expands one term of a range (`^1.2`, `~1.2.3`, `1.x`, `>=1.0`) into comparators; undefined when it does not read. */
function expandTerm(term: string): Comparator[] | undefined {
  const m = /^(\^|~|>=|<=|>|<|=|==)?\s*v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.exec(term);
  if (!m) return term === '*' || term === 'x' || term === '' ? [] : undefined;
  const op = m[1] === '==' ? '=' : m[1] ?? '=';
  const wild = (s: string | undefined) => s === undefined || /^[xX*]$/.test(s);
  const num = (s: string | undefined) => (wild(s) ? 0 : Number(s));
  const major = num(m[2]);
  const minor = num(m[3]);
  const patch = num(m[4]);
  const pre = m[5] ? m[5].slice(1) : '';
  const v = (a: number, b: number, c: number, p = '') => parseVersion(`${a}.${b}.${c}${p ? `-${p}` : ''}`)!;
  const exact = v(major, minor, patch, pre);
  // How many of major.minor.patch were given as numbers.
  const given = wild(m[2]) ? 0 : wild(m[3]) ? 1 : wild(m[4]) ? 2 : 3;
  if (op === '^') {
    const upper = major > 0 || given < 2 ? v(major + 1, 0, 0) : minor > 0 || given < 3 ? v(0, minor + 1, 0) : v(0, 0, patch + 1);
    return [{ op: '>=', v: exact }, { op: '<', v: upper }];
  }
  if (op === '~') {
    const upper = given < 2 ? v(major + 1, 0, 0) : v(major, minor + 1, 0);
    return [{ op: '>=', v: exact }, { op: '<', v: upper }];
  }
  if (op === '=' && given < 3) {
    if (given === 0) return [];
    const upper = given === 1 ? v(major + 1, 0, 0) : v(major, minor + 1, 0);
    return [{ op: '>=', v: exact }, { op: '<', v: upper }];
  }
  return [{ op: op as Comparator['op'], v: exact }];
}

/** Parses a constraint; undefined when any part does not read. */
export function parseConstraint(text: string): Comparator[][] | undefined {
  const alternatives = text.split('||').map((s) => s.trim());
  const out: Comparator[][] = [];
  for (const alt of alternatives) {
    // `>=1.0 <2.0` and `>=1.0, <2.0` mean the same; `1.0 - 2.0` is a closed range.
    const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(alt);
    const terms = hyphen ? [`>=${hyphen[1]}`, `<=${hyphen[2]}`] : alt.split(/[\s,]+/).filter(Boolean);
    // An operator written apart from its version (`>= 1.2`) joins it.
    const joined: string[] = [];
    for (const t of terms) {
      const last = joined[joined.length - 1];
      if (last !== undefined && /^(\^|~|>=|<=|>|<|=|==)$/.test(last)) joined[joined.length - 1] = last + t;
      else joined.push(t);
    }
    const comparators: Comparator[] = [];
    for (const t of joined) {
      const c = expandTerm(t);
      if (!c) return undefined;
      comparators.push(...c);
    }
    out.push(comparators);
  }
  return out;
}

function holds(c: Comparator, v: Version): boolean {
  const d = compareVersions(v, c.v);
  switch (c.op) {
    case '<':
      return d < 0;
    case '<=':
      return d <= 0;
    case '>':
      return d > 0;
    case '>=':
      return d >= 0;
    case '=':
      return d === 0;
  }
}

/**
 * Whether `version` satisfies `constraint`. Undefined when either does not
 * read (the caller says which). Pre-releases only match a range that names a
 * pre-release of the same version core.
 */
export function satisfies(version: string, constraint: string): boolean | undefined {
  const v = parseVersion(version);
  const alternatives = parseConstraint(constraint);
  if (!v || !alternatives) return undefined;
  return alternatives.some((comparators) => {
    if (!comparators.every((c) => holds(c, v))) return false;
    if (!v.prerelease.length) return true;
    return comparators.some((c) => c.v.prerelease.length > 0 && c.v.major === v.major && c.v.minor === v.minor && c.v.patch === v.patch);
  });
}
