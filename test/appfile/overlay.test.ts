/**
 * `--values FILE`, `--set PATH=VALUE`, `--set-string`, `--set-file` applied
 * onto an Appfile before it is read: merged values, YAML typing, and errors
 * that point into the file or the flag the value came from.
 */
import { describe, expect, it } from 'vitest';
import { parseAppfile, resolveAppModel, type Overlay } from '../../src/appfile/index.js';
import { SourceFile } from '../../src/source/index.js';
import { makeRegistry } from './registry.js';
import { show, yaml } from './helpers.js';

const appfile = yaml('name: shop', 'services:', '  web:', '    image: repo/web:1.0', '    port: 8080', '    labels:', '      tier: front', '  worker:', '    type: worker', '    image: repo/worker:1.0');

function load(overlays: Overlay[], env: Record<string, string> = {}) {
  const parsed = parseAppfile(new SourceFile('vela.yaml', appfile), { dir: '/home/me/shop', variables: { env: (n) => env[n] }, overlays });
  const r = resolveAppModel(parsed, makeRegistry());
  return { app: r.app, errors: r.diagnostics.filter((d) => d.severity === 'error').map(show) };
}
const set = (arg: string, asString = false): Overlay => ({ kind: 'set', arg, ...(asString ? { asString } : {}) });
const values = (text: string, name = 'ci.yaml'): Overlay => ({ kind: 'values', file: new SourceFile(name, text) });
const params = (r: ReturnType<typeof load>, service: string) => r.app!.services.find((s) => s.name === service)!.params;
const labels = (r: ReturnType<typeof load>, service: string) => r.app!.services.find((s) => s.name === service)!.traits.find((t) => t.name === 'labels')?.properties;

describe('--set', () => {
  it('sets any path, typed as YAML types a plain scalar', () => {
    const r = load([set('services.web.image=repo/web:abc123'), set('services.web.port=9090'), set('services.web.labels.version=1.10', true)]);
    expect(r.errors).toEqual([]);
    expect(params(r, 'web')).toMatchObject({ image: 'repo/web:abc123', port: 9090 });
    expect(labels(r, 'web')).toEqual({ tier: 'front', version: '1.10' });
  });

  it('takes flow lists and maps, list indexes, escaped dots and null to remove', () => {
    const r = load([set('services.web.cmd=[sh, -c, "echo hi"]'), set('services.web.cmd[1]=-xc'), set('services.web.labels.app\\.kubernetes\\.io/name=web'), set('services.web.labels.tier=null')]);
    expect(r.errors).toEqual([]);
    expect(params(r, 'web').cmd).toEqual(['sh', '-xc', 'echo hi']);
    expect(labels(r, 'web')).toEqual({ 'app.kubernetes.io/name': 'web' });
  });

  it('points at the flag and column of a bad path or a value of the wrong type', () => {
    expect(load([set('services.web.image')]).errors).toEqual([
      expect.stringMatching(/^--set:1:1: expected PATH=VALUE, got "services\.web\.image" \[write --set PATH=VALUE/),
    ]);
    expect(load([set('services..image=x')]).errors[0]).toMatch(/^--set:1:10: a key in the path is empty/);
    expect(load([set('services.web.image.tag=x')]).errors[0]).toMatch(/^--set:1:20: services\.web\.image is "repo\/web:1\.0", not a map: it has no key "tag"/);
    expect(load([set('services.web.cmd[3]=x')]).errors[0]).toMatch(/^--set:1:17: .*\[3\] is past its end/);
    // A wrong type is reported by the schema, at the flag's value.
    expect(load([set('services.web.port=eighty')]).errors[0]).toMatch(/^--set:1:19: services\.web\.port/);
  });
});

describe('--values', () => {
  it('merges maps key by key, replaces the rest, null removes a service', () => {
    const r = load([values(yaml('services:', '  web:', '    image: repo/web:${TAG}', '  worker: null', '  cache:', '    image: redis:7')), set('services.cache.image=redis:7.2')], { TAG: 'abc' });
    expect(r.errors).toEqual([]);
    expect(r.app!.services.map((s) => s.name)).toEqual(['web', 'cache']);
    expect(params(r, 'web')).toMatchObject({ image: 'repo/web:abc', port: 8080 });
    expect(labels(r, 'web')).toEqual({ tier: 'front' });
    expect(params(r, 'cache').image).toBe('redis:7.2');
  });

  it('an error in a value from the values file is at its line there; one in the Appfile stays in the Appfile', () => {
    const r = load([values(yaml('services:', '  web:', '    port: high', '  worker:', '    replicas: [1]'), 'ci.yaml')]);
    expect(r.errors.some((e) => /^ci\.yaml:3:11: services\.web\.port/.test(e))).toBe(true);
    const bad = load([values(yaml('services:', '  web:', '    labels: {tier: back}'))]);
    expect(bad.errors).toEqual([]);
    expect(labels(bad, 'web')).toEqual({ tier: 'back' });
  });

  it('a values file that is not a map, or has a YAML error, is an error in that file', () => {
    expect(load([values('- a\n')]).errors[0]).toMatch(/^ci\.yaml:1:1: a values file is a map shaped like the Appfile/);
    expect(load([values('services:\n  web: {image: x\n')]).errors[0]).toMatch(/^ci\.yaml:/);
    expect(load([values('services:\n  web:\n    image: ${UNSET}\n')]).errors[0]).toMatch(/^ci\.yaml:3:\d+: .*UNSET/);
  });
});

describe('--set-file', () => {
  it("sets a value to a file's text, positions in that file", () => {
    const r = load([{ kind: 'set-file', arg: 'services.web.labels.note=note.txt', content: new SourceFile('note.txt', 'line one\nline two\n') }]);
    expect(r.errors).toEqual([]);
    expect(labels(r, 'web')).toMatchObject({ note: 'line one\nline two\n' });
    const bad = load([{ kind: 'set-file', arg: 'services.web.port=port.txt', content: new SourceFile('port.txt', 'x') }]);
    expect(bad.errors[0]).toMatch(/^port\.txt:1:1: services\.web\.port/);
  });
});
