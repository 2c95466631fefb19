/**
 * bench/hostile: every case of the hostile-definition corpus (test/cue/hostile-cases.ts) evaluated in a process
 * of its own with the shipped engine (dist/), printing its time and its peak memory (max RSS), next to a process
 * that only loads the engine, in one run. Each must end in a diagnostic quickly and without gigabytes.
 *
 *   npm run build && npx tsx bench/hostile.ts
 *
 * Not a test: it asserts nothing and exits 0 unless something throws.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { HOSTILE_CASES } from '../test/cue/hostile-cases.js';

const engine = fileURLToPath(new URL('../dist/cue/index.js', import.meta.url));

/** The child: loads the engine, evaluates the case from stdin, prints its time, outcome and max RSS as JSON. */
const CHILD = `
const { exportFiles } = await import(${JSON.stringify(engine)});
let input = '';
for await (const chunk of process.stdin) input += chunk;
const c = JSON.parse(input);
const t = performance.now();
const r = c.cue === undefined ? { ok: true } : exportFiles([{ name: 'hostile.cue', text: c.cue }], c.inject ? { inject: c.inject } : {});
const ms = performance.now() - t;
const outcome = r.ok ? 'ok' : (r.diagnostics[0].code ?? '') + ' ' + r.diagnostics[0].message;
process.stdout.write(JSON.stringify({ ms, outcome, maxRss: process.resourceUsage().maxRSS * 1024 }));
`;

function run(c: { cue?: string; inject?: unknown }): { ms: number; outcome: string; maxRss: number } {
  const p = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD], { input: JSON.stringify(c), encoding: 'utf8', maxBuffer: 1 << 24, timeout: 120_000 });
  if (p.status !== 0) throw new Error(`case failed to run: ${p.stderr || p.signal}`);
  return JSON.parse(p.stdout) as { ms: number; outcome: string; maxRss: number };
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

const base = run({});
process.stdout.write(`bench/hostile: ${HOSTILE_CASES.length} hostile definitions, each in its own process, one run\n`);
process.stdout.write(`  engine loaded, nothing evaluated: peak ${mb(base.maxRss)}\n`);
let worstMs = 0;
let worstRss = 0;
for (const c of HOSTILE_CASES) {
  const r = run({ cue: c.cue, inject: c.inject });
  worstMs = Math.max(worstMs, r.ms);
  worstRss = Math.max(worstRss, r.maxRss);
  const outcome = r.outcome.length > 70 ? `${r.outcome.slice(0, 67)}...` : r.outcome;
  process.stdout.write(`  ${c.name.padEnd(62)} ${r.ms.toFixed(0).padStart(6)} ms  peak ${mb(r.maxRss).padStart(7)}  ${outcome}\n`);
}
process.stdout.write(`  slowest: ${worstMs.toFixed(0)} ms; largest peak: ${mb(worstRss)} (${(worstRss / base.maxRss).toFixed(1)}x the engine alone)\n`);
