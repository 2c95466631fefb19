/**
 * The built-in policy and workflow-step definitions (definitions/policies,
 * definitions/workflow-steps): their parameters are exactly the properties
 * the Appfile reader takes for each type, with the same defaults, and the
 * policies and steps of the multi-cluster fixtures are valid against them.
 *
 * The capability loader reads only component and trait definitions today, so
 * each file is read here as a trait (its header's `type` swapped) to derive
 * the parameter schema with vela's own CUE engine.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { policyProperties, policyTypes, stepProperties, stepTypes, validateAgainstSchema, type JsonObject } from '../../src/appfile/index.js';
import { CapabilityDefinition, parseDefinitionFile, type JsonSchema } from '../../src/capability/index.js';
import { SourceFile } from '../../src/source/index.js';

const ROOT = join(import.meta.dirname, '../../definitions');

function schemaOf(folder: string, name: string, kind: 'policy' | 'workflow-step'): JsonSchema {
  const text = readFileSync(join(ROOT, folder, `${name}.cue`), 'utf8');
  expect(text).toContain(`type:        "${kind}"`);
  const parsed = parseDefinitionFile(new SourceFile(`definitions/${folder}/${name}.cue`, text.replace(`type:        "${kind}"`, 'type:        "trait"')), 'builtin');
  expect(parsed.diagnostics).toEqual([]);
  expect(parsed.definitions.map((d) => d.name)).toEqual([name]);
  return new CapabilityDefinition(parsed.definitions[0]!).schema;
}

const keys = (schema: JsonSchema) => Object.keys(schema.properties ?? {}).sort();

describe('built-in policy definitions', () => {
  it('exist for every policy type vela reads, and nothing else', () => {
    expect(readdirSync(join(ROOT, 'policies')).sort()).toEqual(policyTypes.map((t) => `${t}.cue`).sort());
  });

  it.each(policyTypes)('%s: its parameters are the properties the reader takes', (type) => {
    expect(keys(schemaOf('policies', type, 'policy'))).toEqual([...policyProperties[type]].sort());
  });

  it('have the defaults the reader gives', () => {
    const gc = schemaOf('policies', 'garbage-collect', 'policy').properties!;
    expect([gc.keepLegacyResource?.default, gc.continueOnFailure?.default]).toEqual([false, false]);
    expect(schemaOf('policies', 'apply-once', 'policy').properties!.enable?.default).toBe(false);
  });

  it.todo('are loaded by the capability loader from definitions/policies (needs `type: "policy"` in src/capability: not supported there yet)');
});

describe('built-in workflow-step definitions', () => {
  it('exist for every step type vela runs, and nothing else', () => {
    expect(readdirSync(join(ROOT, 'workflow-steps')).sort()).toEqual(stepTypes.map((t) => `${t}.cue`).sort());
  });

  it.each(stepTypes)('%s: its parameters are the properties the reader takes', (type) => {
    expect(keys(schemaOf('workflow-steps', type, 'workflow-step'))).toEqual([...stepProperties[type]].sort());
  });

  it('have the defaults the reader gives', () => {
    const deploy = schemaOf('workflow-steps', 'deploy', 'workflow-step').properties!;
    expect([deploy.auto?.default, deploy.parallelism?.default, deploy.policies?.default]).toEqual([true, 5, []]);
  });

  it.todo('are loaded by the capability loader from definitions/workflow-steps (needs `type: "workflow-step"` in src/capability: not supported there yet)');
});

describe('the multi-cluster fixtures against the definitions', () => {
  const problems = (value: unknown, schema: JsonSchema) => validateAgainstSchema(value as JsonObject, schema, { locate: () => undefined, basePath: [] }).map((d) => `${d.path}: ${d.message}`);

  it('are valid, and a wrong value is not', () => {
    const app = parseYaml(readFileSync(join(import.meta.dirname, '../fixtures/multicluster/application.yaml'), 'utf8')) as { spec: { policies: { type: string; properties: object }[]; workflow: { steps: { type: string; properties: object }[] } } };
    for (const p of app.spec.policies) expect(problems(p.properties, schemaOf('policies', p.type, 'policy'))).toEqual([]);
    for (const s of app.spec.workflow.steps) expect(problems(s.properties, schemaOf('workflow-steps', s.type, 'workflow-step'))).toEqual([]);
    expect(problems({ parallelism: 0 }, schemaOf('workflow-steps', 'deploy', 'workflow-step'))).toEqual(['parallelism: must be >= 1 (got 0)']);
    expect(problems({ slack: { url: { value: 'http://x', secretRef: { name: 'a', key: 'b' } }, message: {} } }, schemaOf('workflow-steps', 'notification', 'workflow-step'))).not.toEqual([]);
  });
});
