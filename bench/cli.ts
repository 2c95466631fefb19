/**
 * bench/cli: wall time of `vela dry-run` (an example app) and `vela components`
 * against `node -e 0`, measured in one run with alternating order, medians of
 * several runs. Target: at most 4× plain Node start-up. Measures the shipped
 * build (`npm run build` first).
 *
 *   npx tsx bench/cli.ts [runs]
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.argv[2] ?? 9);
const cases: Record<string, string[]> = {
  'node -e 0': ['-e', '0'],
  'vela --version': ['bin/vela.js', '--version'],
  'vela components': ['bin/vela.js', 'components'],
  'vela traits': ['bin/vela.js', 'traits'],
  'vela dry-run (shop)': ['bin/vela.js', 'dry-run', '-f', 'examples/shop/vela.yaml'],
};

const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let i = 0; i < runs + 1; i++) {
  for (const [name, args] of Object.entries(cases)) {
    const t = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CI: '1' } });
    const ms = performance.now() - t;
    if (r.status !== 0) throw new Error(`${name} failed: ${r.stderr.toString()}`);
    if (i > 0) times[name]!.push(ms); // the first round warms the file cache
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const base = median(times['node -e 0']!);
const lines = [`bench/cli: median wall time of ${runs} runs each, interleaved, one run`];
for (const name of Object.keys(cases)) {
  const m = median(times[name]!);
  lines.push(`  ${name.padEnd(22)} ${m.toFixed(0).padStart(5)} ms   ${(m / base).toFixed(2)}× node${name.startsWith('vela components') || name.startsWith('vela dry-run') ? '   (target ≤ 4×)' : ''}`);
}
process.stdout.write(lines.join('\n') + '\n');
