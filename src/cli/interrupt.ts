/** Ctrl-C as an abort signal for the commands that talk to a cluster. */
import { setMaxListeners } from 'node:events';
import { DiagnosticError, error } from '../source/index.js';

/**
 * Run `fn` with a signal that Ctrl-C aborts (requests in flight are cancelled,
 * waits stop). A second Ctrl-C exits at once. An abort becomes a clear error
 * (exit 130) instead of an internal one.
 */
export async function withInterrupt<T>(fn: (signal: AbortSignal) => Promise<T>, what = 'interrupted'): Promise<T> {
  const ctl = new AbortController();
  // Every request and wait in flight listens to this one signal: many listeners are expected, not a leak.
  setMaxListeners(0, ctl.signal);
  const onSigint = () => {
    if (ctl.signal.aborted) process.exit(130);
    ctl.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    return await fn(ctl.signal);
  } catch (err) {
    if (ctl.signal.aborted && ((err as Error)?.name === 'AbortError' || !(err instanceof DiagnosticError))) {
      throw new DiagnosticError([error(what, undefined, { code: 'cli/interrupted' })], 130);
    }
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
