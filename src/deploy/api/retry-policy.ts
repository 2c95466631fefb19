/**
 * Which failed requests are worth another try, and how long to wait first.
 * Pure: the caller owns the loop, the clock and the randomness.
 *
 * Retried: 429 (honouring `Retry-After`), 5xx, optimistic-concurrency 409s,
 * and connections that dropped or timed out. Never retried: an abort, any
 * other 4xx (the request itself is wrong, or we lack the rights), a server-side
 * apply field conflict, and TLS or credential failures.
 */
import { ApiError } from './api-error.js';

export interface RetryPolicy {
  /** Attempts after the first one. */
  readonly retries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { retries: 4, baseDelayMs: 200, maxDelayMs: 5_000 };

/** Network failures worth another try; anything else at the socket level is final. */
const transientCodes = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'EAI_AGAIN', 'ESOCKETTIMEDOUT', 'UND_ERR_SOCKET', 'ECONNREFUSED']);

const codeOf = (err: unknown): string => (err as NodeJS.ErrnoException | undefined)?.code ?? '';

/** Is this failure of one attempt worth another attempt at all? */
export function isRetryable(err: unknown): boolean {
  if ((err as Error | undefined)?.name === 'AbortError') return false;
  if (err instanceof ApiError) {
    if (err.status === 429 || err.status >= 500) return true;
    // 409 from optimistic concurrency ("the object has been modified") is worth
    // another try; a server-side apply field conflict is not: it needs --force-conflicts.
    // Nor is AlreadyExists: trying again cannot make the object not exist.
    return err.status === 409 && !err.isFieldConflict && err.reason !== 'AlreadyExists';
  }
  return transientCodes.has(codeOf(err));
}

/**
 * How long to wait before the next attempt, after `attempt` retries so far
 * failed with `err`; `undefined` to give up and report `err`. Exponential
 * backoff with jitter (so parallel requests do not retry in lockstep), at
 * least what the server asked for in `Retry-After`, at most `maxDelayMs`.
 */
export function retryDelay(err: unknown, attempt: number, policy: RetryPolicy, random: () => number = Math.random): number | undefined {
  if (!isRetryable(err) || attempt >= policy.retries) return undefined;
  // A refused connection is retried only briefly: an unreachable server should fail fast.
  if (codeOf(err) === 'ECONNREFUSED' && attempt >= 1) return undefined;
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  const fromServer = err instanceof ApiError && err.retryAfter !== undefined ? err.retryAfter * 1000 : 0;
  const jittered = backoff / 2 + random() * (backoff / 2);
  return Math.min(policy.maxDelayMs, Math.max(fromServer, jittered));
}
