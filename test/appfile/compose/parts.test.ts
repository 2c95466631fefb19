/** The pieces of the compose reader: interpolation, .env, ports, units, format detection, and single rules of the conversion. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { detectFormat, interpolateString, parseComposeFile, parseDotenv } from '../../../src/appfile/compose/index.js';
import { readPort } from '../../../src/appfile/compose/ports.js';
import { cpuQuantity, durationSeconds, memoryQuantity } from '../../../src/appfile/compose/units.js';
import { shellSplit } from '../../../src/appfile/compose/command.js';
import { resolveAppModel } from '../../../src/appfile/index.js';
import { parseYamlTree } from '../../../src/appfile/yaml-tree.js';
import { loadRegistry } from '../../../src/pipeline/registry.js';
import { formatDiagnosticLine, SourceFile, type Diagnostic } from '../../../src/source/index.js';

const root = join(import.meta.dirname, '../../..');
const registry = (await loadRegistry({ cwd: root, velaHome: join(root, 'test/render/fixtures/no-home') })).registry;
const show = (ds: readonly Diagnostic[]) => ds.map((d) => `${d.severity} ${formatDiagnosticLine(d)}`);

function interp(text: string, vars: Record<string, string>) {
  const file = new SourceFile('c.yaml', `x: "${text}"\n`);
  const r = interpolateString(text, (n) => vars[n], { file, start: 3, end: 5 + text.length });
  return { value: r.value, errors: show(r.diagnostics) };
}

describe('interpolation', () => {
  it('substitutes the forms of the Compose Specification', () => {
    const vars = { A: 'a', EMPTY: '' };
    expect(interp('${A}-$A-${A:-d}-${A-d}-${A:+alt}-${A+alt}', vars).value).toBe('a-a-a-a-alt-alt');
    expect(interp('${EMPTY:-d}|${EMPTY-d}|${EMPTY:+x}|${EMPTY+x}', vars).value).toBe('d|||x');
    expect(interp('${UNSET:-${A}b}', vars).value).toBe('ab');
    expect(interp('$$A costs $$5 $', vars).value).toBe('$A costs $5 $');
  });

  it('an unset variable without a default is an error at the reference', () => {
    const r = interp('img:${TAG}', {});
    expect(r.errors).toEqual(['error c.yaml:1:9: variable TAG is not set']);
    expect(interp('${TOKEN:?needed for the API}', { TOKEN: '' }).errors).toEqual(['error c.yaml:1:5: required variable TOKEN is empty: needed for the API']);
    expect(interp('${A', { A: 'x' }).errors[0]).toContain('unterminated variable reference');
    expect(interp('${A:x}', { A: 'x' }).errors[0]).toContain('invalid variable reference "${A:x}"');
  });
});

describe('.env files', () => {
  it('reads KEY=VALUE lines with quotes, export, comments and bare names', () => {
    const r = parseDotenv(new SourceFile('.env', '# c\nexport A=1\nB="x \\"y\\"\\n"\nC=\'$raw\'\nD=v # note\nE\n\nF=\n'));
    expect(r.diagnostics).toEqual([]);
    expect([...r.vars]).toEqual([
      ['A', '1'],
      ['B', 'x "y"\n'],
      ['C', '$raw'],
      ['D', 'v'],
      ['E', undefined],
      ['F', ''],
    ]);
  });

  it('a malformed line is an error at its position', () => {
    const r = parseDotenv(new SourceFile('.env', 'A=1\n  bad key=2\nB="open\n'));
    expect(show(r.diagnostics)).toEqual(['error .env:2:3: invalid line: the text before `=` is not a variable name', 'error .env:3:3: unterminated double-quoted value']);
  });
});

describe('ports', () => {
  const ports = (yaml: string, what: 'ports' | 'expose' = 'ports') => {
    const { root: node } = parseYamlTree(new SourceFile('c.yaml', yaml));
    const diags: Diagnostic[] = [];
    const out = readPort(node!, diags, what).map((p) => `${p.port}/${p.protocol}${p.name ? ` ${p.name}` : ''}`);
    return { out, errors: show(diags.filter((d) => d.severity === 'error')) };
  };
  it('reads the short and long syntax', () => {
    expect(ports('"8080:80"').out).toEqual(['80/TCP']);
    expect(ports('80').out).toEqual(['80/TCP']);
    expect(ports('"[::1]:5353:53/udp"').out).toEqual(['53/UDP']);
    expect(ports('"9000-9001:8000-8001"').out).toEqual(['8000/TCP', '8001/TCP']);
    expect(ports('":80"').out).toEqual(['80/TCP']);
    expect(ports('{target: 443, published: 8443, protocol: tcp, name: https}').out).toEqual(['443/TCP https']);
    expect(ports('"4000-4002/udp"', 'expose').out).toEqual(['4000/UDP', '4001/UDP', '4002/UDP']);
  });
  it('refuses what is not a port mapping', () => {
    expect(ports('"80:80:80:80"').errors[0]).toContain('invalid port mapping "80:80:80:80"');
    expect(ports('"8080:80/xyz"').errors[0]).toContain('unknown protocol "xyz"');
    expect(ports('"9000-9002:8000-8001"').errors[0]).toContain('differ in length');
    expect(ports('"1-5000"').errors[0]).toContain('more than 100 ports');
    expect(ports('{published: 80}').errors[0]).toContain('missing "target"');
    expect(ports('[80]').errors[0]).toContain('invalid ports entry (got a list)');
  });
});

describe('units', () => {
  it('durations, memory and CPU in docker syntax become Kubernetes values', () => {
    expect(['1m30s', '10s', '500ms', '1h', '0', 'x', '10'].map((d) => durationSeconds(d))).toEqual([90, 10, 0.5, 3600, 0, undefined, undefined]);
    expect(['512m', '1g', '1gb', '1.5G', '64k', '100b', '1000', 'lots'].map((m) => memoryQuantity(m))).toEqual(['512Mi', '1Gi', '1Gi', '1536Mi', '64Ki', '100', '1000', undefined]);
    expect(memoryQuantity(1073741824)).toBe('1073741824');
    expect([0.5, '2', '0.25', 1.5, '0', 'x'].map((c) => cpuQuantity(c))).toEqual(['500m', '2', '250m', '1500m', undefined, undefined]);
  });
  it('splits command strings as a shell would', () => {
    expect(shellSplit(`sh -c 'echo "hi there"' a\\ b "c\\"d"`)).toEqual(['sh', '-c', 'echo "hi there"', 'a b', 'c"d']);
    expect(shellSplit('"open')).toBeUndefined();
  });
});

describe('format detection', () => {
  const fmt = (name: string, text: string) => detectFormat(new SourceFile(name, text));
  it('by file name, then by content', () => {
    expect(fmt('docker-compose.yml', 'name: x\nservices: {web: {image: a}}\n')).toBe('compose');
    expect(fmt('docker-compose.prod.yml', '')).toBe('compose');
    expect(fmt('app.compose.yaml', '')).toBe('compose');
    expect(fmt('vela.yaml', 'services: {web: {environment: {}}}\n')).toBe('appfile');
    expect(fmt('app.yaml', 'apiVersion: core.oam.dev/v1beta1\nkind: Application\n')).toBe('application');
    expect(fmt('app.yaml', 'name: shop\nservices:\n  web:\n    image: a\n    ports: ["80:80"]\n')).toBe('compose');
    expect(fmt('app.yaml', 'name: shop\nservices:\n  web:\n    type: worker\n    image: a\n')).toBe('appfile');
    expect(fmt('app.yaml', 'services:\n  web:\n    image: a\n')).toBe('compose');
    expect(fmt('app.yaml', 'name: shop\nservices:\n  web:\n    image: a\n')).toBe('appfile');
    expect(fmt('app.yaml', 'version: "3"\nname: x\nservices: {}\n')).toBe('compose');
    expect(fmt('vela.yaml', 'apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata: {name: a}\n')).toBe('application');
  });
});

describe('compose rules', () => {
  const parse = (text: string, opts: { dir?: string; env?: Record<string, string> } = {}) =>
    resolveAppModel(parseComposeFile(new SourceFile('compose.yaml', text), { dir: opts.dir ?? '/home/me/My_Project', env: (n) => opts.env?.[n] }), registry);

  it('the app is named after the folder (made a DNS label) unless `name:` is given', () => {
    expect(parse('services: {web: {image: nginx}}\n').app?.name).toBe('my-project');
    const r = parse('name: My_Shop\nservices: {web: {image: nginx}}\n');
    expect(r.app?.name).toBe('my-shop');
    expect(show(r.diagnostics)).toEqual(['warning compose.yaml:1:7: the project name "My_Shop" is not a Kubernetes name (must consist of lowercase letters, digits and "-", and start and end with a letter or digit); the app is called "my-shop"']);
  });

  it('restart "no" without ports is a task that is not retried; with ports it stays a Deployment, with a warning', () => {
    const r = parse('services:\n  migrate:\n    image: app\n    restart: "no"\n  web:\n    image: app\n    restart: "no"\n    ports: ["80"]\n');
    expect(r.app!.services.map((s) => `${s.name}:${s.type}`)).toEqual(['migrate:task', 'web:webservice']);
    expect(r.app!.services[0]!.params).toMatchObject({ restart: 'Never', backoffLimit: 0 });
    expect(show(r.diagnostics)).toEqual(['warning compose.yaml:7:5: services.web: restart: "no" with ports: a service with ports runs as a Deployment, which always restarts its containers']);
  });

  it('extends and include are refused; a service needs an image or a build', () => {
    const r = parse('include: [other.yaml]\nservices:\n  web:\n    extends: {service: base}\n  api: {}\n');
    expect(show(r.diagnostics.filter((d) => d.severity === 'error'))).toEqual([
      'error compose.yaml:1:1: `include` is not supported',
      'error compose.yaml:3:3: services.web: service "web" has neither image nor build',
      'error compose.yaml:4:5: services.web: `extends` is not supported',
      'error compose.yaml:5:3: services.api: service "api" has neither image nor build',
    ]);
  });

  it('a bind mount in the long syntax and a volume type that Kubernetes lacks are refused', () => {
    const r = parse('services:\n  web:\n    image: nginx\n    volumes:\n      - {type: bind, source: /etc/app, target: /etc/app}\n      - {type: npipe, source: x, target: /x}\n');
    expect(show(r.diagnostics)).toEqual([
      'error compose.yaml:5:9: services.web.volumes: bind mounts are not supported: a pod cannot mount a folder of your machine (/etc/app)',
      'error compose.yaml:6:9: services.web.volumes: volume type "npipe" is not supported',
    ]);
  });

  it('an invalid service name for Kubernetes is an error, not a silent rename', () => {
    const r = parse('services:\n  my_db:\n    image: postgres\n');
    expect(show(r.diagnostics)[0]).toContain('error compose.yaml:2:3: services: invalid service name "my_db" for Kubernetes');
    expect(r.diagnostics[0]!.hint).toContain('rename it to "my-db"');
  });

  it('files that cannot be read are errors at the line that names them, unless optional', () => {
    const text = 'services:\n  web:\n    image: nginx\n    env_file: [./web.env, {path: ./local.env, required: false}]\n    configs: [conf]\nconfigs:\n  conf:\n    file: ./app.conf\n';
    const missing = resolveAppModel(parseComposeFile(new SourceFile('compose.yaml', text), { dir: '/p', env: () => undefined, files: {} }), registry);
    expect(show(missing.diagnostics)).toEqual(['error compose.yaml:4:16: services.web: cannot read env file ./web.env', 'error compose.yaml:8:11: cannot read ./app.conf']);
    const found = resolveAppModel(parseComposeFile(new SourceFile('compose.yaml', text), { dir: '/p', env: () => undefined, files: { 'web.env': 'A=1\n', 'app.conf': 'x=1\n' } }), registry);
    expect(found.diagnostics).toEqual([]);
    expect(found.app!.services[0]!.params.env).toEqual([{ name: 'A', value: '1' }]);
    expect(found.app!.services[0]!.traits[0]!.properties).toEqual({ configMap: [{ name: 'p-conf', mountPath: '/conf', subPath: 'app.conf', data: { 'app.conf': 'x=1\n' } }] });
  });

  it('every service off by its profiles is an error that names the flag', () => {
    const r = parse('services:\n  dbg:\n    image: busybox\n    profiles: [debug]\n');
    expect(show(r.diagnostics)).toEqual(['error compose.yaml:1:1: no service is enabled: every service has profiles, and none of them is active']);
  });
});
