/**
 * Flags every cluster command shares (which cluster, which namespace, which
 * vela environment, how long a request may take), the lock flags of the
 * commands that change an app, their mapping to the pipeline's options, and
 * durations like `5m`.
 */
import { Flags } from './oclif.js';
import type { ClusterOptions } from '../pipeline/cluster.js';
import { DiagnosticError, error } from '../source/index.js';

export const clusterFlags = {
  kubeconfig: Flags.string({ description: 'the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)', helpGroup: 'CLUSTER' }),
  context: Flags.string({ description: 'the kubeconfig context (default: the environment\'s, else the current one)', env: 'VELA_CONTEXT', helpGroup: 'CLUSTER' }),
  namespace: Flags.string({ char: 'n', description: 'the namespace (default: the environment\'s, else the Appfile\'s, else the context\'s, else default)', env: 'VELA_NAMESPACE', helpGroup: 'CLUSTER' }),
  env: Flags.string({ description: 'a vela environment (see `vela env ls`); default: the current one', env: 'VELA_ENV', helpGroup: 'CLUSTER' }),
  'request-timeout': Flags.string({ description: 'how long one request to the API server may take, answer included (e.g. 30s; log streams are not bounded)', default: '30s', helpGroup: 'CLUSTER' }),
};

/** `--cluster NAME`: the day-2 commands' pick among the registry's clusters (`vela cluster list`). */
export const targetClusterFlag = {
  cluster: Flags.string({ description: 'a cluster by name (see `vela cluster list`); default: the kubeconfig\'s (`local`), or, for status and delete of an app a workflow delivered, every cluster it went to', helpGroup: 'CLUSTER' }),
};

/** The flags of the commands that change an app (`up`, `delete`): its lock. */
export const lockFlags = {
  'lock-timeout': Flags.string({ description: 'how long to wait while another vela run changes the same app (0 fails at once)', default: '60s' }),
  'force-unlock': Flags.boolean({ description: 'take the app\'s lock even though another run holds it (for a run that died)' }),
};

export interface ClusterFlagValues {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  env?: string;
  'request-timeout'?: string;
}

/** The deploy layer's cluster options for these flags. */
export function clusterOptions(flags: ClusterFlagValues, signal?: AbortSignal): ClusterOptions {
  const requestTimeoutMs = flags['request-timeout'] === undefined ? undefined : parseDuration(flags['request-timeout'], 'request-timeout');
  if (requestTimeoutMs !== undefined && requestTimeoutMs <= 0) {
    throw new DiagnosticError([error('--request-timeout: must be more than 0', undefined, { code: 'cli/usage' })]);
  }
  return {
    ...(flags.kubeconfig !== undefined && { kubeconfig: flags.kubeconfig }),
    ...(flags.context !== undefined && { context: flags.context }),
    ...(flags.namespace !== undefined && { namespace: flags.namespace }),
    ...(flags.env !== undefined && { envName: flags.env }),
    ...(requestTimeoutMs !== undefined && { requestTimeoutMs }),
    ...(signal && { signal }),
  };
}

/** The lock options for `--lock-timeout` and `--force-unlock`. */
export function lockOptions(flags: { 'lock-timeout'?: string; 'force-unlock'?: boolean }): { lockTimeoutMs?: number; forceUnlock?: boolean } {
  return {
    ...(flags['lock-timeout'] !== undefined && { lockTimeoutMs: parseDuration(flags['lock-timeout'], 'lock-timeout') }),
    ...(flags['force-unlock'] && { forceUnlock: true }),
  };
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `30s`, `5m`, `1h`, `1m30s`, `500ms` (a bare number is seconds) → milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  const parts = [...t.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (!parts.length || parts.map((p) => p[0]).join('') !== t) {
    throw new DiagnosticError([error(`--${flag}: expected a duration like 30s, 5m or 1h, got ${JSON.stringify(text)}`, undefined, { code: 'cli/usage' })]);
  }
  return Math.round(parts.reduce((ms, p) => ms + Number(p[1]) * UNIT_MS[p[2]!]!, 0));
}
