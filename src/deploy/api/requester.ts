/**
 * Requests as the layers above want them: JSON in and out, a non-2xx answer
 * as an ApiError parsed from its `Status`, retried by the retry policy, a
 * final failure named by server and context, and every request counted (the
 * "a no-change apply makes no writes" promise is checked with `stats.writes`).
 */
import { abortError, sleep as abortableSleep } from '../../host/index.js';
import { parseStatus, transportFailure } from './api-error.js';
import { defaultRetryPolicy, retryDelay, type RetryPolicy } from './retry-policy.js';
import type { HttpStream, Transport } from './transport.js';

export interface RequestStats {
  requests: number;
  /** Mutating requests that were not dry runs (POST/PUT/PATCH/DELETE without dryRun=All) nor bookkeeping. */
  writes: number;
  /** Mutating requests on vela's own bookkeeping (the lock's Lease), not on the app. */
  bookkeeping: number;
  /** Mutating requests with dryRun=All. */
  dryRuns: number;
  retries: number;
}

export interface RequestOptions {
  readonly query?: Record<string, string | number | boolean | undefined>;
  /** Sent as JSON unless it is already text. */
  readonly body?: unknown;
  readonly contentType?: string;
  /** Overrides the requester's signal for this request. */
  readonly signal?: AbortSignal;
  /** Answer `undefined` instead of throwing on 404. */
  readonly allowNotFound?: boolean;
  /** `false`: one attempt only (the caller has its own loop, e.g. the lock's optimistic updates). */
  readonly retry?: boolean;
  /** A write to vela's own bookkeeping (counted apart from the app's writes). */
  readonly bookkeeping?: boolean;
}

/** A request that has been sent and not yet answered. */
export interface PendingRequest {
  readonly method: string;
  readonly path: string;
  /** `Date.now()` when it was sent. */
  readonly since: number;
}

export interface RequesterOptions {
  readonly retry?: Partial<RetryPolicy>;
  /** Aborts every request in flight and every retry wait. */
  readonly signal?: AbortSignal;
  /** Test hook: where retry waits go. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Told, every `slowAfterMs`, about a request still waiting for its answer (progress while a server is slow). */
  readonly onSlowRequest?: (request: PendingRequest, elapsedMs: number) => void;
  /** Default 5 s. */
  readonly slowAfterMs?: number;
  /** Told of every request as it is sent (each attempt, and each watch opened): how a long-running caller shows what it asks. */
  readonly onRequest?: (method: string, path: string) => void;
}

export class Requester {
  readonly stats: RequestStats = { requests: 0, writes: 0, bookkeeping: 0, dryRuns: 0, retries: 0 };
  private readonly policy: RetryPolicy;
  /** The longest-waiting request that an abort cut off, for the message that says why a run stopped. */
  private abandoned: { request: PendingRequest; waitedMs: number } | undefined;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(
    private readonly transport: Transport,
    /** Named in final errors. */
    private readonly target: { readonly server: string; readonly context: string },
    private readonly options: RequesterOptions = {},
  ) {
    this.policy = { ...defaultRetryPolicy, ...options.retry };
    this.sleep = options.sleep ?? abortableSleep;
  }

  /** One request with its retries; the HTTP status tells a create (201) from an update. */
  async send<T>(method: string, path: string, opts: RequestOptions = {}): Promise<{ status: number; body: T | undefined }> {
    const signal = opts.signal ?? this.options.signal;
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(opts.query ?? {})) if (value !== undefined) search.set(key, String(value));
    const query = search.toString();
    const target = query ? `${path}?${query}` : path;
    const body = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    const isDryRun = search.get('dryRun') === 'All';
    // One request as the caller sees it, its retries included: how long it has waited counts from the first attempt.
    const pending: PendingRequest = { method, path: target, since: Date.now() };
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw abortError();
      this.stats.requests++;
      this.options.onRequest?.(method, target);
      if (method !== 'GET') {
        if (isDryRun) this.stats.dryRuns++;
        else if (opts.bookkeeping) this.stats.bookkeeping++;
        else this.stats.writes++;
      }
      try {
        const res = await this.watched(pending, () => this.transport.send({ method, path: target, body, contentType: opts.contentType, signal }));
        if (res.status >= 200 && res.status < 300) return { status: res.status, body: (res.text ? JSON.parse(res.text) : undefined) as T | undefined };
        if (res.status === 404 && opts.allowNotFound) return { status: res.status, body: undefined };
        throw parseStatus(res.status, res.text, `${method} ${target}`, res.retryAfter);
      } catch (err) {
        if ((err as Error).name === 'AbortError') throw err;
        const delay = opts.retry === false ? undefined : retryDelay(err, attempt, this.policy);
        if (delay === undefined) throw transportFailure(err, this.target);
        this.stats.retries++;
        await this.sleep(delay, signal);
      }
    }
  }

  /** The request cut off by an abort that had waited longest, if any (and how long it had waited). */
  get longestAbandoned(): { readonly request: PendingRequest; readonly waitedMs: number } | undefined {
    return this.abandoned;
  }

  /** One attempt: reported while slow, remembered when an abort cuts it off. */
  private async watched<R>(request: PendingRequest, send: () => Promise<R>): Promise<R> {
    const every = this.options.slowAfterMs ?? 5_000;
    const onSlow = this.options.onSlowRequest;
    const timer = onSlow ? setInterval(() => onSlow(request, Date.now() - request.since), every) : undefined;
    try {
      return await send();
    } catch (err) {
      if ((err as Error).name === 'AbortError') {
        const waitedMs = Date.now() - request.since;
        if (!this.abandoned || waitedMs > this.abandoned.waitedMs) this.abandoned = { request, waitedMs };
      }
      throw err;
    } finally {
      if (timer) clearInterval(timer);
    }
  }

  /**
   * A long-lived GET (a watch), one attempt: the body's lines as they come.
   * A non-2xx answer throws its ApiError; the caller (the watch loop) decides
   * about reconnecting. `undefined` when the transport cannot stream.
   */
  async openStream(path: string, opts: Pick<RequestOptions, 'query' | 'signal'> = {}): Promise<HttpStream | undefined> {
    if (!this.transport.stream) return undefined;
    const signal = opts.signal ?? this.options.signal;
    if (signal?.aborted) throw abortError();
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(opts.query ?? {})) if (value !== undefined) search.set(key, String(value));
    const target = search.size ? `${path}?${search}` : path;
    this.stats.requests++;
    this.options.onRequest?.('GET', target);
    // Socket errors come out raw: the watch loop tells the transient ones (reconnect) from the final ones (`explain`).
    const res = await this.transport.stream({ method: 'GET', path: target, signal });
    if (res.status >= 200 && res.status < 300) return res;
    let text = '';
    for await (const line of res.lines) text += line;
    throw parseStatus(res.status, text, `GET ${target}`);
  }

  /** A final failure named by server and context (as `send` reports it after its retries). */
  explain(err: unknown): unknown {
    return transportFailure(err, this.target);
  }

  /** GET, `undefined` on 404. */
  async get<T>(path: string, opts: Omit<RequestOptions, 'allowNotFound'> = {}): Promise<T | undefined> {
    return (await this.send<T>('GET', path, { ...opts, allowNotFound: true })).body;
  }

  close(): void {
    this.transport.close();
  }
}
