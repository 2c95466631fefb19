/**
 * How an Appfile service's keys are read (resolve/classify-keys.ts): reserved
 * keys, parameters, trait sections, `traits:`, unknown keys with suggestions,
 * and validation against the definitions' schemas at the offending value.
 */
import { describe, expect, it } from 'vitest';
import type { Definition } from '../../../src/capability/types.js';
import { formatDiagnostic } from '../../../src/source/index.js';
import { errorsOf, parse, show, yaml } from '../helpers.js';
import { defs, makeRegistry } from '../registry.js';

describe('resolve: service keys', () => {
  const app = (...svc: string[]) => yaml('name: shop', 'services:', '  web:', ...svc.map((l) => `    ${l}`));

  it('reports an unknown component type at its value, with the closest name and the list', () => {
    expect(errorsOf(app('type: websevice', 'image: nginx', 'whatever: 1'))).toEqual([
      'vela.yaml:4:11: services.web.type: unknown component type "websevice" [did you mean `webservice`? (available: webservice, worker, task, raw)]',
    ]);
    expect(errorsOf(app('type: 3'))).toEqual(['vela.yaml:4:11: services.web.type: type must be the name of a component definition (got 3)']);
  });

  it('reports an unknown key at the key, naming the service and type, with a suggestion', () => {
    expect(errorsOf(app('image: nginx', 'scaller: {replicas: 2}', 'prot: 80', 'depends_on: [x]'))).toEqual([
      'vela.yaml:5:5: services.web.scaller: unknown key: not a parameter of component "webservice", nor a trait that applies to it [did you mean `scaler`?]',
      'vela.yaml:6:5: services.web.prot: unknown key: not a parameter of component "webservice", nor a trait that applies to it [did you mean `port`?]',
      'vela.yaml:7:5: services.web.depends_on: unknown key: not a parameter of component "webservice", nor a trait that applies to it [did you mean `dependsOn`?]',
    ]);
  });

  it('lists parameters and traits when nothing is close', () => {
    expect(errorsOf(app('image: nginx', 'zzzzzzzz: 1'))).toEqual([
      'vela.yaml:5:5: services.web.zzzzzzzz: unknown key: not a parameter of component "webservice", nor a trait that applies to it [parameters of webservice: image, port, ports, cmd, env, imagePullPolicy, cpu, memory; traits: scaler, gateway, sidecar, labels, env (see `vela show webservice`)]',
    ]);
  });

  it('reports a trait that exists but does not apply', () => {
    expect(errorsOf(yaml('name: shop', 'services:', '  job:', '    type: task', '    image: busybox', '    sidecar: {name: s, image: x}'))).toEqual([
      'vela.yaml:6:5: services.job: trait "sidecar" does not apply to component type "task" [sidecar applies to webservice, worker]',
    ]);
    expect(errorsOf(yaml('name: shop', 'services:', '  job:', '    type: task', '    image: busybox', '    traits:', '      scaler: {}'))).toEqual([
      'vela.yaml:7:7: services.job: trait "scaler" does not apply to component type "task" [scaler applies to webservice, worker]',
    ]);
  });

  it('wants a trait section to be a map, with an example', () => {
    expect(errorsOf(app('image: nginx', 'scaler: 3', 'gateway: [a]'))).toEqual([
      "vela.yaml:5:13: services.web.scaler: a trait section must be a map of the trait's properties (got 3) [for example `scaler: {replicas: 3}`]",
      "vela.yaml:6:14: services.web.gateway: a trait section must be a map of the trait's properties (got a list) [for example `gateway: {...}`]",
    ]);
  });

  it('reads the traits map: unknown names, twice the same trait, and an empty section', () => {
    expect(errorsOf(app('image: nginx', 'scaler: {replicas: 2}', 'traits:', '  scaler: {replicas: 3}', '  gatewy: {}'))).toEqual([
      'vela.yaml:7:7: services.web: trait "scaler" is given twice [merge the two sections into one]',
      'vela.yaml:8:7: services.web.traits: unknown trait "gatewy" [did you mean `gateway`?]',
    ]);
    const r = parse(app('image: nginx', 'traits:', '  scaler:'));
    expect(r.diagnostics).toEqual([]);
    expect(r.app!.services[0]!.traits).toMatchObject([{ name: 'scaler', properties: {} }]);
    expect(errorsOf(app('image: nginx', 'traits: [scaler]'))).toEqual([
      'vela.yaml:5:13: services.web.traits: traits must be a map of trait name to properties (got a list) [for example `traits: {scaler: {replicas: 2}}`]',
    ]);
  });

  it('wants a service to be a map', () => {
    expect(errorsOf(yaml('name: shop', 'services:', '  web: nginx'))).toEqual([
      'vela.yaml:3:8: services.web: a service must be a map of its settings (got "nginx") [for example `web: {image: nginx:1.27}`]',
    ]);
    // An empty service is a webservice without its required image.
    expect(errorsOf(yaml('name: shop', 'services:', '  web:'))).toEqual(['vela.yaml:3:3: services.web: missing required parameter "image"']);
  });
});

describe('resolve: parameter and trait validation', () => {
  const app = (...svc: string[]) => yaml('name: shop', 'services:', '  web:', ...svc.map((l) => `    ${l}`));

  it('points at the offending value', () => {
    expect(
      errorsOf(
        app(
          'image: nginx',
          'port: "80"',
          'imagePullPolicy: Sometimes',
          'ports: [{port: 80, protocol: tcp, expose: "yes"}]',
          'cmd: [node, 3]',
          'env: [{name: A, value: 1}, {value: b}]',
          'scaler: {replicas: -1}',
        ),
      ),
    ).toEqual([
      'vela.yaml:5:11: services.web.port: must be integer (got "80") [write 80 without quotes]',
      'vela.yaml:6:22: services.web.imagePullPolicy: must be one of "Always", "Never", "IfNotPresent" (got "Sometimes")',
      'vela.yaml:7:34: services.web.ports[0].protocol: must be one of "TCP", "UDP", "SCTP" (got "tcp") [did you mean "TCP"?]',
      'vela.yaml:7:47: services.web.ports[0].expose: must be boolean (got "yes") [write true (YAML 1.2 reads "yes" as a string)]',
      'vela.yaml:8:17: services.web.cmd[1]: must be string (got 3)',
      'vela.yaml:9:28: services.web.env[0].value: must be string (got 1)',
      'vela.yaml:9:32: services.web.env[1]: missing required field "name"',
      'vela.yaml:10:24: services.web.scaler.replicas: must be >= 0 (got -1)',
    ]);
  });

  it('reports a missing required parameter at the service key', () => {
    expect(errorsOf(app('port: 80'))).toEqual(['vela.yaml:3:3: services.web: missing required parameter "image"']);
    expect(errorsOf(app('image: nginx', 'gateway:', '  domain: shop.example.com'))).toEqual([
      'vela.yaml:5:5: services.web.gateway: missing required parameter "http"',
    ]);
  });

  it('reports an unknown property of a trait at its key, with a suggestion', () => {
    expect(errorsOf(app('image: nginx', 'gateway: {domain: x, http: {"/": 80}, clas: nginx}'))).toEqual([
      'vela.yaml:5:43: services.web.gateway: unknown parameter "clas" [did you mean `class`?]',
    ]);
  });

  it('reduces anyOf noise to the useful error', () => {
    expect(errorsOf(app('image: nginx', 'memory: 1Tb'))).toEqual([
      'vela.yaml:5:13: services.web.memory: must match the pattern "^[0-9]+(Mi|Gi)$" (got "1Tb")',
    ]);
    expect(errorsOf(app('image: nginx', 'memory: 0'))).toEqual(['vela.yaml:5:13: services.web.memory: must be >= 1 (got 0)']);
    expect(errorsOf(app('image: nginx', 'memory: [1]'))).toEqual(['vela.yaml:5:13: services.web.memory: must be string or integer (got a list)']);
  });

  it('requires an image name when a build section is given', () => {
    expect(errorsOf(app('build: {docker: {context: .}}', 'port: 80'))).toEqual([
      'vela.yaml:4:5: services.web: `build` needs `image`: the name to give the built image [add for example `image: localhost:5000/web`]',
    ]);
  });

  it('prints a diagnostic with a code frame', () => {
    const r = parse(app('image: nginx', 'port: "80"'));
    expect(formatDiagnostic(r.diagnostics[0]!)).toBe(
      [
        'error: vela.yaml:5:11: services.web.port: must be integer (got "80")',
        '  4 |     image: nginx',
        '> 5 |     port: "80"',
        '    |           ^^^^',
        '  hint: write 80 without quotes',
      ].join('\n'),
    );
    const u = parse(app('image: nginx', 'scaller: {replicas: 2}'));
    expect(formatDiagnostic(u.diagnostics[0]!)).toBe(
      [
        'error: vela.yaml:5:5: services.web.scaller: unknown key: not a parameter of component "webservice", nor a trait that applies to it',
        '  4 |     image: nginx',
        '> 5 |     scaller: {replicas: 2}',
        '    |     ^^^^^^^',
        '  hint: did you mean `scaler`?',
      ].join('\n'),
    );
  });
});

describe('resolve: reserved keys and unusual schemas', () => {
  it('reads type, build, dependsOn and traits as reserved even when a component declares them', () => {
    const odd: Definition = {
      ...defs.worker,
      name: 'odd',
      schema: {
        type: 'object',
        properties: { image: { type: 'string' }, build: { type: 'string' }, traits: { type: 'integer' }, dependsOn: { type: 'boolean' } },
        additionalProperties: false,
      },
    };
    const reg = makeRegistry([odd, defs.scaler, defs.labels]);
    const r = parse(yaml('name: shop', 'services:', '  a: {type: odd, image: x, build: ./a, dependsOn: [b], traits: {labels: {k: v}}}', '  b: {type: odd, image: y}'), { registry: reg, dir: '.' });
    expect(r.diagnostics.map(show)).toEqual([]);
    const a = r.app!.services[0]!;
    expect(a.params).toEqual({ image: 'x' });
    expect(a.build).toMatchObject({ context: './a' });
    expect(a.dependsOn).toEqual(['b']);
    expect(a.traits.map((t) => t.name)).toEqual(['labels']);
  });

  it('takes parameters declared in the branches of a disjunction', () => {
    const either: Definition = {
      ...defs.worker,
      name: 'either',
      schema: {
        type: 'object',
        anyOf: [
          { properties: { image: { type: 'string' } }, required: ['image'] },
          { properties: { objects: { type: 'array' } }, required: ['objects'] },
        ],
      },
    };
    const reg = makeRegistry([either, defs.scaler]);
    const parseWith = (svc: string) => parse(yaml('name: shop', 'services:', `  a: {type: either, ${svc}}`), { registry: reg, dir: '.' });
    expect(parseWith('objects: [], scaler: {replicas: 1}').app!.services[0]!.params).toEqual({ objects: [] });
    expect(parseWith('objets: []').diagnostics.map(show)).toEqual([
      // Neither branch fits; the first of the closest is reported.
      'vela.yaml:3:3: services.a: missing required parameter "image"',
      'vela.yaml:3:21: services.a.objets: unknown key: not a parameter of component "either", nor a trait that applies to it [did you mean `objects`?]',
    ]);
  });

  it('reports a missing default component type', () => {
    const reg = makeRegistry([defs.worker]);
    const r = parse(yaml('name: shop', 'services:', '  a: {image: x}'), { registry: reg, dir: '.' });
    expect(r.diagnostics.map(show)).toEqual([
      'vela.yaml:3:3: services.a: the default component type "webservice" is not defined [available: worker]',
    ]);
  });
});
