/**
 * A TCP proxy on loopback that adds latency, for benchmarks and tests that
 * need a far-away API server without ten real ones: put it in front of the
 * protocol-level fake (fake-apiserver.ts) and point a kubeconfig at it. TLS
 * passes through untouched (the fake's certificate is for 127.0.0.1, which
 * the proxy shares). Every chunk, in each direction, is held `latencyMs` (plus
 * up to `jitterMs`) and chunks keep their order, so a request/response round
 * trip costs at least 2 × latencyMs, as it would over a real network; a new
 * connection pays one more round trip for its TCP handshake.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import net, { type AddressInfo, type Socket } from 'node:net';

export interface LatencyProxyOptions {
  /** Where connections go: the fake API server's port on 127.0.0.1. */
  readonly targetPort: number;
  readonly targetHost?: string;
  /** One-way delay per chunk (ms). */
  readonly latencyMs: number;
  /** Extra random delay, 0..jitterMs (ms); order is kept all the same. */
  readonly jitterMs?: number;
}

export class LatencyProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;
  /** Connections accepted so far. */
  connections = 0;

  constructor(private readonly options: LatencyProxyOptions) {}

  async start(): Promise<this> {
    this.server = net.createServer((client) => this.accept(client));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** A copy of `kubeconfig` whose server (https://127.0.0.1:PORT of the target) is this proxy. */
  writeKubeconfig(kubeconfig: string, path: string): string {
    const text = readFileSync(kubeconfig, 'utf8').replace(`127.0.0.1:${this.options.targetPort}`, `127.0.0.1:${this.port}`);
    writeFileSync(path, text);
    return path;
  }

  private accept(client: Socket): void {
    this.connections++;
    const upstream = net.connect(this.options.targetPort, this.options.targetHost ?? '127.0.0.1');
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    this.pipe(client, upstream);
    this.pipe(upstream, client);
  }

  /** Forwards `from` → `to`, each chunk after the delay, in order (one queue and one timer per direction); the end too. */
  private pipe(from: Socket, to: Socket): void {
    const queue: { at: number; send: () => void }[] = [];
    let timer: NodeJS.Timeout | undefined;
    const flush = () => {
      timer = undefined;
      while (queue.length && queue[0]!.at <= Date.now()) queue.shift()!.send();
      if (queue.length) timer = setTimeout(flush, queue[0]!.at - Date.now());
    };
    const later = (send: () => void) => {
      const jitter = this.options.jitterMs ? Math.random() * this.options.jitterMs : 0;
      // Never before the chunk ahead of it: jitter delays, it does not reorder.
      const at = Math.max(Date.now() + this.options.latencyMs + jitter, queue.at(-1)?.at ?? 0);
      queue.push({ at, send });
      timer ??= setTimeout(flush, at - Date.now());
    };
    from.on('data', (chunk) => later(() => to.destroyed || to.write(chunk)));
    from.on('end', () => later(() => to.end()));
  }
}
