import { describe, expect, it } from 'vitest';
import { formatPos } from '../../src/source/index.js';
import { errorsOf, parse, show, yaml } from './helpers.js';

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
