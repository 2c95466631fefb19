import { describe, expect, it } from 'vitest';
import { mapLimit, settleLimit, sleep } from '../../src/host/index.js';

/** An AbortController whose signal counts the abort listeners it holds. */
function countingController(): { controller: AbortController; listeners: () => number } {
  const controller = new AbortController();
  let held = 0;
  const { signal } = controller;
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((...args: Parameters<AbortSignal['addEventListener']>) => {
    if (args[0] === 'abort') held++;
    add(...args);
  }) as typeof signal.addEventListener;
  signal.removeEventListener = ((...args: Parameters<AbortSignal['removeEventListener']>) => {
    if (args[0] === 'abort') held--;
    remove(...args);
  }) as typeof signal.removeEventListener;
  return { controller, listeners: () => held };
}

describe('sleep', () => {
  it('resolves after the time and leaves no abort listener behind', async () => {
    const { controller, listeners } = countingController();
    for (let i = 0; i < 5; i++) await sleep(1, controller.signal);
    expect(listeners()).toBe(0);
  });

  it('rejects with an AbortError as soon as the signal aborts, or at once when it already has', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const waiting = sleep(10_000, controller.signal);
    setTimeout(() => controller.abort(), 10);
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(5_000);
    await expect(sleep(10, controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('mapLimit', () => {
  it('keeps at most `limit` calls in flight and the results in input order', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapLimit([30, 10, 20, 5, 15], 2, async (ms, index) => {
      running++;
      peak = Math.max(peak, running);
      await sleep(ms);
      running--;
      return index * 10;
    });
    expect(out).toEqual([0, 10, 20, 30, 40]);
    expect(peak).toBe(2);
  });

  it('stops starting new work after the first failure and rethrows it once the running calls settle', async () => {
    const started: number[] = [];
    let settled = 0;
    const err = await mapLimit([1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n);
      await sleep(n === 1 ? 1 : 20);
      settled++;
      if (n === 1) throw new Error('first fails');
      return n;
    }).catch((e: Error) => e);
    expect(err).toMatchObject({ message: 'first fails' });
    expect(started).toEqual([1, 2]);
    expect(settled).toBe(2);
  });

  it('starts nothing more once the signal aborts', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    const run = mapLimit([1, 2, 3], 1, async (n) => {
      started.push(n);
      if (n === 1) controller.abort();
      return n;
    }, controller.signal);
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(started).toEqual([1]);
  });
});

describe('settleLimit', () => {
  it('runs every item and reports each value or error in order', async () => {
    const out = await settleLimit([1, 2, 3], 2, async (n) => {
      if (n === 2) throw new Error('two');
      return n;
    });
    expect(out).toEqual([{ ok: true, value: 1 }, { ok: false, error: new Error('two') }, { ok: true, value: 3 }]);
  });
});
