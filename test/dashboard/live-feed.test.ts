import { describe, expect, it } from 'vitest';
import { Topic } from '../../src/dashboard/server/live-feed.js';

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
};

describe('a live topic', () => {
  it('sends a value when it changes and not when it stays the same, and reads only while someone listens', async () => {
    let value = 1;
    let reads = 0;
    const topic = new Topic<{ n: number }>({ read: async () => (reads++, { n: value }), intervalMs: 5, onError: () => ({ n: -1 }) });
    const seen: number[] = [];
    const stop = topic.subscribe((v) => seen.push(v.n));
    await until(() => reads >= 4);
    expect(seen).toEqual([1]);
    value = 2;
    await until(() => seen.length === 2);
    expect(seen).toEqual([1, 2]);
    stop();
    const after = reads;
    await new Promise((r) => setTimeout(r, 50));
    expect(reads - after).toBeLessThanOrEqual(1);
  });

  it('gives a late listener the current value at once, and sends a failure as a value the page can show', async () => {
    let fail = false;
    const topic = new Topic<{ n: number } | { error: string }>({
      read: async () => {
        if (fail) throw new Error('down');
        return { n: 7 };
      },
      intervalMs: 5,
      onError: (err) => ({ error: (err as Error).message }),
    });
    const first: unknown[] = [];
    topic.subscribe((v) => first.push(v));
    await until(() => first.length === 1);
    const late: unknown[] = [];
    topic.subscribe((v) => late.push(v));
    expect(late).toEqual([{ n: 7 }]);
    fail = true;
    await until(() => late.length === 2);
    expect(late[1]).toEqual({ error: 'down' });
    fail = false;
    await until(() => late.length === 3);
    expect(late[2]).toEqual({ n: 7 });
    topic.close();
  });
});
