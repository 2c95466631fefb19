/**
 * bench/dev: the time from saving a change of one service's parameter to the
 * change applied on the real API server, under a running `vela dev` against a
 * fresh `vela up` of the same change, in one run, interleaved, medians. Target:
 * at most 0.5× (the loop keeps the definitions compiled and the cluster's
 * discovery warm; a fresh `vela up` starts a process, reads and compiles the
 * definitions and discovers the cluster each time). Needs the real API server
 * of scripts/cluster.sh and the shipped build (npm run build).
 *
 *   eval "$(scripts/cluster.sh env)" && npx tsx bench/dev.ts [runs]
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubeClient, loadClusterTarget } from '../src/deploy/index.js';
import { kubeconfig, realClusterUnavailable } from '../test/support/real-cluster.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.argv[2] ?? 7);
const why = await realClusterUnavailable('bench/dev');
if (why) process.exit(2);

const dir = mkdtempSync(join(tmpdir(), 'vela-bench-dev-'));
const ns = `bench-dev-${process.pid}`;
const appfile = (value: string) => `name: benchdev
services:
  web:
    image: nginx:1.27
    ports: [{port: 80, expose: true}]
    env:
      - name: GREETING
        value: "${value}"
  api:
    image: nginx:1.27
    ports: [{port: 8080}]
`;
const env = { ...process.env, CI: '1', KUBECONFIG: kubeconfig };
const vela = join(root, 'bin/vela.js');
const client = new KubeClient(await loadClusterTarget({ kubeconfig }));
const greeting = async () => {
  const dep = (await client.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: ns })) as { spec: { template: { spec: { containers: Array<{ env?: Array<{ value: string }> }> } } } } | undefined;
  return dep?.spec.template.spec.containers[0]?.env?.[0]?.value;
};

/** A fresh `vela up` of a change: from the save to the process's exit (the change applied). */
const freshUp = (value: string) => {
  const started = performance.now();
  writeFileSync(join(dir, 'vela.yaml'), appfile(value));
  const r = spawnSync(process.execPath, [vela, 'up', '-n', ns, '--no-wait'], { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`vela up failed:\n${r.stderr.toString()}`);
  return performance.now() - started;
};

writeFileSync(join(dir, 'vela.yaml'), appfile('start'));
freshUp('start');

// One `vela dev` for the whole run; each cycle ends with one line on stderr, printed once the apply is done.
const dev = spawn(process.execPath, [vela, 'dev', '-n', ns, '--no-logs'], { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
let stderr = '';
const cycleLines = () => stderr.split('\n').filter((line) => /^. cycle \d+/.test(line));
dev.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
const waitFor = async (test: () => boolean, what: string) => {
  const deadline = Date.now() + 60_000;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`bench/dev: no ${what}:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};
await waitFor(() => stderr.includes('watching'), 'watching line');

/** Under `vela dev`: from the save to the cycle's line (the change applied). */
const devCycle = async (value: string) => {
  const before = cycleLines().length;
  const started = performance.now();
  writeFileSync(join(dir, 'vela.yaml'), appfile(value));
  await waitFor(() => cycleLines().length > before, 'cycle line');
  const elapsed = performance.now() - started;
  if (!cycleLines().at(-1)!.includes('updated Deployment web')) throw new Error(`bench/dev: unexpected cycle: ${cycleLines().at(-1)}`);
  return elapsed;
};

const devTimes: number[] = [];
const upTimes: number[] = [];
for (let i = 0; i < runs; i++) {
  devTimes.push(await devCycle(`dev-${i}`));
  if ((await greeting()) !== `dev-${i}`) throw new Error('bench/dev: the dev change is not in the cluster');
  upTimes.push(freshUp(`up-${i}`));
  if ((await greeting()) !== `up-${i}`) throw new Error('bench/dev: the up change is not in the cluster');
  // vela dev sees vela up's save too; let that cycle pass before the next measured one.
  await waitFor(() => cycleLines().length >= 2 * (i + 1) + 1, 'cycle after vela up');
}
dev.kill('SIGINT');
await new Promise((r) => dev.on('exit', r));
spawnSync(process.execPath, [vela, 'delete', 'benchdev', '-n', ns, '--yes'], { cwd: dir, env, stdio: 'ignore' });
await client.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns }).catch(() => undefined);
client.close();

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const lines = [
  `bench/dev: change of one service's parameter until applied on the real API server, ${runs} interleaved runs each, medians, one run`,
  `  under vela dev (save → cycle applied)      ${median(devTimes).toFixed(0)} ms`,
  `  fresh vela up (save → process done)        ${median(upTimes).toFixed(0)} ms`,
  `  ratio dev / fresh up                       ${(median(devTimes) / median(upTimes)).toFixed(2)}   (target ≤ 0.5)`,
];
process.stdout.write(lines.join('\n') + '\n');
