/**
 * The object API of one cluster: get, list, server-side apply, delete and
 * wait-for, on plain JSON objects, over a transport (transport.ts), the retry
 * policy and error mapping (requester.ts) and discovery (discovery.ts).
 * Everything in vela that talks to a cluster goes through a KubeClient.
 */
import type { ClusterTarget } from '../kubeconfig.js';
import { Discovery, DiscoveryCache, type ResourceInfo, type ServerVersion } from './discovery.js';
import { apiPathOf, refOf, type KubeObject, type ObjectRef } from './kube-object.js';
import { Requester, type RequestStats, type RequesterOptions } from './requester.js';
import { httpsTransport, type Transport, type TransportOptions } from './transport.js';
import { watchLoop, type WatchCallback, type WatchLoopOptions } from './watch.js';

export interface ClientOptions extends RequesterOptions, TransportOptions {
  /** Share discovery answers with other clients (one cache for many clusters); default: this client's own. */
  readonly discovery?: DiscoveryCache;
  /** Another door to the server (tests; default: node:https with the target's credentials). */
  readonly transport?: Transport;
}

export interface ApplyRequestOptions {
  /** `dryRun=All`: the server answers what it would store, and stores nothing. */
  readonly dryRun?: boolean;
  /** Take fields owned by other managers (`--force-conflicts`). */
  readonly force?: boolean;
  readonly signal?: AbortSignal;
  /** Default `vela`. */
  readonly fieldManager?: string;
}

export interface WriteOptions {
  readonly signal?: AbortSignal;
  /** Default `vela`. */
  readonly fieldManager?: string;
  /** vela's own bookkeeping (the lock): counted apart from the app's writes. */
  readonly bookkeeping?: boolean;
}

export interface DeleteRequestOptions {
  readonly dryRun?: boolean;
  readonly propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
  readonly bookkeeping?: boolean;
  readonly signal?: AbortSignal;
}

export interface ListOptions {
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly signal?: AbortSignal;
}

export interface WaitForOptions {
  readonly timeoutMs: number;
  /** Between looks when the transport cannot watch; default 1 s. */
  readonly intervalMs?: number;
  readonly signal?: AbortSignal;
}

export interface WatchOptions extends ListOptions, Omit<WatchLoopOptions, 'signal'> {}

export class KubeClient {
  readonly discovery: Discovery;
  private readonly requester: Requester;

  constructor(
    readonly target: ClusterTarget,
    options: ClientOptions = {},
  ) {
    this.requester = new Requester(options.transport ?? httpsTransport(target, options), target, options);
    const cache = options.discovery ?? new DiscoveryCache();
    this.discovery = new Discovery(cache.answersFor(target.server), <T>(path: string) => this.requester.get<T>(path));
  }

  /** Requests sent so far by this client. */
  get stats(): Readonly<RequestStats> {
    return this.requester.stats;
  }

  /** Close idle keep-alive sockets (so a CLI process can exit promptly). */
  close(): void {
    this.requester.close();
  }

  /** The server's `{major, minor, gitVersion}`. */
  serverVersion(): Promise<ServerVersion> {
    return this.discovery.serverVersion();
  }

  /** Server-side apply with field manager `vela`. */
  async apply(obj: KubeObject, opts: ApplyRequestOptions = {}): Promise<KubeObject> {
    return (await this.applyFull(obj, opts)).object;
  }

  /** Server-side apply, telling whether the object was created. */
  async applyFull(obj: KubeObject, opts: ApplyRequestOptions = {}): Promise<{ object: KubeObject; created: boolean }> {
    const { path } = await this.pathOf(refOf(obj));
    const out = await this.requester.send<KubeObject>('PATCH', path, {
      query: { fieldManager: opts.fieldManager ?? 'vela', force: opts.force ? 'true' : undefined, dryRun: opts.dryRun ? 'All' : undefined },
      // JSON is YAML: the apply-patch content type accepts it.
      body: obj,
      contentType: 'application/apply-patch+yaml',
      signal: opts.signal,
    });
    return { object: out.body!, created: out.status === 201 };
  }

  /** Create (POST); a 409 `AlreadyExists` when it exists. Not retried: the caller decides what a failure means. */
  async create(obj: KubeObject, opts: WriteOptions = {}): Promise<KubeObject> {
    const ref = refOf(obj);
    const { path } = await this.pathOf({ ...ref, name: undefined });
    const out = await this.requester.send<KubeObject>('POST', path, { body: obj, retry: false, bookkeeping: opts.bookkeeping, signal: opts.signal, query: { fieldManager: opts.fieldManager ?? 'vela' } });
    return out.body!;
  }

  /**
   * Replace (PUT) with the object's `metadata.resourceVersion`: a 409 when
   * someone changed it since it was read (optimistic concurrency). Not retried.
   */
  async replace(obj: KubeObject, opts: WriteOptions = {}): Promise<KubeObject> {
    const { path } = await this.pathOf(refOf(obj));
    const out = await this.requester.send<KubeObject>('PUT', path, { body: obj, retry: false, bookkeeping: opts.bookkeeping, signal: opts.signal, query: { fieldManager: opts.fieldManager ?? 'vela' } });
    return out.body!;
  }

  /** A JSON merge patch (RFC 7386): `null` removes a key. */
  async mergePatch(ref: ObjectRef, patch: unknown, opts: WriteOptions = {}): Promise<KubeObject | undefined> {
    const { path } = await this.pathOf(ref);
    const out = await this.requester.send<KubeObject>('PATCH', path, { body: patch, contentType: 'application/merge-patch+json', allowNotFound: true, bookkeeping: opts.bookkeeping, signal: opts.signal, query: { fieldManager: opts.fieldManager ?? 'vela' } });
    return out.body;
  }

  /** The request an abort cut off after waiting longest (says where a run that ran out of time was stuck). */
  get longestAbandoned() {
    return this.requester.longestAbandoned;
  }

  /** The live object, or `undefined` when there is none. */
  async get(ref: ObjectRef, signal?: AbortSignal): Promise<KubeObject | undefined> {
    const { path } = await this.pathOf(ref);
    return this.requester.get<KubeObject>(path, { signal });
  }

  /** Every object of a kind (in a namespace, or all), page by page; items carry their apiVersion and kind. */
  async list(apiVersion: string, kind: string, opts: ListOptions = {}): Promise<KubeObject[]> {
    const { path } = await this.pathOf({ apiVersion, kind, namespace: opts.namespace });
    const items: KubeObject[] = [];
    let next: string | undefined;
    do {
      const page = await this.requester.get<{ items?: KubeObject[]; metadata?: { continue?: string } }>(path, {
        query: { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector, limit: 500, continue: next },
        signal: opts.signal,
      });
      for (const item of page?.items ?? []) items.push({ apiVersion, kind, ...item });
      next = page?.metadata?.continue || undefined;
    } while (next);
    return items;
  }

  /**
   * Delete; `false` when it was already gone. With `preconditions`, only the
   * object of that uid (and resourceVersion): a 409 otherwise, not retried.
   */
  async delete(ref: ObjectRef, opts: DeleteRequestOptions = {}): Promise<boolean> {
    const { path } = await this.pathOf(ref);
    const out = await this.requester.send('DELETE', path, {
      query: { dryRun: opts.dryRun ? 'All' : undefined },
      body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: opts.propagationPolicy ?? 'Background', ...(opts.preconditions && { preconditions: opts.preconditions }) },
      allowNotFound: true,
      ...(opts.preconditions && { retry: false }),
      bookkeeping: opts.bookkeeping,
      signal: opts.signal,
    });
    return out.body !== undefined;
  }

  /**
   * Look at an object until `until` holds for it (it may be `undefined`: gone),
   * or the time is up; `true` when it held. Watches the object (one name, by
   * field selector), so a change is seen when it happens, not at the next look.
   */
  async waitFor(ref: ObjectRef, until: (live: KubeObject | undefined) => boolean, opts: WaitForOptions): Promise<boolean> {
    const timer = new AbortController();
    const timeout = setTimeout(() => timer.abort(), opts.timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timer.signal]) : timer.signal;
    let held = false;
    try {
      await this.watch(
        ref.apiVersion,
        ref.kind,
        (objects) => (held = until([...objects.values()].find((obj) => obj.metadata?.name === ref.name))),
        { namespace: ref.namespace, fieldSelector: `metadata.name=${ref.name}`, signal, fallbackIntervalMs: opts.intervalMs ?? 1000 },
      );
      return held;
    } catch (err) {
      if ((err as Error).name === 'AbortError' && timer.signal.aborted && !opts.signal?.aborted) return held;
      throw err;
    } finally {
      clearTimeout(timeout);
    }
  }

  /**
   * Watch the objects of a kind (in a namespace, by selectors): `callback` is
   * told the current objects after the first list and after every change, and
   * answers `true` to stop. Reconnects from the last version seen; lists again
   * when the server has let that version go (watch.ts).
   */
  async watch(apiVersion: string, kind: string, callback: WatchCallback, opts: WatchOptions = {}): Promise<void> {
    const { path } = await this.pathOf({ apiVersion, kind, namespace: opts.namespace });
    const selectors = { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector };
    await watchLoop(
      {
        list: async (signal) => {
          const page = await this.requester.get<{ items?: KubeObject[]; metadata?: { resourceVersion?: string } }>(path, { query: selectors, signal });
          return { items: (page?.items ?? []).map((item) => ({ apiVersion, kind, ...item })), resourceVersion: page?.metadata?.resourceVersion ?? '' };
        },
        open: (resourceVersion, timeoutSeconds, signal) =>
          this.requester.openStream(path, { query: { ...selectors, watch: 1, resourceVersion, allowWatchBookmarks: true, timeoutSeconds }, signal }),
        explain: (err) => this.requester.explain(err),
      },
      callback,
      { ...opts, signal: opts.signal },
    );
  }

  /** The URL path of a collection (`name` absent) or of one object. */
  private async pathOf(ref: { apiVersion: string; kind: string; name?: string; namespace?: string }): Promise<{ path: string; info: ResourceInfo }> {
    const info = await this.discovery.resourceFor(ref.apiVersion, ref.kind);
    let path = apiPathOf(ref.apiVersion);
    if (info.namespaced && ref.namespace) path += `/namespaces/${encodeURIComponent(ref.namespace)}`;
    path += `/${info.resource}`;
    if (ref.name) path += `/${encodeURIComponent(ref.name)}`;
    return { path, info };
  }
}
