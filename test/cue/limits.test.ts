/**
 * Bad input never crashes or hangs the engine: unbounded recursion, huge
 * programs and runaway comprehensions end in a diagnostic with a position.
 */
import { describe, expect, it } from 'vitest';
import { exportFiles } from '../../src/cue/index.js';

const run = (text: string, opts = {}) => exportFiles([{ name: 'limits.cue', text }], opts);

describe('evaluation limits', () => {
  it('stops an unbounded recursion through a definition with a clear error', () => {
    const r = run('#F: {n: int, let m = n, if n > 0 {next: #F & {n: m - 1}}}\nx: #F & {n: 100000}\n');
    expect(r.ok).toBe(false);
    const msg = r.ok ? '' : r.diagnostics.map((d) => d.message).join('\n');
    expect(msg).toMatch(/nested too deeply|step limit/);
  });

  it('stops a runaway comprehension at the step limit', () => {
    const r = run('import "list"\nx: [for i in list.Range(0, 2000, 1) for j in list.Range(0, 2000, 1) {i * j}]\n', { maxSteps: 50_000 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.diagnostics[0]!.message).toMatch(/step limit \(50000 steps\)/);
      expect(r.diagnostics[0]!.code).toBe('cue/limit');
    }
  });

  it('evaluates a recursion that ends well inside the limits', () => {
    const r = run('#F: {n: int, let m = n, if n > 0 {next: #F & {n: m - 1}}}\nx: #F & {n: 20}\n');
    expect(r.ok).toBe(true);
    let depth = 0;
    for (let x = r.ok ? (r.value as { x: { next?: unknown } }).x : undefined; x; x = (x as { next?: unknown }).next as typeof x) depth++;
    expect(depth).toBe(21);
  });

  it('reports a cycle and a structural cycle as errors, not hangs', () => {
    expect(run('a: b\nb: a\n').ok).toBe(false);
    expect(run('x: {self: x}\n').ok).toBe(false);
  });

  it('handles very long input: a 2 MB string and 20,000 fields', () => {
    const big = run(`a: "${'x'.repeat(2_000_000)}"\n`);
    expect(big.ok && (big.value as { a: string }).a.length).toBe(2_000_000);
    const many = run(Array.from({ length: 20_000 }, (_, i) => `f${i}: ${i}`).join('\n'));
    expect(many.ok && Object.keys(many.value as object).length).toBe(20_000);
  });

  it('refuses absurd nesting in the parser', () => {
    const r = run('a: ' + '['.repeat(10_000) + ']'.repeat(10_000));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostics[0]!.message).toMatch(/nesting too deep/);
  });
});
