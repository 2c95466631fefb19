/** One bound on a whole run (run-deadline.ts): expiry, pauses, and the words a run out of time ends with. */
import { describe, expect, it } from 'vitest';
import { abortedByDeadline, DeadlineExceeded, RunDeadline } from '../../src/deploy/run-deadline.js';
import { EnvironmentError, abortError, sleep } from '../../src/host/index.js';

describe('RunDeadline', () => {
  it('aborts its signal when the time is up, with a reason that tells it from Ctrl-C', async () => {
    const deadline = new RunDeadline(60);
    expect(deadline.expired).toBe(false);
    await sleep(120);
    expect(deadline.expired).toBe(true);
    expect(deadline.signal.reason).toBeInstanceOf(DeadlineExceeded);
    expect(abortedByDeadline(deadline.signal)).toBe(true);
    expect(deadline.remainingMs()).toBe(0);

    const ctrlC = new AbortController();
    const other = new RunDeadline(10_000, ctrlC.signal);
    ctrlC.abort();
    expect(other.signal.aborted).toBe(true);
    expect(abortedByDeadline(other.signal)).toBe(false);
    expect(other.expired).toBe(false);
    other.dispose();
  });

  it('does not count paused stretches', async () => {
    const deadline = new RunDeadline(150);
    await deadline.paused(() => sleep(250));
    expect(deadline.expired).toBe(false);
    expect(deadline.remainingMs()).toBeGreaterThan(100);
    await sleep(250);
    expect(deadline.expired).toBe(true);
  });

  it('explains an abort that followed the expiry, and passes anything else through', async () => {
    const deadline = new RunDeadline(20);
    const other = new Error('boom');
    expect(deadline.explain(other, undefined)).toBe(other);
    await sleep(60);
    const explained = deadline.explain(abortError(), undefined, 'vela up');
    expect(explained).toBeInstanceOf(EnvironmentError);
    expect((explained as EnvironmentError).exitCode).toBe(2);
    expect((explained as Error).message).toBe('vela up did not finish within 20ms (--timeout) while talking to the cluster');
    expect(deadline.explain(other, undefined)).toBe(other);
  });
});
