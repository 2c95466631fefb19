/**
 * Flags every cluster command shares (which cluster, which namespace, which
 * vela environment), their mapping to the deploy options, durations like `5m`,
 * and Ctrl-C as an abort signal.
 */
import { setMaxListeners } from 'node:events';
import { Flags } from '../../cli/index.js';
import type { Reporter } from '../../host/index.js';
import { DiagnosticError, error } from '../../source/index.js';
import type { ClusterOptions } from '../../deploy/index.js';

export const clusterFlags = {
  kubeconfig: Flags.string({ description: 'the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)', helpGroup: 'CLUSTER' }),
  context: Flags.string({ description: 'the kubeconfig context (default: the environment\'s, else the current one)', helpGroup: 'CLUSTER' }),
  namespace: Flags.string({ char: 'n', description: 'the namespace (default: the environment\'s, else the Appfile\'s, else the context\'s, else default)', helpGroup: 'CLUSTER' }),
  env: Flags.string({ description: 'a vela environment (see `vela env ls`); default: the current one', helpGroup: 'CLUSTER' }),
};

export interface ClusterFlagValues {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  env?: string;
}

/** The deploy layer's cluster options for these flags. */
export function clusterOptions(flags: ClusterFlagValues, signal?: AbortSignal): ClusterOptions {
  return {
    ...(flags.kubeconfig !== undefined && { kubeconfig: flags.kubeconfig }),
    ...(flags.context !== undefined && { context: flags.context }),
    ...(flags.namespace !== undefined && { namespace: flags.namespace }),
    ...(flags.env !== undefined && { envName: flags.env }),
    ...(signal && { signal }),
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

/**
 * Run `fn` with a signal that Ctrl-C aborts (requests in flight are cancelled,
 * waits stop). A second Ctrl-C exits at once. An abort becomes a clear error
 * (exit 130) instead of an internal one.
 */
export async function withInterrupt<T>(fn: (signal: AbortSignal) => Promise<T>, what = 'interrupted'): Promise<T> {
  const ctl = new AbortController();
  // Every request and wait in flight listens to this one signal: many listeners are expected, not a leak.
  setMaxListeners(0, ctl.signal);
  const onSigint = () => {
    if (ctl.signal.aborted) process.exit(130);
    ctl.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    return await fn(ctl.signal);
  } catch (err) {
    if (ctl.signal.aborted && ((err as Error)?.name === 'AbortError' || !(err instanceof DiagnosticError))) {
      throw new DiagnosticError([error(what, undefined, { code: 'cli/interrupted' })], 130);
    }
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/**
 * The reporter without repeats: waits re-check every second and report the
 * same state again; in CI a line per check says nothing new.
 */
export function withoutRepeats(reporter: Reporter): Reporter {
  return {
    ...reporter,
    task(name, title) {
      const t = reporter.task(name, title);
      let last = title;
      return {
        ...t,
        step: (c, n, text) => t.step(c, n, text),
        update(text) {
          if (text === last) return;
          last = text;
          t.update(text);
        },
        succeed: (text) => t.succeed(text),
        fail: (text) => t.fail(text),
      };
    },
  };
}
