/**
 * The fuzz suite's worker thread: runs inputs one at a time as the main
 * thread names them (kind, seed, index), so that the main thread can time each
 * one out and end a worker that hangs (a busy loop cannot be interrupted from
 * the thread it runs on).
 */
import { parentPort } from 'node:worker_threads';
import { join } from 'node:path';
import { fuzzInput, type FuzzKind } from './generate.js';
import { runInput } from './run-input.js';

export interface FuzzRequest {
  readonly kind: FuzzKind;
  readonly seed: number;
  readonly index: number;
  /** A folder for this kind; definition inputs get a subfolder each (their definitions differ). */
  readonly dir: string;
  readonly clusterVersion?: { major: number; minor: number; gitVersion: string };
  /** Busy-loop forever instead (the check of the time bound itself). */
  readonly spin?: boolean;
}

parentPort!.on('message', (req: FuzzRequest) => {
  // eslint-disable-next-line no-constant-condition
  while (req.spin) {
    // a hang, on purpose
  }
  const input = fuzzInput(req.kind, req.seed, req.index);
  const dir = req.kind === 'definition' ? join(req.dir, String(req.index)) : req.dir;
  const started = performance.now();
  runInput(input, dir, req.clusterVersion ? { clusterVersion: req.clusterVersion } : {}).then(
    (outcome) => parentPort!.postMessage({ outcome, ms: performance.now() - started }),
    (err: unknown) => parentPort!.postMessage({ outcome: { kind: 'crash', error: String(err) }, ms: performance.now() - started }),
  );
});
