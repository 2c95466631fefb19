import { describe, expect, it } from 'vitest';
import { ClusterWatches, type ClusterNews } from '../../src/dashboard/server/cluster-watches.js';

const until = async (check: () => boolean) => {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
};

describe("the clusters' watches", () => {
  it('tell a cluster down when its watch breaks, try again after a pause, and tell it up when a watch lists again', async () => {
    let down = true;
    const started: string[] = [];
    const watches = new ClusterWatches({
      clusters: () => ['local', 'edge'],
      optionsFor: async (name) => ({ context: name }),
      retryMs: 10,
      maxRetryMs: 20,
      watch: (cluster, onChange) => {
        started.push(cluster.context!);
        if (cluster.context === 'edge' && down) return Promise.reject(new Error('connection refused'));
        onChange();
        return new Promise<void>((resolve) => cluster.signal!.addEventListener('abort', () => resolve()));
      },
    });
    const news: ClusterNews[] = [];
    const stop = new AbortController();
    const following = watches.follow((n) => news.push(n), stop.signal);
    await until(() => watches.reachabilityOf('edge')?.reachable === false && watches.reachabilityOf('local')?.reachable === true);
    expect(watches.reachabilityOf('edge')).toEqual({ reachable: false, problem: 'connection refused' });
    await until(() => started.filter((name) => name === 'edge').length >= 3);
    // A healthy cluster's watch is opened once: no looking again while it holds.
    expect(started.filter((name) => name === 'local')).toEqual(['local']);
    const before = news.filter((n) => n === 'reachability').length;
    down = false;
    await until(() => watches.reachabilityOf('edge')?.reachable === true);
    expect(news.filter((n) => n === 'reachability').length).toBe(before + 1);
    stop.abort();
    await following;
    const count = started.length;
    await new Promise((r) => setTimeout(r, 60));
    expect(started.length).toBe(count);
  });
});
