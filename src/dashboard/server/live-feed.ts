/**
 * Live updates for the page: a topic (the app list, the cluster list, one
 * app's status) is read when someone starts listening and again each time
 * its watch says something changed (the Kubernetes watch API, through the
 * pipeline's app-watch.ts), and sent to its listeners only when its JSON
 * changed. One reader and one watch per topic, however many pages listen;
 * nothing is asked of the cluster while nothing moves.
 *
 * A watch that breaks (the cluster went away) makes the topic read at once
 * (so the page shows the failure), then start over after a pause that
 * doubles up to `maxRetryMs`: read, watch again. When the cluster is back the
 * read succeeds and the page recovers.
 */
import { sleep } from '../../host/index.js';

export type Listener<T> = (value: T) => void;

export interface TopicOptions<T> {
  readonly read: (signal: AbortSignal) => Promise<T>;
  /**
   * Runs while someone listens: calls `changed` when a read is worth making;
   * settles when it stops (the signal), rejects when the watch broke.
   */
  readonly watch: (changed: () => void, signal: AbortSignal) => Promise<void>;
  /** The value to send when reading fails (e.g. an error body), so the page shows the failure and recovers after it. */
  readonly onError: (err: unknown) => T;
  /** The first pause after a broken watch (ms); default 1000. */
  readonly retryMs?: number;
  /** The longest pause (ms); default 10000. */
  readonly maxRetryMs?: number;
  /** Changes within this long are read once (ms): a rollout moves many objects at once; default 50. */
  readonly settleMs?: number;
}

export class Topic<T> {
  private readonly listeners = new Set<Listener<T>>();
  private last?: { json: string; value: T };
  private running?: AbortController;

  constructor(private readonly opts: TopicOptions<T>) {}

  /** Listens; the current value comes at once when there is one. Returns the way to stop listening. */
  subscribe(listener: Listener<T>): () => void {
    this.listeners.add(listener);
    if (this.last) listener(this.last.value);
    if (this.listeners.size === 1) this.start();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  get listening(): number {
    return this.listeners.size;
  }

  private start(): void {
    const running = new AbortController();
    this.running = running;
    const signal = running.signal;
    let reading: Promise<void> | undefined;
    let again = false;
    const publish = (value: T) => {
      if (signal.aborted) return;
      const json = JSON.stringify(value);
      if (json === this.last?.json) return;
      this.last = { json, value };
      for (const listener of this.listeners) listener(value);
    };
    /** One read at a time; a change during a read means one more read after it. */
    const read = (delayMs: number): Promise<void> => {
      if (reading) {
        again = true;
        return reading;
      }
      reading = (async () => {
        do {
          again = false;
          if (delayMs) await sleep(delayMs, signal).catch(() => undefined);
          if (signal.aborted) return;
          try {
            publish(await this.opts.read(signal));
          } catch (err) {
            if (!signal.aborted) publish(this.opts.onError(err));
          }
        } while (again && !signal.aborted);
      })().finally(() => (reading = undefined));
      return reading;
    };
    const loop = async () => {
      const first = this.opts.retryMs ?? 1000;
      let pause = first;
      while (!signal.aborted) {
        const started = Date.now();
        const changed = () => {
          read(this.opts.settleMs ?? 50).catch(() => undefined);
        };
        const watching = this.opts.watch(changed, signal).catch(() => undefined);
        await read(0);
        await watching;
        if (signal.aborted) return;
        // Broken (or ended, which a watch should not): show what a read says now, then try again after a pause.
        await read(0);
        // A watch that held a while was a healthy one: the next failure starts the pauses afresh.
        pause = Date.now() - started > 60_000 ? first : pause;
        await sleep(pause, signal).catch(() => undefined);
        pause = Math.min(pause * 2, this.opts.maxRetryMs ?? 10_000);
      }
    };
    loop().catch(() => undefined);
  }

  private stop(): void {
    this.running?.abort();
    this.running = undefined;
    // A later listener must not see a value from before the gap as current.
    this.last = undefined;
  }

  /** Stops reading and watching, whoever listens (the server is closing). */
  close(): void {
    this.listeners.clear();
    this.stop();
  }
}
