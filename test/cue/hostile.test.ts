/**
 * Hostile definitions: a definition is someone else's code. Whatever it asks for, evaluation ends with a
 * diagnostic at the expression that asked (code cue/limit for sizes), never a crash, a hang or gigabytes of
 * memory. (Their time and memory are printed by bench/hostile.ts, which shares these cases.)
 */
import { describe, expect, it } from 'vitest';
import { exportFiles } from '../../src/cue/index.js';
import { guard } from '../../src/cue/export.js';
import { HOSTILE_CASES } from './hostile-cases.js';

describe('hostile definitions end in a diagnostic', () => {
  it.each(HOSTILE_CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = exportFiles([{ name: 'hostile.cue', text: c.cue }], c.inject ? { inject: c.inject } : {});
    const want = c.expect;
    if (want.ok) {
      expect(r.ok, r.ok ? '' : r.diagnostics.map((d) => d.message).join('\n')).toBe(true);
      if (r.ok && want.value !== undefined) expect(r.value).toMatchObject(want.value as object);
      return;
    }
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const d = r.diagnostics.find((x) => want.message.test(x.message));
    expect(d, `diagnostics: ${r.diagnostics.map((x) => `${x.code} ${x.message}`).join('; ')}`).toBeDefined();
    if (want.code) expect(d!.code).toBe(want.code);
    // At the expression that asked for it: a position in the definition.
    if (want.line) expect(d!.span && d!.span.file.lineCol(d!.span.start).line).toBe(want.line);
  });
});

describe('JavaScript limits become diagnostics', () => {
  it('maps any RangeError to a limit diagnostic instead of throwing', () => {
    const d = guard(() => {
      throw new RangeError('Invalid string length');
    });
    expect(d).toMatchObject({ severity: 'error', code: 'cue/limit' });
    expect((d as { message: string }).message).toMatch(/size limit/);
  });

  it('still throws what is not a limit (a bug must not pass as a user error)', () => {
    expect(() =>
      guard(() => {
        throw new TypeError('boom');
      }),
    ).toThrow('boom');
  });
});
