/**
 * Following an app's logs (`vela logs -f`, `vela dev`): every container of
 * every pod of the app's workloads, with pods that start later joining as they
 * start (a rollout's new pods, a scaled-up replica). Pods are found by
 * watching each workload's pod selector (from the app's inventory), so a new
 * pod is seen when it is created, not at the next look; a container's log is
 * opened once it has started (before that the server refuses it), and once
 * per pod and container, so nothing is printed twice.
 */
import { PassThrough } from 'node:stream';
import { clientNode } from './client-node.js';
import type { KubeClient, KubeObject } from './api/index.js';
import { podSelector } from './health.js';
import { ComponentLabel } from './labels.js';
import { servicePods } from './pods.js';

export interface LogSource {
  readonly service: string;
  readonly pod: string;
  readonly container: string;
}

export interface FollowLogsOptions {
  readonly service?: string;
  readonly container?: string;
  readonly sinceSeconds?: number;
  readonly tailLines?: number;
  /** Each complete line, without its newline. */
  readonly onLine: (source: LogSource, line: string) => void;
  /** Told when a source starts (a pod joined). */
  readonly onJoin?: (source: LogSource) => void;
  readonly signal?: AbortSignal;
}

export interface LogFollower {
  /** Look at the app's workloads again (after a deployment changed them): new ones are followed too. */
  refresh(): Promise<void>;
  stop(): void;
  /** Settles when following stops (the signal, or `stop`). */
  readonly done: Promise<void>;
}

type Obj = Record<string, any>;

/** Containers of the pod that have started (running, or run and ended): their logs can be read. */
function startedContainers(pod: Obj): string[] {
  return ((pod.status?.containerStatuses ?? []) as Obj[]).filter((status) => status.state?.running || status.state?.terminated || status.lastState?.terminated).map((status) => String(status.name));
}

export async function followLogs(client: KubeClient, app: string, opts: FollowLogsOptions): Promise<LogFollower> {
  const stopper = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stopper.signal]) : stopper.signal;
  const { Log } = await clientNode();
  const log = new Log(client.target.kubeConfig);
  const streaming = new Set<string>();
  const watched = new Set<string>();
  const open = new Set<AbortController>();
  const watches: Promise<void>[] = [];

  const stream = async (source: LogSource, namespace: string, first: boolean) => {
    const pipe = new PassThrough();
    let carry = '';
    pipe.on('data', (chunk: Buffer) => {
      const lines = (carry + chunk.toString('utf8')).split('\n');
      carry = lines.pop() ?? '';
      for (const line of lines) opts.onLine(source, line);
    });
    const ended = new Promise<void>((resolve) => pipe.on('end', resolve));
    try {
      // --since and --tail apply to the pods there at the start; a pod that joins later is read from its first line.
      const controller = await log.log(namespace, source.pod, source.container, pipe, {
        follow: true,
        ...(first && { sinceSeconds: opts.sinceSeconds, tailLines: opts.tailLines }),
      });
      open.add(controller);
      await Promise.race([ended, new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }))]);
      controller.abort();
      open.delete(controller);
    } catch {
      // A pod deleted as its log opens (a rollout replacing it): its successor is followed instead.
    }
    if (carry) opts.onLine(source, carry);
  };

  const streams: Promise<void>[] = [];
  /** Pods there when following starts get --since/--tail (the first list of each watch); later ones are read whole. */
  const onPods = (service: string) => {
    let listed = false;
    return (pods: ReadonlyMap<string, KubeObject>) => {
      const first = !listed;
      listed = true;
      for (const pod of pods.values() as Iterable<Obj>) {
        const containers = startedContainers(pod).filter((name) => opts.container === undefined || name === opts.container);
        for (const container of containers) {
          const key = `${pod.metadata?.uid}/${container}`;
          if (streaming.has(key)) continue;
          streaming.add(key);
          const source = { service, pod: String(pod.metadata?.name), container };
          opts.onJoin?.(source);
          streams.push(stream(source, String(pod.metadata?.namespace), first));
        }
      }
      return signal.aborted;
    };
  };

  const refresh = async () => {
    const { workloads } = await servicePods(client, app, opts.service, signal);
    for (const workload of workloads) {
      const selector = workload.kind === 'Pod' ? `metadata.name=${workload.metadata?.name}` : podSelector(workload);
      const namespace = workload.metadata?.namespace ?? client.target.namespace;
      const key = `${namespace}/${workload.kind}/${selector}`;
      if (!selector || watched.has(key)) continue;
      watched.add(key);
      const service = String(workload.metadata?.labels?.[ComponentLabel] ?? opts.service ?? workload.metadata?.name);
      const byName = workload.kind === 'Pod';
      watches.push(
        client
          .watch('v1', 'Pod', onPods(service), { namespace, signal, ...(byName ? { fieldSelector: selector } : { labelSelector: selector }) })
          .catch((err: unknown) => {
            if ((err as Error).name !== 'AbortError') throw err;
          }),
      );
    }
  };

  await refresh();
  const done = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  return {
    refresh,
    stop: () => stopper.abort(),
    done: done.then(async () => {
      for (const controller of open) controller.abort();
      await Promise.allSettled([...watches, ...streams]);
    }),
  };
}
