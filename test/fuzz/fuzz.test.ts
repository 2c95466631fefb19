/**
 * The fuzz suite, fast part: a few hundred seeded inputs of each kind vela
 * reads (Appfile, compose file, KubeVela Application, capability definition)
 * through `vela dry-run`'s pipeline, each in a worker thread with a time bound.
 * No input may crash vela (an exception other than a diagnostic, exit 70), hang
 * it, or make it speak JavaScript ("[object Object]"); every accepted input's
 * YAML must read back the same in YAML 1.1 and 1.2. fuzz.e2e.test.ts runs
 * thousands more and sends a sample of the accepted ones to the real API server.
 *
 * A failure names `fuzzInput(kind, seed, index)`; VELA_FUZZ_SEED replays a
 * run with another seed, VELA_FUZZ_COUNT changes the count.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FuzzKind } from './generate.js';
import { failures, runFuzz } from './pool.js';
import { fuzzSeed } from './random.js';

const seed = fuzzSeed(20261204);
const count = Number(process.env.VELA_FUZZ_COUNT ?? 150);
const root = mkdtempSync(join(tmpdir(), 'vela-fuzz-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe(`fuzzing vela (seed ${seed})`, () => {
  it.each(['appfile', 'compose', 'application', 'definition'] as FuzzKind[])('survives %s inputs: no crash, no hang, no JavaScript in messages', async (kind) => {
    const run = { kind, seed, count, dir: join(root, kind), timeoutMs: 10_000 };
    const results = await runFuzz(run);
    expect(results).toHaveLength(count);
    expect(failures(run, results), `seed ${seed}: replay with VELA_FUZZ_SEED=${seed}`).toEqual([]);
    // The generators must reach rendering, not only the reader's errors.
    expect(results.filter((r) => r.outcome.kind === 'accepted').length).toBeGreaterThan(count / 40);
  }, 600_000);

  it('counts an input that does not answer in time as a hang, and goes on with a new worker', async () => {
    const run = { kind: 'compose' as const, seed, count: 3, dir: join(root, 'spin'), timeoutMs: 2_000, startMs: 20_000, spinAt: 1 };
    const results = await runFuzz(run);
    expect(results.map((r) => r.outcome.kind === 'hang')).toEqual([false, true, false]);
    expect(failures(run, results)).toEqual([`fuzzInput('compose', ${seed}, 1): no answer within 2000 ms`]);
    expect(results.map((r) => r.boundMs)).toEqual([22_000, 2_000, 22_000]);
  }, 120_000);
});
