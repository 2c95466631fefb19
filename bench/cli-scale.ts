/**
 * bench/cli-scale: what each service costs end to end through the CLI.
 * `vela dry-run` of a generated Appfile of 500 services (webservice with
 * env, scaler, labels, annotations) next to the same Appfile with 1 service
 * and `node -e 0`, interleaved, medians of several runs, all in one run. The
 * cost per service beyond start-up is (T(500) - T(1)) / 499. Target: under
 * 1 ms per service. For reference (not the target) it also runs twice as many
 * services: (T(1000) - T(500)) / 500 is the cost once the JIT has warmed up,
 * which tells how much of the first figure is warm-up. Both wall time and the process's own CPU time (user +
 * system, all its threads, GC included) are printed: on a shared machine the
 * CPU time is the steadier figure. Measures the shipped build (`npm run build` first).
 *
 *   npx tsx bench/cli-scale.ts [runs] [services]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scaleAppfile } from './support/scale-appfile.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.argv[2] ?? 7);
const many = Number(process.argv[3] ?? 500);


const dir = mkdtempSync(join(tmpdir(), 'vela-bench-cli-scale-'));
writeFileSync(join(dir, 'one.yaml'), scaleAppfile(1));
writeFileSync(join(dir, 'many.yaml'), scaleAppfile(many));
writeFileSync(join(dir, 'double.yaml'), scaleAppfile(2 * many));

const vela = join(root, 'bin/vela.js');
const cases: Record<string, string[]> = {
  'node -e 0': ['-e', '0'],
  'dry-run, 1 service': [vela, 'dry-run', '-f', join(dir, 'one.yaml')],
  [`dry-run, ${many} services`]: [vela, 'dry-run', '-f', join(dir, 'many.yaml')],
  [`dry-run, ${2 * many} services`]: [vela, 'dry-run', '-f', join(dir, 'double.yaml')],
};

// Each process writes its CPU time at exit to a file of its own (preloaded, so the CLI is unchanged).
const cpuFile = join(dir, 'cpu');
const CPU_AT_EXIT = `data:text/javascript,${encodeURIComponent(
  "import { writeFileSync } from 'node:fs'; process.on('exit', () => { const u = process.cpuUsage(); writeFileSync(process.env.BENCH_CPU_FILE, String((u.user + u.system) / 1000)); });",
)}`;

const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
const cpu: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
let documents = 0;
for (let i = 0; i < runs + 1; i++) {
  for (const [name, args] of Object.entries(cases)) {
    const t = performance.now();
    // No $VELA_HOME definitions: the built-ins only, as for a new user.
    const r = spawnSync(process.execPath, ['--import', CPU_AT_EXIT, ...args], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 1 << 30,
      env: { ...process.env, CI: '1', VELA_HOME: dir, BENCH_CPU_FILE: cpuFile },
    });
    const ms = performance.now() - t;
    if (r.status !== 0) throw new Error(`${name} failed (exit ${r.status}): ${r.stderr.toString()}`);
    if (name.includes(`${many} services`)) documents = r.stdout.toString().split('\n---\n').length;
    // The first round warms the file cache.
    if (i > 0) {
      times[name]!.push(ms);
      cpu[name]!.push(Number(readFileSync(cpuFile, 'utf8')));
    }
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const names = Object.keys(cases);
const row = (name: string, of: Record<string, number[]>) => median(of[name]!);
const lines = [
  `bench/cli-scale: medians of ${runs} runs each, interleaved, one run (${documents} objects rendered for ${many} services)`,
  `  ${''.padEnd(24)} ${'wall'.padStart(8)} ${'cpu'.padStart(8)}   wall vs node`,
];
for (const name of names) {
  const wall = row(name, times);
  lines.push(`  ${name.padEnd(24)} ${wall.toFixed(0).padStart(5)} ms ${row(name, cpu).toFixed(0).padStart(5)} ms   ${(wall / row('node -e 0', times)).toFixed(2)}×`);
}
const perService = (of: Record<string, number[]>) => (row(names[2]!, of) - row(names[1]!, of)) / (many - 1);
const warmed = (of: Record<string, number[]>) => (row(names[3]!, of) - row(names[2]!, of)) / many;
lines.push(`  per service beyond start-up: ${perService(times).toFixed(2)} ms wall, ${perService(cpu).toFixed(2)} ms cpu   (target < 1 ms)`);
lines.push(`  per service from ${many} to ${2 * many} (JIT warm): ${warmed(times).toFixed(2)} ms wall, ${warmed(cpu).toFixed(2)} ms cpu   (for reference)`);
process.stdout.write(lines.join('\n') + '\n');
