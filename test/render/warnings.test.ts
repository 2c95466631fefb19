/**
 * A template's `warnings: [...string]` become warning diagnostics at the
 * service (component) or at the trait section, as `errs` become errors; the
 * app still renders.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadApp } from '../../src/pipeline/load-app.js';
import { renderApp } from '../../src/render/index.js';
import { formatPos } from '../../src/source/index.js';

const dir = mkdtempSync(join(tmpdir(), 'vela-warnings-'));
const defs = join(dir, 'defs');
mkdirSync(defs);
writeFileSync(
  join(defs, 'sized.cue'),
  [
    'sized: {type: "component", description: "a ConfigMap of some size", attributes: workload: type: "configmaps"}',
    'template: {',
    '\toutput: {apiVersion: "v1", kind: "ConfigMap", metadata: name: context.name, data: size: "\\(parameter.size)"}',
    '\tparameter: size: int',
    '\twarnings: [if parameter.size < 10 {"size \\(parameter.size) is small"}]',
    '\terrs: [if parameter.size < 0 {"size must not be negative"}]',
    '}',
    '',
  ].join('\n'),
);
writeFileSync(
  join(defs, 'note.cue'),
  [
    'note: {type: "trait", description: "annotates the workload", attributes: appliesToWorkloads: ["*"]}',
    'template: {',
    '\tpatch: metadata: annotations: note: parameter.text',
    '\tparameter: text: string',
    '\twarnings: [if context.output.data.size == "1" {"a note on a tiny map"}, "always said"]',
    '}',
    '',
  ].join('\n'),
);

async function render(name: string, appfile: string) {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, appfile);
  const { app, loaded } = await loadApp({ cwd: dir, file, definitionDirs: [defs], velaHome: join(dir, 'home') });
  return renderApp(app, loaded.registry);
}

describe('warnings from templates', () => {
  it('are warnings at the service and at the trait, and the app renders', async () => {
    const r = await render('small', 'name: w\nservices:\n  small:\n    type: sized\n    size: 1\n    note:\n      text: hi\n');
    expect(r.app).toBeDefined();
    expect(r.app!.manifests.map((m) => m.object.kind)).toEqual(['ConfigMap']);
    expect(r.diagnostics.map((d) => [d.severity, formatPos(d.span!), d.path, d.message, d.code])).toEqual([
      ['warning', 'small.yaml:3:3', 'services.small', 'sized: size 1 is small', 'render/warnings'],
      ['warning', 'small.yaml:6:5', 'services.small.note', 'trait note: a note on a tiny map', 'render/warnings'],
      ['warning', 'small.yaml:6:5', 'services.small.note', 'trait note: always said', 'render/warnings'],
    ]);
  });

  it('are none when the template gives none', async () => {
    const r = await render('big', 'name: w\nservices:\n  big:\n    type: sized\n    size: 20\n');
    expect(r.app).toBeDefined();
    expect(r.diagnostics).toEqual([]);
  });

  it('come with the errors when there are errors, and nothing renders', async () => {
    const r = await render('neg', 'name: w\nservices:\n  neg:\n    type: sized\n    size: -1\n');
    expect(r.app).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.severity, d.message])).toEqual([
      ['warning', 'sized: size -1 is small'],
      ['error', 'sized: size must not be negative'],
    ]);
  });
});
