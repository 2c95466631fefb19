/**
 * bench/apply: 300 rendered objects applied to the real API server
 * (`scripts/cluster.sh start`) by vela and by `kubectl apply --server-side -f`
 * of the same manifests, in one run, each into a fresh namespace. Prints the
 * time ratio (target ≤ 1.0) and the writes of a no-change `vela up` (target 0).
 *
 *   npx tsx bench/apply.ts [--objects 300]
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { applyApp, deleteApp, KubeClient, loadClusterTarget } from '../src/deploy/index.js';
import type { RenderedApp } from '../src/render/types.js';
import { makeApp } from '../test/support/app-fixtures.js';
import { fillApplyDefaults } from '../src/deploy/apply/apply-defaults.js';

const run = promisify(execFile);
const kubeconfig = process.env.VELA_TEST_KUBECONFIG ?? '/tmp/vela-cluster/kubeconfig';
const kubectl = [process.env.VELA_TEST_KUBECTL, '/var/cache/vela-test/kubectl'].find((p) => p && existsSync(p)) ?? 'kubectl';
const arg = process.argv.indexOf('--objects');
const objects = arg > 0 ? Number(process.argv[arg + 1]) : 300;

/** `objects` manifests: per service a Deployment, a Service and a ConfigMap. */
function benchApp(namespace: string): RenderedApp {
  const services = Math.ceil(objects / 3);
  const app = makeApp('bench', namespace, Array.from({ length: services }, (_, i) => ({ name: `svc-${String(i).padStart(3, '0')}`, port: 8080, configMaps: 1 })));
  return { ...app, manifests: app.manifests.slice(0, objects) };
}

async function main(): Promise<void> {
  if (!existsSync(kubeconfig)) throw new Error(`no kubeconfig at ${kubeconfig}: run scripts/cluster.sh build && scripts/cluster.sh start`);
  const admin = new KubeClient(await loadClusterTarget({ kubeconfig }));
  const stamp = Date.now().toString(36);
  const oursNs = `bench-vela-${stamp}`;
  const theirsNs = `bench-kubectl-${stamp}`;
  try {
    // kubectl gets its namespace made beforehand; vela makes its own inside the timing.
    await admin.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: theirsNs } });
    const theirs = benchApp(theirsNs);
    const dir = mkdtempSync(join(tmpdir(), 'vela-bench-'));
    const file = join(dir, 'manifests.yaml');
    // The manifests as vela sends them (ports with their default protocol: the
    // 1.20 server cannot server-side apply them otherwise, for kubectl either).
    writeFileSync(file, theirs.manifests.map((m) => stringify(fillApplyDefaults(structuredClone(m.object)))).join('---\n'));

    const t0 = performance.now();
    const { stdout } = await run(kubectl, ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), 'apply', '--server-side', '--validate=false', '-f', file], { maxBuffer: 1 << 24 });
    const kubectlMs = performance.now() - t0;
    const applied = stdout.split('\n').filter((l) => l.includes('serverside-applied')).length;
    if (applied !== objects) throw new Error(`kubectl applied ${applied} of ${objects} objects`);

    const t1 = performance.now();
    const first = await applyApp(benchApp(oursNs), { kubeconfig });
    const velaMs = performance.now() - t1;
    if (first.objects.length !== objects) throw new Error(`vela applied ${first.objects.length} of ${objects} objects`);

    const t2 = performance.now();
    const again = await applyApp(benchApp(oursNs), { kubeconfig });
    const noChangeMs = performance.now() - t2;

    const t3 = performance.now();
    await run(kubectl, ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), 'apply', '--server-side', '--validate=false', '-f', file], { maxBuffer: 1 << 24 });
    const kubectlAgainMs = performance.now() - t3;

    const { stdout: kv } = await run(kubectl, ['version', '--client', '--short']).catch(() => ({ stdout: 'kubectl' }));
    console.log(`bench/apply: ${objects} objects, kube-apiserver ${(await admin.serverVersion()).gitVersion}, ${kv.trim()}`);
    console.log(`  kubectl apply --server-side -f   ${kubectlMs.toFixed(0).padStart(6)} ms`);
    console.log(`  vela up (first apply)            ${velaMs.toFixed(0).padStart(6)} ms   (${first.writes} writes)`);
    console.log(`  ratio vela / kubectl             ${(velaMs / kubectlMs).toFixed(2)}   (target <= 1.0)`);
    console.log(`  no-change vela up                ${noChangeMs.toFixed(0).padStart(6)} ms   writes: ${again.writes}   (target 0; dry runs: ${again.dryRuns})`);
    console.log(`  no-change kubectl apply          ${kubectlAgainMs.toFixed(0).padStart(6)} ms   (writes: ${objects}, one PATCH per object)`);
    process.exitCode = velaMs / kubectlMs <= 1 && again.writes === 0 ? 0 : 1;
  } finally {
    // The test cluster runs no namespace controller: deleting a namespace does not delete its objects, so delete them first.
    await deleteApp('bench', { kubeconfig, namespace: oursNs }).catch(() => undefined);
    for (const m of benchApp(theirsNs).manifests) {
      const o = m.object as { apiVersion: string; kind: string; metadata: { name: string } };
      await admin.delete({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, namespace: theirsNs }).catch(() => undefined);
    }
    for (const ns of [oursNs, theirsNs]) await admin.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns }).catch(() => undefined);
    admin.close();
  }
}

main().catch((err: unknown) => {
  console.error(`bench/apply: ${(err as Error).message.split('\n').slice(0, 3).join('\n')}`);
  process.exitCode = 1;
});
