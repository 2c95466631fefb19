/**
 * The fuzz suite, slow part: thousands of seeded inputs of each kind (other
 * indexes than fuzz.test.ts's), rendered for the real cluster's version, with
 * the same bounds (no crash, no hang, no JavaScript in messages); then the
 * property vela promises: what vela accepts, the API server accepts. A sample
 * of the accepted inputs' objects goes to the real kube-apiserver 1.20 as a
 * server-side dry run, and none may be refused.
 *
 * A failure names `fuzzInput(kind, seed, index)`; VELA_FUZZ_SEED and
 * VELA_FUZZ_COUNT replay or widen a run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient, loadClusterTarget } from '../../src/deploy/index.js';
import { mapLimit } from '../../src/host/index.js';
import { isClusterScoped } from '../../src/render/index.js';
import { kubeconfig, realClusterUnavailable } from '../support/real-cluster.js';
import type { FuzzKind } from './generate.js';
import { failures, runFuzz, type FuzzResult } from './pool.js';
import { fuzzSeed } from './random.js';

const unavailable = await realClusterUnavailable('fuzz');
// Another seed than the fast part's: these are other inputs.
const seed = fuzzSeed(20261205);
const count = Number(process.env.VELA_FUZZ_COUNT ?? 2000);
/** Accepted inputs sent to the API server, per kind. */
const SAMPLE = 40;
const clusterVersion = { major: 1, minor: 20, gitVersion: 'v1.20.0' };
const ns = `fuzz-${process.pid}`;
const root = mkdtempSync(join(tmpdir(), 'vela-fuzz-e2e-'));
let client: KubeClient | undefined;

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe(`fuzzing vela against the real API server (seed ${seed})`, () => {
  beforeAll(async () => {
    if (unavailable) return;
    client = new KubeClient(await loadClusterTarget({ kubeconfig }), { retry: { retries: 1 } });
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }, { fieldManager: 'vela-test' });
  });
  afterAll(async () => {
    await client?.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns }).catch(() => undefined);
    client?.close();
  });

  it.each(['appfile', 'compose', 'application', 'definition'] as FuzzKind[])('survives %s inputs, and the API server accepts what vela accepted', async (kind) => {
    // A definition input loads every definition anew (its own folder), so it costs several times more: half as many.
    const run = { kind, seed, count: kind === 'definition' ? Math.ceil(count / 2) : count, dir: join(root, kind), timeoutMs: 10_000, clusterVersion };
    const results = await runFuzz(run);
    expect(failures(run, results), `seed ${seed}: replay with VELA_FUZZ_SEED=${seed}`).toEqual([]);
    const accepted = results.filter((r): r is FuzzResult & { outcome: { kind: 'accepted'; objects: unknown[] } } => r.outcome.kind === 'accepted');
    expect(accepted.length).toBeGreaterThan(run.count / 40);
    if (unavailable) return;

    // Evenly spread over the run, so the sample does not favour early indexes.
    const step = Math.max(1, Math.floor(accepted.length / SAMPLE));
    const sample = accepted.filter((_, i) => i % step === 0).slice(0, SAMPLE);
    const objects = sample.flatMap((r) => r.outcome.objects.map((o) => ({ index: r.index, object: o as Record<string, unknown> })));
    const refusals = await mapLimit(objects, 8, async ({ index, object }) => {
      const meta = { ...(object.metadata as Record<string, unknown>) };
      if (!isClusterScoped(object.kind)) meta.namespace = ns;
      try {
        await client!.apply({ ...object, metadata: meta } as never, { fieldManager: 'vela-fuzz', dryRun: true });
        return undefined;
      } catch (e) {
        return `fuzzInput('${kind}', ${seed}, ${index}): ${String(object.kind)} ${String(meta.name)}: ${(e as Error).message.split('\n')[0]}`;
      }
    });
    expect(objects.length).toBeGreaterThan(0);
    expect(refusals.filter(Boolean), `seed ${seed}: what vela accepted, the API server refused`).toEqual([]);
  }, 1_800_000);
});
