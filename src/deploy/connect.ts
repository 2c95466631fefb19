/**
 * From command-line-ish options (kubeconfig, context, namespace, environment)
 * to a client for one cluster. Every public function of this module takes
 * these options, or a client made from them.
 */
import type { Environment, FileSystem } from '../host/index.js';
import { KubeClient, type DiscoveryCache, type PendingRequest, type RetryPolicy } from './api/index.js';
import { resolveEnv } from './environments.js';
import { requestFailure } from './errors.js';
import { loadClusterTarget, type ClusterTarget } from './kubeconfig.js';

export interface ClusterOptions {
  /** `--kubeconfig FILE`. */
  readonly kubeconfig?: string;
  /** `--context NAME`; overrides the environment's context. */
  readonly context?: string;
  /** `-n/--namespace`; overrides the environment's namespace. */
  readonly namespace?: string;
  /** `--env NAME`; otherwise the current environment, if one is set. */
  readonly envName?: string;
  /** Where `KUBECONFIG`, `VELA_HOME` and the home folder come from (default: the process). */
  readonly environment?: Environment;
  /** Where the kubeconfig and `$VELA_HOME` files are read from (default: the disk). */
  readonly fs?: FileSystem;
  /** Ctrl-C: aborts requests in flight and waits. */
  readonly signal?: AbortSignal;
  readonly retry?: Partial<RetryPolicy>;
  /** Per-request timeout (ms), `--request-timeout`; default 30 s. */
  readonly requestTimeoutMs?: number;
  /** Told every few seconds about a request the server has not answered yet (progress while it is slow). */
  readonly onSlowRequest?: (request: PendingRequest, elapsedMs: number) => void;
  /** Told of every request as it is sent (method, path with query). */
  readonly onRequest?: (method: string, path: string) => void;
  /** A cluster already resolved (e.g. one of many, by name): kubeconfig, context and environment are then not read; `namespace` still overrides. */
  readonly target?: ClusterTarget;
  /** Discovery answers shared across calls and clients, one entry per cluster. */
  readonly discovery?: DiscoveryCache;
  /** Reuse a client (and its discovery cache) across calls. */
  readonly client?: KubeClient;
}

/** Resolve the target cluster and namespace and make a client for it. */
export async function connect(opts: ClusterOptions = {}): Promise<KubeClient> {
  if (opts.client) return opts.client;
  const target = opts.target ? { ...opts.target, namespace: opts.namespace ?? opts.target.namespace } : await targetFromOptions(opts);
  return new KubeClient(target, { signal: opts.signal, retry: opts.retry, requestTimeoutMs: opts.requestTimeoutMs, discovery: opts.discovery, onSlowRequest: opts.onSlowRequest, onRequest: opts.onRequest });
}

async function targetFromOptions(opts: ClusterOptions): Promise<ClusterTarget> {
  const env = await resolveEnv(opts.envName, { fs: opts.fs, env: opts.environment });
  return loadClusterTarget({
    kubeconfig: opts.kubeconfig,
    context: opts.context ?? env?.context,
    namespace: opts.namespace ?? env?.namespace,
    env: opts.environment,
    fs: opts.fs,
  });
}

/** Run `fn` with a client, closing it afterwards unless the caller passed its own. */
export async function withClient<T>(opts: ClusterOptions, fn: (client: KubeClient) => Promise<T>): Promise<T> {
  const client = await connect(opts);
  try {
    return await fn(client);
  } catch (err) {
    throw requestFailure(err, client.target);
  } finally {
    if (!opts.client) client.close();
  }
}
