import { describe, expect, it } from 'vitest';
import { parseYamlTree, toJson } from '../../src/appfile/yaml-tree.js';
import { formatDiagnostic, formatPos, SourceFile } from '../../src/source/index.js';
import { errorsOf, parse, show, yaml } from './helpers.js';

const billionLaughs = yaml(
  'name: lol',
  'x-a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
  'x-b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
  'x-c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
  'x-d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
  'x-e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
  'x-f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]',
  'x-g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]',
  'x-h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]',
  'x-i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]',
  'services:',
  '  web: {image: nginx, cmd: *i}',
);

describe('YAML safety', () => {
  it('refuses a billion-laughs file quickly, at the alias that goes over the limit', () => {
    const t0 = performance.now();
    const errs = errorsOf(billionLaughs);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(errs).toEqual([
      'vela.yaml:6:10: too many aliases: expanding the aliases would create more than 10000 nodes [vela refuses deeply nested aliases (a "billion laughs" file); write the values out instead]',
    ]);
  });

  it('limits the number of alias uses', () => {
    const lines = ['x-a: &a 1', 'x-list: [' + Array.from({ length: 5 }, () => '*a').join(', ') + ']'];
    const file = new SourceFile('vela.yaml', yaml(...lines));
    const r = parseYamlTree(file, { maxAliasCount: 4 });
    expect(r.root).toBeUndefined();
    expect(r.diagnostics.map(show)).toEqual([
      'vela.yaml:2:26: too many aliases: more than 4 aliases are used [vela refuses deeply nested aliases (a "billion laughs" file); write the values out instead]',
    ]);
    expect(parseYamlTree(file, { maxAliasCount: 5 }).diagnostics).toEqual([]);
  });

  it('expands ordinary aliases, and refuses an unknown or self-referencing one', () => {
    const ok = parseYamlTree(new SourceFile('vela.yaml', yaml('a: &x {p: 1}', 'b: *x')));
    expect(toJson(ok.root!)).toEqual({ a: { p: 1 }, b: { p: 1 } });
    expect(errorsOf(yaml('name: shop', 'services: {web: {image: *img}}'))).toEqual([
      'vela.yaml:2:25: unknown alias *img [define the anchor &img before it is used]',
    ]);
    const self = parseYamlTree(new SourceFile('vela.yaml', 'a: &x [1, *x]\n'));
    expect(self.diagnostics.map(show)).toEqual(['vela.yaml:1:11: unknown alias *x [define the anchor &x before it is used]']);
  });

  it('reports duplicate keys with both positions', () => {
    const r = parse(yaml('name: shop', 'services:', '  web:', '    image: a', '    port: 80', '    port: 81', 'name: other'));
    expect(r.app).toBeUndefined();
    expect(r.diagnostics.map(show)).toEqual([
      'vela.yaml:6:5: services.web: duplicate key "port" ["port" is already set at line 5; keep one of them]',
      'vela.yaml:7:1: duplicate key "name" ["name" is already set at line 1; keep one of them]',
    ]);
    expect(r.diagnostics.map((d) => d.related!.map(formatPos))).toEqual([['vela.yaml:5:5'], ['vela.yaml:1:1']]);
    expect(formatDiagnostic(r.diagnostics[0]!)).toBe(
      [
        'error: vela.yaml:6:5: services.web: duplicate key "port"',
        '  5 |     port: 80',
        '> 6 |     port: 81',
        '    |     ^^^^',
        '  hint: "port" is already set at line 5; keep one of them',
        '  see vela.yaml:5:5',
      ].join('\n'),
    );
  });

  it('refuses files over the size limit without parsing them', () => {
    const big = yaml('name: shop', 'services:', '  web:', '    image: nginx', '    cmd: [' + Array.from({ length: 600 }, () => '"xxxxxxxx"').join(', ') + ']');
    expect(errorsOf(big, { maxBytes: 4096 })).toEqual([
      'vela.yaml is too large (7.1 KiB; the limit is 4 KiB) [an Appfile this large is almost certainly not one; check the file name]',
    ]);
    expect(errorsOf(big)).toEqual([]);
    // The default limit is 1 MiB, counted in UTF-8 bytes.
    const huge = 'name: shop\n# ' + 'é'.repeat(600 * 1024) + '\n';
    expect(errorsOf(huge)).toEqual([
      'vela.yaml is too large (1.2 MiB; the limit is 1 MiB) [an Appfile this large is almost certainly not one; check the file name]',
    ]);
  });

  it('refuses more than one document', () => {
    expect(errorsOf(yaml('name: shop', 'services: {web: {image: a}}', '---', 'name: other'))).toEqual([
      'vela.yaml:3:1: vela.yaml holds more than one YAML document [an Appfile is a single document: remove the `---` separator and what follows, or split it into two files]',
    ]);
    // A leading `---` and a trailing empty document are fine.
    expect(errorsOf(yaml('---', 'name: shop', 'services: {web: {image: a}}', '---'))).toEqual([]);
  });

  it('reports YAML syntax errors at their position, without the package\'s own frame', () => {
    const errs = errorsOf(yaml('name: shop', 'services:', '  web: {image: nginx', '  api: x'));
    expect(errs.length).toBeGreaterThan(0);
    expect(errs[0]).toMatch(/^vela\.yaml:\d+:\d+: /);
    expect(errs.join('\n')).not.toMatch(/at line \d+, column/);
    expect(errorsOf(yaml('name: shop', 'services:', ' web:', '   image: a', '  bad'))[0]).toMatch(/^vela\.yaml:5:\d+: /);
    expect(errorsOf(yaml('name: "shop'))).toEqual(['vela.yaml:2:1: Missing closing "quote']);
  });

  it('reports an empty file', () => {
    expect(errorsOf('')).toEqual(['vela.yaml is empty [an Appfile needs at least `name:` and `services:`]']);
    expect(errorsOf('# nothing here\n')).toEqual(['vela.yaml is empty [an Appfile needs at least `name:` and `services:`]']);
  });

  it('refuses non-finite numbers and complex keys', () => {
    expect(errorsOf(yaml('name: shop', 'services: {web: {image: a, port: .inf}}'))).toEqual([
      'vela.yaml:2:34: numbers must be finite (.inf and .nan are not allowed)',
    ]);
    expect(errorsOf(yaml('name: shop', '? [a]', ': 1', 'services: {web: {image: a}}'))).toEqual(['vela.yaml:2:3: map keys must be plain strings']);
  });

  it('merges `<<` keys: explicit keys win, then earlier sources', () => {
    const r = parseYamlTree(new SourceFile('vela.yaml', yaml('a: &a {x: 1, y: 1}', 'b: &b {y: 2, z: 2}', 'c:', '  <<: [*a, *b]', '  x: 0')));
    expect(r.diagnostics).toEqual([]);
    expect(toJson(r.root!)).toMatchObject({ c: { x: 0, y: 1, z: 2 } });
  });

  it('reads YAML 1.2: yes/no/on/off stay strings, numbers stay numbers', () => {
    const r = parseYamlTree(new SourceFile('vela.yaml', 'a: yes\nb: on\nc: 0o17\nd: 1e3\ne: "8080"\nf: 080\n'));
    expect(toJson(r.root!)).toEqual({ a: 'yes', b: 'on', c: 15, d: 1000, e: '8080', f: 80 });
  });

  it.each([
    ['flow lists', (n: number) => `x: ${'['.repeat(n)}${']'.repeat(n)}`],
    ['flow maps', (n: number) => `x: ${'{a: '.repeat(n)}1${'}'.repeat(n)}`],
    ['block maps', (n: number) => `x:\n${Array.from({ length: n }, (_, i) => `${'  '.repeat(i + 1)}a:`).join('\n')}`],
  ])('says "nest deeper than 64 levels" at a line for deeply nested %s, never "Maximum call stack size exceeded"', (_what, nest) => {
    for (const levels of [65, 1000, 20_000]) {
      const text = nest(levels);
      if (text.length > 1024 * 1024) continue;
      const r = parseYamlTree(new SourceFile('vela.yaml', text));
      expect(r.root).toBeUndefined();
      expect(r.diagnostics.map(show), `${levels} levels`).toEqual([expect.stringMatching(/^vela\.yaml:\d+:\d+: maps and lists nest deeper than 64 levels here \[/)]);
    }
    expect(parseYamlTree(new SourceFile('vela.yaml', nest(63))).diagnostics).toEqual([]);
  });

  it('reads `__proto__`, `constructor` and `toString` as plain keys, into maps that inherit nothing', () => {
    const r = parseYamlTree(new SourceFile('vela.yaml', '__proto__: {polluted: 1}\nconstructor: 2\ntoString: 3\nother: {}\n'));
    const json = toJson(r.root!) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['__proto__', 'constructor', 'toString', 'other']);
    const inherits = (o: object) => {
      const names: string[] = [];
      for (let p = Object.getPrototypeOf(o) as object | null; p; p = Object.getPrototypeOf(p) as object | null) names.push(...Reflect.ownKeys(p).map(String));
      return names;
    };
    expect(inherits(json)).toEqual([]);
    expect(json.toString).toBe(3);
    expect(Object.hasOwn(json, '__proto__')).toBe(true);
    const other = json.other as Record<string, unknown>;
    expect(inherits(other)).toEqual([]);
    expect(other.hasOwnProperty).toBeUndefined();
    expect(other.constructor).toBeUndefined();
    expect(JSON.stringify(json)).toBe('{"__proto__":{"polluted":1},"constructor":2,"toString":3,"other":{}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('gives an Appfile key `__proto__`, `constructor` or `toString` the unknown-key error, with no JavaScript in the hint', () => {
    const errs = errorsOf(yaml('name: app', 'services:', '  web:', '    image: nginx', '    toString: 1', '    constructor: 2', '    __proto__: {a: 1}'));
    expect(errs.map((e) => e.split(': ').slice(0, 3).join(': '))).toEqual([
      'vela.yaml:5:5: services.web.toString: unknown key',
      'vela.yaml:6:5: services.web.constructor: unknown key',
      'vela.yaml:7:5: services.web.__proto__: unknown key',
    ]);
    for (const e of errs) expect(e).not.toMatch(/native code|\[object Object\]|function/);
  });
});
