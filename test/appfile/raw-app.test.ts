/**
 * The parsers need no definitions: each gives a raw app with positions, whose
 * keys are not yet sorted into parameters and traits.
 */
import { describe, expect, it } from 'vitest';
import { parseApplication, parseAppfile, parseComposeFile } from '../../src/appfile/index.js';
import { mappedServiceKeys } from '../../src/appfile/compose/keys.js';
import { serviceConverters } from '../../src/appfile/compose/converters.js';
import { formatPos, SourceFile } from '../../src/source/index.js';
import { show, yaml } from './helpers.js';

describe('parseAppfile', () => {
  it('keeps every non-reserved key as written, in file order, `traits:` entries in its place', () => {
    const r = parseAppfile(
      new SourceFile(
        'vela.yaml',
        yaml('name: shop', 'services:', '  web:', '    type: worker', '    image: nginx', '    traits: {scaler: {replicas: 2}}', '    nosuchkey: 1', '    dependsOn: [db]', '  db: {image: postgres}'),
      ),
      { dir: '/app' },
    );
    expect(r.diagnostics).toEqual([]);
    const web = r.raw!.services[0]!;
    expect(web.type).toMatchObject({ name: 'worker' });
    expect(web.keys.map((k) => [k.as, k.key, k.value, k.path.join('.'), formatPos(k.keySpan)])).toEqual([
      ['key', 'image', 'nginx', 'services.web.image', 'vela.yaml:5:5'],
      ['trait', 'scaler', { replicas: 2 }, 'services.web.traits.scaler', 'vela.yaml:6:14'],
      // Unknown to a parser without definitions: resolve decides.
      ['key', 'nosuchkey', 1, 'services.web.nosuchkey', 'vela.yaml:7:5'],
    ]);
    expect(web.dependsOn.map((d) => d.name)).toEqual(['db']);
    expect(formatPos(r.raw!.origins.locate(['services', 'web', 'image'])!)).toBe('vela.yaml:5:12');
  });

  it('returns what it could read along with its errors, so resolving reports the services too', () => {
    const r = parseAppfile(new SourceFile('vela.yaml', yaml('services:', '  Web: {image: nginx, port: x}')), { dir: '/app' });
    expect(r.diagnostics.map(show)).toEqual([
      'vela.yaml:1:1: missing required key "name" [add `name: app`]',
      'vela.yaml:2:3: services: invalid service name "Web": must consist of lowercase letters, digits and "-", and start and end with a letter or digit [try "web"]',
    ]);
    expect(r.raw!.name).toBeUndefined();
    expect(r.raw!.services.map((s) => s.keys.map((k) => k.key))).toEqual([['image', 'port']]);
  });
});

describe('parseApplication', () => {
  it('keeps policies and the workflow as written, and components with their properties and traits', () => {
    const text = [
      'apiVersion: core.oam.dev/v1beta1',
      'kind: Application',
      'metadata: {name: demo}',
      'spec:',
      '  components:',
      '    - {name: web, type: nosuchtype, properties: {image: a}, traits: [{type: nosuchtrait, properties: {x: 1}}]}',
      '  policies:',
      '    - {name: o, type: override, properties: {components: [{name: web, properties: {image: b}}]}}',
      '  workflow:',
      '    steps: [{name: deploy, type: deploy}]',
      '',
    ].join('\n');
    const r = parseApplication(new SourceFile('app.yaml', text), { dir: '/app' });
    expect(r.diagnostics).toEqual([]);
    const raw = r.raw!;
    expect(raw.services.map((c) => [c.name, c.type.name, c.properties, c.traits.map((t) => [t.type, t.properties])])).toEqual([
      // Not overridden yet: policies are applied when resolving.
      ['web', 'nosuchtype', { image: 'a' }, [['nosuchtrait', { x: 1 }]]],
    ]);
    expect(raw.policies!.value.kind).toBe('seq');
    expect(formatPos(raw.policies!.keySpan)).toBe('app.yaml:7:3');
    expect(formatPos(raw.workflow!.keySpan)).toBe('app.yaml:9:3');
  });
});

describe('parseComposeFile', () => {
  it('converts keys to the parameters and traits they mean, each pointing at its compose line', () => {
    const text = yaml('services:', '  api:', '    image: app', '    ports: ["8080:80"]', '    deploy: {replicas: 2, resources: {limits: {cpus: "0.5"}}}');
    const r = parseComposeFile(new SourceFile('compose.yaml', text), { dir: '/shop', env: () => undefined });
    expect(r.diagnostics).toEqual([]);
    const api = r.raw!.services[0]!;
    expect(api.type).toBe('webservice');
    expect(api.params.map((p) => [p.key, p.value, p.unless?.param])).toEqual([
      ['image', 'app', undefined],
      ['ports', [{ port: 80, expose: true }], 'ports'],
      ['cpu', '500m', 'cpu'],
    ]);
    expect(api.traits.map((t) => [t.name, t.properties])).toEqual([['scaler', { replicas: 2 }]]);
    expect(formatPos(r.raw!.origins.locate(['services', 'api', 'ports', 0])!)).toBe('compose.yaml:4:13');
    expect(formatPos(r.raw!.origins.locate(['services', 'api', 'scaler'])!)).toBe('compose.yaml:5:24');
  });

  it('has a converter for every compose key vela maps (profiles decide which services exist at all)', () => {
    const converted = new Set(serviceConverters.flatMap((c) => c.keys));
    expect(mappedServiceKeys.filter((k) => !converted.has(k))).toEqual(['profiles']);
  });
});
