/**
 * The lookup path and the build-time index of the built-in definitions: a
 * registry loaded through the index equals one loaded by parsing, and an
 * entry whose file changed is ignored.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_DEFINITIONS, loadRegistry } from '../../src/pipeline/registry.js';
import { writeDefinitionsIndex } from '../../scripts/definitions-index.js';
import type { DefinitionIndexEntry } from '../../src/capability/index.js';
import { memoryFileSystem } from '../../src/host/index.js';

const tmp = mkdtempSync(join(tmpdir(), 'vela-registry-'));
const home = join(tmp, 'home');

const summary = (r: Awaited<ReturnType<typeof loadRegistry>>) =>
  [...r.registry.components(), ...r.registry.traits()].map((d) => ({
    name: d.name,
    kind: d.kind,
    description: d.description,
    appliesTo: d.appliesTo,
    workloadType: d.workloadType,
    status: d.status,
    span: d.span && [d.span.start, d.span.end],
  }));

describe('built-in definitions index', () => {
  it('gives the same registry as parsing every file', async () => {
    const index = join(tmp, 'index.json');
    const n = await writeDefinitionsIndex(BUILTIN_DEFINITIONS, index, join(tmp, 'validators-a'));
    expect(n).toBeGreaterThanOrEqual(25);
    const viaIndex = await loadRegistry({ cwd: tmp, velaHome: home, builtinIndex: index });
    const parsed = await loadRegistry({ cwd: tmp, velaHome: home, builtinIndex: join(tmp, 'missing.json') });
    expect(summary(viaIndex)).toEqual(summary(parsed));
    // The policies/ and workflow-steps/ subfolders are indexed too.
    const files = (JSON.parse(readFileSync(index, 'utf8')) as DefinitionIndexEntry[]).map((e) => e.file);
    expect(files).toEqual(expect.arrayContaining(['policies/topology.cue', 'workflow-steps/deploy.cue']));
    expect(viaIndex.registry.policy('topology')!.path).toBe('definitions/policies/topology.cue');
    // The template is parsed on first use and gives the same schema.
    expect(viaIndex.registry.component('webservice')!.schema).toEqual(parsed.registry.component('webservice')!.schema);
  });

  it('ignores an entry whose file changed', async () => {
    const index = join(tmp, 'stale.json');
    await writeDefinitionsIndex(BUILTIN_DEFINITIONS, index, join(tmp, 'validators-b'));
    const entries = JSON.parse(readFileSync(index, 'utf8')) as DefinitionIndexEntry[];
    const scaler = entries.find((e) => e.file === 'scaler.cue')!;
    (scaler.definitions[0] as { description: string }).description = 'stale description';
    (scaler as { hash: string }).hash = '0'.repeat(64);
    writeFileSync(index, JSON.stringify(entries));
    const r = await loadRegistry({ cwd: tmp, velaHome: home, builtinIndex: index });
    expect(r.registry.trait('scaler')!.description).not.toBe('stale description');
    expect(r.registry.trait('scaler')!.description).toMatch(/replicas/);
  });
});

describe('validators compiled by the build', () => {
  it('report what ajv reports when it compiles the schema itself', async () => {
    const { validateAgainstSchema } = await import('../../src/appfile/validate-schema.js');
    const { useCompiledValidators } = await import('../../src/pipeline/registry.js');
    const index = join(tmp, 'v-index.json');
    const validators = join(tmp, 'validators');
    await writeDefinitionsIndex(BUILTIN_DEFINITIONS, index, validators);
    const r = await loadRegistry({ cwd: tmp, velaHome: home, builtinIndex: index });
    const web = r.registry.component('webservice')!;
    expect(web.validator).toMatch(/^v\d+$/);
    const bad = { image: 'nginx', port: '80', ports: [{ port: 'x' }], exposeType: 'Sideways' };
    const at = { locate: () => undefined, basePath: ['services', 'web'] };
    const before = validateAgainstSchema(bad, structuredClone(web.schema), at).map((d) => `${d.path}: ${d.message}`);
    await useCompiledValidators(r.registry, 'services: {web: {}}', validators);
    const after = validateAgainstSchema(bad, web.schema, at).map((d) => `${d.path}: ${d.message}`);
    expect(before.length).toBeGreaterThanOrEqual(3);
    expect(after).toEqual(before);
  });

  it('are ES modules that load where the package lies, each exporting its validator', async () => {
    // Inside the repository, as in an installed package: ajv's run-time helpers resolve from node_modules.
    const { mkdirSync, readdirSync } = await import('node:fs');
    const cache = join(import.meta.dirname, '../../node_modules/.cache');
    mkdirSync(cache, { recursive: true });
    const validators = mkdtempSync(join(cache, 'vela-validators-'));
    await writeDefinitionsIndex(BUILTIN_DEFINITIONS, join(validators, 'index.json'), validators);
    const files = readdirSync(validators).filter((f) => f.endsWith('.mjs'));
    expect(files.length).toBeGreaterThan(40);
    const failed: string[] = [];
    for (const f of files) {
      const mod = (await import(join(validators, f)).catch((e: Error) => ({ error: e.message }))) as { default?: unknown; error?: string };
      if (typeof mod.default !== 'function') failed.push(`${f}: ${mod.error ?? 'no default export'}`);
    }
    rmSync(validators, { recursive: true, force: true });
    expect(failed).toEqual([]);
  });
});

/** A component definition whose description says where it is. */
const component = (name: string, description: string) => `"${name}": {
	type:        "component"
	description: "${description}"
}
template: {
	output: {apiVersion: "v1", kind: "ConfigMap", metadata: name: context.name}
	parameter: {}
}
`;

describe('the lookup path', () => {
  it('searches --definitions, the project, enabled addons, $VELA_HOME, then the built-ins, first match by name winning, all through the given file system', async () => {
    const fs = memoryFileSystem({
      '/p/platform/cache.cue': component('cache', 'from --definitions'),
      '/p/.vela/definitions/cache.cue': component('cache', 'from the project'),
      '/p/.vela/definitions/queue.cue': component('queue', 'from the project'),
      '/p/.vela/addons/flux/definitions/helm.cue': component('helm', 'from the project\'s addon'),
      '/home/ann/.vela/addons/flux/definitions/helm.cue': component('helm', 'from the user\'s addon'),
      '/home/ann/.vela/addons/keda/definitions/queue.cue': component('queue', 'from an addon'),
      '/home/ann/.vela/addons/keda/definitions/scaled.cue': component('scaled', 'from an addon'),
      '/home/ann/.vela/addons/.keda.12.new/definitions/half.cue': component('half', 'being written'),
      '/home/ann/.vela/definitions/queue.cue': component('queue', 'from the user'),
      '/home/ann/.vela/definitions/scaled.cue': component('scaled', 'from the user'),
      '/home/ann/.vela/definitions/cluster/synced.yaml': 'apiVersion: core.oam.dev/v1beta1\nkind: ComponentDefinition\nmetadata: {name: synced}\nspec: {schematic: {cue: {template: "output: {}"}}}\n',
      '/home/ann/.vela/definitions/store.yaml.txt': 'not a definition file',
      '/opt/vela/definitions/store.cue': component('store', 'built in'),
    });
    const r = await loadRegistry({ cwd: '/p', definitionDirs: ['platform'], velaHome: '/home/ann/.vela', builtinDir: '/opt/vela/definitions', fs });
    const found = (name: string) => {
      const d = r.registry.component(name)!;
      return `${d.origin} ${d.path}: ${d.description}`;
    };
    expect(found('cache')).toBe('flag platform/cache.cue: from --definitions');
    expect(found('queue')).toBe('project .vela/definitions/queue.cue: from the project');
    expect(found('store')).toBe('builtin definitions/store.cue: built in');
    expect(found('helm')).toBe("addon .vela/addons/flux/definitions/helm.cue: from the project's addon");
    expect(found('scaled')).toBe('addon /home/ann/.vela/addons/keda/definitions/scaled.cue: from an addon');
    expect(found('synced')).toBe('user /home/ann/.vela/definitions/cluster/synced.yaml: ');
    expect(r.registry.component('half')).toBeUndefined();
    expect(r.searched.map((s) => `${s.origin} ${s.dir}`)).toEqual([
      'flag /p/platform',
      'project /p/.vela/definitions',
      'addon /p/.vela/addons/flux/definitions',
      'addon /home/ann/.vela/addons/flux/definitions',
      'addon /home/ann/.vela/addons/keda/definitions',
      'user /home/ann/.vela/definitions',
      'user /home/ann/.vela/definitions/cluster',
      'builtin /opt/vela/definitions',
    ]);
    expect(r.warnings).toEqual([]);
  });

  it('stops at a --definitions folder that does not exist, naming the flag', async () => {
    const err = await loadRegistry({ cwd: '/p', definitionDirs: ['nope'], velaHome: '/h', builtinDir: '/b', fs: memoryFileSystem() }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('definitions folder /p/nope does not exist');
  });
});
