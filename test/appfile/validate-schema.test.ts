import { describe, expect, it } from 'vitest';
import { locator, validateAgainstSchema } from '../../src/appfile/index.js';
import { parseYamlTree, toJson } from '../../src/appfile/yaml-tree.js';
import type { JsonSchema } from '../../src/capability/types.js';
import { SourceFile } from '../../src/source/index.js';
import { show } from './helpers.js';

/** Validate the YAML `text` (a trait's or component's properties) against `schema`. */
function check(schema: JsonSchema, text: string, opts: { keys?: boolean } = {}): string[] {
  const tree = parseYamlTree(new SourceFile('t.yaml', text));
  expect(tree.diagnostics).toEqual([]);
  const loc = locator(tree.root);
  // keys: false → a caller with only `locate` and a base path (the document is under `p`).
  const at = opts.keys === false ? { locate: (p: readonly (string | number)[]) => loc.locate(p.slice(1)), basePath: ['p'] } : { ...loc, basePath: [] };
  return validateAgainstSchema(toJson(tree.root!), schema, at).map(show);
}

describe('validateAgainstSchema', () => {
  it('returns nothing for a valid value', () => {
    expect(check({ type: 'object', properties: { a: { type: 'integer' } } }, 'a: 1\n')).toEqual([]);
  });

  it('says what was expected and what was given', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: {
        n: { type: 'number' },
        s: { type: ['string', 'null'] },
        o: { type: 'object' },
        e: { enum: ['only'] },
        c: { const: 3 },
        l: { type: 'array', items: { type: 'string' }, minItems: 2, uniqueItems: true },
        m: { type: 'string', minLength: 2, maxLength: 3 },
      },
    };
    expect(check(schema, 'n: "1"\ns: 1\no: [1]\ne: other\nc: 4\nl: [a, a]\nm: x\n')).toEqual([
      't.yaml:1:4: n: must be number (got "1") [write 1 without quotes]',
      't.yaml:2:4: s: must be string or null (got 1)',
      't.yaml:3:4: o: must be object (got a list)',
      't.yaml:4:4: e: must be "only" (got "other")',
      't.yaml:5:4: c: must be 3 (got 4)',
      't.yaml:6:4: l: must not repeat an item (items 0 and 1 are equal)',
      't.yaml:7:4: m: must have at least 2 characters (got "x")',
    ]);
  });

  it('points at a missing key\'s parent key and an unknown key itself', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: {
        probe: {
          type: 'object',
          properties: { path: { type: 'string' }, port: { type: 'integer' }, scheme: { type: 'string' } },
          required: ['port'],
          additionalProperties: false,
        },
      },
      required: ['name'],
    };
    expect(check(schema, 'probe:\n  path: /\n  prot: 80\n  zzzzzz: 1\n')).toEqual([
      't.yaml:1:1: missing required parameter "name"',
      't.yaml:1:1: probe: missing required field "port"',
      't.yaml:3:3: probe: unknown field "prot" [did you mean `port`?]',
      't.yaml:4:3: probe: unknown field "zzzzzz" [allowed: path, port, scheme]',
    ]);
    // Without locateKey, positions fall back to the values.
    expect(check(schema, 'probe:\n  port: 80\n  prot: 80\n', { keys: false })).toEqual([
      't.yaml:1:1: p: missing required parameter "name"',
      't.yaml:3:9: p.probe: unknown field "prot" [did you mean `port`?]',
    ]);
  });

  it('quotes keys that are not plain words in paths', () => {
    const schema: JsonSchema = { type: 'object', additionalProperties: { type: 'integer' } };
    expect(check(schema, '"/api": x\nok: 1\n')).toEqual(['t.yaml:1:9: ["/api"]: must be integer (got "x")']);
  });

  it('reports a value that fits no alternative as one error', () => {
    // CUE `*"Always" | "Never" | int` and `string | {name: string}`.
    const schema: JsonSchema = {
      type: 'object',
      properties: {
        policy: { anyOf: [{ enum: ['Always', 'Never'] }, { type: 'integer' }] },
        ref: { oneOf: [{ type: 'string' }, { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] }] },
      },
    };
    expect(check(schema, 'policy: Sometimes\nref: 3\n')).toEqual([
      't.yaml:1:9: policy: must be one of "Always", "Never" or integer (got "Sometimes")',
      't.yaml:2:6: ref: must be string or object (got 3)',
    ]);
    // When the value has the shape of one alternative, that alternative's errors are the useful ones.
    expect(check(schema, 'ref: {nam: x}\n')).toEqual(['t.yaml:1:1: ref: missing required field "name"']);
  });

  it('handles nested alternatives', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: {
        v: {
          anyOf: [
            { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'object', properties: { k: { type: 'integer' } } }] } },
            { type: 'boolean' },
          ],
        },
      },
    };
    expect(check(schema, 'v: [a, 1, {k: x}]\n')).toEqual([
      't.yaml:1:8: v[1]: must be string or object (got 1)',
      't.yaml:1:15: v[2].k: must be integer (got "x")',
    ]);
    expect(check(schema, 'v: 3\n')).toEqual(['t.yaml:1:4: v: must be array or boolean (got 3)']);
  });

  it('explains a broken schema instead of throwing', () => {
    const out = check({ type: 'object', properties: { a: { type: 'string', pattern: '(' } } }, 'a: x\n');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^t\.yaml:1:1: the parameter schema cannot be compiled: .*\[this is a problem in the definition, not in the Appfile\]$/);
  });

  it('compiles each schema once', () => {
    const schema: JsonSchema = { type: 'object', properties: { a: { type: 'integer' } } };
    check(schema, 'a: x\n');
    const t0 = performance.now();
    for (let i = 0; i < 200; i++) check(schema, 'a: x\n');
    // 200 fresh compiles would take seconds; cached validation takes milliseconds.
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('validateAgainstSchema with schemas that share an $id', () => {
  it('keeps them apart', () => {
    const a: JsonSchema = { $id: 'parameter', type: 'object', properties: { x: { type: 'integer' } } };
    const b: JsonSchema = { $id: 'parameter', type: 'object', properties: { x: { type: 'string' } } };
    expect(check(a, 'x: s\n')).toEqual(['t.yaml:1:4: x: must be integer (got "s")']);
    expect(check(b, 'x: 1\n')).toEqual(['t.yaml:1:4: x: must be string (got 1)']);
  });
});
