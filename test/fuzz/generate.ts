/**
 * Seeded generators of hostile inputs, one per kind vela reads: Appfiles,
 * compose files, KubeVela Applications and capability definitions. Each mixes
 * plausible structure (so that many inputs are accepted and reach rendering)
 * with the values that broke vela before: YAML 1.1 traps, ports and integers
 * out of range, invalid names and label keys, negative quantities, empty
 * probes, keys named like members of Object, deep nesting, aliases, and text
 * mutations that break the YAML itself. The same (seed, index) gives the same
 * input on every machine.
 */
import { stringify } from 'yaml';
import { randomSource, type Random } from './random.js';

export type FuzzKind = 'appfile' | 'compose' | 'application' | 'definition';

export interface FuzzInput {
  readonly kind: FuzzKind;
  /** The file to load, by name (vela.yaml, compose.yaml, app.yaml). */
  readonly file: string;
  readonly text: string;
  /** A definition file for `.vela/definitions/` (kind `definition`). */
  readonly definition?: string;
}

/** The input of a kind at a seed and an index: reproducible one by one. */
export function fuzzInput(kind: FuzzKind, seed: number, index: number): FuzzInput {
  const rnd = randomSource((seed ^ Math.imul(index + 1, 0x9e3779b1) ^ KIND_SALT[kind]) >>> 0);
  switch (kind) {
    case 'appfile':
      return { kind, file: 'vela.yaml', text: mutate(rnd, stringify(appfile(rnd), { lineWidth: 0 })) };
    case 'compose':
      return { kind, file: 'compose.yaml', text: mutate(rnd, stringify(compose(rnd), { lineWidth: 0 })) };
    case 'application':
      return { kind, file: 'app.yaml', text: mutate(rnd, stringify(application(rnd), { lineWidth: 0 })) };
    case 'definition': {
      const d = definition(rnd);
      return { kind, file: 'vela.yaml', text: stringify(d.appfile, { lineWidth: 0 }), definition: d.text };
    }
  }
}

const KIND_SALT: Record<FuzzKind, number> = { appfile: 0x1111, compose: 0x2222, application: 0x3333, definition: 0x4444 };

const TRAPS = ['yes', 'no', 'on', 'off', 'y', 'N', 'TRUE', '~', 'null', '0777', '0x1F', '1_000', '.5', '1e3', '1:30', '.inf', '.NaN', '2001-12-14', '<<', '='];
const NAMES = ['web', 'api', 'db', 'worker-1', 'a', 'x'.repeat(63), 'x'.repeat(64), '123', 'Web', 'we_b', 'web-', '-web', 'a.b', '__proto__', 'constructor', 'toString', 'ünï', ''];
const KEYS = ['app', 'tier', 'example.com/team', 'app.kubernetes.io/name', 'bad key', '/x', 'Example.com/x', 'a'.repeat(64), '__proto__', 'constructor', 'toString', '-lead', 'trail-', '9to5'];
const ENV_NAMES = ['LOG_LEVEL', 'A', 'my.var', '_X', '1BAD', 'A B', '', 'toString', '__proto__', 'x-y'];
const QUANTITIES = ['100m', '0.5', '1', '128Mi', '1Gi', '2G', '-100m', '-1', 'lots', '1e3', '', '0'];
const PORTS = [80, 8080, 443, 1, 65535, 0, 65536, 70000, -1, 2 ** 31, 2 ** 53, 1.5];
const PORT_NAMES = ['http', 'grpc', 'metrics', 'a23456789012345', 'http-port-is-long', '8080', 'HTTP', 'a--b', '-x', ''];
const IMAGES = ['nginx:1.27', 'redis:7-alpine', 'localhost:5000/shop/api:v1', 'ghcr.io/example/app@sha256:' + 'a'.repeat(64), '', 'UPPER/case', 'nginx:1.27 extra'];

function pickMaybe<T>(rnd: Random, valid: readonly T[], hostile: readonly T[], p = 0.2): T {
  return rnd.chance(p) ? rnd.pick(hostile) : rnd.pick(valid);
}

/** A scalar from everything YAML can say, weighted to the odd. */
function anyScalar(rnd: Random): unknown {
  switch (rnd.int(0, 9)) {
    case 0:
      return rnd.pick(TRAPS);
    case 1:
      return rnd.pick([0, -1, 1.5, 2 ** 31, 2 ** 53, -(2 ** 63), 1e308]);
    case 2:
      return rnd.pick([true, false, null]);
    case 3:
      return 'x'.repeat(rnd.int(0, 3) * 100);
    case 4:
      return rnd.pick(['${HOME}', '$$', '${X:-${Y:-z}}', '${toString}', '%s', '\u0000', '\t', 'a\nb', ' \n', 'ünïcode ✓']);
    default:
      return rnd.pick(['value', 'hello world', '80', 'nginx', 'a=b', 'k:v']);
  }
}

function anyValue(rnd: Random, depth = 0): unknown {
  const r = rnd.int(0, 9);
  if (depth > 3 || r < 6) return anyScalar(rnd);
  if (r < 8) return Array.from({ length: rnd.int(0, 3) }, () => anyValue(rnd, depth + 1));
  return anyMap(rnd, depth + 1);
}

function anyMap(rnd: Random, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (let i = rnd.int(0, 3); i > 0; i--) out[rnd.pick([...KEYS, 'name', 'value', 'port'])] = anyValue(rnd, depth);
  return out;
}

function labels(rnd: Random): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (let i = rnd.int(1, 3); i > 0; i--) out[pickMaybe(rnd, ['app', 'tier', 'example.com/team'], KEYS)] = pickMaybe(rnd, ['web', 'v1', ''], [...TRAPS, 'x'.repeat(64), 'bad value', 'x-']);
  return out;
}

function probe(rnd: Random): Record<string, unknown> {
  return rnd.pick([
    { httpGet: { path: '/', port: pickMaybe(rnd, [80, 8080], PORTS) } },
    { tcpSocket: { port: pickMaybe(rnd, [80], PORTS) } },
    { exec: { command: ['true'] } },
    {},
    { periodSeconds: rnd.pick([5, -1, 2 ** 31]) },
  ]);
}

function serviceParams(rnd: Random, type: string): Record<string, unknown> {
  const s: Record<string, unknown> = { type, image: pickMaybe(rnd, IMAGES.slice(0, 4), IMAGES, 0.1) };
  const add = (p: number, key: string, value: () => unknown) => {
    if (rnd.chance(p)) s[key] = value();
  };
  // Mostly what the type has (ports and Services for the serving types, replicas for Deployments and StatefulSets), sometimes not.
  const serving = ['webservice', 'statefulset', 'daemon'].includes(type) || rnd.chance(0.05);
  const scalable = ['webservice', 'worker', 'statefulset'].includes(type) || rnd.chance(0.05);
  const routable = ['webservice', 'statefulset'].includes(type) || rnd.chance(0.05);
  add(serving ? 0.4 : 0, 'port', () => pickMaybe(rnd, [80, 8080], PORTS));
  add(serving ? 0.3 : 0, 'ports', () => Array.from({ length: rnd.int(1, 3) }, () => ({ port: pickMaybe(rnd, [80, 8080, 9090], PORTS), ...(rnd.chance(0.6) ? { name: pickMaybe(rnd, ['http', 'grpc', 'metrics'], PORT_NAMES) } : {}), expose: rnd.chance(0.5) })));
  add(0.3, 'cmd', () => rnd.pick([['sh', '-c', 'echo yes'], ['on'], [], 'not a list']));
  add(0.3, 'env', () => Array.from({ length: rnd.int(1, 3) }, () => ({ name: pickMaybe(rnd, ['LOG_LEVEL', 'A', 'my.var'], ENV_NAMES), value: rnd.chance(0.5) ? rnd.pick(TRAPS) : String(anyScalar(rnd)) })));
  add(0.25, 'cpu', () => pickMaybe(rnd, ['100m', '0.5', '1'], QUANTITIES));
  add(0.25, 'memory', () => pickMaybe(rnd, ['128Mi', '1Gi'], QUANTITIES));
  add(0.2, 'readinessProbe', () => probe(rnd));
  add(0.2, 'livenessProbe', () => probe(rnd));
  add(0.2, 'labels', () => labels(rnd));
  add(0.15, 'annotations', () => labels(rnd));
  add(scalable ? 0.2 : 0, 'scaler', () => ({ replicas: pickMaybe(rnd, [1, 2, 3], [0, -1, 2 ** 31, 2 ** 32, 1.5, 'two']) }));
  add(0.1, 'resource', () => ({ cpu: pickMaybe(rnd, ['250m', '1'], [...QUANTITIES, 1, 0.5]), memory: pickMaybe(rnd, ['256Mi'], QUANTITIES) }));
  add(serving ? 0.1 : 0, 'expose', () => ({ port: [pickMaybe(rnd, [80], PORTS)] }));
  add(routable ? 0.1 : 0, 'gateway', () => ({ domain: pickMaybe(rnd, ['shop.example.com'], ['UPPER.example.com', '*.x', '']), http: { '/': pickMaybe(rnd, [80], PORTS) } }));
  add(routable ? 0.05 : 0, 'hpa', () => ({ min: rnd.pick([1, 0, -1]), max: rnd.pick([3, 1, 2 ** 31]), cpuUtil: rnd.pick([50, 0, 101, -5]) }));
  // Keys no definition has, and keys named like Object's members.
  add(0.1, rnd.pick(['toString', 'constructor', '__proto__', 'unknownKey', 'prot']), () => anyValue(rnd));
  return s;
}

function appfile(rnd: Random): Record<string, unknown> {
  const services: Record<string, unknown> = Object.create(null);
  for (let i = rnd.int(1, 3); i > 0; i--) {
    const type = pickMaybe(rnd, ['webservice', 'webservice', 'worker', 'task', 'daemon', 'statefulset', 'cron-task'], ['k8s-objects', 'no-such-type', ''], 0.05);
    const params = serviceParams(rnd, type);
    if (type === 'cron-task') params.schedule = pickMaybe(rnd, ['*/5 * * * *'], ['', 'yes', 'every minute']);
    services[pickMaybe(rnd, ['web', 'api', 'worker-1', 'db'], NAMES, 0.08)] = params;
  }
  const doc: Record<string, unknown> = { name: pickMaybe(rnd, ['shop', 'app'], NAMES, 0.1), services };
  if (rnd.chance(0.1)) doc.namespace = pickMaybe(rnd, ['shop'], NAMES);
  if (rnd.chance(0.05)) doc[rnd.pick(['policies', 'workflow', 'toString', 'extra'])] = anyValue(rnd);
  return doc;
}

function compose(rnd: Random): Record<string, unknown> {
  const services: Record<string, unknown> = Object.create(null);
  for (let i = rnd.int(1, 3); i > 0; i--) {
    const s: Record<string, unknown> = { image: pickMaybe(rnd, IMAGES.slice(0, 3), IMAGES, 0.1) };
    const add = (p: number, key: string, value: () => unknown) => {
      if (rnd.chance(p)) s[key] = value();
    };
    add(0.5, 'ports', () => Array.from({ length: rnd.int(1, 2) }, () => rnd.pick(['80', '8080:80', '127.0.0.1:80:80', '80/udp', '70000', '0', 'abc', '1-3', String(rnd.pick(PORTS))])));
    add(0.3, 'expose', () => [rnd.pick(['3000', '70000', 'x'])]);
    add(0.4, 'environment', () => (rnd.chance(0.5) ? { [pickMaybe(rnd, ['LOG_LEVEL', 'A'], ENV_NAMES)]: anyScalar(rnd) } : [rnd.pick(['A=1', 'B', '=x', '1BAD=2', 'toString=3', 'C=${toString}'])]));
    add(0.3, 'labels', () => labels(rnd));
    add(0.2, 'command', () => rnd.pick(['echo yes', ['sh', '-c', 'on'], '', 'unterminated "quote']));
    add(0.2, 'healthcheck', () => ({ test: rnd.pick([['CMD', 'true'], 'curl -f http://localhost', [], ['NONE']]), interval: rnd.pick(['10s', '1m30s', 'soon', '-5s']) }));
    add(0.2, 'deploy', () => ({ replicas: pickMaybe(rnd, [1, 2], [0, -1, 2 ** 31]), resources: { limits: { cpus: pickMaybe(rnd, ['0.5', '1'], ['-1', 'x', '0']), memory: pickMaybe(rnd, ['128M', '1g'], ['-1m', 'lots']) } } }));
    add(0.15, 'depends_on', () => [rnd.pick(['web', 'api', 'db', 'missing'])]);
    add(0.1, 'volumes', () => [rnd.pick(['data:/data', '/host:/data', './x:/y', 'tmp:/tmp:ro'])]);
    add(0.1, 'env_file', () => rnd.pick(['.env', '/proc/self/environ', '../outside.env', 'missing.env']));
    add(0.1, rnd.pick(['toString', 'constructor', '__proto__', 'extends', 'restart', 'x-ext']), () => anyValue(rnd));
    services[pickMaybe(rnd, ['web', 'api', 'db'], NAMES, 0.15)] = s;
  }
  const doc: Record<string, unknown> = { services };
  if (rnd.chance(0.3)) doc.name = pickMaybe(rnd, ['shop'], NAMES);
  if (rnd.chance(0.1)) doc.volumes = { data: {} };
  if (rnd.chance(0.05)) doc[rnd.pick(['version', 'networks', 'include', 'configs', 'secrets', 'toString'])] = anyValue(rnd);
  return doc;
}

function application(rnd: Random): Record<string, unknown> {
  const components = Array.from({ length: rnd.int(1, 3) }, () => {
    const { type, image, ...rest } = serviceParams(rnd, pickMaybe(rnd, ['webservice', 'worker', 'task'], ['no-such-type', ''], 0.05));
    const traits = Object.entries(rest)
      .filter(([k]) => ['scaler', 'labels', 'annotations', 'resource', 'expose', 'gateway', 'hpa'].includes(k))
      .map(([k, v]) => ({ type: k, properties: v }));
    const properties = Object.fromEntries(Object.entries(rest).filter(([k]) => !traits.some((t) => t.type === k)));
    return { name: pickMaybe(rnd, ['web', 'api', 'worker'], NAMES, 0.15), type, properties: { image, ...properties }, ...(traits.length ? { traits } : {}) };
  });
  const doc: Record<string, unknown> = { apiVersion: 'core.oam.dev/v1beta1', kind: 'Application', metadata: { name: pickMaybe(rnd, ['shop'], NAMES, 0.1) }, spec: { components } };
  if (rnd.chance(0.05)) (doc.spec as Record<string, unknown>)[rnd.pick(['policies', 'workflow', 'toString'])] = anyValue(rnd);
  return doc;
}

/** A component definition with a random parameter schema and output, and an Appfile that uses it. */
function definition(rnd: Random): { text: string; appfile: Record<string, unknown> } {
  const params = [
    ['replicas', rnd.pick(['*1 | int', 'int & >=0', '*1 | int & <=100', 'number'])],
    ['port', rnd.pick(['*80 | int', 'int & >0 & <65536', 'string | int'])],
    ['label', rnd.pick(['*"web" | string', 'string', '=~"^[a-z]+$"'])],
    ['items', rnd.pick(['*[] | [...string]', '[...int]', '[...{name: string}]'])],
  ] as const;
  const outputs = [
    'replicas: parameter.replicas',
    'data: {port: "\\(parameter.port)"}',
    'data: {label: parameter.label, upper: strings.ToUpper(parameter.label)}',
    'data: {n: "\\(len(parameter.items))"}',
    'data: {joined: strings.Join([for i in parameter.items {"\\(i)"}], ",")}',
    'data: {big: "\\(parameter.replicas * 1000000)"}',
    'data: {[parameter.label]: "x"}',
    'errs: [if parameter.replicas > 10 {"too many replicas"}]',
  ];
  const chosen = outputs.filter(() => rnd.chance(0.4));
  const body = chosen.filter((o) => !o.startsWith('replicas') && !o.startsWith('errs'));
  const kind = rnd.chance(0.7) ? 'ConfigMap' : 'Deployment';
  const dataLines = body.map((o) => `\t\t${o}`).join('\n');
  const errs = chosen.find((o) => o.startsWith('errs'));
  const text = [
    'import "strings"',
    '',
    'fuzzed: {',
    '\ttype: "component"',
    '\tdescription: "fuzzed"',
    `\tattributes: workload: definition: {apiVersion: "${kind === 'ConfigMap' ? 'v1' : 'apps/v1'}", kind: "${kind}"}`,
    '}',
    'template: {',
    '\toutput: {',
    `\t\tapiVersion: "${kind === 'ConfigMap' ? 'v1' : 'apps/v1'}"`,
    `\t\tkind: "${kind}"`,
    '\t\tmetadata: name: context.name',
    kind === 'Deployment'
      ? '\t\tspec: {replicas: parameter.replicas, selector: matchLabels: app: context.name, template: {metadata: labels: app: context.name, spec: containers: [{name: "main", image: "nginx:1.27"}]}}'
      : dataLines,
    '\t}',
    errs ? `\t${errs}` : '',
    '\tparameter: {',
    ...params.map(([name, type]) => `\t\t${name}${type.startsWith('*') ? '' : '?'}: ${type}`),
    '\t}',
    '}',
    '',
  ].join('\n');
  const given: Record<string, unknown> = { type: 'fuzzed' };
  if (rnd.chance(0.6)) given.replicas = pickMaybe(rnd, [1, 3], [-1, 11, 2 ** 31, 1.5, 'x']);
  if (rnd.chance(0.5)) given.port = pickMaybe(rnd, [80, 8080], PORTS);
  if (rnd.chance(0.5)) given.label = pickMaybe(rnd, ['web', 'api'], [...TRAPS, 'Bad Label', '']);
  if (rnd.chance(0.4)) given.items = rnd.pick([['a', 'b'], [1, 2], [], [{ name: 'x' }], 'x']);
  return { text, appfile: { name: 'fz', services: { [pickMaybe(rnd, ['web', 'api'], NAMES, 0.1)]: given } } };
}

/** Text mutations that break YAML in the ways people and generators do. */
function mutate(rnd: Random, text: string): string {
  if (!rnd.chance(0.2)) return text;
  const lines = text.split('\n');
  const at = rnd.int(0, Math.max(0, lines.length - 1));
  switch (rnd.int(0, 7)) {
    case 0:
      lines.splice(at, 1);
      break;
    case 1:
      lines.splice(at, 0, lines[at] ?? '');
      break;
    case 2:
      lines[at] = `\t${lines[at] ?? ''}`;
      break;
    case 3:
      lines[at] = `${lines[at] ?? ''} [`;
      break;
    case 4:
      lines[at] = `${lines[at] ?? ''} &a`;
      lines.push('extra: *a');
      break;
    case 5:
      lines.push(`deep: ${'['.repeat(rnd.int(10, 3000))}${']'.repeat(rnd.int(0, 3000))}`);
      break;
    case 6:
      lines.push('---', 'second: document');
      break;
    default:
      lines[at] = (lines[at] ?? '').slice(0, rnd.int(0, (lines[at] ?? '').length));
  }
  return lines.join('\n');
}

