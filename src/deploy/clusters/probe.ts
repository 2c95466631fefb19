/**
 * Is a cluster there, and which Kubernetes is it? One request for the
 * server's version, no retries, a short timeout: `vela cluster list` probes
 * every cluster at once and must answer quickly even when some are down.
 */
import { KubeClient } from '../api/index.js';
import type { ClusterTarget } from '../kubeconfig.js';

export interface ClusterProbe {
  readonly reachable: boolean;
  /** `v1.20.15` */
  readonly version?: string;
  /** Why it is not reachable: the first line of the error. */
  readonly problem?: string;
}

export const DEFAULT_PROBE_TIMEOUT_MS = 5000;

export async function probeCluster(target: ClusterTarget, timeoutMs = DEFAULT_PROBE_TIMEOUT_MS, signal?: AbortSignal): Promise<ClusterProbe> {
  const stop = new AbortController();
  const client = new KubeClient(target, { retry: { retries: 0 }, requestTimeoutMs: timeoutMs, signal: signal ? AbortSignal.any([signal, stop.signal]) : stop.signal });
  // Credential plugins run before the request: the whole probe is bounded, not only the request.
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<ClusterProbe>((resolve) => {
    timer = setTimeout(() => {
      stop.abort();
      resolve({ reachable: false, problem: `no answer within ${timeoutMs / 1000}s` });
    }, timeoutMs + 500);
  });
  try {
    return await Promise.race([
      client.serverVersion().then(
        (v): ClusterProbe => ({ reachable: true, version: v.gitVersion }),
        (err: unknown): ClusterProbe => ({ reachable: false, problem: firstLine(err) }),
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
    client.close();
  }
}

export function firstLine(err: unknown): string {
  const diagnostics = (err as { diagnostics?: readonly { message: string }[] }).diagnostics;
  const text = diagnostics?.[0]?.message ?? (err instanceof Error ? err.message : String(err));
  return text.split('\n')[0]!;
}
