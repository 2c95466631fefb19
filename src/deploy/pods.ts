/**
 * `vela logs`, `vela exec`, `vela port-forward`: find a service's pods through
 * its workload's selector, then use client-node's Log, Exec and PortForward.
 */
import net from 'node:net';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { clientNode } from './client-node.js';
import { DiagnosticError, error } from '../source/index.js';
import { fromClientNodeError, type KubeClient, type KubeObject } from './api/index.js';
import { connect, withClient, type ClusterOptions } from './connect.js';
import { podSelector } from './health.js';
import { ComponentLabel, TraitTypeLabel } from './labels.js';
import { readStoredApp } from './status.js';

export interface PodTarget {
  readonly name: string;
  readonly namespace: string;
  readonly containers: readonly string[];
  readonly phase: string;
  readonly service: string;
}

/** The pods of an app's service (or of every service), found from the workloads in its inventory. */
export async function servicePods(client: KubeClient, app: string, service: string | undefined, signal?: AbortSignal): Promise<{ pods: PodTarget[]; services: KubeObject[]; workloads: KubeObject[] }> {
  const namespace = client.target.namespace;
  const { inv, stored } = await readStoredApp(client, app, namespace);
  const names = stored.services.map((s) => s.name);
  if (service !== undefined && names.length && !names.includes(service)) {
    throw new DiagnosticError([error(`app ${app} has no service "${service}"`, undefined, { code: 'deploy/no-service', hint: `services: ${names.join(', ')}` })]);
  }
  const members = [...inv.members.values()].filter((o) => service === undefined || o.metadata?.labels?.[ComponentLabel] === service);
  const workloads = members.filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicaSet', 'Pod'].includes(String(o.kind)) && !o.metadata?.labels?.[TraitTypeLabel]);
  const pods: PodTarget[] = [];
  const seen = new Set<string>();
  for (const workload of workloads) {
    const serviceName = workload.metadata?.labels?.[ComponentLabel] ?? service ?? '';
    const found = workload.kind === 'Pod' ? [workload] : await client.list('v1', 'Pod', { namespace: workload.metadata?.namespace, labelSelector: podSelector(workload), signal });
    for (const pod of found as Array<Record<string, any>>) {
      const key = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      pods.push({ name: pod.metadata?.name, namespace: pod.metadata?.namespace ?? namespace, containers: (pod.spec?.containers ?? []).map((c: { name: string }) => c.name), phase: pod.status?.phase ?? 'Unknown', service: serviceName });
    }
  }
  return { pods, services: members.filter((o) => o.kind === 'Service'), workloads };
}

function noPods(app: string, service?: string): DiagnosticError {
  return new DiagnosticError([error(`no running pods for ${service ? `service ${service} of ` : ''}app ${app}`, undefined, { code: 'deploy/no-pods', hint: 'see `vela status`' })]);
}

export interface LogsOptions extends ClusterOptions {
  readonly service?: string;
  readonly container?: string;
  readonly follow?: boolean;
  /** `--since 10m` as seconds. */
  readonly sinceSeconds?: number;
  readonly tailLines?: number;
  /** Where log lines go; each line is prefixed `[pod/container] ` when there are several sources. */
  readonly out: Writable;
}

/** `vela logs APP [--svc S] [-f] [--since]`: resolves when the logs end (or, following, when `signal` aborts). */
export async function streamLogs(app: string, opts: LogsOptions): Promise<void> {
  return withClient(opts, async (client) => {
    const { pods } = await servicePods(client, app, opts.service, opts.signal);
    const sources = pods.flatMap((p) => (opts.container ? [opts.container] : p.containers).map((c) => ({ pod: p, container: c })));
    if (!sources.length) throw noPods(app, opts.service);
    const { Log } = await clientNode();
    const log = new Log(client.target.kubeConfig);
    await Promise.all(
      sources.map(async ({ pod, container }) => {
        const prefix = sources.length > 1 ? `[${pod.name}/${container}] ` : '';
        const pipe = new PassThrough();
        let carry = '';
        pipe.on('data', (chunk: Buffer) => {
          const text = carry + chunk.toString('utf8');
          const lines = text.split('\n');
          carry = lines.pop() ?? '';
          for (const line of lines) opts.out.write(`${prefix}${line}\n`);
        });
        const ended = new Promise<void>((resolve) => pipe.on('end', () => resolve()));
        let controller: AbortController;
        try {
          controller = await log.log(pod.namespace, pod.name, container, pipe, { follow: opts.follow, sinceSeconds: opts.sinceSeconds, tailLines: opts.tailLines });
        } catch (err) {
          throw fromClientNodeError(err);
        }
        opts.signal?.addEventListener('abort', () => controller.abort(), { once: true });
        await Promise.race([ended, new Promise<void>((r) => opts.signal?.addEventListener('abort', () => r(), { once: true }))]);
        if (carry) opts.out.write(`${prefix}${carry}\n`);
      }),
    );
  });
}

export interface ExecOptions extends ClusterOptions {
  readonly service?: string;
  readonly container?: string;
  readonly command: readonly string[];
  readonly stdin?: Readable | null;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly tty?: boolean;
}

/** `vela exec APP --svc S -- CMD`: runs in the first running pod; resolves with the command's exit code. */
export async function execInService(app: string, opts: ExecOptions): Promise<number> {
  return withClient(opts, async (client) => {
    const { pods } = await servicePods(client, app, opts.service, opts.signal);
    const pod = pods.find((p) => p.phase === 'Running');
    if (!pod) throw noPods(app, opts.service);
    const { Exec } = await clientNode();
    const exec = new Exec(client.target.kubeConfig);
    return new Promise<number>((resolve, reject) => {
      let code = 0;
      exec
        .exec(pod.namespace, pod.name, opts.container ?? pod.containers[0]!, [...opts.command], opts.stdout, opts.stderr, opts.stdin ?? null, !!opts.tty, (status) => {
          if (status.status === 'Success') code = 0;
          else {
            const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
            code = cause?.message ? Number(cause.message) : 1;
          }
        })
        .then((ws) => {
          ws.on('close', () => resolve(code));
          ws.on('error', (e: unknown) => reject(fromClientNodeError(e)));
          opts.signal?.addEventListener('abort', () => ws.close(), { once: true });
        }, (e) => reject(fromClientNodeError(e)));
    });
  });
}

export interface PortForwardOptions extends ClusterOptions {
  readonly service?: string;
  /** `[LOCAL:]REMOTE`; the remote port defaults to the service's first Service port (its target port on the pod). */
  readonly ports?: ReadonlyArray<{ local?: number; remote?: number }>;
  readonly address?: string;
}

export interface PortForwardHandle {
  /** The local ports actually bound (0 asks the OS for a free one). */
  readonly ports: ReadonlyArray<{ local: number; remote: number }>;
  readonly pod: string;
  close(): Promise<void>;
}

/** `vela port-forward APP [--svc S] [LOCAL:]REMOTE`: listens locally until `close()` (or the signal aborts). */
export async function portForward(app: string, opts: PortForwardOptions): Promise<PortForwardHandle> {
  const client = await connect(opts);
  const { pods, services, workloads } = await servicePods(client, app, opts.service, opts.signal);
  const pod = pods.find((candidate) => candidate.phase === 'Running');
  if (!pod) throw noPods(app, opts.service);
  const wanted = opts.ports?.length ? opts.ports : [{}];
  const mappings = wanted.map((wantedPort) => {
    const remote = wantedPort.remote ?? defaultRemotePort(services, workloads);
    if (!remote) throw new DiagnosticError([error(`cannot tell which port to forward for app ${app}`, undefined, { code: 'deploy/no-port', hint: 'pass [LOCAL:]REMOTE' })]);
    return { local: wantedPort.local ?? remote, remote };
  });
  const { PortForward } = await clientNode();
  const forwarder = new PortForward(client.target.kubeConfig);
  const servers: net.Server[] = [];
  const bound: Array<{ local: number; remote: number }> = [];
  for (const mapping of mappings) {
    const server = net.createServer((socket) => {
      forwarder.portForward(pod.namespace, pod.name, [mapping.remote], socket, null, socket).catch(() => socket.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(mapping.local, opts.address ?? '127.0.0.1', () => resolve());
    });
    servers.push(server);
    bound.push({ local: (server.address() as net.AddressInfo).port, remote: mapping.remote });
  }
  const close = async () => {
    await Promise.all(servers.map((server) => new Promise<void>((r) => server.close(() => r()))));
    client.close();
  };
  opts.signal?.addEventListener('abort', () => void close(), { once: true });
  return { ports: bound, pod: pod.name, close };
}

function defaultRemotePort(services: readonly KubeObject[], workloads: readonly KubeObject[]): number | undefined {
  const servicePort = ((services[0] as Record<string, any> | undefined)?.spec?.ports ?? [])[0];
  if (servicePort) return typeof servicePort.targetPort === 'number' ? servicePort.targetPort : servicePort.port;
  const workload = workloads[0] as Record<string, any> | undefined;
  const podSpec = workload?.kind === 'Pod' ? workload.spec : workload?.spec?.template?.spec;
  return podSpec?.containers?.[0]?.ports?.[0]?.containerPort;
}
