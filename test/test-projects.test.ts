/**
 * The split of vitest.config.ts, checked: a test is in the `slow` project
 * exactly when it starts a process or needs a daemon, directly or through the
 * test helpers it imports, so `npm run test:fast` stays an inner loop and
 * nothing that starts processes slips into it.
 */
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SLOW_TESTS } from '../vitest.config.js';
import { importsOf, sourceFiles } from './cli/imports.js';

const ROOT = resolve(import.meta.dirname, '..');
const rel = (abs: string) => relative(ROOT, abs).split(sep).join('/');

/** Packages that start processes. */
const SPAWNING_PACKAGES = ['node:child_process', 'child_process', 'execa'];
/** Test helpers that need a daemon running (the Docker engine, the cluster). */
const DAEMON_HELPERS = ['test/image/docker-env.ts', 'test/support/real-cluster.ts'];

/** `**` any folders, `*` any part of a name: enough for the patterns of SLOW_TESTS. */
function globToRegExp(glob: string): RegExp {
  const parts = glob.split('/').map((part) => (part === '**' ? '(?:[^/]+/)*' : `${part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}/`));
  return new RegExp(`^${parts.join('').slice(0, -1)}$`);
}

const slowPatterns = SLOW_TESTS.map(globToRegExp);
const inSlowProject = (file: string) => slowPatterns.some((p) => p.test(file));

/** Why a test file starts processes (the chain of test files to the import that does), or undefined. */
function startsProcesses(file: string, seen = new Set<string>()): string | undefined {
  if (seen.has(file)) return undefined;
  seen.add(file);
  if (DAEMON_HELPERS.includes(file)) return file;
  for (const imp of importsOf(file, readFileSync(resolve(ROOT, file), 'utf8'))) {
    if (imp.typeOnly) continue;
    if (SPAWNING_PACKAGES.includes(imp.spec)) return `${file} imports ${imp.spec}`;
    if (!imp.spec.startsWith('.')) continue;
    const target = rel(resolve(ROOT, dirname(file), imp.spec)).replace(/\.js$/, '.ts');
    // Only test helpers: src/ may hold code that can start a process (a credential helper) without the test running it.
    if (!target.startsWith('test/')) continue;
    const why = startsProcesses(target, seen);
    if (why) return `${file} → ${why}`;
  }
  return undefined;
}

const testFiles = sourceFiles(resolve(ROOT, 'test'))
  .map(rel)
  .filter((f) => f.endsWith('.test.ts'))
  .sort();

describe('the fast and slow test projects', () => {
  it('put every test that starts a process or needs a daemon in slow', () => {
    const missing = testFiles.filter((f) => !inSlowProject(f)).flatMap((f) => startsProcesses(f) ?? []);
    expect(missing, 'add these to SLOW_TESTS in vitest.config.ts').toEqual([]);
  });

  it('keep every other test in fast', () => {
    const needless = testFiles.filter((f) => inSlowProject(f) && startsProcesses(f) === undefined);
    expect(needless, 'these start no process: leave them out of SLOW_TESTS').toEqual([]);
  });

  it('read the patterns the way vitest does', () => {
    expect(inSlowProject('test/image/build.e2e.test.ts')).toBe(true);
    expect(inSlowProject('test/a/b/c.e2e.test.ts')).toBe(true);
    expect(inSlowProject('test/cli/bin.test.ts')).toBe(true);
    expect(inSlowProject('test/cli/binary.test.ts')).toBe(false);
    expect(inSlowProject('test/cue/parser.test.ts')).toBe(false);
    expect(testFiles.filter(inSlowProject).length).toBeGreaterThanOrEqual(10);
  });
});
