/**
 * A fleet of protocol-level API servers (test/support/fake-apiserver.ts), each
 * behind a latency proxy, in a process of their own so that serving them does
 * not take the event loop of the vela being measured. Prints one JSON line,
 * the kubeconfig of each (index 0 is the `local` cluster), then serves until
 * stdin closes.
 *
 *   npx tsx bench/support/fake-fleet.ts COUNT LATENCY_MS DIR
 */
import { join } from 'node:path';
import { FakeApiServer } from '../../test/support/fake-apiserver.js';
import { LatencyProxy } from '../../test/support/latency-proxy.js';

const [count, latencyMs, dir] = [Number(process.argv[2] ?? 11), Number(process.argv[3] ?? 15), process.argv[4] ?? '.'];
const servers: FakeApiServer[] = [];
const proxies: LatencyProxy[] = [];
const kubeconfigs: string[] = [];
for (let i = 0; i < count; i++) {
  const server = await new FakeApiServer().start();
  const direct = server.writeKubeconfig(join(dir, `direct-${i}.kubeconfig`), { context: `fleet-${i}` });
  const port = Number(/127\.0\.0\.1:(\d+)/.exec(await import('node:fs').then((fs) => fs.readFileSync(direct, 'utf8')))![1]);
  const proxy = await new LatencyProxy({ targetPort: port, latencyMs }).start();
  kubeconfigs.push(proxy.writeKubeconfig(direct, join(dir, `cluster-${i}.kubeconfig`)));
  servers.push(server);
  proxies.push(proxy);
}
process.stdout.write(JSON.stringify(kubeconfigs) + '\n');
process.stdin.resume();
process.stdin.on('end', () => {
  void Promise.all([...proxies.map((p) => p.stop()), ...servers.map((s) => s.stop())]).then(() => process.exit(0));
});
