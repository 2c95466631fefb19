/**
 * `vela components`, `vela traits` and `vela show`, run in-process against the
 * built-in definitions and the fixture folders of test/fixtures/definitions/:
 * - project/.vela/definitions: a webservice that hides the built-in one;
 * - user/definitions: a component found through $VELA_HOME;
 * - flag: a YAML TraitDefinition (core.oam.dev/v1beta1) for --definitions;
 * - shapes: a component whose parameters have every shape `show` names;
 * - broken-syntax, broken-template: definitions that fail to parse / to evaluate.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import Components from '../../src/commands/components.js';
import Show from '../../src/commands/show.js';
import Traits from '../../src/commands/traits.js';
import { ROOT, runCommand } from '../cli/harness.js';

const FIXTURES = join(ROOT, 'test/fixtures/definitions');
const PROJECT = join(FIXTURES, 'project');
const USER_HOME = join(FIXTURES, 'user');

const BUILTIN_COMPONENTS = ['webservice', 'worker', 'task', 'cron-task', 'daemon', 'statefulset', 'k8s-objects'];
const BUILTIN_TRAITS = [
  'scaler', 'gateway', 'expose', 'hpa', 'labels', 'annotations', 'env', 'command', 'sidecar',
  'init-container', 'resource', 'storage', 'service-account', 'affinity', 'startup-probe',
  'securitycontext', 'json-patch', 'json-merge-patch',
  // The 2020 Appfile's sections and KubeVela's Appfile-era traits.
  'route', 'scale', 'autoscale', 'rollout', 'metrics', 'canary',
  // The rest of KubeVela's internal set, and its deprecated traits.
  'container-image', 'container-ports', 'cpuscaler', 'hostalias', 'k8s-update-strategy', 'lifecycle', 'nocalhost',
  'podsecuritycontext', 'pure-ingress', 'service-binding', 'topologyspreadconstraints',
  'ingress', 'ingress-1-20', 'volumes', 'pvc', 'configmap', 'node-affinity',
];

// An empty project and an empty $VELA_HOME, so only the built-ins (and what a test adds) are found.
const scratch = mkdtempSync(join(tmpdir(), 'vela-discovery-'));
const savedCwd = process.cwd();
const savedHome = process.env.VELA_HOME;

function inProject(dir: string, velaHome = scratch) {
  process.chdir(dir);
  process.env.VELA_HOME = velaHome;
}

beforeEach(() => inProject(scratch));
afterEach(() => {
  process.chdir(savedCwd);
  if (savedHome === undefined) delete process.env.VELA_HOME;
  else process.env.VELA_HOME = savedHome;
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * The rows of one aligned table in `text`: the block after the line `title`
 * (or `title: description`), or the first table when title is ''. Cells are cut
 * at the header's column starts, as a reader's eye does.
 */
function table(text: string, title = ''): Record<string, string>[] {
  const lines = text.split('\n');
  let start = 0;
  if (title !== '') {
    start = lines.findIndex((l) => l === title || l.startsWith(`${title}: `));
    if (start < 0) throw new Error(`no table titled ${title} in:\n${text}`);
    start += 1;
  } else {
    start = lines.findIndex((l) => l.startsWith('NAME '));
  }
  const header = lines[start]!;
  expect(header).toMatch(/^NAME\s/);
  const names = header.split(/\s{2,}/);
  const starts = names.map((n) => header.indexOf(n));
  const rows: Record<string, string>[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === '') break;
    rows.push(Object.fromEntries(names.map((n, i) => [n, line.slice(starts[i], starts[i + 1]).trim()])));
  }
  return rows;
}

const byName = (rows: Record<string, string>[]) => new Map(rows.map((r) => [r.NAME!, r]));

/** Titles of the parameter tables of `vela show` output, in order ('' for the top level). */
const tableTitles = (text: string) =>
  text
    .split('\n\n')
    .filter((block) => /^(.*\n)?NAME\s+DESCRIPTION\s+TYPE/.test(block))
    .map((block) => (block.startsWith('NAME') ? '' : block.slice(0, block.indexOf('\n')).replace(/: .*$/, '')));

describe('vela components', () => {
  it('lists the built-in component types with their workload and source', async () => {
    const r = await runCommand(Components, []);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    const rows = byName(table(r.stdout));
    for (const name of BUILTIN_COMPONENTS) expect(rows.get(name)?.SOURCE, name).toBe('builtin');
    expect(rows.get('webservice')).toMatchObject({ WORKLOAD: 'deployments.apps' });
    expect(rows.get('cron-task')).toMatchObject({ WORKLOAD: 'cronjobs.batch' });
    expect(rows.get('webservice')!.DESCRIPTION).toMatch(/Deployment/);
    expect(r.stdout.split('\n')[0]).toMatch(/^NAME\s+DESCRIPTION\s+WORKLOAD\s+SOURCE$/);
    // Sorted by name.
    const names = [...rows.keys()];
    expect(names).toEqual([...names].sort());
  });

  it('prints a list of objects with --json, and nothing else', async () => {
    const r = await runCommand(Components, ['--json']);
    expect(r.exitCode).toBe(0);
    const list = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(list.map((d) => d.name)).toEqual(expect.arrayContaining(BUILTIN_COMPONENTS));
    expect(list.find((d) => d.name === 'worker')).toEqual({
      name: 'worker',
      kind: 'component',
      description: expect.stringContaining('without a network endpoint'),
      workload: 'deployments.apps',
      origin: 'builtin',
      path: join('definitions', 'worker.cue'),
    });
  });

  it("shows a project definition in place of the built-in of the same name, with the project's file", async () => {
    inProject(PROJECT);
    const r = await runCommand(Components, []);
    expect(r.exitCode).toBe(0);
    const web = byName(table(r.stdout)).get('webservice')!;
    expect(web.SOURCE).toBe(`project (${join('.vela', 'definitions', 'webservice.cue')})`);
    expect(web.DESCRIPTION).toBe("Our team's web service, with the company's defaults.");
    // The other built-ins are still there, and webservice is listed once.
    expect(byName(table(r.stdout)).get('worker')?.SOURCE).toBe('builtin');
    expect(r.stdout.match(/^webservice\s/gm)).toHaveLength(1);
  });

  it('finds definitions in $VELA_HOME/definitions', async () => {
    const r = await runCommand(Components, ['--json'], {});
    expect((JSON.parse(r.stdout) as { name: string }[]).map((d) => d.name)).not.toContain('team-cache');
    inProject(scratch, USER_HOME);
    const withHome = await runCommand(Components, ['--json']);
    expect(JSON.parse(withHome.stdout)).toContainEqual(
      expect.objectContaining({ name: 'team-cache', origin: 'user', workload: 'statefulsets.apps', path: join(USER_HOME, 'definitions', 'team-cache.cue') }),
    );
  });

  it('cuts descriptions to the terminal width on a TTY and prints them whole otherwise', async () => {
    const columns = Object.getOwnPropertyDescriptor(process.stdout, 'columns');
    Object.defineProperty(process.stdout, 'columns', { value: 100, configurable: true });
    try {
      const tty = await runCommand(Components, ['--no-color'], { tty: true });
      const lines = tty.stdout.trimEnd().split('\n');
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
      expect(tty.stdout).toContain('…');
      const pipe = await runCommand(Components, []);
      expect(pipe.stdout).not.toContain('…');
      expect(pipe.stdout).toContain('(a StatefulSet with a headless Service for stable pod names, plus a Service for the ports marked `expose`)');
    } finally {
      if (columns) Object.defineProperty(process.stdout, 'columns', columns);
      else delete (process.stdout as { columns?: number }).columns;
    }
  });
});

describe('vela traits', () => {
  it('lists the 41 built-in traits with what they apply to', async () => {
    const r = await runCommand(Traits, []);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')[0]).toMatch(/^NAME\s+DESCRIPTION\s+APPLIES-TO\s+SOURCE$/);
    const rows = byName(table(r.stdout));
    expect([...rows.keys()].sort()).toEqual([...BUILTIN_TRAITS].sort());
    expect(rows.get('labels')!['APPLIES-TO']).toBe('*');
    expect(rows.get('scaler')!['APPLIES-TO']).toBe('deployments.apps, statefulsets.apps');
    for (const row of rows.values()) {
      expect(row.SOURCE).toBe('builtin');
      expect(row.DESCRIPTION).not.toBe('');
    }
  });

  it('lists a YAML TraitDefinition from a --definitions folder', async () => {
    const flagDir = join(FIXTURES, 'flag');
    const r = await runCommand(Traits, ['--definitions', flagDir]);
    expect(r.exitCode).toBe(0);
    expect(byName(table(r.stdout)).get('rollout-note')).toEqual({
      NAME: 'rollout-note',
      DESCRIPTION: 'Annotate the workload with who rolled it out and why.',
      'APPLIES-TO': 'deployments.apps',
      SOURCE: `flag (${join(flagDir, 'rollout-note.yaml')})`,
    });
    const json = await runCommand(Traits, ['--definitions', flagDir, '--json']);
    const list = JSON.parse(json.stdout) as Record<string, unknown>[];
    expect(list.find((d) => d.name === 'rollout-note')).toEqual({
      name: 'rollout-note',
      kind: 'trait',
      description: 'Annotate the workload with who rolled it out and why.',
      appliesTo: ['deployments.apps'],
      origin: 'flag',
      path: join(flagDir, 'rollout-note.yaml'),
    });
    expect(list.find((d) => d.name === 'json-patch')).toMatchObject({ appliesTo: ['*'], origin: 'builtin', path: join('definitions', 'json-patch.cue') });
  });

  it('takes --definitions relative to the working directory and more than once', async () => {
    inProject(FIXTURES);
    const r = await runCommand(Traits, ['--definitions', 'flag', '--definitions', 'broken-template', '--json']);
    expect(r.exitCode).toBe(0);
    const names = (JSON.parse(r.stdout) as { name: string; path: string }[]).map((d) => [d.name, d.path]);
    expect(names).toContainEqual(['rollout-note', join('flag', 'rollout-note.yaml')]);
    // Listing does not evaluate templates: a definition whose parameter cannot be derived is still listed.
    expect(names).toContainEqual(['conflict', join('broken-template', 'conflict.cue')]);
  });

  it('fails with exit code 1 for a --definitions folder that does not exist', async () => {
    const r = await runCommand(Traits, ['--definitions', join(scratch, 'nope')]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`definitions folder ${join(scratch, 'nope')} does not exist`);
  });

  it('points at the line and column of a definition file that does not parse', async () => {
    const dir = join(FIXTURES, 'broken-syntax');
    const r = await runCommand(Traits, ['--definitions', dir]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^error: ${join(dir, 'oops.cue').replace(/[.]/g, '\\.')}:9:\\d+: `, 'm'));
    expect(r.stderr).toContain('replicas: int +');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});

describe('vela show', () => {
  it('prints the parameters of webservice: image required, ports with their defaults', async () => {
    const r = await runCommand(Show, ['webservice']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')[0]).toBe('webservice: component type, workload deployments.apps, source builtin (definitions/webservice.cue)');
    const top = byName(table(r.stdout));
    expect(top.get('image (-i)')).toMatchObject({ TYPE: 'string', REQUIRED: 'true', DEFAULT: '' });
    expect(top.get('ports')).toMatchObject({ TYPE: '[]{...}', REQUIRED: 'false' });
    expect(top.get('imagePullPolicy')!.TYPE).toBe('"Always" | "Never" | "IfNotPresent"');
    expect(top.get('labels')!.TYPE).toBe('map[string]string');
    const ports = byName(table(r.stdout, 'ports[]'));
    expect(ports.get('port')).toMatchObject({ TYPE: 'int & >=1 & <=65535', REQUIRED: 'true', DEFAULT: '' });
    expect(ports.get('protocol')).toMatchObject({ TYPE: '"TCP" | "UDP" | "SCTP"', REQUIRED: 'false', DEFAULT: '"TCP"' });
    expect(ports.get('expose')).toMatchObject({ TYPE: 'bool', DEFAULT: 'false' });
    // Nested structs get tables titled with their path.
    const titles = tableTitles(r.stdout);
    expect(titles).toEqual(expect.arrayContaining(['', 'ports[]', 'env[]', 'livenessProbe', 'livenessProbe.httpGet']));
    expect(byName(table(r.stdout, 'livenessProbe')).get('periodSeconds')).toMatchObject({ TYPE: 'int', DEFAULT: '10' });
  });

  it('leaves out +ignore fields unless --all is given', async () => {
    const all = await runCommand(Show, ['webservice', '--all']);
    expect(all.exitCode).toBe(0);
    const rows = table(all.stdout);
    const port = rows.find((row) => row.NAME!.startsWith('port '));
    expect(port).toMatchObject({ TYPE: 'int', REQUIRED: 'false' });
    const hiddenNames = rows.filter((row) => row.NAME!.includes('hidden')).map((row) => row.NAME!.split(' ')[0]);
    expect(hiddenNames.length).toBeGreaterThan(0);
    const plain = table((await runCommand(Show, ['webservice'])).stdout).map((row) => row.NAME!.split(' ')[0]);
    for (const name of hiddenNames) expect(plain).not.toContain(name);
    expect(plain.length).toBe(rows.length - hiddenNames.length);
  });

  it('prints a valid JSON Schema with --json that accepts and rejects what the Appfile rules say', async () => {
    const r = await runCommand(Show, ['webservice', '--json']);
    expect(r.exitCode).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema', title: 'webservice', type: 'object' });
    expect(schema.required).toContain('image');
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(schema);
    expect(validate({ image: 'nginx:1.27', ports: [{ port: 80, expose: true }] })).toBe(true);
    expect(validate({ ports: [{ port: 80 }] })).toBe(false);
    expect(validate({ image: 'nginx', ports: [{ port: 'eighty' }] })).toBe(false);
    expect(validate({ image: 'nginx', imagePullPolicy: 'Sometimes' })).toBe(false);
  });

  it('prints Markdown with --format markdown', async () => {
    const r = await runCommand(Show, ['webservice', '--format', 'markdown']);
    expect(r.exitCode).toBe(0);
    const md = r.stdout;
    expect(md.startsWith('# webservice\n\n')).toBe(true);
    expect(md).toContain('\n## Parameters\n\n| NAME | DESCRIPTION | TYPE | REQUIRED | DEFAULT |\n| --- | --- | --- | --- | --- |\n');
    expect(md).toMatch(/^\| `image` \(-i\) \| Container image .* \| `string` \| true \| {2}\|$/m);
    expect(md).toContain('\n### ports[]\n');
    expect(md).toMatch(/^\| `protocol` \| .* \| `"TCP" \\\| "UDP" \\\| "SCTP"` \| false \| `"TCP"` \|$/m);
    // Every table row has exactly the five cells of its header: pipes inside cells are escaped.
    for (const line of md.split('\n').filter((l) => l.startsWith('|'))) {
      expect(line.replace(/\\\|/g, '').match(/\|/g), line).toHaveLength(6);
    }
  });

  it('names every shape of parameter and gives each nested struct its table', async () => {
    const r = await runCommand(Show, ['shapes', '--definitions', join(FIXTURES, 'shapes')]);
    expect(r.exitCode).toBe(0);
    const top = byName(table(r.stdout));
    expect([...top.keys()]).toEqual([
      'replicas (-r)', 'size (alias: count)', 'exposeType', 'labels', 'ports', 'probe', 'volumes', 'cpu', 'args', 'source', 'name',
    ]);
    expect(top.get('replicas (-r)')).toMatchObject({ TYPE: 'int & >=0 & <=100', REQUIRED: 'false', DEFAULT: '1' });
    expect(top.get('exposeType')).toMatchObject({ TYPE: '"ClusterIP" | "NodePort" | "LoadBalancer"', DEFAULT: '"ClusterIP"' });
    expect(top.get('labels')!.TYPE).toBe('map[string]string');
    expect(top.get('ports')!.TYPE).toBe('[]{...}');
    expect(top.get('probe')!.TYPE).toBe('struct');
    expect(top.get('volumes')!.TYPE).toBe('map[string]{...}');
    expect(top.get('cpu')!.TYPE).toBe('number | string');
    expect(top.get('args')!.TYPE).toBe('[]string');
    expect(top.get('source')!.TYPE).toBe('{...} | {...}');
    expect(top.get('name')!.TYPE).toBe('string & =~"^[a-z]+$"');
    expect(tableTitles(r.stdout)).toEqual(['', 'ports[]', 'probe', 'probe.httpGet', 'volumes[string]', 'source (option 1)', 'source (option 2)']);
    expect(byName(table(r.stdout, 'probe.httpGet')).get('path')).toMatchObject({ TYPE: 'string', REQUIRED: 'true' });
    expect(byName(table(r.stdout, 'source (option 2)')).get('url')).toMatchObject({ DESCRIPTION: 'Archive URL', REQUIRED: 'true' });
    // The hidden struct's own table comes back with --all.
    const all = await runCommand(Show, ['shapes', '--all', '--definitions', join(FIXTURES, 'shapes')]);
    expect(byName(table(all.stdout)).get('secretKnob (hidden)')).toMatchObject({ TYPE: 'struct' });
    expect(tableTitles(all.stdout)).toContain('secretKnob');
  });

  it('shows a map parameter (labels) as a [string] row', async () => {
    const r = await runCommand(Show, ['labels']);
    expect(r.exitCode).toBe(0);
    expect(table(r.stdout)).toEqual([{ NAME: '[string]', DESCRIPTION: 'any key', TYPE: 'string | null', REQUIRED: 'false', DEFAULT: '' }]);
  });

  it('shows a YAML trait from --definitions and the project version of a shadowed name', async () => {
    const trait = await runCommand(Show, ['rollout-note', '--definitions', join(FIXTURES, 'flag')]);
    expect(trait.exitCode).toBe(0);
    expect(table(trait.stdout)).toEqual([
      { NAME: 'by', DESCRIPTION: 'Who rolled it out', TYPE: 'string', REQUIRED: 'true', DEFAULT: '' },
      { NAME: 'reason', DESCRIPTION: 'Why', TYPE: 'string', REQUIRED: 'false', DEFAULT: '"routine"' },
    ]);
    inProject(PROJECT);
    const web = await runCommand(Show, ['webservice']);
    expect(web.stdout).toContain(`source project (${join('.vela', 'definitions', 'webservice.cue')})`);
    expect(table(web.stdout)).toEqual([{ NAME: 'image', DESCRIPTION: 'Image to run; must come from the company registry', TYPE: 'string', REQUIRED: 'true', DEFAULT: '' }]);
  });

  it('fails with exit code 1 and a did-you-mean hint over components and traits for an unknown name', async () => {
    const r = await runCommand(Show, ['webservce']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error: unknown component type or trait "webservce"');
    expect(r.stderr).toContain('hint: did you mean `webservice`?');
    const trait = await runCommand(Show, ['scalerr']);
    expect(trait.exitCode).toBe(1);
    expect(trait.stderr).toContain('did you mean `scaler`?');
    const far = await runCommand(Show, ['zzzzzzzz']);
    expect(far.stderr).toContain('run `vela components` or `vela traits` to list the names');
    const json = await runCommand(Show, ['webservce', '--json']);
    expect(json.exitCode).toBe(1);
    expect(JSON.parse(json.stdout).error.diagnostics[0]).toMatchObject({ code: 'discovery/unknown-definition', hint: 'did you mean `webservice`?' });
  });

  it('points into the definition file when its parameter cannot be evaluated', async () => {
    const dir = join(FIXTURES, 'broken-template');
    const r = await runCommand(Show, ['conflict', '--definitions', dir]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^error: ${join(dir, 'conflict.cue').replace(/[.]/g, '\\.')}:9:\\d+: `, 'm'));
    expect(r.stderr).toContain('replicas: int & "three"');
  });

  it('rejects an unknown --format', async () => {
    const r = await runCommand(Show, ['webservice', '--format', 'html']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/Expected --format=html to be one of: table, markdown/);
  });
});

// The pure pieces behind `show`, on schemas no built-in definition has (yet).
describe('typeName', () => {
  it.each([
    [{ type: 'string' }, 'string'],
    [{ type: 'integer', minimum: 1, exclusiveMaximum: 65536 }, 'int & >=1 & <65536'],
    [{ type: 'string', minLength: 1, not: { pattern: '^-' } }, 'string & !="" & !~"^-"'],
    [{ type: 'string', const: 'v1' }, '"v1"'],
    [{ type: ['string', 'null'] }, 'string | null'],
    [{ type: 'integer', anyOf: [{ minimum: 0 }, { maximum: -10 }] }, 'int & >=0 | int & <=-10'],
    [{ type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }], minItems: 2, maxItems: 2 }, '[string, int]'],
    [{ type: 'array', items: { anyOf: [{ type: 'integer' }, { type: 'string' }] } }, '[](int | string)'],
    [{ type: 'array' }, '[]any'],
    [{ type: 'object', properties: {}, additionalProperties: true }, 'map[string]any'],
    [{ type: 'object', properties: {}, patternProperties: { '^x-': { type: 'boolean' } } }, 'map[string]bool'],
    [{}, 'any'],
  ] as const)('%j → %s', async (schema, expected) => {
    const { typeName } = await import('../../src/pipeline/discovery.js');
    expect(typeName(schema as never)).toBe(expected);
  });
});

describe('parameterTables', () => {
  it('gives a top-level disjunction of structs one table per option, and pattern keys their own rows', async () => {
    const { parameterTables } = await import('../../src/pipeline/discovery.js');
    const tables = parameterTables({
      anyOf: [
        { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
        { type: 'object', properties: { b: { type: 'object', properties: {}, patternProperties: { '^x-': { type: 'object', properties: { c: { type: 'integer' } } } } } } },
      ],
    });
    expect(tables.map((t) => t.path)).toEqual(['(option 1)', '(option 2)', '(option 2).b[=~"^x-"]']);
    expect(tables[0]!.rows).toEqual([{ name: 'a', description: '', type: 'string', required: true, hidden: false }]);
    expect(tables[2]!.rows.map((r) => [r.name, r.type])).toEqual([['c', 'int']]);
  });

  it('has one empty table for a definition without parameters', async () => {
    const { parameterTables } = await import('../../src/pipeline/discovery.js');
    expect(parameterTables({ type: 'object', properties: {}, additionalProperties: false })).toEqual([{ path: '', description: '', rows: [] }]);
  });
});

describe('fitColumn', () => {
  it('cuts only the chosen column, and only when the rest leaves it enough room', async () => {
    const { fitColumn } = await import('../../src/cli/show-format.js');
    const { formatTable } = await import('../../src/cli/format.js');
    const rows = [{ a: 'name', b: 'x'.repeat(80), c: 'builtin' }];
    const cols = [
      { header: 'A', get: (r: (typeof rows)[0]) => r.a },
      { header: 'B', get: (r: (typeof rows)[0]) => r.b },
      { header: 'C', get: (r: (typeof rows)[0]) => r.c },
    ];
    const fitted = formatTable(rows, fitColumn(rows, cols, 1, 60), { gap: 3 }).split('\n')[1]!;
    expect(fitted).toHaveLength(60);
    expect(fitted).toMatch(/^name {3}x+… {3}builtin$/);
    expect(formatTable(rows, fitColumn(rows, cols, 1, 30), { gap: 3 })).toContain('x'.repeat(80));
    expect(formatTable(rows, fitColumn(rows, cols, 1, undefined), { gap: 3 })).toContain('x'.repeat(80));
  });
});
