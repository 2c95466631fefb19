import { describe, expect, it } from 'vitest';
import { Topic } from '../../src/dashboard/server/live-feed.js';

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
};
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A watch the test drives: `change()` says something changed, `breakIt()` makes it fail. */
function fakeWatch() {
  const state = { started: 0, running: 0, change: () => {}, breakIt: (_err: Error) => {} };
  const watch = (changed: () => void, signal: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      state.started++;
      state.running++;
      state.change = changed;
      let ended = false;
      const end = () => {
        if (!ended) state.running--;
        ended = true;
      };
      state.breakIt = (err) => {
        end();
        reject(err);
      };
      signal.addEventListener('abort', () => {
        end();
        resolve();
      });
    });
  return { state, watch };
}

describe('a live topic', () => {
  it('reads when listening starts and again only when its watch says something changed; sends only what changed', async () => {
    let value = 1;
    let reads = 0;
    const { state, watch } = fakeWatch();
    const topic = new Topic<{ n: number }>({ read: async () => (reads++, { n: value }), watch, onError: () => ({ n: -1 }), settleMs: 1 });
    const seen: number[] = [];
    const stop = topic.subscribe((v) => seen.push(v.n));
    await until(() => seen.length === 1);
    // Quiet: no timer reads it again.
    await pause(100);
    expect(reads).toBe(1);
    state.change();
    await until(() => reads === 2);
    expect(seen).toEqual([1]);
    value = 2;
    // A burst of changes is read once or twice, never once per change.
    for (let i = 0; i < 20; i++) state.change();
    await until(() => seen.length === 2);
    await pause(30);
    expect(reads).toBeLessThanOrEqual(4);
    expect(seen).toEqual([1, 2]);
    expect(state.running).toBe(1);
    stop();
    expect(state.running).toBe(0);
    const after = reads;
    state.change();
    await pause(30);
    expect(reads).toBe(after);
  });

  it('shows a broken watch as the failure a read gives, then reads and watches again after a pause and recovers', async () => {
    let down = false;
    const { state, watch } = fakeWatch();
    const topic = new Topic<{ n: number } | { error: string }>({
      read: async () => {
        if (down) throw new Error('down');
        return { n: 7 };
      },
      watch,
      onError: (err) => ({ error: (err as Error).message }),
      retryMs: 20,
      maxRetryMs: 40,
    });
    const first: unknown[] = [];
    topic.subscribe((v) => first.push(v));
    await until(() => first.length === 1);
    const late: unknown[] = [];
    topic.subscribe((v) => late.push(v));
    expect(late).toEqual([{ n: 7 }]);
    down = true;
    state.breakIt(new Error('connection refused'));
    await until(() => late.length === 2);
    expect(late[1]).toEqual({ error: 'down' });
    // It tries again: a new watch (which breaks while the cluster is down).
    await until(() => state.started === 2);
    state.breakIt(new Error('connection refused'));
    down = false;
    await until(() => late.length === 3);
    expect(late[2]).toEqual({ n: 7 });
    await until(() => state.running === 1);
    topic.close();
    expect(state.running).toBe(0);
  });
});
