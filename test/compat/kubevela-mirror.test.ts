/**
 * KubeVela's own built-in definitions, used as a user's definitions
 * (`--definitions`): each of its internal components and each of its
 * internal and deprecated traits renders through vela, to objects valid for
 * their schemas. Read at test time from a local mirror of KubeVela's
 * repository (test/compat/kubevela-mirror.ts); without one (as in CI) the
 * suite is skipped with the reason printed, and our own definitions of the
 * same names (definitions/, test/compat) carry the coverage.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dryRun } from '../../src/pipeline/dry-run.js';
import { manifestsToYaml, type Manifest } from '../../src/render/index.js';
import { DiagnosticError, formatDiagnostics } from '../../src/source/index.js';
import { k8sProblems } from '../support/k8s-validate.js';
import { COMPONENT_SAMPLES, CONTROLLER_ONLY, MAKES_SERVICE, mirrorUnavailable, readKubeVelaDefinitions, TRAIT_SAMPLES } from './kubevela-mirror.js';
import { ROOT } from './harness.js';

const unavailable = mirrorUnavailable();
if (unavailable) process.stderr.write(`test/compat/kubevela-mirror.test.ts: skipped: ${unavailable}\n`);
const defs = unavailable ? undefined : readKubeVelaDefinitions();

/** `vela dry-run` of one service of `type` with `properties` (and traits), against KubeVela's definitions only for those names. */
async function render(type: string, properties: Record<string, unknown>, traits: Record<string, unknown> = {}): Promise<Manifest[]> {
  const cwd = mkdtempSync(join(tmpdir(), 'vela-kubevela-'));
  const app = { name: 'kv', services: { web: { type, ...properties, ...(Object.keys(traits).length && { traits }) } } };
  writeFileSync(join(cwd, 'vela.yaml'), JSON.stringify(app));
  const r = await dryRun({ cwd, file: join(cwd, 'vela.yaml'), definitionDirs: [defs!.dir], velaHome: join(ROOT, 'test/render/fixtures/no-home') });
  return [...r.rendered.manifests];
}

async function valid(ms: readonly Manifest[]): Promise<string[]> {
  return (await Promise.all(ms.map((m) => k8sProblems(m.object)))).flat();
}

describe.skipIf(!defs)(`KubeVela's own definitions${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  it('are there: 9 components, at least 29 internal traits and the deprecated ones', () => {
    expect(defs!.components.length).toBeGreaterThanOrEqual(9);
    expect(defs!.traits.length - defs!.deprecatedTraits.length).toBeGreaterThanOrEqual(29);
    // Every definition has a sample here: a new one in KubeVela fails this test until it gets one.
    expect(defs!.components.filter((c) => !COMPONENT_SAMPLES[c])).toEqual([]);
    expect(defs!.traits.filter((t) => !TRAIT_SAMPLES[t])).toEqual([]);
  });

  describe('components', () => {
    const renderable = (defs?.components ?? []).filter((c) => !CONTROLLER_ONLY[c]);
    it.each(renderable)('%s renders, its workload named after the component', async (type) => {
      const ms = await render(type, COMPONENT_SAMPLES[type]!);
      expect(ms.length).toBeGreaterThan(0);
      expect(await valid(ms)).toEqual([]);
      const workload = ms.find((m) => m.origin.workload)!;
      if (type === 'task') expect((workload.object.metadata as { name: string }).name).toBe('kv-web');
      else if (!type.endsWith('objects')) expect((workload.object.metadata as { name: string }).name).toBe('web');
    });

    const controllerOnly = (defs?.components ?? []).filter((c) => CONTROLLER_ONLY[c]);
    it.each(controllerOnly)("%s, which needs KubeVela's controller, fails with an error naming the missing package", async (type) => {
      const err = await render(type, COMPONENT_SAMPLES[type]!).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(DiagnosticError);
      const text = formatDiagnostics((err as DiagnosticError).diagnostics, { color: false });
      expect(text).toMatch(/package "vela\/[a-z]+" not found/);
      process.stderr.write(`test/compat/kubevela-mirror.test.ts: ${type} is not rendered offline: ${CONTROLLER_ONLY[type]}\n`);
    });
  });

  describe('traits, on its webservice', () => {
    it.each(defs?.traits ?? [])('%s renders', async (trait) => {
      const web = MAKES_SERVICE.has(trait) ? { image: 'nginx:1.27', ports: [{ port: 80 }] } : COMPONENT_SAMPLES.webservice!;
      const ms = await render('webservice', web, { [trait]: TRAIT_SAMPLES[trait] });
      expect(await valid(ms)).toEqual([]);
      // The trait did something: an object of its own, or a changed workload.
      const plain = await render('webservice', web);
      expect(ms.some((m) => m.origin.trait === trait) || manifestsToYaml(ms) !== manifestsToYaml(plain)).toBe(true);
    });
  });
});
