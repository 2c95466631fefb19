/**
 * Every skip says why: a test that may be skipped (`skipIf`, `runIf`, `.skip`)
 * lives in a file that puts the reason into the skipped title ("skipped: …"),
 * which test/support/skip-reporter.ts prints at the end of every run.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceFiles } from './cli/imports.js';

const TEST = import.meta.dirname;

describe('skipped tests', () => {
  it('say why in their title', () => {
    const silent = sourceFiles(TEST)
      .filter((f) => f.endsWith('.test.ts'))
      .filter((f) => {
        const text = readFileSync(f, 'utf8');
        return /\.(skipIf|runIf|skip)\(/.test(text) && !/skipped: /.test(text) && !f.endsWith('skip-reasons.test.ts');
      })
      .map((f) => relative(join(TEST, '..'), f));
    expect(silent).toEqual([]);
  });

  it('are listed with their titles at the end of a run', () => {
    const config = readFileSync(join(TEST, '..', 'vitest.config.ts'), 'utf8');
    expect(config).toContain("'./test/support/skip-reporter.ts'");
  });
});
