/**
 * Live updates for the page: a topic (the app list, the cluster list, one
 * app's status) is read again every interval while someone listens, and
 * sent to its listeners only when its JSON changed. One reader per topic,
 * however many pages listen.
 *
 * Why reading again and not the Kubernetes watch API: the transport of
 * src/deploy answers whole responses only (no streaming), and the dashboard
 * may only reach the cluster through the pipeline's use cases (test/arch.test.ts).
 * A watch there would wake this same topic on an event instead of a timer;
 * what the page sees (an event when something changed, nothing otherwise) stays.
 */

export type Listener<T> = (value: T) => void;

export interface TopicOptions<T> {
  readonly read: (signal: AbortSignal) => Promise<T>;
  readonly intervalMs: number;
  /** The value to send when reading fails (e.g. an error body), so the page shows the failure and recovers after it. */
  readonly onError: (err: unknown) => T;
}

export class Topic<T> {
  private readonly listeners = new Set<Listener<T>>();
  private last?: { json: string; value: T };
  private timer?: NodeJS.Timeout;
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
    const tick = async () => {
      let value: T;
      try {
        value = await this.opts.read(running.signal);
      } catch (err) {
        if (running.signal.aborted) return;
        value = this.opts.onError(err);
      }
      if (running.signal.aborted) return;
      const json = JSON.stringify(value);
      if (json !== this.last?.json) {
        this.last = { json, value };
        for (const listener of this.listeners) listener(value);
      }
      this.timer = setTimeout(tick, this.opts.intervalMs);
    };
    this.timer = setTimeout(tick, 0);
  }

  private stop(): void {
    this.running?.abort();
    clearTimeout(this.timer);
    this.running = undefined;
    this.timer = undefined;
    // A later listener must not see a value from before the gap as current.
    this.last = undefined;
  }

  /** Stops reading, whoever listens (the server is closing). */
  close(): void {
    this.listeners.clear();
    this.stop();
  }
}
