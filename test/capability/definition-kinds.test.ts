/**
 * Every kind of definition vela reads, in both formats (test/fixtures/definitions/kinds):
 * policies and workflow steps load into the registry beside components and traits,
 * a trait's KubeVela attributes are read, and a template that imports a package only
 * KubeVela's controller has still loads and describes its parameters.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DefinitionRegistry, hclVariables, parseDefinitionFile, terraformSchema, type DefinitionSource } from '../../src/capability/index.js';
import { SourceFile } from '../../src/source/position.js';
import { loadRegistry } from '../../src/pipeline/registry.js';

const ROOT = join(import.meta.dirname, '../..');
const KINDS = join(ROOT, 'test/fixtures/definitions/kinds');

function load(dir: string): DefinitionSource[] {
  return readdirSync(dir)
    .filter((n) => /\.(cue|ya?ml)$/.test(n))
    .flatMap((n) => {
      const r = parseDefinitionFile(new SourceFile(n, readFileSync(join(dir, n), 'utf8')), 'flag');
      expect(r.diagnostics).toEqual([]);
      return r.definitions;
    });
}

function parse(name: string, text: string) {
  return parseDefinitionFile(new SourceFile(name, text), 'flag');
}

describe('definition kinds', () => {
  const registry = new DefinitionRegistry(load(KINDS));

  it('loads policies and workflow steps from CUE files and YAML resources', () => {
    expect(registry.policies().map((d) => d.name)).toEqual(['quiet-hours', 'spread']);
    expect(registry.workflowSteps().map((d) => d.name)).toEqual(['announce', 'wait-for']);
    expect(registry.policy('spread')!.description).toBe('Spread the app over the clusters whose labels match.');
    expect(registry.workflowStep('wait-for')!.kind).toBe('workflow-step');
    // Kinds are kept apart: a policy is not a component or a trait.
    expect(registry.component('spread')).toBeUndefined();
    expect(registry.trait('quiet-hours')).toBeUndefined();
    expect(registry.find('announce')!.kind).toBe('workflow-step');
  });

  it('derives their parameter schemas, also of a template importing a package vela does not have', () => {
    expect(registry.policy('quiet-hours')!.schema).toMatchObject({ properties: { from: { type: 'integer', minimum: 0, maximum: 23 } }, required: ['from', 'to'] });
    const announce = registry.workflowStep('announce')!.schema;
    expect(Object.keys(announce.properties!)).toEqual(['url', 'message']);
    expect(announce.properties!.message).toMatchObject({ properties: { text: { type: 'string', description: 'The text to post' }, loud: { type: 'boolean', default: false } } });
  });

  it("reads a trait's KubeVela attributes", () => {
    const canary = registry.trait('canary-weights')!;
    expect(canary).toMatchObject({
      appliesTo: ['*.apps'],
      conflictsWith: ['blue-green', 'labelSelector:traffic.example.com/router=true'],
      podDisruptive: false,
      stage: 'PostDispatch',
      workloadRefPath: 'spec.targetRef',
      revisionEnabled: true,
      labels: { 'traffic.example.com/router': 'true' },
    });
    expect(registry.trait('managed-rollout')).toMatchObject({ manageWorkload: true, podDisruptive: true, workloadRefPath: 'spec.workloadRef' });
    expect(registry.trait('blue-green')!.stage).toBe('PreDispatch');
    expect(registry.trait('exclusive')!.conflictsWith).toEqual(['*']);
  });

  it('reads the same attributes from a CUE definition file', () => {
    const r = parse(
      'guard.cue',
      [
        'guard: {',
        '  type: "trait"',
        '  annotations: "definition.oam.dev/description": "Described in the annotations"',
        '  attributes: {',
        '    appliesToWorkloads: ["deployments.apps"]',
        '    conflictsWith: ["other"]',
        '    stage: "PreDispatch"',
        '    workloadRefPath: "spec.ref"',
        '    manageWorkload: true',
        '    revisionEnabled: true',
        '    podDisruptive: true',
        '  }',
        '}',
        'template: parameter: {}',
      ].join('\n'),
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.definitions[0]).toMatchObject({
      kind: 'trait',
      description: 'Described in the annotations',
      conflictsWith: ['other'],
      stage: 'PreDispatch',
      workloadRefPath: 'spec.ref',
      manageWorkload: true,
      revisionEnabled: true,
      podDisruptive: true,
    });
  });

  it('refuses an unknown stage and an unknown type, at the definition', () => {
    const stage = parse('s.yaml', 'apiVersion: core.oam.dev/v1beta1\nkind: TraitDefinition\nmetadata: {name: s}\nspec:\n  stage: Later\n  schematic: {cue: {template: "parameter: {}"}}\n');
    expect(stage.diagnostics.map((d) => d.message)).toEqual(['TraitDefinition s: stage must be one of PreDispatch, DefaultDispatch, PostDispatch (got "Later")']);
    const type = parse('t.cue', 't: {type: "scope"}\ntemplate: {}\n');
    expect(type.diagnostics.map((d) => d.message)).toEqual(['t: type must be "component", "trait", "policy" or "workflow-step" (got "scope")']);
    expect(type.diagnostics[0]!.span!.start).toBe('t: {'.length);
  });

  it('infers the workload of a component whose definition does not declare it, from its output', () => {
    const declared = parse('a.cue', 'a: {type: "component", attributes: {}}\ntemplate: {\n  output: {apiVersion: "apps/v1", kind: "Deployment", spec: replicas: parameter.n}\n  parameter: n: int\n}\n');
    const auto = parse('b.cue', 'b: {type: "component", attributes: workload: type: "autodetects.core.oam.dev"}\ntemplate: output: {apiVersion: "batch/v1", kind: "CronJob"}\n');
    const open = parse('c.cue', 'c: {type: "component", attributes: {}}\ntemplate: {\n  output: parameter.object\n  parameter: object: {...}\n}\n');
    const r = new DefinitionRegistry([...declared.definitions, ...auto.definitions, ...open.definitions]);
    expect(r.component('a')!.workloadType).toBe('deployments.apps');
    expect(r.component('b')!.workloadType).toBe('cronjobs.batch');
    expect(r.component('c')!.workloadType).toBeUndefined();
  });

  it('no longer fails a --definitions folder that holds policies and workflow steps', async () => {
    const { registry: loaded } = await loadRegistry({ cwd: ROOT, definitionDirs: [KINDS], velaHome: join(ROOT, 'test/render/fixtures/no-home') });
    expect(loaded.policy('spread')?.origin).toBe('flag');
    expect(loaded.workflowStep('announce')?.origin).toBe('flag');
    expect(loaded.component('webservice')?.origin).toBe('builtin');
  });
});

describe('Terraform components', () => {
  const hcl = [
    'variable "bucket" {',
    '  description = "The bucket\'s name, e.g. \\"logs\\""',
    '  type        = string',
    '}',
    'variable "acl" {',
    '  type    = string',
    '  default = "private" # a comment with { a brace',
    '}',
    'variable "tags" {',
    '  type = map(string)',
    '  default = {',
    '    team = "web"',
    '  }',
    '}',
    'variable "zones" { type = list(string) }',
    '/* variable "commented" { type = string } */',
    'resource "x" "y" {',
    '  policy = <<EOT',
    '{"variable": "not one"}',
    'EOT',
    '}',
  ].join('\n');

  it('reads the variable blocks of inline HCL, not those in comments and heredocs', () => {
    expect(hclVariables(hcl)).toEqual([
      { name: 'bucket', type: 'string', description: 'The bucket\'s name, e.g. "logs"', hasDefault: false },
      { name: 'acl', type: 'string', hasDefault: true },
      { name: 'tags', type: 'map()', hasDefault: true },
      { name: 'zones', type: 'list()', hasDefault: false },
    ]);
  });

  it('gives a schema of the variables and the Configuration keys; a remote module takes any key', () => {
    const schema = terraformSchema({ configuration: hcl, type: 'hcl' });
    expect(schema.required).toEqual(['bucket', 'zones']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties).toMatchObject({ bucket: { type: 'string' }, tags: { type: 'object' }, zones: { type: 'array' }, writeConnectionSecretToRef: { required: ['name'] }, providerRef: { type: 'object' } });
    const remote = terraformSchema({ configuration: 'https://github.com/example/module.git', type: 'remote' });
    expect(remote.additionalProperties).toBe(true);
    expect(remote.required).toBeUndefined();
  });

  it('reads schematic.terraform from a ComponentDefinition and from a CUE definition file', () => {
    const yaml = parse(
      'bucket.yaml',
      [
        'apiVersion: core.oam.dev/v1beta1',
        'kind: ComponentDefinition',
        'metadata: {name: bucket, annotations: {definition.oam.dev/description: A bucket}}',
        'spec:',
        '  workload: {definition: {apiVersion: terraform.core.oam.dev/v1beta2, kind: Configuration}}',
        '  schematic:',
        '    terraform:',
        '      configuration: |',
        '        variable "name" { type = string }',
        '      providerRef: {name: aws}',
        '      writeConnectionSecretToRef: {name: bucket-conn}',
      ].join('\n'),
    );
    expect(yaml.diagnostics).toEqual([]);
    expect(yaml.definitions[0]).toMatchObject({
      kind: 'component',
      workloadType: 'configurations.terraform.core.oam.dev',
      terraform: { type: 'hcl', providerRef: { name: 'aws' }, writeConnectionSecretToRef: { name: 'bucket-conn' } },
      annotations: { 'definition.oam.dev/description': 'A bucket' },
    });
    const cue = parse('vpc.cue', 'vpc: {type: "component", attributes: schematic: terraform: {type: "remote", configuration: "https://github.com/example/vpc.git", path: "modules/vpc"}}\ntemplate: {}\n');
    expect(cue.diagnostics).toEqual([]);
    expect(cue.definitions[0]!.terraform).toEqual({ type: 'remote', configuration: 'https://github.com/example/vpc.git', path: 'modules/vpc' });
  });

  it('says what is wrong with a schematic', () => {
    const r = parse('bad.yaml', 'apiVersion: core.oam.dev/v1beta1\nkind: ComponentDefinition\nmetadata: {name: bad}\nspec:\n  schematic: {terraform: {type: ftp, configuration: x}}\n');
    expect(r.diagnostics.map((d) => d.message)).toEqual(['ComponentDefinition bad: schematic.terraform: type must be hcl, json or remote (got "ftp")']);
  });
});
