/**
 * The two definitions shown in KubeVela's 2020 talk (test/fixtures/definitions/talk),
 * in that era's core.oam.dev/v1alpha2 format: real CUE evaluates them as
 * KubeVela did, and an Appfile that uses them must render with vela.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { evaluateWithCue } from './cue-oracle.js';
import { makeContext, type JsonObject } from './harness.js';
import { dryRun } from '../../src/pipeline/dry-run.js';
import { loadRegistry } from '../../src/pipeline/registry.js';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const root = join(import.meta.dirname, '..', '..');
const TALK = join(root, 'test', 'fixtures', 'definitions', 'talk');

/** A v1alpha2 definition's template, as a KubeVela CUE definition file (imports first, the rest under `template`). */
function asDefinitionFile(file: string): string {
  const template = (parse(readFileSync(join(TALK, file), 'utf8')) as { spec: { extension: { template: string } } }).spec.extension.template;
  const imports = template.match(/^import .*$/gm) ?? [];
  const body = template.replace(/^import .*$/gm, '');
  return `${imports.join('\n')}\ntemplate: {\n${body}\n}\n`;
}

/** An Appfile of the talk's kind for its own definitions. */
const appfile = join(mkdtempSync(join(tmpdir(), 'vela-talk-defs-')), 'vela.yaml');
writeFileSync(
  appfile,
  ['name: testapp', 'services:', '  express-server:', '    image: oamdev/testapp:v1', '    cmd: ["node", "server.js"]', '    env:', '    - F00=bar', '    route:', '      domain: example.com', '      http:', '        "/": 8080', ''].join('\n'),
);

describe("the talk's definitions", () => {
  it('evaluate under real CUE: [...string] parameters need no value, the image comes from context.image', async () => {
    const context = { ...makeContext('express-server'), image: 'oamdev/testapp:v1' };
    const [web, route] = await evaluateWithCue([
      // No `files`: a [...string] field exports as [] without a value.
      { source: asDefinitionFile('webservice.yaml'), parameter: { cmd: ['node', 'server.js'], env: ['F00=bar'] }, context },
      { source: asDefinitionFile('route.yaml'), parameter: { domain: 'example.com', http: { '/': 8080, '/api': 9000 } }, context },
    ]);
    expect(web!.ok ? '' : web!.error).toBe('');
    expect(route!.ok ? '' : route!.error).toBe('');
    const container = (web as Any).value.output.spec.template.spec.containers[0];
    expect(container).toEqual({ name: 'express-server', image: 'oamdev/testapp:v1', command: ['node', 'server.js'], env: [{ name: 'F00', value: 'bar' }] });
    const outputs = (route as Any).value.outputs as Record<string, JsonObject>;
    expect((outputs['service'] as Any).spec.ports).toEqual([
      { port: 8080, targetPort: 8080 },
      { port: 9000, targetPort: 9000 },
    ]);
    expect((outputs['ingress'] as Any).spec.rules[0].http.paths.map((p: Any) => [p.path, p.backend.service.port.number])).toEqual([
      ['/', 8080],
      ['/api', 9000],
    ]);
  });

  it('render an Appfile that uses them, with the image in context.image', async () => {
    const r = await dryRun({ cwd: root, file: appfile, definitionDirs: [TALK], velaHome: join(root, 'test/render/fixtures/no-home') });
    const kinds = r.rendered.manifests.map((m) => `${String(m.object.kind)}/${String((m.object.metadata as JsonObject)['name'])}`);
    expect(kinds).toEqual(['Deployment/express-server', 'Service/express-server', 'Ingress/express-server']);
    const container = (r.rendered.manifests[0]!.object as Any).spec.template.spec.containers[0];
    expect(container).toEqual({ name: 'express-server', image: 'oamdev/testapp:v1', command: ['node', 'server.js'], env: [{ name: 'F00', value: 'bar' }] });
  });

  it('describe their parameters from the +vela:cli comments', async () => {
    const { registry } = await loadRegistry({ cwd: root, definitionDirs: [TALK], velaHome: join(root, 'test/render/fixtures/no-home') });
    const cmd = registry.component('webservice')!.schema.properties!['cmd']!;
    expect(cmd.description).toBe('the command the container runs, e.g. ["node", "server.js"]');
    expect(cmd['x-short']).toBe('c');
  });
});
