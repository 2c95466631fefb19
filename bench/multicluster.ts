/**
 * bench/multicluster: one app delivered by its workflow to 1 cluster and to
 * 10, in one run. Ten real API servers are too heavy for this machine, so the
 * clusters are the protocol-level API server of test/support, each behind a
 * latency proxy (default 15 ms each way, a nearby region), served by a child
 * process. Prints the wall times and the ratio 10/1 (target <= 1.5): the
 * clusters are delivered to in parallel (a deploy step's `parallelism`,
 * default 5; the second figure uses `parallelism: 10`).
 *
 *   npx tsx bench/multicluster.ts [--latency 15] [--services 5]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Environment } from '../src/host/index.js';
import { clusterJoin } from '../src/pipeline/clusters.js';
import { deliverWorkflow } from '../src/pipeline/deliver-workflow.js';

const flag = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const latencyMs = flag('latency', 15);
const services = flag('services', 5);
const CLUSTERS = 10;

async function startFleet(dir: string): Promise<{ kubeconfigs: string[]; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, 'support/fake-fleet.ts'), String(CLUSTERS + 1), String(latencyMs), dir], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((done, fail) => {
    createInterface({ input: child.stdout! }).once('line', done);
    child.once('exit', (code) => fail(new Error(`the fake fleet exited (${code})`)));
  });
  return { kubeconfigs: JSON.parse(line) as string[], stop: () => child.stdin!.end() };
}

function appDir(name: string, clusters: readonly string[], parallelism?: number): string {
  const dir = mkdtempSync(join(tmpdir(), `vela-bench-mc-${name}-`));
  const lines = [`name: ${name}`, `namespace: bench-${name}`, 'services:'];
  for (let i = 0; i < services; i++) lines.push(`  svc-${i}: {image: nginx:1.25, port: 8080, scaler: {replicas: 2}}`);
  lines.push('policies:', `  - {name: where, type: topology, properties: {clusters: [${clusters.join(', ')}]}}`);
  if (parallelism !== undefined) lines.push('workflow:', '  steps:', `    - {name: deploy, type: deploy, properties: {policies: [where], parallelism: ${parallelism}}}`);
  writeFileSync(join(dir, 'vela.yaml'), lines.join('\n') + '\n');
  return dir;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vela-bench-mc-'));
  const fleet = await startFleet(dir);
  try {
    const [local, ...others] = fleet.kubeconfigs;
    const env: Environment = { get: (n) => (n === 'VELA_HOME' ? dir : n === 'KUBECONFIG' ? local : process.env[n]), cwd: dir, homeDir: dir };
    const names = others.map((_, i) => `c${i + 1}`);
    for (const [i, kubeconfig] of others.entries()) await clusterJoin({ kubeconfig: kubeconfig!, name: names[i]!, env, timeoutMs: 5000 });
    const deliver = async (cwd: string) => {
      const t0 = performance.now();
      const r = await deliverWorkflow({ cwd, build: false, wait: false, cluster: { kubeconfig: local!, environment: env } });
      const ms = performance.now() - t0;
      if (r.phase !== 'succeeded') throw new Error(`${r.app}: ${r.phase}: ${r.targets.map((t) => `${t.cluster}: ${t.message ?? 'ok'}`).join('; ')}`);
      return ms;
    };
    // Warm-up: definitions loaded and compiled, connections made, once.
    await deliver(appDir('warm', ['c1']));
    const one = await deliver(appDir('one', ['c1']));
    const ten = await deliver(appDir('ten', names));
    const tenWide = await deliver(appDir('wide', names, CLUSTERS));
    const again = await deliver(appDir('ten', names));
    console.log(`bench/multicluster: ${services} services (${services * 2} objects) per cluster, fake API servers behind ${latencyMs} ms latency each way`);
    console.log(`  1 cluster                           ${one.toFixed(0).padStart(6)} ms`);
    console.log(`  10 clusters (parallelism 5)         ${ten.toFixed(0).padStart(6)} ms   ratio ${(ten / one).toFixed(2)}`);
    console.log(`  10 clusters (parallelism 10)        ${tenWide.toFixed(0).padStart(6)} ms   ratio ${(tenWide / one).toFixed(2)}   (target <= 1.5)`);
    console.log(`  10 clusters again, nothing changed  ${again.toFixed(0).padStart(6)} ms`);
    process.exitCode = tenWide / one <= 1.5 ? 0 : 1;
  } finally {
    fleet.stop();
  }
}

main().catch((err: unknown) => {
  console.error(`bench/multicluster: ${(err as Error).message.split('\n').slice(0, 3).join('\n')}`);
  process.exitCode = 1;
});
