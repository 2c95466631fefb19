/**
 * Golden tests of evaluator and parser error messages with their positions:
 * each test/cue/errors/NAME.cue is exported and its diagnostics, formatted as
 * the CLI prints them (without colour), must equal NAME.err.
 * UPDATE_GOLDEN=1 rewrites the .err files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportFiles } from '../../src/cue/index.js';
import { formatDiagnostics } from '../../src/source/index.js';
import { expectGolden } from '../support/golden.js';

const dir = join(import.meta.dirname, 'errors');
const cases = readdirSync(dir).filter((f) => f.endsWith('.cue')).sort();

describe('CUE error messages (golden)', () => {
  it('has cases for the error kinds of the issue', () => {
    for (const k of ['conflict', 'incomplete', 'cycle', 'structural-cycle', 'unknown-reference', 'unknown-package', 'division-by-zero', 'syntax']) {
      expect(cases).toContain(`${k}.cue`);
    }
  });

  it.each(cases)('%s', (name) => {
    const text = readFileSync(join(dir, name), 'utf8');
    const r = exportFiles([{ name: `test/cue/errors/${name}`, text }]);
    expect(r.ok).toBe(false);
    const out = r.ok ? '' : formatDiagnostics(r.diagnostics) + '\n';
    const golden = join(dir, name.replace(/\.cue$/, '.err'));
    expectGolden(golden, out);
  });
});
