/**
 * The direct reader of plain YAML (yaml-fast-tree.ts) gives the tree the
 * `yaml` package path gives (values, keys, spans, sizes) or declines: checked
 * on every YAML file of the repository, on edge cases and on random
 * block-style texts; and it does read a generated Appfile of many services
 * (else the fast path would never run).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultYamlLimits, parseYamlTree, type LNode } from '../../src/appfile/yaml-tree.js';
import { packageYamlTree } from '../../src/appfile/yaml-tree.js';
import { fastYamlTree } from '../../src/appfile/yaml-fast-tree.js';
import { SourceFile } from '../../src/source/index.js';
import { scaleAppfile } from '../../bench/support/scale-appfile.js';
import { fuzzSeed, randomSource, type Random } from '../fuzz/random.js';

const root = join(import.meta.dirname, '../..');

/** A tree without its file objects, for comparison. */
function plain(n: LNode): unknown {
  const span = [n.span.start, n.span.end];
  if (n.kind === 'scalar') return { scalar: n.value, span, size: n.size };
  if (n.kind === 'seq') return { seq: n.items.map(plain), span, size: n.size };
  return { map: n.entries.map((e) => [e.key, e.keySpan.start, e.keySpan.end, plain(e.value)]), span, size: n.size };
}

/** The fast tree, when given, equals the package's, which has no diagnostics. Returns whether the fast reader took the text. */
function expectSame(text: string, name = 'x.yaml'): boolean {
  const file = new SourceFile(name, text);
  const fast = fastYamlTree(file, defaultYamlLimits.maxDepth);
  if (fast === undefined) return false;
  const slow = packageYamlTree(new SourceFile(name, text), defaultYamlLimits);
  expect(slow.diagnostics.map((d) => d.message), text).toEqual([]);
  expect(plain(fast), text).toEqual(plain(slow.root!));
  return true;
}

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir)) {
    if (e === 'node_modules' || e === 'dist' || e.startsWith('.')) continue;
    const p = join(dir, e);
    if (statSync(p).isDirectory()) yamlFiles(p, out);
    else if (/\.ya?ml$/.test(e)) out.push(p);
  }
  return out;
}


describe('the direct reader of plain YAML', () => {
  it('reads a generated Appfile of many services as the package does', () => {
    expect(expectSame(scaleAppfile(40))).toBe(true);
    const many = new SourceFile('vela.yaml', scaleAppfile(300));
    expect(fastYamlTree(many, defaultYamlLimits.maxDepth)).toBeDefined();
    expect(plain(parseYamlTree(many).root!)).toEqual(plain(packageYamlTree(new SourceFile('vela.yaml', many.text), defaultYamlLimits).root!));
  });

  it('reads every YAML file of the repository as the package does, or leaves it to the package', () => {
    let taken = 0;
    const files = yamlFiles(root);
    for (const f of files) if (expectSame(readFileSync(f, 'utf8'), relative(root, f))) taken++;
    expect(files.length).toBeGreaterThan(20);
    expect(taken).toBeGreaterThan(0);
  });

  it.each([
    'a: 1\n',
    'a:\n  b: 1\n\nc:\n- x\n- y\n\n\n',
    'a:\n  b: 1\nc: d',
    'a:\n  - - x\n    - y\n  - z: 1\n',
    'a:   x   \nb:    "q"  \n',
    "a: 'it''s'\n",
    'a: "back\\\\slash"\n',
    'a: "x" y\n',
    '"quoted key": 1\n\'single\': 2\n',
    '8080: port\ntrue: yes\n1.5: f\n',
    'null: x\n',
    '~: x\n',
    '<<: {a: 1}\n',
    'a: b: c\n',
    'a: http://x.example/y?q=1\n',
    'a: x:\n',
    'a:\n',
    'a:\nb: 1\n',
    'a: 1\na: 2\n',
    'a: 012\nb: +1\nc: 0x1F\nd: 1.0\ne: .5\nf: .inf\ng: .nan\nh: 1e3\ni: 1_000\nj: 9007199254740993\n',
    'a: true\nb: False\nc: TRUE\nd: ~\ne: null\nf: Null\ng: yes\nh: on\n',
    'a: -x\nb: - x\nc: ?x\nd: :x\ne: "@x"\nf: x@y\n',
    'a: [1, 2]\n',
    'a: {b: 1}\n',
    'a: &x 1\nb: *x\n',
    'a: !!str 1\n',
    'a: |\n  text\n',
    'a: multi\n  line\n',
    '  a: 1\n',
    'a:\n    b: 1\n  c: 2\n',
    'a: 1 # comment\n',
    '- a\n- b\n',
    '---\na: 1\n',
    '\ufeffa: 1\n',
    'a:\n-\n  b: 1\n',
    'a:\n  -   b: 1\n      c: 2\n  -    x\n',
    'a: x\n   \n  \nb: y\n',
    'key with spaces: value with spaces\n',
    'a : 1\n',
    'a:    \n  b: 1\n',
    Array.from({ length: 40 }, (_, i) => `key${i}: ${i}\n`).join(''),
  ])('%j: as the package, or declined', (text) => {
    expectSame(text);
  });

  it('declines what it does not read', () => {
    // Duplicate keys, in small maps and large ones, next to each other or far apart: the package's (it reports them).
    const keys = (n: number, dup?: [number, number]) =>
      Array.from({ length: n }, (_, i) => `k${dup && i === dup[1] ? dup[0] : i}: ${i}\n`).join('');
    for (const text of ['a: 1 # c\n', 'a: [1]\n', 'a: &x 1\n', 'a: 1\na: 2\n', 'a:\n', 'a: 1.5\n', 'a: |\n  x\n', keys(10, [2, 9]), keys(30, [3, 16]), keys(30, [5, 28]), keys(30, [20, 25])]) {
      expect(fastYamlTree(new SourceFile('x.yaml', text), defaultYamlLimits.maxDepth), text).toBeUndefined();
    }
  });

  it('reads random block-style YAML as the package does', () => {
    const random = randomSource(fuzzSeed(0xfa57));
    let taken = 0;
    for (let i = 0; i < 600; i++) if (expectSame(randomText(random))) taken++;
    expect(taken).toBeGreaterThan(50);
  });
});

const SCALARS = [
  'x', 'web-1', 'nginx:1.27', 'a b', 'a:b', 'a: b', 'http://x/y', '8080', '0', '012', '-1', '+1', '1.0', '.5', '1e3', '1_000', '0x1F', '0o7',
  'true', 'False', 'yes', 'null', '~', 'Null', '"q"', '"a b"', "'s'", "'it''s'", '"x\\"y"', '""', "''", 'x@y', '@x', '-x', '?x', 'x:', 'a"b', "a'b",
  '.inf', '.nan', '<<', '%x', '[1]', '{}', 'x ', 'é', 'a,b',
];
const KEYS = ['a', 'b', 'name', 'image', '8080', 'true', '"q k"', "'s'", 'x.y/z', 'null', 'a b', 'a', 'k-1'];

function randomText(random: Random): string {
  const lines: string[] = [];
  const step = random.pick([2, 2, 4]);
  const map = (indent: number, depth: number, first?: string) => {
    const n = random.int(1, 3);
    for (let i = 0; i < n; i++) {
      const prefix = i === 0 && first !== undefined ? first : ' '.repeat(indent);
      const key = random.pick(KEYS);
      const r = random.next();
      if (depth < 3 && r < 0.25) {
        lines.push(`${prefix}${key}:${random.chance(0.1) ? '  ' : ''}`);
        map(indent + step, depth + 1);
      } else if (depth < 3 && r < 0.45) {
        lines.push(`${prefix}${key}:`);
        seq(random.chance(0.3) ? indent : indent + step, depth + 1);
      } else if (r < 0.5) lines.push(`${prefix}${key}:`);
      else lines.push(`${prefix}${key}: ${random.pick(SCALARS)}${random.chance(0.1) ? '  ' : ''}`);
      if (random.chance(0.05)) lines.push('');
      if (random.chance(0.02)) lines.push(' '.repeat(indent + 1) + 'odd: 1');
    }
  };
  const seq = (indent: number, depth: number) => {
    const n = random.int(1, 3);
    for (let i = 0; i < n; i++) {
      const r = random.next();
      const dash = `${' '.repeat(indent)}-${random.chance(0.1) ? '   ' : ' '}`;
      if (depth < 3 && r < 0.3) map(dash.length, depth + 1, dash);
      else if (depth < 3 && r < 0.35) {
        lines.push(`${dash}- ${random.pick(SCALARS)}`);
      } else lines.push(`${dash}${random.pick(SCALARS)}`);
    }
  };
  map(0, 0);
  return lines.join('\n') + (random.chance(0.9) ? '\n' : '');
}
