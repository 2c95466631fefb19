/**
 * One watch of vela's app list per cluster, shared by the app list and the
 * cluster list of every page: it says when the apps changed, and whether the
 * cluster answers. A cluster whose watch breaks is down until a new watch
 * lists again (tried after a pause that doubles up to `maxRetryMs`): that is
 * how the page learns a cluster went away and came back, with no timer
 * asking while all is well.
 */
import { watchAppListChanges } from '../../pipeline/app-watch.js';
import type { ClusterOptions } from '../../pipeline/cluster.js';
import { sleep } from '../../host/index.js';
import { problemOf } from './dashboard-data.js';

export type ClusterNews = 'apps' | 'reachability';

export interface ClusterWatchesOptions {
  /** The clusters to watch now, by name. */
  readonly clusters: () => readonly string[];
  readonly optionsFor: (name: string) => Promise<ClusterOptions>;
  readonly retryMs?: number;
  readonly maxRetryMs?: number;
  /** How a cluster's app list is watched (tests); default the pipeline's watch of the applyset parents. */
  readonly watch?: (cluster: ClusterOptions, onChange: () => void) => Promise<void>;
}

interface Running {
  readonly stop: AbortController;
  /** Undefined while the watch has not listed yet. */
  problem?: string;
  up?: boolean;
}

export class ClusterWatches {
  private readonly followers = new Set<(news: ClusterNews) => void>();
  private readonly running = new Map<string, Running>();

  constructor(private readonly opts: ClusterWatchesOptions) {}

  /** Told of news until the signal; the watches run while anyone follows. */
  follow(onNews: (news: ClusterNews) => void, signal: AbortSignal): Promise<void> {
    this.followers.add(onNews);
    this.sync();
    return new Promise<void>((resolve) => {
      const done = () => {
        this.followers.delete(onNews);
        if (this.followers.size === 0) this.stopAll();
        resolve();
      };
      if (signal.aborted) return done();
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /** Whether a cluster answers, from its watch; undefined while its watch has not listed or failed yet. */
  reachabilityOf(name: string): { readonly reachable: boolean; readonly problem?: string } | undefined {
    const run = this.running.get(name);
    if (run?.up === undefined) return undefined;
    return run.up ? { reachable: true } : { reachable: false, ...(run.problem !== undefined && { problem: run.problem }) };
  }

  /** Watches the clusters of the list now: new ones start, gone ones stop. */
  sync(): void {
    if (this.followers.size === 0) return;
    const names = new Set(this.opts.clusters());
    for (const [name, run] of this.running) {
      if (names.has(name)) continue;
      run.stop.abort();
      this.running.delete(name);
    }
    for (const name of names) if (!this.running.has(name)) this.start(name);
  }

  private tell(news: ClusterNews): void {
    for (const follower of this.followers) follower(news);
  }

  private start(name: string): void {
    const run: Running = { stop: new AbortController() };
    this.running.set(name, run);
    const signal = run.stop.signal;
    const first = this.opts.retryMs ?? 1000;
    const setUp = (up: boolean, problem?: string) => {
      const moved = run.up !== up;
      run.up = up;
      run.problem = problem;
      if (moved) this.tell('reachability');
    };
    (async () => {
      let pause = first;
      while (!signal.aborted) {
        try {
          const options = await this.opts.optionsFor(name);
          await (this.opts.watch ?? watchAppListChanges)({ ...options, signal }, () => {
            pause = first;
            setUp(true);
            this.tell('apps');
          });
        } catch (err) {
          if (signal.aborted) return;
          setUp(false, problemOf(err));
          this.tell('apps');
        }
        await sleep(pause, signal).catch(() => undefined);
        pause = Math.min(pause * 2, this.opts.maxRetryMs ?? 10_000);
      }
    })().catch(() => undefined);
  }

  private stopAll(): void {
    for (const run of this.running.values()) run.stop.abort();
    this.running.clear();
  }
}
