/**
 * One bound on a whole run (`--timeout`): a signal that aborts every request
 * and wait of the run when its time is used up, with a clock that can be
 * paused for stretches the bound does not cover (building images, waiting
 * for another run's lock, which `--lock-timeout` bounds). When it fires, the
 * run's AbortError is turned into an EnvironmentError (exit 2) that says what
 * the run was waiting for: usually a request the API server never answered.
 */
import { setMaxListeners } from 'node:events';
import { EnvironmentError } from '../host/index.js';
import { formatSeconds, type KubeClient } from './api/index.js';

/** The abort reason of a run whose time is up (tells it apart from Ctrl-C). */
export class DeadlineExceeded extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the run did not finish within ${formatSeconds(timeoutMs)}`);
    this.name = 'DeadlineExceeded';
  }
}

/** Whether `signal` was aborted because a run's time was up (and not by the user). */
export function abortedByDeadline(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true && signal.reason instanceof DeadlineExceeded;
}

export class RunDeadline {
  /** Aborts when the time is up, or when the parent signal (Ctrl-C) aborts. */
  readonly signal: AbortSignal;
  private readonly expiry = new AbortController();
  private remaining: number;
  private startedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private pauses = 0;

  constructor(
    readonly timeoutMs: number,
    parent?: AbortSignal,
  ) {
    this.remaining = timeoutMs;
    this.signal = parent ? AbortSignal.any([parent, this.expiry.signal]) : this.expiry.signal;
    // Every request and wait of the run listens to this one signal: many listeners are expected.
    setMaxListeners(0, this.signal, this.expiry.signal);
    this.start();
  }

  get expired(): boolean {
    return this.expiry.signal.aborted;
  }

  /** Milliseconds left (the paused stretches not counted). */
  remainingMs(): number {
    if (this.expired) return 0;
    return Math.max(0, this.timer ? this.remaining - (Date.now() - this.startedAt) : this.remaining);
  }

  /** Run `fn` with the clock stopped (nested pauses are fine). */
  async paused<T>(fn: () => Promise<T>): Promise<T> {
    if (this.pauses++ === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.remaining -= Date.now() - this.startedAt;
    }
    try {
      return await fn();
    } finally {
      if (--this.pauses === 0) this.start();
    }
  }

  /** Stop the clock for good (the run is over). */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pauses = Number.POSITIVE_INFINITY;
  }

  /**
   * `err` as the run should report it: when the time ran out and `err` is the
   * abort that followed, an EnvironmentError naming what was being waited for;
   * otherwise `err` itself.
   */
  explain(err: unknown, client: KubeClient | undefined, what = 'vela'): unknown {
    if (!this.expired || (err as Error | undefined)?.name !== 'AbortError') return err;
    const limit = `${what} did not finish within ${formatSeconds(this.timeoutMs)} (--timeout)`;
    const stuck = client?.longestAbandoned;
    const where = client ? `the Kubernetes API server at ${client.target.server} (context "${client.target.context}")` : 'the cluster';
    const message = stuck && stuck.waitedMs >= 1000 ? `${limit}: ${where} had not answered ${stuck.request.method} ${stuck.request.path.split('?')[0]} for ${formatSeconds(Math.round(stuck.waitedMs / 100) * 100)}` : `${limit} while talking to ${where}`;
    return new EnvironmentError(message, {
      code: 'deploy/timeout',
      hint: stuck ? 'is the API server overloaded or stopped? raise --timeout, or check the cluster' : 'raise --timeout if the cluster is only slow',
      cause: err,
    });
  }

  private start(): void {
    if (this.expired || this.timer) return;
    this.startedAt = Date.now();
    this.timer = setTimeout(() => this.expiry.abort(new DeadlineExceeded(this.timeoutMs)), Math.max(0, this.remaining));
    // A CLI process must not stay alive for this timer alone.
    this.timer.unref();
  }
}
