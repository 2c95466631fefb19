/**
 * Runs fuzz inputs in a worker thread with a time bound per input: an input
 * that takes longer is tried once more in a new worker (a shared machine may
 * stall one), and if it takes longer again it is a hang; the worker is ended
 * and a new one takes over.
 * Every result names its kind, seed and index, so `fuzzInput(kind, seed,
 * index)` (test/fuzz/generate.ts) gives the failing input back.
 */
import { Worker } from 'node:worker_threads';
import type { FuzzKind } from './generate.js';
import type { FuzzRequest } from './fuzz-worker.js';
import type { Outcome } from './run-input.js';

export interface FuzzResult {
  readonly index: number;
  readonly outcome: Outcome | { readonly kind: 'hang' };
  readonly ms: number;
  /** The time it was allowed: more for the first input of a worker, which also loads vela. */
  readonly boundMs: number;
}

export interface FuzzRun {
  readonly kind: FuzzKind;
  readonly seed: number;
  readonly count: number;
  readonly dir: string;
  /** Milliseconds an input may take before it counts as a hang. */
  readonly timeoutMs: number;
  /** Extra time for the first input of a worker, which loads vela (default 30 s). */
  readonly startMs?: number;
  readonly clusterVersion?: FuzzRequest['clusterVersion'];
  /** Make the input of this index hang (to check the time bound). */
  readonly spinAt?: number;
}

function startWorker(): Worker {
  // The worker runs the TypeScript sources through tsx, as bin/dev.js does.
  return new Worker(new URL('./fuzz-worker.mjs', import.meta.url));
}

export async function runFuzz(run: FuzzRun): Promise<FuzzResult[]> {
  const results: FuzzResult[] = [];
  let worker = startWorker();
  const restart = async () => {
    worker.removeAllListeners();
    await worker.terminate();
    worker = startWorker();
  };
  try {
    for (let index = 0; index < run.count; index++) {
      const request: FuzzRequest = { kind: run.kind, seed: run.seed, index, dir: run.dir, ...(run.clusterVersion ? { clusterVersion: run.clusterVersion } : {}), ...(run.spinAt === index ? { spin: true } : {}) };
      // The first input of a worker also pays for loading vela: it gets more time.
      const bound = run.timeoutMs + (index === 0 || results.at(-1)?.outcome.kind === 'hang' ? run.startMs ?? 30_000 : 0);
      const ask = (limit: number) =>
        new Promise<{ outcome: Outcome; ms: number } | undefined>((resolve, reject) => {
          const timer = setTimeout(() => resolve(undefined), limit);
          const onMessage = (m: { outcome: Outcome; ms: number }) => {
            clearTimeout(timer);
            worker.off('error', onError);
            resolve(m);
          };
          const onError = (e: Error) => {
            clearTimeout(timer);
            worker.off('message', onMessage);
            reject(e);
          };
          worker.once('message', onMessage);
          worker.once('error', onError);
          worker.postMessage(request);
        });
      let answer = await ask(bound);
      if (!answer) {
        // Once more in a fresh worker (which loads vela again): a hang repeats, a machine busy with other work does not.
        await restart();
        answer = await ask(run.timeoutMs + (run.startMs ?? 30_000));
      }
      if (answer) {
        results.push({ index, outcome: answer.outcome, ms: answer.ms, boundMs: bound });
        continue;
      }
      results.push({ index, outcome: { kind: 'hang' }, ms: bound, boundMs: bound });
      await restart();
    }
  } finally {
    await worker.terminate();
  }
  return results;
}

/** The failures of a run, each with what replays it. */
export function failures(run: Pick<FuzzRun, 'kind' | 'seed'>, results: readonly FuzzResult[]): string[] {
  const out: string[] = [];
  for (const r of results) {
    const replay = `fuzzInput('${run.kind}', ${run.seed}, ${r.index})`;
    if (r.outcome.kind === 'hang') out.push(`${replay}: no answer within ${r.boundMs} ms`);
    else if (r.outcome.kind === 'crash') out.push(`${replay}: ${r.outcome.error.split('\n').slice(0, 4).join(' | ')}`);
    else if (r.ms > r.boundMs) out.push(`${replay}: took ${r.ms.toFixed(0)} ms (bound ${r.boundMs} ms)`);
  }
  return out;
}
