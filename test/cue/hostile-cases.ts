/**
 * The hostile-definition corpus: programs that try to exhaust time, memory or the JavaScript engine. Shared by
 * test/cue/hostile.test.ts (each ends in the expected diagnostic) and bench/hostile.ts (time and peak memory).
 * Kept free of vitest.
 */
export interface HostileCase {
  readonly name: string;
  readonly cue: string;
  readonly inject?: Record<string, unknown>;
  readonly expect:
    | { readonly ok: false; readonly message: RegExp; readonly code?: string; readonly line?: number }
    | { readonly ok: true; readonly value?: unknown };
}

const doubling = (op: (prev: string) => string, n = 40) =>
  ['a0: "xxxxxxxxxxxxxxxx"', ...Array.from({ length: n }, (_, i) => `a${i + 1}: ${op(`a${i}`)}`)].join('\n') + '\n';

const evilInput = 'a'.repeat(50_000) + '!';

export const HOSTILE_CASES: readonly HostileCase[] = [
  {
    name: 'strings.Repeat of a billion',
    cue: 'import "strings"\nx: strings.Repeat("ab", 1000000000)\n',
    expect: { ok: false, message: /too large/, code: 'cue/limit', line: 2 },
  },
  {
    name: 'string repetition with *',
    cue: 'x: "ab" * 1000000000\n',
    expect: { ok: false, message: /too large/, code: 'cue/limit', line: 1 },
  },
  {
    name: 'interpolation doubling',
    cue: doubling((p) => `"\\(${p})\\(${p})"`),
    expect: { ok: false, message: /interpolated string too large/, code: 'cue/limit' },
  },
  {
    name: 'concatenation doubling',
    cue: doubling((p) => `${p} + ${p}`),
    expect: { ok: false, message: /concatenation too large/, code: 'cue/limit' },
  },
  {
    name: 'list.Repeat of 1e8',
    cue: 'import "list"\nx: list.Repeat([1], 100000000)\n',
    expect: { ok: false, message: /too large/, code: 'cue/limit', line: 2 },
  },
  {
    name: 'list doubling',
    cue: ['l0: [1, 2, 3, 4]', ...Array.from({ length: 40 }, (_, i) => `l${i + 1}: l${i} + l${i}`)].join('\n') + '\n',
    expect: { ok: false, message: /list concatenation too large/, code: 'cue/limit' },
  },
  {
    name: 'list repetition with *',
    cue: 'x: [1, 2] * 100000000\n',
    expect: { ok: false, message: /too large/, code: 'cue/limit', line: 1 },
  },
  {
    name: 'list.Range of a billion',
    cue: 'import "list"\nx: list.Range(0, 1000000000, 1)\n',
    expect: { ok: false, message: /too large/, code: 'cue/limit', line: 2 },
  },
  {
    name: 'strconv.FormatInt with radix 1',
    cue: 'import "strconv"\nx: strconv.FormatInt(5, 1)\n',
    expect: { ok: false, message: /invalid base 1/, line: 2 },
  },
  {
    name: 'strconv.FormatInt with radix 37',
    cue: 'import "strconv"\nx: strconv.FormatInt(5, 37)\n',
    expect: { ok: false, message: /invalid base 37/, line: 2 },
  },
  {
    name: 'strings.ContainsRune with -1',
    cue: 'import "strings"\nx: strings.ContainsRune("abc", -1)\ny: strings.ContainsRune("abc", 1114112)\n',
    expect: { ok: true, value: { x: false, y: false } },
  },
  {
    name: 'math.Pow(10, 400) as replicas',
    cue: 'import "math"\nreplicas: math.Pow(10, 400)\n',
    expect: { ok: false, message: /out of range/, line: 2 },
  },
  {
    name: 'yaml.Unmarshal alias bomb',
    cue: `import "encoding/yaml"\nx: yaml.Unmarshal(${JSON.stringify(aliasBomb())})\n`,
    expect: { ok: false, message: /yaml/, line: 2 },
  },
  {
    name: 'yaml.UnmarshalStream alias bomb',
    cue: `import "encoding/yaml"\nx: yaml.UnmarshalStream(${JSON.stringify('a: 1\n---\n' + aliasBomb())})\n`,
    expect: { ok: false, message: /yaml/, line: 2 },
  },
  {
    name: 'json.Unmarshal nested 100,000 deep',
    cue: `import "encoding/json"\nx: json.Unmarshal(${JSON.stringify('['.repeat(100_000) + ']'.repeat(100_000))})\n`,
    expect: { ok: false, message: /nested too deeply/, line: 2 },
  },
  {
    name: 'yaml.Unmarshal nested 100,000 deep',
    cue: `import "encoding/yaml"\nx: yaml.Unmarshal(${JSON.stringify('['.repeat(100_000) + ']'.repeat(100_000))})\n`,
    expect: { ok: false, message: /nested too deeply|yaml/, line: 2 },
  },
  {
    name: 'backtracking regular expression with =~',
    cue: `x: ${JSON.stringify(evilInput)} =~ "^(a+)+$"\n`,
    expect: { ok: true, value: { x: false } },
  },
  {
    name: 'backtracking regular expression as a bound on an Appfile value',
    cue: 'parameter: name: =~"^(a|aa)+$"\nout: parameter.name\n',
    inject: { parameter: { name: evilInput } },
    expect: { ok: false, message: /out of bound/ },
  },
  {
    name: 'backtracking regular expression in regexp.FindAll',
    cue: `import "regexp"\nx: regexp.FindAll("(x+x+)+y", ${JSON.stringify('x'.repeat(30_000))}, -1)\n`,
    expect: { ok: false, message: /no match/, line: 2 },
  },
  {
    name: 'strings.Join of many large strings',
    cue: 'import "strings"\nimport "list"\ns: strings.Repeat("x", 1000000)\nx: strings.Join(list.Repeat([s], 100), "")\n',
    expect: { ok: false, message: /too large/, code: 'cue/limit', line: 4 },
  },
  {
    name: 'strings.Replace growing every character',
    cue: 'import "strings"\ns: strings.Repeat("x", 1000000)\nx: strings.Replace(s, "x", "yyyyyyyyyy", -1)\n',
    expect: { ok: false, message: /too large/, code: 'cue/limit', line: 3 },
  },
  {
    name: 'unbounded recursion through a definition',
    cue: '#F: {n: int, let m = n, if n > 0 {next: #F & {n: m - 1}}}\nx: #F & {n: 1000000}\n',
    expect: { ok: false, message: /nested too deeply|step limit/, code: 'cue/limit' },
  },
  {
    name: 'a comprehension of a million',
    cue: 'import "list"\nr: list.Range(0, 1000, 1)\nx: [for i in r for j in r {i + j}]\n',
    expect: { ok: false, message: /too large|step limit/, code: 'cue/limit' },
  },
];

/** A YAML document whose aliases expand exponentially ("billion laughs"). */
function aliasBomb(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) {
    const prev = String.fromCharCode(96 + i);
    const name = String.fromCharCode(97 + i);
    lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  return lines.join('\n') + '\n';
}
