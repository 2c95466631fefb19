/**
 * `${VAR}` in an Appfile: from the environment, then `.env` beside it; typed
 * as YAML types what was written (plain scalars are read again, quoted ones
 * stay strings); an unset variable without a default is an error at the
 * expression.
 */
import { describe, expect, it } from 'vitest';
import { parseAppfile, resolveAppModel } from '../../src/appfile/index.js';
import { SourceFile } from '../../src/source/index.js';
import { makeRegistry } from './registry.js';
import { show, yaml } from './helpers.js';

function load(text: string, env: Record<string, string>, dotenv?: string) {
  const parsed = parseAppfile(new SourceFile('vela.yaml', text), {
    dir: '/home/me/shop',
    variables: { env: (n) => env[n], ...(dotenv !== undefined ? { dotenv: new SourceFile('.env', dotenv) } : {}) },
  });
  return resolveAppModel(parsed, makeRegistry());
}

const web = yaml('name: shop', 'services:', '  web:', '    image: nginx:${TAG:-1.27}', '    port: ${PORT:-80}', '    env:', '      - {name: DEBUG, value: "${DEBUG:-false}"}', '      - {name: HOST, value: $HOST}');

describe('Appfile variables', () => {
  it('takes defaults, and types plain scalars as YAML does while quoted ones stay strings', () => {
    const r = load(web, { HOST: 'db' });
    expect(r.diagnostics.filter((d) => d.severity === 'error').map(show)).toEqual([]);
    const params = r.app!.services[0]!.params;
    expect(params.image).toBe('nginx:1.27');
    expect(params.port).toBe(80);
    expect(params.env).toEqual([{ name: 'DEBUG', value: 'false' }, { name: 'HOST', value: 'db' }]);
  });

  it('reads the environment first, then .env', () => {
    const r = load(web, { TAG: '1.28', HOST: 'h' }, 'TAG=from-dotenv\nPORT=8080\n');
    const params = r.app!.services[0]!.params;
    expect(params.image).toBe('nginx:1.28');
    expect(params.port).toBe(8080);
  });

  it('an unset variable without a default is an error at its line and column', () => {
    const r = load(yaml('name: shop', 'services:', '  web:', '    image: repo/web:${TAG}', '    env:', '      - {name: KEY, value: "${API_KEY:?set API_KEY in the pipeline}"}'), {});
    const errors = r.diagnostics.filter((d) => d.severity === 'error').map(show);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^vela\.yaml:4:\d+: .*TAG/);
    expect(errors[1]).toMatch(/^vela\.yaml:6:\d+: .*set API_KEY in the pipeline/);
    expect(r.app).toBeUndefined();
  });

  it('$$ is a literal dollar; keys and x- blocks are left alone', () => {
    const r = load(yaml('name: shop', 'x-notes: ${NOT_READ}', 'services:', '  web:', '    image: nginx:1.27', '    cmd: [sh, -c, "echo $$HOME"]'), {});
    expect(r.diagnostics.filter((d) => d.severity === 'error').map(show)).toEqual([]);
    expect(r.app!.services[0]!.params.cmd).toEqual(['sh', '-c', 'echo $HOME']);
  });

  it('a malformed .env line is an error in .env', () => {
    const r = load(web, {}, 'TAG=1\nnot a line\n');
    expect(r.diagnostics.filter((d) => d.severity === 'error').map(show)[0]).toMatch(/^\.env:2:/);
  });

  it('without variables (no host) values are taken as written', () => {
    const parsed = parseAppfile(new SourceFile('vela.yaml', yaml('name: shop', 'services:', '  web:', '    image: nginx:${TAG:-1.27}')), { dir: '/x' });
    expect(resolveAppModel(parsed, makeRegistry()).app!.services[0]!.params.image).toBe('nginx:${TAG:-1.27}');
  });
});
