/**
 * "Something changed" for the waits that judge many objects at once (an app's
 * health, `vela status --watch`): a watch per kind in the namespace, and a
 * `next()` that resolves at the next change of any of them. The judging
 * itself stays a look at the live objects (wait.ts): the feed only says when
 * a look is worth taking, so a rollout is seen when it happens instead of at
 * the next tick, and nothing is asked while nothing moves. A kind the server
 * does not serve (or lets us not watch) is left out; a slow safety look
 * (`maxQuietMs`) covers what no watch shows (a definition's health policy may
 * read anything).
 */
import { abortError } from '../host/index.js';
import type { KubeClient } from './api/index.js';

export interface ChangeFeed {
  /** Resolves at the next change (or after `maxQuietMs`); rejects when the signal aborts. */
  next(maxQuietMs: number): Promise<void>;
  close(): void;
}

export function watchChanges(client: KubeClient, namespace: string, kinds: ReadonlyArray<{ apiVersion: string; kind: string }>, signal?: AbortSignal): ChangeFeed {
  const stop = new AbortController();
  const watching = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
  let pending = false;
  let wake: (() => void) | undefined;
  const changed = () => {
    pending = true;
    wake?.();
  };
  const unique = [...new Map(kinds.map((k) => [`${k.apiVersion}/${k.kind}`, k])).values()];
  for (const { apiVersion, kind } of unique) {
    let listed = false;
    client
      .watch(
        apiVersion,
        kind,
        () => {
          // The first list is the state the caller has just looked at; every later callback is news.
          if (listed) changed();
          listed = true;
        },
        { namespace, signal: watching },
      )
      // A kind that cannot be watched (unknown, forbidden) or a watch that gave up leaves the safety look.
      .catch(() => undefined);
  }
  return {
    async next(maxQuietMs) {
      if (pending) {
        pending = false;
        return;
      }
      await new Promise<void>((resolve, reject) => {
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', aborted);
          wake = undefined;
          pending = false;
          resolve();
        };
        const aborted = () => {
          clearTimeout(timer);
          wake = undefined;
          reject(abortError());
        };
        const timer = setTimeout(done, maxQuietMs);
        wake = done;
        if (signal?.aborted) return aborted();
        signal?.addEventListener('abort', aborted, { once: true });
      });
    },
    close() {
      stop.abort();
    },
  };
}
