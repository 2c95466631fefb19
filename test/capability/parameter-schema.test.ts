/**
 * A parameter schema is never stricter than CUE, and as strict as it can say: for every built-in definition and a
 * set of KubeVela-style parameter blocks, the empty parameter and each sample (realistic values and mutations of
 * them: a field dropped, an unknown field added, a value of the wrong type) is accepted by the JSON Schema exactly
 * when CUE accepts it (the parameter unified with the sample exports without error).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { compile, evaluate, type Program } from '../../src/cue/index.js';
import { parseCueDefinition, parameterSchema } from '../../src/capability/index.js';
import type { JsonSchema } from '../../src/capability/index.js';
import { SourceFile } from '../../src/source/position.js';
import { cases } from '../definitions/cases.js';
import { DEFINITIONS_DIR, type Json } from '../definitions/harness.js';
import { PARAMETER_BLOCKS } from './fixtures/parameter-blocks.js';

type Validator = ((data: unknown) => boolean) & { errors?: unknown };
const { Ajv2020 } = createRequire(import.meta.url)('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
// The options vela validates Appfiles with (appfile/validate-schema.ts).
const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false, validateSchema: false, addUsedSchema: false, logger: false });

function cueAccepts(program: Program, sample: Json): boolean {
  const r = evaluate(program, { inject: { parameter: sample } });
  if (!r.ok) return false;
  const p = r.root.lookup('parameter');
  return p === undefined ? true : p.export().ok;
}

/** The sample and its mutations: each top-level field dropped, an unknown field, each scalar of the wrong type. */
function variants(sample: Json): { what: string; value: Json }[] {
  const out = [{ what: 'as given', value: sample }];
  if (sample === null || typeof sample !== 'object' || Array.isArray(sample)) return out;
  for (const k of Object.keys(sample)) {
    const { [k]: _dropped, ...rest } = sample;
    out.push({ what: `without ${k}`, value: rest });
    const v = sample[k];
    if (typeof v === 'string') out.push({ what: `${k} as a number`, value: { ...sample, [k]: 12345 } });
    else if (typeof v === 'number' || typeof v === 'boolean') out.push({ what: `${k} as a string`, value: { ...sample, [k]: 'text' } });
    else if (Array.isArray(v)) out.push({ what: `${k} as a map`, value: { ...sample, [k]: { a: 'b' } } });
  }
  out.push({ what: 'with an unknown field', value: { ...sample, zzUnknownField: 'x' } });
  return out;
}

function mismatches(program: Program, schema: JsonSchema, samples: readonly Json[]): string[] {
  const validate = ajv.compile(schema) as Validator;
  const out: string[] = [];
  const seen = new Set<string>();
  for (const sample of [{}, ...samples]) {
    for (const { what, value } of variants(sample)) {
      const key = JSON.stringify(value);
      if (seen.has(key)) continue;
      seen.add(key);
      const bySchema = validate(value);
      const byCue = cueAccepts(program, value);
      if (bySchema !== byCue) out.push(`${what} ${key.slice(0, 160)}: schema ${bySchema ? 'accepts' : 'refuses'}, CUE ${byCue ? 'accepts' : 'refuses'}`);
    }
  }
  return out;
}

const builtins = readdirSync(DEFINITIONS_DIR)
  .filter((f) => f.endsWith('.cue'))
  .map((file) => {
    const text = readFileSync(join(DEFINITIONS_DIR, file), 'utf8');
    const { definitions } = parseCueDefinition(new SourceFile(file, text), 'builtin');
    return definitions[0]!;
  });

describe('parameter schema vs CUE: built-in definitions', () => {
  it('covers every built-in definition', () => {
    expect(builtins.length).toBeGreaterThanOrEqual(20);
  });

  it.each(builtins.map((d) => [d.name, d] as const))('%s', (name, def) => {
    const samples = cases.filter((c) => c.definition === name && c.parameter !== undefined).map((c) => c.parameter as Json);
    expect(mismatches(def.program, parameterSchema(def.program, name), samples)).toEqual([]);
  });
});

describe('parameter schema vs CUE: KubeVela-style parameter blocks', () => {
  it.each(PARAMETER_BLOCKS.map((b) => [b.name, b] as const))('%s', (_name, block) => {
    const program = compile([{ name: `${block.name}.cue`, text: block.cue }]);
    expect(mismatches(program, parameterSchema(program, block.name), block.samples)).toEqual([]);
  });

  it('accepts both forms of `*#PatchParams | close({containers: [...]})`, and the empty parameter', () => {
    const block = PARAMETER_BLOCKS.find((b) => b.name === 'patch-params-or-containers')!;
    const program = compile([{ name: 'p.cue', text: block.cue }]);
    const validate = ajv.compile(parameterSchema(program, 'p')) as Validator;
    expect(validate({ env: { A: '1' } })).toBe(true);
    expect(validate({ containers: [{ containerName: 'a', env: { A: '1' } }] })).toBe(true);
    expect(validate({})).toBe(true);
    expect(validate({ env: { A: '1' }, containers: [] })).toBe(false);
  });

  it('requires nothing that CUE can export without a value', () => {
    const block = PARAMETER_BLOCKS.find((b) => b.name === 'needs-nothing')!;
    const schema = parameterSchema(compile([{ name: 'n.cue', text: block.cue }]), 'n');
    expect(schema.required).toEqual(['image']);
  });
});
