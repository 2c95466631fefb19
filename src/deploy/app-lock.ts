/**
 * One run at a time per app and namespace: a `coordination.k8s.io/v1` Lease
 * `applyset-<app>-lock` next to the inventory, held by the run that changes
 * the app (`vela up`, `vela delete`) and renewed while it runs.
 *
 * The rules it keeps:
 * - A run takes the Lease by creating it, or by replacing it (optimistic
 *   concurrency on resourceVersion) when it is free: released, expired (not
 *   renewed for its duration, as judged by this machine's clock), or forced
 *   with `--force-unlock`. Two runs racing for it: one create or replace wins,
 *   the other gets a 409 and looks again.
 * - A run that finds it held waits, saying by whom, up to the lock timeout,
 *   then fails with exit 2 naming the holder.
 * - The holder renews it every third of its duration. A renewal that finds
 *   another holder means the lock was taken away (forced, or expired while
 *   this run was stalled): the run is aborted before it writes more.
 * - Release deletes the Lease, only if it is still this run's (uid and
 *   resourceVersion preconditions), with a signal of its own, so that Ctrl-C
 *   and a run out of time still release it.
 */
import { randomBytes } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { setMaxListeners } from 'node:events';
import { EnvironmentError, sleep, type Reporter } from '../host/index.js';
import { warning } from '../source/index.js';
import { ApiError, describeRef, formatSeconds, type KubeClient, type KubeObject, type ObjectRef } from './api/index.js';

export const LEASE_API_VERSION = 'coordination.k8s.io/v1';

export interface LockOptions {
  /** How long to wait for another run's lock (`--lock-timeout`). */
  readonly timeoutMs: number;
  /** `--force-unlock`: take the lock whoever holds it (for a holder that died). */
  readonly forceUnlock?: boolean;
  /** Who we are, as the Lease's holderIdentity; default `user@host pid N (run R)`. */
  readonly holder?: string;
  /** The Lease's duration: after this long without renewal it is free; default 30 s. */
  readonly leaseSeconds?: number;
  /** Between looks while waiting; default 1 s. */
  readonly pollMs?: number;
  readonly reporter?: Reporter;
  readonly signal?: AbortSignal;
  /** Stretches spent waiting for another holder go through here (the run's deadline pauses for them). */
  readonly whileWaiting?: <T>(wait: () => Promise<T>) => Promise<T>;
}

/** A lock this run holds. */
export interface HeldLock {
  readonly ref: ObjectRef;
  readonly holder: string;
  /** Aborts when the lock was taken away from this run (its reason: a LockLost error). */
  readonly lost: AbortSignal;
  /** Stop renewing and delete the Lease (if it is still ours). Never throws. */
  release(): Promise<void>;
}

/** The lock was taken by another run while this one held it. */
export class LockLost extends EnvironmentError {
  constructor(ref: ObjectRef, by: string) {
    super(`the lock ${describeRef(ref)} was taken by ${by || 'another run'} while this run held it; stopped before writing more`, {
      code: 'deploy/lock-lost',
      hint: 'someone passed --force-unlock, or this run stalled longer than the lock lasts; run it again',
    });
  }
}

/** `signal`, also aborted when the lock is lost: what the work done under the lock listens to. */
export function underLock(lock: HeldLock, signal: AbortSignal): AbortSignal {
  const combined = AbortSignal.any([signal, lock.lost]);
  // Every request and wait of the run listens to this one signal: many listeners are expected.
  setMaxListeners(0, combined);
  return combined;
}

export function lockRef(app: string, namespace: string): ObjectRef {
  return { apiVersion: LEASE_API_VERSION, kind: 'Lease', name: `applyset-${app}-lock`, namespace };
}

/** `alice@laptop pid 4242 (run 1f2e3d)`: readable, and unique per run even within one process. */
export function defaultHolder(): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): the host and pid still say who.
  }
  return `${user}@${hostname()} pid ${process.pid} (run ${randomBytes(3).toString('hex')})`;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

const specOf = (lease: KubeObject | undefined): LeaseSpec => (lease?.spec ?? {}) as LeaseSpec;

/** A MicroTime as the API server parses it (RFC 3339 with exactly six fraction digits). */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** When the Lease stops holding (ms since the epoch); 0 when nobody holds it. */
export function leaseExpiry(lease: KubeObject): number {
  const spec = specOf(lease);
  if (!spec.holderIdentity) return 0;
  const renewed = Date.parse(spec.renewTime ?? spec.acquireTime ?? '');
  if (!Number.isFinite(renewed)) return 0;
  return renewed + (spec.leaseDurationSeconds ?? 0) * 1000;
}

function leaseObject(ref: ObjectRef, spec: LeaseSpec, base?: KubeObject): KubeObject {
  return {
    apiVersion: LEASE_API_VERSION,
    kind: 'Lease',
    metadata: {
      name: ref.name,
      namespace: ref.namespace,
      labels: { ...(base?.metadata?.labels ?? {}), 'app.kubernetes.io/managed-by': 'vela' },
      // The version this write replaces: a 409 when someone else wrote in between.
      ...(base?.metadata?.resourceVersion !== undefined && { resourceVersion: base.metadata.resourceVersion }),
    },
    spec,
  };
}

const isConflict = (err: unknown) => err instanceof ApiError && err.status === 409;

function forbidden(err: unknown, ref: ObjectRef): unknown {
  if (!(err instanceof ApiError) || err.status !== 403) return err;
  // Not RBAC: the namespace is being deleted, and nothing new may be made in it.
  if (/being terminated/.test(err.message)) {
    return new EnvironmentError(`namespace ${ref.namespace} is being deleted: ${err.message}`, {
      code: 'kube/namespace-terminating',
      hint: 'wait until it is gone (a namespace controller must finish deleting it), or deploy to another namespace with -n',
      cause: err,
    });
  }
  return new EnvironmentError(`cannot take the lock ${describeRef(ref)} of this app: ${err.message}`, {
    code: 'kube/forbidden',
    hint: 'vela needs get, create, update and delete on leases.coordination.k8s.io in the app\'s namespace (add them to the Role)',
    cause: err,
  });
}

/**
 * Take the app's lock, waiting for another holder up to `timeoutMs`. A 404
 * about the namespace (it does not exist yet) is thrown as is: the caller
 * creates the namespace and asks again.
 */
export async function acquireLock(client: KubeClient, app: string, namespace: string, opts: LockOptions): Promise<HeldLock> {
  const ref = lockRef(app, namespace);
  const holder = opts.holder ?? defaultHolder();
  const leaseSeconds = opts.leaseSeconds ?? 30;
  const pollMs = opts.pollMs ?? 1000;
  const whileWaiting = opts.whileWaiting ?? ((wait) => wait());
  const started = Date.now();
  const write = { signal: opts.signal, bookkeeping: true } as const;
  let announced = '';
  for (;;) {
    const now = Date.now();
    const spec: LeaseSpec = { holderIdentity: holder, leaseDurationSeconds: leaseSeconds, acquireTime: microTime(now), renewTime: microTime(now) };
    let live: KubeObject | undefined;
    try {
      live = await client.get(ref, opts.signal);
      if (!live) return startHolding(client, ref, holder, await client.create(leaseObject(ref, { ...spec, leaseTransitions: 0 }), write), leaseSeconds);
      const current = specOf(live);
      const free = !current.holderIdentity || leaseExpiry(live) < now;
      const force = opts.forceUnlock === true && current.holderIdentity !== holder;
      if (free || force) {
        const taken = await client.replace(leaseObject(ref, { ...spec, leaseTransitions: (current.leaseTransitions ?? 0) + 1 }, live), write);
        if (current.holderIdentity) {
          const how = force && !free ? 'forced (--force-unlock)' : `it expired ${Math.round(Math.max(0, now - leaseExpiry(live)) / 1000)}s ago`;
          opts.reporter?.warn(warning(`took over the lock ${describeRef(ref)} from ${current.holderIdentity}: ${how}`, undefined, { code: 'deploy/lock-taken-over' }));
        }
        return startHolding(client, ref, holder, taken, leaseSeconds);
      }
    } catch (err) {
      // Another run created or replaced it between our read and our write: look again.
      if (isConflict(err)) continue;
      throw forbidden(err, ref);
    }
    const current = specOf(live);
    const waited = Date.now() - started;
    if (waited >= opts.timeoutMs) {
      const expiresIn = Math.max(0, leaseExpiry(live) - Date.now());
      throw new EnvironmentError(
        `another vela run is changing app ${app} in namespace ${namespace}: the lock ${describeRef(ref)} is held by ${current.holderIdentity} (since ${current.acquireTime ?? 'unknown'}); waited ${formatSeconds(opts.timeoutMs)} (--lock-timeout)`,
        {
          code: 'deploy/locked',
          hint: `try again when it is done; if that run died, its lock expires in ${formatSeconds(Math.ceil(expiresIn / 1000) * 1000)}, or pass --force-unlock`,
        },
      );
    }
    if (announced !== current.holderIdentity) {
      announced = current.holderIdentity ?? '';
      opts.reporter?.info(`waiting for the lock held by ${announced} (since ${current.acquireTime ?? 'unknown'}), up to ${formatSeconds(opts.timeoutMs)}`);
    }
    await whileWaiting(() => sleep(Math.min(pollMs, Math.max(0, opts.timeoutMs - waited)), opts.signal));
  }
}

/** Holding: renew on a timer until released; abort `lost` when someone else took it. */
function startHolding(client: KubeClient, ref: ObjectRef, holder: string, lease: KubeObject, leaseSeconds: number): HeldLock {
  const lost = new AbortController();
  const stop = new AbortController();
  setMaxListeners(0, lost.signal);
  let current = lease;
  let renewing: Promise<void> | undefined;
  const renew = async () => {
    try {
      current = await client.replace(leaseObject(ref, { ...specOf(current), renewTime: microTime(Date.now()) }, current), { bookkeeping: true, signal: stop.signal });
    } catch (err) {
      // A slow or failing server: try again on the next tick (the Lease lasts three of them).
      if (stop.signal.aborted || !(err instanceof ApiError) || (err.status !== 409 && err.status !== 404)) return;
      const now = await client.get(ref, stop.signal).catch(() => undefined);
      if (now && specOf(now).holderIdentity === holder) current = now;
      else if (!stop.signal.aborted) lost.abort(new LockLost(ref, specOf(now).holderIdentity ?? ''));
    }
  };
  const timer = setInterval(() => {
    renewing ??= renew().finally(() => {
      renewing = undefined;
    });
  }, Math.max(200, (leaseSeconds * 1000) / 3));
  timer.unref();
  let released = false;
  return {
    ref,
    holder,
    lost: lost.signal,
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      stop.abort();
      await renewing;
      if (lost.signal.aborted) return;
      // Its own time bound: the run's signal may be aborted already (Ctrl-C, --timeout).
      const preconditions = { uid: String(current.metadata?.uid ?? ''), resourceVersion: String(current.metadata?.resourceVersion ?? '') };
      await client.delete(ref, { preconditions, bookkeeping: true, signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
    },
  };
}
