/**
 * Watching a collection the way client-go's reflector does: list once (the
 * items and the collection's resourceVersion), then watch from that version
 * with bookmarks, keeping the newest version seen (events and BOOKMARKs), so
 * that a watch the server ends (its `timeoutSeconds`, a dropped connection)
 * resumes where it stopped without missing or repeating a change. A version
 * the server no longer has (410 Gone / `Expired`, as an HTTP status or as an
 * ERROR event) means changes may have been missed: list again and start over
 * from the fresh list. The caller sees the current set of objects after every
 * change and says when it has seen enough.
 */
import { abortError, sleep } from '../../host/index.js';
import { ApiError } from './api-error.js';
import type { KubeObject } from './kube-object.js';
import { isRetryable } from './retry-policy.js';
import type { HttpStream } from './transport.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchChange {
  readonly type: WatchEventType;
  readonly object: KubeObject;
}

/**
 * Told the objects as they are now (keyed `namespace/name`, in no particular
 * order) after the first list, after every change, and after every re-list
 * (`change` absent then). Answer `true` to stop watching.
 */
export type WatchCallback = (objects: ReadonlyMap<string, KubeObject>, change?: WatchChange) => boolean | void | Promise<boolean | void>;

/** What the loop needs from the client: a list with its version, and a stream. */
export interface WatchSource {
  list(signal?: AbortSignal): Promise<{ items: KubeObject[]; resourceVersion: string }>;
  open(resourceVersion: string, timeoutSeconds: number, signal?: AbortSignal): Promise<HttpStream | undefined>;
  /** A final failure, named by server and context. */
  explain(err: unknown): unknown;
}

export interface WatchLoopOptions {
  readonly signal?: AbortSignal;
  /** The server ends each watch after this long (jittered, as client-go does); default 5 minutes. */
  readonly timeoutSeconds?: number;
  /** Without streaming (a transport that cannot), look again this often; default 2 s. */
  readonly fallbackIntervalMs?: number;
  /** Transient failures in a row before giving up; default 5. */
  readonly maxFailures?: number;
  /** Told each time the loop lists again or reconnects (tests, VELA_DEBUG). */
  readonly onRestart?: (why: 'expired' | 'ended' | 'failed') => void;
}

const keyOf = (obj: KubeObject): string => `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;

/** Is this the server saying "that version is gone, list again"? */
export function isExpired(err: unknown): boolean {
  return err instanceof ApiError && (err.status === 410 || err.reason === 'Expired' || err.reason === 'Gone');
}

/** Runs until the callback answers `true` (resolves) or the signal aborts (rejects with an AbortError). */
export async function watchLoop(source: WatchSource, callback: WatchCallback, opts: WatchLoopOptions = {}): Promise<void> {
  const signal = opts.signal;
  const objects = new Map<string, KubeObject>();
  let version: string | undefined;
  let failures = 0;
  const fail = async (err: unknown): Promise<void> => {
    if ((err as Error).name === 'AbortError') throw err;
    if (!isRetryable(err) || ++failures > (opts.maxFailures ?? 5)) throw source.explain(err);
    opts.onRestart?.('failed');
    await sleep(Math.min(5_000, 250 * 2 ** failures), signal);
  };
  // A watch that broke: an expired version lists again at once, anything else goes through `fail`.
  const recover = async (err: unknown): Promise<void> => {
    if (!isExpired(err)) return fail(err);
    opts.onRestart?.('expired');
    version = undefined;
  };
  for (;;) {
    if (signal?.aborted) throw abortError();
    if (version === undefined) {
      let listed;
      try {
        listed = await source.list(signal);
      } catch (err) {
        await fail(err);
        continue;
      }
      objects.clear();
      for (const item of listed.items) objects.set(keyOf(item), item);
      version = listed.resourceVersion;
      if (await callback(objects)) return;
    }
    const timeout = Math.round((opts.timeoutSeconds ?? 300) * (1 + Math.random()));
    let stream: HttpStream | undefined;
    try {
      stream = await source.open(version, timeout, signal);
    } catch (err) {
      await recover(err);
      continue;
    }
    if (!stream) {
      // No streaming on this transport: the same contract, by looking again.
      await sleep(opts.fallbackIntervalMs ?? 2_000, signal);
      version = undefined;
      continue;
    }
    try {
      for await (const line of stream.lines) {
        const event = JSON.parse(line) as { type: string; object: KubeObject };
        if (event.type === 'ERROR') throw errorEvent(event.object);
        const seen = event.object?.metadata?.resourceVersion;
        if (seen) version = String(seen);
        failures = 0;
        if (event.type === 'BOOKMARK') continue;
        if (event.type !== 'ADDED' && event.type !== 'MODIFIED' && event.type !== 'DELETED') continue;
        if (event.type === 'DELETED') objects.delete(keyOf(event.object));
        else objects.set(keyOf(event.object), event.object);
        if (await callback(objects, { type: event.type, object: event.object })) return;
      }
      opts.onRestart?.('ended');
    } catch (err) {
      await recover(err);
    } finally {
      stream.close();
    }
  }
}

/** An ERROR event carries a `Status`. */
function errorEvent(status: KubeObject): ApiError {
  const s = status as { code?: number; reason?: string; message?: string };
  return new ApiError(s.code ?? 500, s.reason ?? 'InternalError', s.message ?? 'the watch failed');
}
