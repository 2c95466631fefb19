/**
 * The direct YAML writer (yaml-emitter.ts) writes exactly what the `yaml`
 * package writes with serialize.ts's options and quoting, or declines: checked
 * on tricky strings and shapes, on random objects, and on every object the
 * examples and the all-definitions fixture render (where it must not decline
 * for ordinary objects, else the fast path would never run).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dryRun } from '../../src/pipeline/dry-run.js';
import { manifestsToYaml, packageYaml, toYaml } from '../../src/render/serialize.js';
import type { Manifest } from '../../src/render/types.js';
import { emitYaml } from '../../src/render/yaml-emitter.js';
import { fuzzSeed, randomSource, type Random } from '../fuzz/random.js';
import { YAML_11_TRAPS } from './yaml-1-1-traps.js';

const root = join(import.meta.dirname, '../..');

/** The emitter's text equals the package's whenever it gives one. */
function expectSame(o: unknown): string | undefined {
  const fast = emitYaml(o);
  if (fast !== undefined) expect(fast).toBe(packageYaml(o));
  expect(toYaml(o)).toBe(packageYaml(o));
  return fast;
}

const STRINGS = [
  ...YAML_11_TRAPS,
  'nginx:1.27', 'registry.example.com/team/svc-1:1.0.1', '1.0.1', '250m', '256Mi', 'owner@example.com', 'a b', 'a: b', 'a:b', 'a #b', 'a#b',
  '#x', '-', '-x', '- x', '?', '?x', '? x', ':x', 'x:', 'x ', ' x', '%x', '---', '--- x', '...', '@x', '`x', '!x', '&x', '*x', '|', '>',
  "it's", 'say "hi"', 'back\\slash', 'line\nbreak', 'tab\there', 'café', '{}', '[x]', 'a,b', '0', '-1', '8080', 'x'.repeat(1500),
];

describe('the direct YAML writer', () => {
  it.each(STRINGS.map((s) => [s]))('writes %j as the package does, as a value, an item and a key', (s) => {
    expectSame({ value: s, list: [s, [s]], map: { [s]: 'x', other: s } });
  });

  it('writes nesting, empty collections, nulls and numbers as the package does', () => {
    const cases: unknown[] = [
      {},
      { a: {}, b: [], c: null, d: [[]], e: [{}], f: [null], g: [[1, [2, { h: 3 }]]], i: [{ j: 1, k: [{ l: 'm' }] }] },
      { onlyNulls: { a: null, b: null } },
      { n: 0, big: 2 ** 53, huge: 1e21, frac: 0.5, neg: -3, negZero: -0, yes: true, no: false },
      { date: new Date(0) },
      { sparse: [1, , 3] },
      { undef: undefined, x: 1 },
    ];
    for (const c of cases) expectSame(c);
    expect(emitYaml({ a: { b: [{ c: 'd', e: [] }] } })).toBe('a:\n  b:\n    - c: d\n      e: []\n');
  });

  it('joins documents the package must write (a multi-line string, given up half-way) with those it writes itself', () => {
    const objects = [{ a: 1, b: ['x'] }, { a: 1, note: 'two\nlines', z: 'after' }, {}, { c: { d: 'e' } }];
    const manifests = objects.map((object, i) => ({ object, origin: { service: `s${i}`, definition: 'webservice', span: undefined, fields: { get: () => undefined } } })) as unknown as Manifest[];
    expect(emitYaml(objects[1])).toBeUndefined();
    expect(manifestsToYaml(manifests)).toBe(objects.map((o, i) => `# service s${i}, component webservice\n${toYaml(o)}`).join('---\n'));
    expect(manifestsToYaml(manifests)).toContain('note: |-\n  two\n  lines\nz: after\n---\n# service s2');
  });

  it('writes random objects as the package does', () => {
    const random = randomSource(fuzzSeed(0x5eed1));
    let written = 0;
    for (let i = 0; i < 400; i++) {
      if (expectSame(randomMap(random, 0)) !== undefined) written++;
    }
    // Most random objects take the direct path (else this test would check little).
    expect(written).toBeGreaterThan(100);
  });

  it('writes every rendered object of the examples and all built-in definitions as the package does', async () => {
    const files = [
      ...readdirSync(join(root, 'examples'))
        .filter((d) => existsSync(join(root, 'examples', d, 'vela.yaml')))
        .map((d) => `examples/${d}/vela.yaml`),
      'test/render/fixtures/everything.yaml',
    ];
    let written = 0;
    let objects = 0;
    for (const file of files) {
      const r = await dryRun({ cwd: root, file, velaHome: join(root, 'test/render/fixtures/no-home') });
      for (const m of r.rendered.manifests) {
        objects++;
        if (expectSame(m.object) !== undefined) written++;
      }
    }
    expect(written / objects).toBeGreaterThan(0.8);
  });
});

const PIECES = ['a', 'Z', '0', '1', '9', '.', '-', '_', ':', ' ', '#', '/', '@', '?', '%', ',', '[', '{', '"', "'", 'e', 'x', 'on', 'true', 'null', '~', '<<', '\n', '+'];

function randomString(random: Random): string {
  let s = '';
  const n = random.int(0, 6);
  for (let i = 0; i < n; i++) s += random.pick(PIECES);
  return s;
}

function randomValue(random: Random, depth: number): unknown {
  const r = random.next();
  if (depth < 3 && r < 0.15) return randomMap(random, depth + 1);
  if (depth < 3 && r < 0.3) return Array.from({ length: random.int(0, 3) }, () => randomValue(random, depth + 1));
  if (r < 0.35) return null;
  if (r < 0.4) return random.chance(0.5);
  if (r < 0.5) return random.int(-1000, 1000);
  return randomString(random);
}

function randomMap(random: Random, depth: number): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  const n = random.int(0, 4);
  for (let i = 0; i < n; i++) o[randomString(random)] = randomValue(random, depth);
  return o;
}
