/**
 * The one narrow door to the API server. client-node gives us the kubeconfig,
 * the credentials (tokens, certificates, exec plugins) and the TLS settings;
 * the requests themselves go through node:https with a keep-alive agent so that
 * we control retries, concurrency, cancellation and can count writes (the
 * "no-change apply makes no writes" promise is checked with `stats.writes`).
 * Objects are plain JSON both ways: nothing drops fields it does not know.
 */
import http from 'node:http';
import https from 'node:https';
import { EnvironmentError } from '../host/index.js';
import { ApiError, parseStatus } from './api-error.js';
import type { ClusterTarget } from './kubeconfig.js';

export type KubeObject = {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [k: string]: unknown;
  };
  [k: string]: unknown;
};

export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

/** What discovery says about one kind. */
export interface ResourceInfo {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** The plural resource name used in URLs, e.g. `deployments`. */
  readonly resource: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
}

export interface RetryPolicy {
  /** Attempts after the first one. */
  readonly retries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export interface ClientOptions {
  readonly retry?: Partial<RetryPolicy>;
  /** Aborts every request in flight and every retry wait. */
  readonly signal?: AbortSignal;
  /** Per-request timeout (ms). */
  readonly requestTimeoutMs?: number;
  /** Parallel connections to the server. */
  readonly maxSockets?: number;
  /** Test hook: where retry waits go (default: setTimeout). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface RequestStats {
  requests: number;
  /** Mutating requests that were not dry runs (POST/PUT/PATCH/DELETE without dryRun=All). */
  writes: number;
  /** Mutating requests with dryRun=All. */
  dryRuns: number;
  retries: number;
}

export interface RequestOptions {
  readonly query?: Record<string, string | number | boolean | undefined>;
  readonly body?: unknown;
  readonly contentType?: string;
  readonly signal?: AbortSignal;
  /** Answer `undefined` instead of throwing on 404. */
  readonly allowNotFound?: boolean;
}

const defaultRetry: RetryPolicy = { retries: 4, baseDelayMs: 200, maxDelayMs: 5_000 };

/** Network failures worth another try; anything else at the socket level is final. */
const transientCodes = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'EAI_AGAIN', 'ESOCKETTIMEDOUT', 'UND_ERR_SOCKET']);
const unreachableCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET']);

function abortError(): Error {
  const e = new Error('the operation was aborted');
  e.name = 'AbortError';
  return e;
}

export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(abortError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function isRetryable(err: ApiError): boolean {
  if (err.status === 429 || err.status >= 500) return true;
  // 409 from optimistic concurrency ("the object has been modified") is worth
  // another try; a server-side apply field conflict is not: it needs --force-conflicts.
  return err.status === 409 && !err.isFieldConflict && err.reason !== 'AlreadyExists';
}

export function apiPathOf(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

export class KubeClient {
  readonly stats: RequestStats = { requests: 0, writes: 0, dryRuns: 0, retries: 0 };
  private readonly retry: RetryPolicy;
  private readonly base: URL;
  private agent: http.Agent | undefined;
  private readonly discovery = new Map<string, Promise<Map<string, ResourceInfo> | undefined>>();
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(
    readonly target: ClusterTarget,
    private readonly options: ClientOptions = {},
  ) {
    this.retry = { ...defaultRetry, ...options.retry };
    this.base = new URL(target.server);
    this.sleep = options.sleep ?? defaultSleep;
  }

  /** Close idle keep-alive sockets (so a CLI process can exit promptly). */
  close(): void {
    this.agent?.destroy();
    this.agent = undefined;
  }

  /** One request, retried on 409 (not field conflicts), 429, 5xx and dropped connections with exponential backoff. */
  async request<T = KubeObject>(method: string, path: string, opts: RequestOptions = {}): Promise<T | undefined> {
    return (await this.requestFull<T>(method, path, opts)).body;
  }

  /** Like `request`, with the HTTP status (201 tells a create from an update). */
  async requestFull<T = KubeObject>(method: string, path: string, opts: RequestOptions = {}): Promise<{ status: number; body: T | undefined }> {
    const signal = opts.signal ?? this.options.signal;
    let attempt = 0;
    for (;;) {
      if (signal?.aborted) throw abortError();
      try {
        return await this.once<T>(method, path, opts, signal);
      } catch (err) {
        if ((err as Error).name === 'AbortError') throw err;
        const retryable = err instanceof ApiError ? isRetryable(err) : transientCodes.has((err as NodeJS.ErrnoException).code ?? '') || (err as NodeJS.ErrnoException).code === 'ECONNREFUSED';
        if (!retryable || attempt >= this.retry.retries) throw this.finalError(err);
        // A refused connection is retried only briefly: an unreachable server should fail fast.
        if ((err as NodeJS.ErrnoException).code === 'ECONNREFUSED' && attempt >= 1) throw this.finalError(err);
        const backoff = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** attempt);
        const fromServer = err instanceof ApiError && err.retryAfter !== undefined ? err.retryAfter * 1000 : 0;
        const jittered = backoff / 2 + Math.random() * (backoff / 2);
        attempt++;
        this.stats.retries++;
        await this.sleep(Math.min(this.retry.maxDelayMs, Math.max(fromServer, jittered)), signal);
      }
    }
  }

  /** Turn socket and auth failures into user-facing errors naming the server and context. */
  private finalError(err: unknown): unknown {
    const where = `${this.target.server} (context "${this.target.context}")`;
    if (err instanceof ApiError) {
      if (err.status === 401) {
        return new EnvironmentError(`the Kubernetes API server at ${where} rejected the credentials: ${err.message}`, {
          code: 'kube/unauthorized',
          hint: 'refresh the credentials in the kubeconfig, or pick another --context',
          cause: err,
        });
      }
      return err;
    }
    const e = err as NodeJS.ErrnoException;
    if (e.code && unreachableCodes.has(e.code)) {
      return new EnvironmentError(`cannot reach the Kubernetes API server at ${where}: ${e.code}${e.message && !e.message.includes(e.code) ? ` ${e.message}` : ''}`, {
        code: 'kube/unreachable',
        hint: 'is the cluster running? check --context, --kubeconfig or KUBECONFIG',
        cause: err,
      });
    }
    if (e.code && /CERT|SELF_SIGNED|TLS|SSL/.test(e.code)) {
      return new EnvironmentError(`TLS verification of the Kubernetes API server at ${where} failed: ${e.message}`, {
        code: 'kube/tls',
        hint: "check the cluster's certificate-authority in the kubeconfig",
        cause: err,
      });
    }
    if (e.message === 'socket hang up' || e.code === 'ECONNRESET') {
      return new EnvironmentError(`the Kubernetes API server at ${where} dropped the connection`, { code: 'kube/unreachable', cause: err });
    }
    return err;
  }

  private async requestOptions(): Promise<https.RequestOptions> {
    const opts: https.RequestOptions = {};
    // client-node fills in CA, client certificates, bearer tokens (running exec plugins as needed).
    try {
      await this.target.kubeConfig.applyToHTTPSOptions(opts);
    } catch (err) {
      throw new EnvironmentError(`cannot use the credentials or TLS settings of context "${this.target.context}": ${(err as Error).message}`, {
        code: 'kube/credentials',
        hint: 'check the user and cluster entries of the kubeconfig (exec plugins must be on PATH)',
        cause: err,
      });
    }
    if (!this.agent) {
      const agentOpts: https.AgentOptions = {
        keepAlive: true,
        maxSockets: this.options.maxSockets ?? 16,
        ca: opts.ca,
        cert: opts.cert,
        key: opts.key,
        pfx: opts.pfx,
        passphrase: opts.passphrase,
        rejectUnauthorized: opts.rejectUnauthorized ?? true,
        servername: opts.servername,
      };
      this.agent = this.base.protocol === 'https:' ? new https.Agent(agentOpts) : new http.Agent({ keepAlive: true, maxSockets: agentOpts.maxSockets });
    }
    return { headers: { ...(opts.headers as Record<string, string>) }, auth: opts.auth, agent: this.agent };
  }

  private async once<T>(method: string, path: string, opts: RequestOptions, signal?: AbortSignal): Promise<{ status: number; body: T | undefined }> {
    const url = new URL(this.base.pathname.replace(/\/$/, '') + path, this.base);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const isWrite = method !== 'GET' && url.searchParams.get('dryRun') !== 'All';
    const ro = await this.requestOptions();
    const body = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    const headers: Record<string, string> = { ...(ro.headers as Record<string, string>), Accept: 'application/json', 'User-Agent': 'vela' };
    if (body !== undefined) {
      headers['Content-Type'] = opts.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    this.stats.requests++;
    if (isWrite) this.stats.writes++;
    else if (method !== 'GET') this.stats.dryRuns++;
    const mod = url.protocol === 'https:' ? https : http;
    const { status, text, retryAfter } = await new Promise<{ status: number; text: string; retryAfter?: number }>((resolve, reject) => {
      const req = mod.request(url, { method, headers, agent: ro.agent, auth: ro.auth ?? undefined, signal, timeout: this.options.requestTimeoutMs ?? 30_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('aborted', () => reject(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })));
        res.on('end', () => {
          const ra = res.headers['retry-after'];
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), retryAfter: ra !== undefined && /^\d+$/.test(String(ra)) ? Number(ra) : undefined });
        });
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })));
      req.on('error', (err) => reject(signal?.aborted ? abortError() : err));
      if (body !== undefined) req.write(body);
      req.end();
    });
    if (status >= 200 && status < 300) return { status, body: (text ? JSON.parse(text) : undefined) as T | undefined };
    if (status === 404 && opts.allowNotFound) return { status, body: undefined };
    throw parseStatus(status, text, `${method} ${url.pathname}${url.search}`, retryAfter);
  }

  // --- discovery -----------------------------------------------------------

  /** The server's version (`/version`). */
  async serverVersion(): Promise<{ major: string; minor: string; gitVersion: string }> {
    const v = await this.request<{ major: string; minor: string; gitVersion: string }>('GET', '/version');
    return { major: v?.major ?? '', minor: (v?.minor ?? '').replace(/\+$/, ''), gitVersion: v?.gitVersion ?? '' };
  }

  private groupVersion(apiVersion: string, refresh = false): Promise<Map<string, ResourceInfo> | undefined> {
    let p = refresh ? undefined : this.discovery.get(apiVersion);
    if (!p) {
      const { group, version } = splitApiVersion(apiVersion);
      p = this.request<{ resources?: Array<{ name: string; kind: string; namespaced: boolean; verbs?: string[] }> }>('GET', apiPathOf(apiVersion), { allowNotFound: true }).then((list) => {
        if (!list) return undefined;
        const m = new Map<string, ResourceInfo>();
        for (const r of list.resources ?? []) {
          if (r.name.includes('/')) continue; // subresources
          m.set(r.kind, { group, version, kind: r.kind, resource: r.name, namespaced: r.namespaced, verbs: r.verbs ?? [] });
        }
        return m;
      });
      p.catch(() => this.discovery.delete(apiVersion));
      this.discovery.set(apiVersion, p);
    }
    return p;
  }

  /** Resource mapping from discovery (cached for the client's life; refreshed once when a kind is missing, e.g. a CRD just made). */
  async resourceFor(apiVersion: string, kind: string): Promise<ResourceInfo> {
    let gv = await this.groupVersion(apiVersion);
    let info = gv?.get(kind);
    if (!info) {
      gv = await this.groupVersion(apiVersion, true);
      info = gv?.get(kind);
    }
    if (!info) throw await this.unknownKind(apiVersion, kind, gv);
    return info;
  }

  private groups: Promise<Map<string, string[]>> | undefined;

  /** Every apiVersion the server serves for a group, the preferred one first (`['v1']` for the core group). */
  async groupApiVersions(group: string): Promise<string[]> {
    if (group === '') return ['v1'];
    this.groups ??= this.request<{ groups?: Array<{ name: string; preferredVersion?: { groupVersion: string }; versions?: Array<{ groupVersion: string }> }> }>('GET', '/apis').then((r) => {
      const m = new Map<string, string[]>();
      for (const g of r?.groups ?? []) {
        const all = (g.versions ?? []).map((v) => v.groupVersion);
        const preferred = g.preferredVersion?.groupVersion ?? all[0];
        if (preferred) m.set(g.name, [preferred, ...all.filter((v) => v !== preferred)]);
      }
      return m;
    });
    this.groups.catch(() => (this.groups = undefined));
    return (await this.groups).get(group) ?? [];
  }

  /** The preferred apiVersion of a group (`v1` for the core group), or `undefined` when the server has no such group. */
  async preferredApiVersion(group: string): Promise<string | undefined> {
    return (await this.groupApiVersions(group))[0];
  }

  /** Like resourceFor, but `undefined` when the server does not serve the kind. */
  async tryResourceFor(apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    try {
      return await this.resourceFor(apiVersion, kind);
    } catch (err) {
      if (err instanceof UnknownKindError) return undefined;
      throw err;
    }
  }

  private async unknownKind(apiVersion: string, kind: string, gv: Map<string, ResourceInfo> | undefined): Promise<UnknownKindError> {
    let version = '';
    try {
      const v = await this.serverVersion();
      version = v.gitVersion ? ` (Kubernetes ${v.gitVersion})` : '';
    } catch {
      version = '';
    }
    if (!gv) return new UnknownKindError(apiVersion, kind, `the server${version} does not serve ${apiVersion}`);
    return new UnknownKindError(apiVersion, kind, `the server${version} has no kind ${kind} in ${apiVersion}`);
  }

  /** The URL path of a collection (`name` absent) or an object. */
  async pathOf(ref: { apiVersion: string; kind: string; name?: string; namespace?: string }): Promise<{ path: string; info: ResourceInfo }> {
    const info = await this.resourceFor(ref.apiVersion, ref.kind);
    let path = apiPathOf(ref.apiVersion);
    if (info.namespaced && ref.namespace) path += `/namespaces/${encodeURIComponent(ref.namespace)}`;
    path += `/${info.resource}`;
    if (ref.name) path += `/${encodeURIComponent(ref.name)}`;
    return { path, info };
  }

  // --- objects ---------------------------------------------------------------

  /** Server-side apply with field manager `vela`. */
  async apply(obj: KubeObject, opts: { dryRun?: boolean; force?: boolean; signal?: AbortSignal; fieldManager?: string } = {}): Promise<KubeObject> {
    return (await this.applyFull(obj, opts)).object;
  }

  /** Server-side apply, telling whether the object was created. */
  async applyFull(obj: KubeObject, opts: { dryRun?: boolean; force?: boolean; signal?: AbortSignal; fieldManager?: string } = {}): Promise<{ object: KubeObject; created: boolean }> {
    const ref = refOf(obj);
    const { path } = await this.pathOf(ref);
    const out = await this.requestFull('PATCH', path, {
      query: { fieldManager: opts.fieldManager ?? 'vela', force: opts.force ? 'true' : undefined, dryRun: opts.dryRun ? 'All' : undefined },
      // JSON is YAML: the apply-patch content type accepts it.
      body: obj,
      contentType: 'application/apply-patch+yaml',
      signal: opts.signal,
    });
    return { object: out.body!, created: out.status === 201 };
  }

  async get(ref: ObjectRef, signal?: AbortSignal): Promise<KubeObject | undefined> {
    const { path } = await this.pathOf(ref);
    return this.request('GET', path, { allowNotFound: true, signal });
  }

  async list(apiVersion: string, kind: string, opts: { namespace?: string; labelSelector?: string; fieldSelector?: string; signal?: AbortSignal } = {}): Promise<KubeObject[]> {
    const { path } = await this.pathOf({ apiVersion, kind, namespace: opts.namespace });
    const items: KubeObject[] = [];
    let cont: string | undefined;
    do {
      const page = await this.request<{ items?: KubeObject[]; metadata?: { continue?: string } }>('GET', path, {
        query: { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector, limit: 500, continue: cont },
        signal: opts.signal,
      });
      for (const it of page?.items ?? []) items.push({ apiVersion, kind, ...it });
      cont = page?.metadata?.continue || undefined;
    } while (cont);
    return items;
  }

  /** Delete; `false` when it was already gone. */
  async delete(ref: ObjectRef, opts: { dryRun?: boolean; propagationPolicy?: 'Background' | 'Foreground' | 'Orphan'; signal?: AbortSignal } = {}): Promise<boolean> {
    const { path } = await this.pathOf(ref);
    const out = await this.request('DELETE', path, {
      query: { dryRun: opts.dryRun ? 'All' : undefined },
      body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: opts.propagationPolicy ?? 'Background' },
      allowNotFound: true,
      signal: opts.signal,
    });
    return out !== undefined;
  }
}

/** The server does not serve a kind (e.g. `autoscaling/v2` on Kubernetes 1.20). */
export class UnknownKindError extends Error {
  constructor(
    readonly apiVersion: string,
    readonly kind: string,
    message: string,
  ) {
    super(message);
    this.name = 'UnknownKindError';
  }
}

export function refOf(obj: KubeObject): ObjectRef {
  return {
    apiVersion: String(obj.apiVersion ?? 'v1'),
    kind: String(obj.kind ?? ''),
    name: String(obj.metadata?.name ?? ''),
    namespace: obj.metadata?.namespace,
  };
}

/** `Kind/name` or `Kind/namespace/name` for messages. */
export function describeRef(ref: ObjectRef): string {
  return ref.namespace ? `${ref.kind} ${ref.namespace}/${ref.name}` : `${ref.kind} ${ref.name}`;
}
