import { describe, expect, it } from 'vitest';
import { parseAppfile } from '../../src/appfile/index.js';
import type { Definition } from '../../src/capability/types.js';
import { formatDiagnostic, formatPos, SourceFile } from '../../src/source/index.js';
import { errorsOf, parse, show, yaml } from './helpers.js';
import { defs, makeRegistry } from './registry.js';

const shop = yaml(
  'name: shop', //                                   1
  'namespace: shop-prod', //                         2
  'services:', //                                    3
  '  frontend:', //                                  4
  '    image: localhost:5000/shop/frontend', //      5
  '    build:', //                                   6
  '      docker:', //                                7
  '        file: Dockerfile.prod', //                8
  '        context: ./frontend', //                  9
  '        args: {NODE_ENV: production, WORKERS: 4, DEBUG: false}', // 10
  '        target: runtime', //                      11
  '      push:', //                                  12
  '        registry: localhost:5000', //             13
  '    dependsOn: [api]', //                         14
  '    port: 8080', //                               15
  '    cmd: ["node", "server.js"]', //               16
  '    scaler: {replicas: 2}', //                    17
  '    gateway: {domain: shop.example.com, http: {"/": 8080}}', // 18
  '    traits:', //                                  19
  '      env: {env: {A: "1"}}', //                   20
  '    env: [{name: LOG, value: debug}]', //         21
  '  api:', //                                       22
  '    type: worker', //                             23
  '    image: localhost:5000/shop/api:v1', //        24
  '    sidecar: {name: proxy, image: envoy:v1}', //  25
  '  db:', //                                        26
  '    type: raw', //                                27
  '    anything: {goes: [1, 2]}', //                 28
  '    labels: {tier: data}', //                     29
);

describe('parseAppfile: a valid Appfile', () => {
  const r = parse(shop);
  const app = r.app!;

  it('has no diagnostics and a model', () => {
    expect(r.diagnostics.map(show)).toEqual([]);
    expect(app.name).toBe('shop');
    expect(app.namespace).toBe('shop-prod');
    expect(app.dir).toBe('/home/me/shop');
  });

  it('keeps services in file order, with the default type', () => {
    expect(app.services.map((s) => [s.name, s.type])).toEqual([
      ['frontend', 'webservice'],
      ['api', 'worker'],
      ['db', 'raw'],
    ]);
  });

  it('sorts keys into parameters and traits, in file order', () => {
    const [fe, api, db] = app.services;
    expect(fe!.params).toEqual({
      image: 'localhost:5000/shop/frontend',
      port: 8080,
      cmd: ['node', 'server.js'],
      env: [{ name: 'LOG', value: 'debug' }],
    });
    expect(Object.keys(fe!.params)).toEqual(['image', 'port', 'cmd', 'env']);
    expect(fe!.image).toBe('localhost:5000/shop/frontend');
    expect(fe!.dependsOn).toEqual(['api']);
    expect(fe!.traits.map((t) => [t.name, t.properties, t.path])).toEqual([
      ['scaler', { replicas: 2 }, ['services', 'frontend', 'scaler']],
      ['gateway', { domain: 'shop.example.com', http: { '/': 8080 } }, ['services', 'frontend', 'gateway']],
      // `env` is a webservice parameter; under `traits:` it is the env trait.
      ['env', { env: { A: '1' } }, ['services', 'frontend', 'traits', 'env']],
    ]);
    expect(api!.traits.map((t) => t.name)).toEqual(['sidecar']);
    expect(api!.params).toEqual({ image: 'localhost:5000/shop/api:v1' });
    // An open schema takes any key as a parameter, but trait names stay traits.
    expect(db!.params).toEqual({ anything: { goes: [1, 2] } });
    expect(db!.traits.map((t) => t.name)).toEqual(['labels']);
  });

  it('reads the build section; build args become strings', () => {
    expect(app.services[0]!.build).toMatchObject({
      dockerfile: 'Dockerfile.prod',
      context: './frontend',
      args: { NODE_ENV: 'production', WORKERS: '4', DEBUG: 'false' },
      target: 'runtime',
      pushRegistry: 'localhost:5000',
    });
    expect(formatPos(app.services[0]!.build!.span)).toBe('vela.yaml:6:5');
  });

  it('keeps positions of services, types, traits and values', () => {
    const [fe, api] = app.services;
    expect(formatPos(fe!.span)).toBe('vela.yaml:4:3');
    expect(fe!.typeSpan).toBeUndefined();
    expect(formatPos(api!.typeSpan!)).toBe('vela.yaml:23:11');
    expect(fe!.traits.map((t) => formatPos(t.span))).toEqual(['vela.yaml:17:5', 'vela.yaml:18:5', 'vela.yaml:20:7']);
    const at = (p: (string | number)[]) => formatPos(app.locate(p)!);
    expect(at(['services', 'frontend', 'port'])).toBe('vela.yaml:15:11');
    expect(at(['services', 'frontend', 'cmd', 1])).toBe('vela.yaml:16:19');
    expect(at(['services', 'frontend', 'gateway', 'http', '/'])).toBe('vela.yaml:18:53');
    // A path that does not exist gives its closest ancestor.
    expect(at(['services', 'frontend', 'scaler', 'nope'])).toBe('vela.yaml:17:13');
    expect(at([])).toBe('vela.yaml:1:1');
  });

  it('reads JSON too (vela.json)', () => {
    const json = JSON.stringify({ name: 'shop', services: { web: { image: 'nginx', port: 80 } } }, null, 2);
    const j = parse(json, { name: 'vela.json' });
    expect(j.diagnostics).toEqual([]);
    expect(j.app!.services[0]!.params).toEqual({ image: 'nginx', port: 80 });
    expect(formatPos(j.app!.locate(['services', 'web', 'port'])!)).toBe('vela.json:6:15');
  });

  it('accepts `build: DIR` as the context and allows x- keys for anchors', () => {
    const r2 = parse(
      yaml(
        'x-base: &base {image: nginx:1.27, port: 80}',
        'name: shop',
        'services:',
        '  web:',
        '    <<: *base',
        '    port: 8080',
        '    build: ./web',
      ),
    );
    expect(r2.diagnostics.map(show)).toEqual([]);
    const web = r2.app!.services[0]!;
    expect(web.params).toEqual({ port: 8080, image: 'nginx:1.27' });
    expect(web.build).toMatchObject({ context: './web', dockerfile: 'Dockerfile', args: {} });
  });
});

describe('parseAppfile: top level', () => {
  it('requires name and services, with hints', () => {
    expect(errorsOf('namespace: x\n')).toEqual([
      'vela.yaml:1:1: missing required key "name" [add `name: shop`]',
      'vela.yaml:1:1: missing required key "services" [add `services:` with at least one service, e.g. `services: {web: {image: nginx:1.27}}`]',
    ]);
  });

  it('checks names are DNS-1123 labels', () => {
    expect(errorsOf(yaml('name: My_Shop', 'namespace: "-x"', 'services:', '  Web:', '    image: nginx'))).toEqual([
      'vela.yaml:1:7: name: invalid app name "My_Shop": must consist of lowercase letters, digits and "-", and start and end with a letter or digit [try "my-shop"]',
      'vela.yaml:2:12: namespace: invalid namespace "-x": must consist of lowercase letters, digits and "-", and start and end with a letter or digit [try "x"]',
      'vela.yaml:4:3: services: invalid service name "Web": must consist of lowercase letters, digits and "-", and start and end with a letter or digit [try "web"]',
    ]);
    const long = 'a'.repeat(64);
    expect(errorsOf(yaml('name: shop', 'services:', `  ${long}:`, '    image: nginx'))).toEqual([
      `vela.yaml:3:3: services: invalid service name "${long}": must be at most 63 characters (it has 64) [try "${'a'.repeat(63)}"]`,
    ]);
    expect(errorsOf(yaml('name: 42', 'services: {web: {image: nginx}}'))).toEqual([
      'vela.yaml:1:7: name: the app name must be a string (got 42) [quote it: `name: "42"`]',
    ]);
  });

  it('rejects unknown top-level keys with a suggestion', () => {
    expect(errorsOf(yaml('name: shop', 'servics: {}', 'services: {web: {image: nginx}}', 'kind: Application'))).toEqual([
      'vela.yaml:2:1: unknown top-level key "servics" [did you mean `services`?]',
      'vela.yaml:4:1: unknown top-level key "kind" [this looks like a Kubernetes object; an Appfile has `name`, `namespace` and `services`]',
    ]);
  });

  it('wants services to be a non-empty map', () => {
    expect(errorsOf(yaml('name: shop', 'services:'))).toEqual([
      'vela.yaml:2:1: services: services must list at least one service [for example `services: {web: {image: nginx:1.27}}`]',
    ]);
    expect(errorsOf(yaml('name: shop', 'services: {}'))).toEqual(['vela.yaml:2:11: services: services must list at least one service']);
    expect(errorsOf(yaml('name: shop', 'services:', '  - web'))).toEqual([
      'vela.yaml:3:3: services: services must be a map of service name to settings (got a list) [for example `services: {web: {image: nginx:1.27}}`]',
    ]);
    expect(errorsOf('- a\n')).toEqual(['vela.yaml:1:1: an Appfile must be a map with `name` and `services` (got a list)']);
  });

  it('reports a duplicate service with both positions', () => {
    const r = parse(yaml('name: shop', 'services:', '  web:', '    image: a', '  web:', '    image: b'));
    expect(r.app).toBeUndefined();
    expect(r.diagnostics.map(show)).toEqual(['vela.yaml:5:3: services: duplicate service "web" [\"web\" is already set at line 3; keep one of them]']);
    expect(r.diagnostics[0]!.related!.map(formatPos)).toEqual(['vela.yaml:3:3']);
  });
});

describe('parseAppfile: service keys', () => {
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

describe('parseAppfile: parameter and trait validation', () => {
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

describe('parseAppfile: build', () => {
  const app = (...svc: string[]) => yaml('name: shop', 'services:', '  web:', '    image: shop/web', ...svc.map((l) => `    ${l}`));

  it('rejects unknown keys and wrong shapes with hints', () => {
    expect(
      errorsOf(
        app(
          'build:',
          '  context: .',
          '  docker: {file: 3, dockerfile: x, args: {A: 1, B: [x], C: }}',
          '  push: {registry: "https://localhost:5000/", local: kind}',
        ),
      ),
    ).toEqual([
      'vela.yaml:6:7: services.web.build: unknown key "context" in build [`context` goes under `docker:`, as in `build: {docker: {context: ...}}`]',
      'vela.yaml:7:22: services.web.build.docker.file: must be a non-empty string (got 3)',
      'vela.yaml:7:25: services.web.build.docker: unknown key "dockerfile" in docker [did you mean `file`?]',
      'vela.yaml:7:56: services.web.build.docker.args.B: build arg "B" must be a string (got a list)',
      'vela.yaml:7:61: services.web.build.docker.args.C: build arg "C" has no value [vela does not read build args from the environment; give the value here]',
      'vela.yaml:8:24: services.web.build.push.registry: a registry is a host name, not a URL [write `localhost:5000`]',
      'vela.yaml:8:51: services.web.build.push: unknown key "local" in push [vela does not load images into kind; push them to a registry the cluster can pull from]',
    ]);
  });

  it('accepts build args as a KEY=VALUE list', () => {
    const r = parse(app('build: {docker: {args: ["A=1", "B=x=y"]}}'));
    expect(r.diagnostics).toEqual([]);
    expect(r.app!.services[0]!.build!.args).toEqual({ A: '1', B: 'x=y' });
  });
});

describe('parseAppfile: dependsOn', () => {
  it('checks names, self references and repeats', () => {
    expect(
      errorsOf(
        yaml('name: shop', 'services:', '  web:', '    image: a', '    dependsOn: [web, apii, db, db]', '  api: {image: b, dependsOn: api}', '  db: {image: c}'),
      ),
    ).toEqual([
      'vela.yaml:5:17: services.web.dependsOn: service "web" cannot depend on itself',
      'vela.yaml:5:22: services.web.dependsOn: unknown service "apii" [did you mean `api`?]',
      'vela.yaml:5:32: services.web.dependsOn: "db" is listed twice',
      'vela.yaml:6:30: services.api.dependsOn: must be a list of service names (got "api") [for example `dependsOn: [api]`]',
    ]);
  });

  it('reports a cycle once, naming it, with every edge', () => {
    const r = parse(
      yaml(
        'name: shop',
        'services:',
        '  a: {image: x, dependsOn: [b]}',
        '  b: {image: x, dependsOn: [c]}',
        '  c: {image: x, dependsOn: [a]}',
        '  d: {image: x, dependsOn: [a]}',
      ),
    );
    expect(r.diagnostics.map(show)).toEqual([
      'vela.yaml:5:29: services.c.dependsOn: dependency cycle: a -> b -> c -> a [remove one of these dependsOn entries]',
    ]);
    expect(r.diagnostics[0]!.related!.map(formatPos)).toEqual(['vela.yaml:3:29', 'vela.yaml:4:29']);
  });
});

describe('parseAppfile: reserved keys and unusual schemas', () => {
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
    const r = parseAppfile(
      new SourceFile('vela.yaml', yaml('name: shop', 'services:', '  a: {type: odd, image: x, build: ./a, dependsOn: [b], traits: {labels: {k: v}}}', '  b: {type: odd, image: y}')),
      reg,
      { dir: '.' },
    );
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
    const parseWith = (svc: string) => parseAppfile(new SourceFile('vela.yaml', yaml('name: shop', 'services:', `  a: {type: either, ${svc}}`)), reg, { dir: '.' });
    expect(parseWith('objects: [], scaler: {replicas: 1}').app!.services[0]!.params).toEqual({ objects: [] });
    expect(parseWith('objets: []').diagnostics.map(show)).toEqual([
      // Neither branch fits; the first of the closest is reported.
      'vela.yaml:3:3: services.a: missing required parameter "image"',
      'vela.yaml:3:21: services.a.objets: unknown key: not a parameter of component "either", nor a trait that applies to it [did you mean `objects`?]',
    ]);
  });

  it('reports a missing default component type', () => {
    const reg = makeRegistry([defs.worker]);
    const r = parseAppfile(new SourceFile('vela.yaml', yaml('name: shop', 'services:', '  a: {image: x}')), reg, { dir: '.' });
    expect(r.diagnostics.map(show)).toEqual([
      'vela.yaml:3:3: services.a: the default component type "webservice" is not defined [available: worker]',
    ]);
  });
});
