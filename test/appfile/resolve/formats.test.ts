/**
 * Resolving the raw app of each format against a hand-built set of
 * definitions (test/appfile/registry.ts): a converted compose service loses,
 * with a warning, what its component lacks; an Application's override
 * policies are applied when resolving, and errors in what they add point at
 * the policy.
 */
import { describe, expect, it } from 'vitest';
import { parseApplication, parseComposeFile, resolveAppModel } from '../../../src/appfile/index.js';
import { SourceFile, formatDiagnosticLine } from '../../../src/source/index.js';
import { yaml } from '../helpers.js';
import { defs, makeRegistry } from '../registry.js';

const lines = (r: ReturnType<typeof resolveAppModel>) => r.diagnostics.map((d) => `${d.severity} ${formatDiagnosticLine(d)}`);

describe('resolving a compose file', () => {
  const resolve = (text: string, registry = makeRegistry()) => resolveAppModel(parseComposeFile(new SourceFile('compose.yaml', text), { dir: '/shop', env: () => undefined }), registry);

  it('leaves out, with one warning each, what the component or the definitions lack', () => {
    const r = resolve(
      yaml(
        'services:',
        '  job:', //                                                                      2
        '    image: app',
        '    deploy: {resources: {limits: {cpus: "1", memory: 1g}, reservations: {cpus: "0.5"}}}', // 4
        '    volumes: ["data:/data"]', //                                                 5
        '    labels: {team: a}',
        '  web:', //                                                                      7
        '    image: app',
        '    ports: ["80"]',
        '    cpus: "2"', //                                                               10
        '    mem_reservation: 256m',
        '    healthcheck: {test: ["CMD", "true"]}', //                                    12
        'volumes: {data: {}}',
      ),
    );
    expect(lines(r)).toEqual([
      // worker has no cpu parameter: the resources go, said once.
      'warning compose.yaml:4:35: services.job: this component type has no cpu and memory parameters; resources ignored',
      'warning compose.yaml:5:5: services.job: the storage trait is not defined; ignored',
      'warning compose.yaml:12:5: services.web: component type "webservice" has no parameter "readinessProbe"; ignored',
      'warning compose.yaml:12:5: services.web: component type "webservice" has no parameter "livenessProbe"; ignored',
    ]);
    const [job, web] = r.app!.services;
    expect(job!.params).toEqual({ image: 'app' });
    expect(job!.traits.map((t) => t.name)).toEqual(['labels']);
    expect(web!.params).toEqual({ image: 'app', ports: [{ port: 80, expose: true }], cpu: '2', memory: '256Mi' });
  });

  it('refuses a service whose component type is not defined', () => {
    const r = resolve(yaml('services:', '  job: {image: app}'), makeRegistry([defs.webservice]));
    expect(r.app).toBeUndefined();
    expect(lines(r)).toEqual(['error compose.yaml:2:3: services.job: the component type "worker" this service needs is not defined']);
  });
});

describe('resolving an Application', () => {
  const app = (...policy: string[]) =>
    ['apiVersion: core.oam.dev/v1beta1', 'kind: Application', 'metadata: {name: demo}', 'spec:', '  components:', '    - {name: web, type: webservice, properties: {image: a, port: 80}}', '  policies:', ...policy, ''].join('\n');
  const resolve = (text: string) => resolveAppModel(parseApplication(new SourceFile('app.yaml', text), { dir: '/app' }), makeRegistry());

  it('applies override policies: properties merge-patched, traits added, a topology namespace', () => {
    const r = resolve(
      app(
        '    - {name: o, type: override, properties: {components: [{name: web, properties: {port: null, image: b}, traits: [{type: scaler, properties: {replicas: 3}}]}]}}',
        '    - {name: t, type: topology, properties: {clusters: [local], namespace: prod}}',
      ),
    );
    expect(lines(r)).toEqual([]);
    expect(r.app!.namespace).toBe('prod');
    expect(r.app!.services[0]!.params).toEqual({ image: 'b' });
    expect(r.app!.services[0]!.traits.map((t) => [t.name, t.properties])).toEqual([['scaler', { replicas: 3 }]]);
  });

  it('points errors in a trait an override adds at the override', () => {
    const r = resolve(
      app(
        '    - name: o',
        '      type: override',
        '      properties:',
        '        components:',
        '          - name: web',
        '            traits:',
        '              - {type: scaler, properties: {replicas: -1}}', // 14
        '              - {type: nosuch}', //                    15
      ),
    );
    expect(lines(r)).toEqual([
      'error app.yaml:14:55: services.web.traits.scaler.replicas: must be >= 0 (got -1)',
      'error app.yaml:15:24: spec.policies: unknown trait "nosuch"',
    ]);
  });

  it("points errors in a component's trait properties into the component", () => {
    const text = app('    []').replace('properties: {image: a, port: 80}}', 'properties: {image: a}, traits: [{type: scaler, properties: {replicas: -2}}]}');
    expect(lines(resolve(text))).toEqual(['error app.yaml:6:108: services.web.traits.scaler.replicas: must be >= 0 (got -2)']);
  });
});
