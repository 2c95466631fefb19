/**
 * Small helpers for waiting and bounded parallelism, shared by every edge that
 * talks to the outside world. Each one honours an AbortSignal (Ctrl-C) and
 * leaves nothing behind when it settles: no timer, no abort listener.
 */

/** The error an aborted operation rejects with; callers test `name === 'AbortError'`. */
export function abortError(): Error {
  const err = new Error('the operation was aborted');
  err.name = 'AbortError';
  return err;
}

/** Wait `ms` milliseconds, or reject with an AbortError as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(() => {
      // A long-lived signal (one per command) would otherwise collect one listener per wait.
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Run `fn` over `items` with at most `limit` calls in flight, results in the
 * order of `items`. The first failure stops new work and is rethrown once the
 * calls already running have settled (so nothing runs on after we return).
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>, signal?: AbortSignal): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed: { error: unknown } | undefined;
  const worker = async () => {
    while (!failed && next < items.length) {
      if (signal?.aborted) {
        failed ??= { error: signal.reason ?? abortError() };
        return;
      }
      const index = next++;
      try {
        results[index] = await fn(items[index]!, index);
      } catch (error) {
        failed ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failed) throw failed.error;
  return results;
}

export type Settled<R> = { readonly ok: true; readonly value: R } | { readonly ok: false; readonly error: unknown };

/** Like mapLimit, but every item runs and each gives a value or an error; only an abort stops the rest. */
export async function settleLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>, signal?: AbortSignal): Promise<Array<Settled<R>>> {
  return mapLimit(
    items,
    limit,
    async (item, index): Promise<Settled<R>> => {
      try {
        return { ok: true, value: await fn(item, index) };
      } catch (error) {
        if ((error as Error)?.name === 'AbortError') throw error;
        return { ok: false, error };
      }
    },
    signal,
  );
}
