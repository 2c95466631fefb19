/**
 * The differential suite: every corpus case (test/cue/corpus/<topic>/<name>.txtar) is exported with our engine and
 * compared with what real CUE (v0.4, via scripts/cue-oracle.ts) recorded, or with the `intended` result where v0.4
 * is known to differ from the spec or current CUE (the reason is part of the test name).
 *
 * A case passes when both sides give JSON and the values are equal (numbers exactly, compared as decimal text, so
 * integers above 2^53 are tested; key order only where the case has an `order` section), or when both sides fail. Error texts are not compared: CUE's wording is not ours.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exportFiles } from '../../src/cue/index.js';
import { formatDiagnosticLine } from '../../src/source/index.js';
import { canonicalJson, expected, loadCorpus, parseJsonExact, type CorpusCase } from './corpus-format.js';

const corpusRoot = fileURLToPath(new URL('./corpus/', import.meta.url));
const cases = loadCorpus(corpusRoot);

function testName(c: CorpusCase): string {
  return c.intended ? `${c.id} (intended, v0.4 differs: ${c.reason})` : c.id;
}

describe('CUE corpus', () => {
  it('has at least 300 cases in at least 30 topics', () => {
    expect(cases.length).toBeGreaterThanOrEqual(300);
    expect(new Set(cases.map((c) => c.id.split('/')[0])).size).toBeGreaterThanOrEqual(30);
  });

  it('records an expectation for every case (run `npx tsx scripts/cue-oracle.ts`)', () => {
    expect(cases.filter((c) => c.recorded === undefined).map((c) => c.id)).toEqual([]);
  });

  it('gives every case a description', () => {
    expect(cases.filter((c) => c.description === '').map((c) => c.id)).toEqual([]);
  });

  it('has error cases and intended results', () => {
    expect(cases.filter((c) => expected(c)?.kind === 'error').length).toBeGreaterThanOrEqual(60);
    expect(cases.filter((c) => c.intended !== undefined).length).toBeGreaterThanOrEqual(5);
  });

  it('keeps kubevela/webservice identical to the benchmark fixture', () => {
    const ws = cases.find((c) => c.id === 'kubevela/webservice');
    const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
    expect(ws?.inputs.map((f) => f.text)).toEqual([fixture('webservice.cue'), fixture('webservice-input.cue')]);
  });
});

describe('differential: vela CUE engine vs real CUE', () => {
  it.each(cases.map((c) => [testName(c), c] as const))('%s', (_name, c) => {
    const want = expected(c);
    if (!want) throw new Error(`${c.id}: no recorded result; run \`npx tsx scripts/cue-oracle.ts ${c.id}\``);
    const got = exportFiles(c.inputs, c.expression !== undefined ? { expression: c.expression } : {});
    if (want.kind === 'error') {
      if (got.ok) {
        expect.fail(`expected an error (CUE: ${want.message}) but got:\n${canonicalJson(got.value, true)}`);
      }
      expect(got.diagnostics.length).toBeGreaterThan(0);
      return;
    }
    if (!got.ok) {
      expect.fail(
        `expected JSON but got errors:\n${got.diagnostics.map(formatDiagnosticLine).join('\n')}\n` +
          `expected:\n${canonicalJson(want.value, true)}`,
      );
    }
    // Our JSON text, read with numbers as text: exact at any size.
    expect(canonicalJson(parseJsonExact(got.text), c.checkOrder)).toBe(canonicalJson(want.value, c.checkOrder));
  });
});
