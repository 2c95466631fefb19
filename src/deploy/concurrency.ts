/** Run `fn` over `items` with at most `limit` at a time; the first failure stops new work and is rethrown after the others settle. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>, signal?: AbortSignal): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failed: { err: unknown } | undefined;
  const worker = async () => {
    while (!failed && next < items.length) {
      if (signal?.aborted) {
        failed ??= { err: signal.reason ?? Object.assign(new Error('the operation was aborted'), { name: 'AbortError' }) };
        return;
      }
      const i = next++;
      try {
        out[i] = await fn(items[i]!, i);
      } catch (err) {
        failed ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failed) throw failed.err;
  return out;
}

/** Like mapLimit, but every item runs and each result is either a value or an error. */
export async function settleLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>, signal?: AbortSignal): Promise<Array<{ ok: true; value: R } | { ok: false; error: unknown }>> {
  return mapLimit(
    items,
    limit,
    async (item, i) => {
      try {
        return { ok: true as const, value: await fn(item, i) };
      } catch (error) {
        if ((error as Error)?.name === 'AbortError') throw error;
        return { ok: false as const, error };
      }
    },
    signal,
  );
}
