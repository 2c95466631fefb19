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
});
