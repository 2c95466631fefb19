/**
 * bench/check-manifests: what checking rendered objects against the
 * Kubernetes schemas adds to `vela dry-run`, measured in one run: a fresh
 * Node loading the bundled validators of the shop example's kinds (Deployment
 * and Service) against `node -e 0`, interleaved, medians; then the check of
 * the shop example's manifests, warm, in this process. Measures the shipped
 * build (`npm run build` first). `vela --version` and `vela components` load
 * none of it (bench/cli.ts).
 *
 *   npx tsx bench/check-manifests.ts [runs]
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadApp } from '../src/pipeline/load-app.js';
import { renderWithImages } from '../src/pipeline/dry-run.js';
import { manifestProblems } from '../src/pipeline/check-manifests.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.argv[2] ?? 15);
const load = `await import('./dist/kubernetes-schemas/apps.v1.Deployment.mjs'); await import('./dist/kubernetes-schemas/core.v1.Service.mjs');`;
const cases: Record<string, string[]> = { 'node -e 0': ['--input-type=module', '-e', '0'], 'node + validators': ['--input-type=module', '-e', load] };
const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let i = 0; i < runs + 1; i++) {
  for (const [name, args] of Object.entries(cases)) {
    const t = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) throw new Error(`${name} failed (run npm run build first): ${r.stderr.toString()}`);
    if (i > 0) times[name]!.push(performance.now() - t);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const base = median(times['node -e 0']!);
const loaded = median(times['node + validators']!);

const { app, loaded: defs } = await loadApp({ cwd: root, file: 'examples/shop/vela.yaml' });
const { rendered } = await renderWithImages(app, defs.registry, {}, {});
await manifestProblems(rendered.manifests);
const checks: number[] = [];
for (let i = 0; i < 50; i++) {
  const t = performance.now();
  await manifestProblems(rendered.manifests);
  checks.push(performance.now() - t);
}
process.stdout.write(
  [
    `bench/check-manifests: medians of ${runs} interleaved runs, one run`,
    `  load the Deployment and Service validators   +${(loaded - base).toFixed(0)} ms over node start-up (${base.toFixed(0)} ms)`,
    `  check the shop example's ${rendered.manifests.length} manifests, warm   ${median(checks).toFixed(2)} ms`,
  ].join('\n') + '\n',
);
