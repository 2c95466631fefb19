/**
 * One run at a time per app and namespace (app-lock.ts), against the
 * protocol-level fake API server: the Lease is taken, waited for, taken over
 * when expired or forced, renewed, lost, and released.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock, leaseExpiry, lockRef, microTime, type HeldLock } from '../../src/deploy/app-lock.js';
import { KubeClient, loadClusterTarget } from '../../src/deploy/index.js';
import { EnvironmentError, recordingReporter, sleep } from '../../src/host/index.js';
import { FakeApiServer } from '../support/fake-apiserver.js';
import { failure } from '../support/failure.js';

let server: FakeApiServer;
let client: KubeClient;

beforeEach(async () => {
  server = await new FakeApiServer().start();
  const kubeconfig = server.writeKubeconfig(join(mkdtempSync(join(tmpdir(), 'vela-lock-')), 'kubeconfig'));
  client = new KubeClient(await loadClusterTarget({ kubeconfig }), { retry: { retries: 2, baseDelayMs: 5, maxDelayMs: 20 } });
  server.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
});
afterEach(async () => {
  client.close();
  await server.stop();
});

const lease = () => server.object('Lease', 'applyset-shop-lock', 'shop');

describe('the app lock', () => {
  it('is a Lease next to the inventory, held with holder and expiry, deleted on release', async () => {
    const lock = await acquireLock(client, 'shop', 'shop', { timeoutMs: 1000, holder: 'alice@laptop pid 1 (run a)' });
    expect(lock.ref).toEqual(lockRef('shop', 'shop'));
    const held = lease()!;
    expect(held.spec).toMatchObject({ holderIdentity: 'alice@laptop pid 1 (run a)', leaseDurationSeconds: 30, leaseTransitions: 0 });
    expect(held.spec.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(leaseExpiry(held)).toBeGreaterThan(Date.now() + 25_000);
    await lock.release();
    expect(lease()).toBeUndefined();
    // The lock's writes are bookkeeping, not the app's.
    expect(client.stats).toMatchObject({ writes: 0, bookkeeping: 2 });
  });

  it('makes a second run wait, saying for whom, then fail with exit 2 naming the holder', async () => {
    const first = await acquireLock(client, 'shop', 'shop', { timeoutMs: 1000, holder: 'alice@laptop pid 1 (run a)' });
    const reporter = recordingReporter();
    const started = Date.now();
    const err = await failure(acquireLock(client, 'shop', 'shop', { timeoutMs: 400, pollMs: 50, holder: 'bob@ci pid 2 (run b)', reporter }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(err).toBeInstanceOf(EnvironmentError);
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(/^another vela run is changing app shop in namespace shop: the lock Lease shop\/applyset-shop-lock is held by alice@laptop pid 1 \(run a\) \(since .+\); waited 400ms \(--lock-timeout\)$/);
    expect(err.diagnostics[0]!.hint).toMatch(/--force-unlock/);
    expect(reporter.events).toContainEqual({ kind: 'info', text: expect.stringMatching(/^waiting for the lock held by alice@laptop pid 1 \(run a\)/) });
    await first.release();
  });

  it('goes to the waiting run as soon as the holder releases it', async () => {
    const first = await acquireLock(client, 'shop', 'shop', { timeoutMs: 1000, holder: 'first' });
    const second = acquireLock(client, 'shop', 'shop', { timeoutMs: 5000, pollMs: 50, holder: 'second' });
    await sleep(200);
    await first.release();
    const lock = await second;
    expect(lease()!.spec.holderIdentity).toBe('second');
    await lock.release();
  });

  it('takes over an expired lease (a holder that died), saying so', async () => {
    const past = Date.now() - 60_000;
    server.seed({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'applyset-shop-lock', namespace: 'shop' }, spec: { holderIdentity: 'dead@host pid 9', leaseDurationSeconds: 30, acquireTime: microTime(past), renewTime: microTime(past), leaseTransitions: 3 } });
    const reporter = recordingReporter();
    const lock = await acquireLock(client, 'shop', 'shop', { timeoutMs: 0, holder: 'me', reporter });
    expect(lease()!.spec).toMatchObject({ holderIdentity: 'me', leaseTransitions: 4 });
    expect(reporter.events.find((e) => e.kind === 'warn')).toMatchObject({ diagnostic: { message: expect.stringMatching(/^took over the lock Lease shop\/applyset-shop-lock from dead@host pid 9: it expired 30s ago/) } });
    await lock.release();
  });

  it('--force-unlock takes a live lock; the run that lost it learns so at its next renewal', async () => {
    const first = await acquireLock(client, 'shop', 'shop', { timeoutMs: 1000, holder: 'first', leaseSeconds: 1 });
    const forced = await acquireLock(client, 'shop', 'shop', { timeoutMs: 0, holder: 'second', forceUnlock: true });
    expect(lease()!.spec.holderIdentity).toBe('second');
    // Renewals come every third of the lease (here ~333ms).
    for (let i = 0; i < 40 && !first.lost.aborted; i++) await sleep(50);
    expect(first.lost.aborted).toBe(true);
    expect((first.lost.reason as Error).message).toMatch(/^the lock Lease shop\/applyset-shop-lock was taken by second while this run held it/);
    // Releasing the lost lock leaves the new holder's Lease alone.
    await first.release();
    expect(lease()!.spec.holderIdentity).toBe('second');
    await forced.release();
    expect(lease()).toBeUndefined();
  });

  it('renews while held, so a long run keeps it', async () => {
    const lock: HeldLock = await acquireLock(client, 'shop', 'shop', { timeoutMs: 1000, holder: 'long', leaseSeconds: 1 });
    const firstRenew = lease()!.spec.renewTime;
    await sleep(1500);
    expect(lease()!.spec.renewTime).not.toBe(firstRenew);
    expect(leaseExpiry(lease()!)).toBeGreaterThan(Date.now());
    expect(lock.lost.aborted).toBe(false);
    await expect(acquireLock(client, 'shop', 'shop', { timeoutMs: 0, holder: 'other' })).rejects.toThrow(/held by long/);
    await lock.release();
  });

  it('is refused clearly when the user may not use Leases (exit 2)', async () => {
    await server.stop();
    server = await new FakeApiServer({ authorize: (_user, _verb, resource) => resource !== 'leases' }).start();
    const kubeconfig = server.writeKubeconfig(join(mkdtempSync(join(tmpdir(), 'vela-lock-')), 'kubeconfig'));
    const other = new KubeClient(await loadClusterTarget({ kubeconfig }));
    const err = await failure(acquireLock(other, 'shop', 'default', { timeoutMs: 0 }));
    other.close();
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(/^cannot take the lock Lease default\/applyset-shop-lock of this app: leases.coordination.k8s.io "applyset-shop-lock" is forbidden/);
    expect(err.diagnostics[0]!.hint).toContain('leases.coordination.k8s.io');
  });
});
