/**
 * vela's own CUE engine against real CUE on the built-in definitions: every
 * case recorded by oracle.test.ts (test/definitions/golden) is evaluated by
 * `exportFiles` with the same request and must give the same result.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exportFiles } from '../../src/cue/index.js';
import { formatDiagnostic } from '../../src/source/index.js';
import { definitionText, statusSource, type Json, type JsonObject } from './harness.js';

const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), 'golden');

interface Golden {
  readonly definition: string;
  readonly field?: 'healthPolicy' | 'customStatus';
  readonly request: { readonly parameter: Json; readonly context: JsonObject };
  readonly result: Json;
}

const goldens = readdirSync(GOLDEN_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => [f.slice(0, -5), JSON.parse(readFileSync(join(GOLDEN_DIR, f), 'utf8')) as Golden] as const);

/** As KubeVela does, `context` and `parameter` are added to the template's own text. */
function evaluate(g: Golden): Json {
  const values = `\ncontext: ${JSON.stringify(g.request.context)}\n`;
  const r = g.field
    ? exportFiles([{ name: `${g.definition}-${g.field}.cue`, text: `${statusSource(g.definition, g.field)}${values}parameter: ${JSON.stringify(g.request.parameter)}\n` }])
    : exportFiles([{ name: `${g.definition}.cue`, text: `${definitionText(g.definition)}${values}template: parameter: ${JSON.stringify(g.request.parameter)}\n` }], {
        expression: 'template',
      });
  if (!r.ok) throw new Error(r.diagnostics.map((d) => formatDiagnostic(d)).join('\n'));
  if (!g.field) return r.value;
  const { context: _context, parameter: _parameter, ...status } = r.value as JsonObject;
  return status;
}

describe('vela CUE engine agrees with real CUE on the built-in definitions', () => {
  it('has recorded cases', () => expect(goldens.length).toBeGreaterThan(40));
  it.each(goldens)('%s', (_name, g) => {
    expect(evaluate(g)).toEqual(g.result);
  });
});
