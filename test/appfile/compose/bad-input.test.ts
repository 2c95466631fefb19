/**
 * Bad compose files and Applications: `vela dry-run -f FILE` run in-process,
 * a clear error at the line (and column) that is wrong, exit code 1.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import DryRun from '../../../src/commands/dry-run.js';
import { runCommand } from '../../cli/harness.js';

const dir = mkdtempSync(join(tmpdir(), 'vela-compose-bad-'));
const home = join(import.meta.dirname, '../../render/fixtures/no-home');

async function dryRun(name: string, text: string) {
  const file = join(dir, name);
  writeFileSync(file, text);
  const saved = process.env.VELA_HOME;
  process.env.VELA_HOME = home;
  try {
    return await runCommand(DryRun, ['-f', file, '--no-color']);
  } finally {
    if (saved === undefined) delete process.env.VELA_HOME;
    else process.env.VELA_HOME = saved;
  }
}

describe('bad compose files', () => {
  it('an unknown top-level key is an error at its line with a did-you-mean', async () => {
    const r = await dryRun('compose.yaml', 'services:\n  web:\n    image: nginx:1.27\nvolume:\n  data: {}\n');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('compose.yaml:4:1: unknown top-level key "volume"');
    expect(r.stderr).toContain('did you mean `volumes`?');
    expect(r.stdout).toBe('');
  });

  it('an unset variable without a default is an error at the reference', async () => {
    const r = await dryRun('compose.yaml', 'services:\n  web:\n    image: "nginx:${VELA_TEST_UNSET_TAG_X}"\n');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('compose.yaml:3:19: variable VELA_TEST_UNSET_TAG_X is not set');
    expect(r.stderr).toContain('${VELA_TEST_UNSET_TAG_X:-value}');
  });

  it('${VAR:?message} reports the message', async () => {
    const r = await dryRun('compose.yaml', 'services:\n  web:\n    image: nginx\n    environment:\n      TOKEN: ${VELA_TEST_UNSET_TOKEN_X:?the API token}\n');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('compose.yaml:5:14: required variable VELA_TEST_UNSET_TOKEN_X is not set: the API token');
  });

  it('an invalid port mapping is an error at its item', async () => {
    const r = await dryRun('compose.yaml', 'services:\n  web:\n    image: nginx\n    ports:\n      - "80"\n      - "8080:http"\n      - "70000:80"\n');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('compose.yaml:6:9: invalid port mapping "8080:http": not [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]');
    expect(r.stderr).toContain('compose.yaml:7:9: invalid port mapping "70000:80": 70000 is not a port number (1-65535)');
  });

  it('a bind mount is refused with a suggestion', async () => {
    const r = await dryRun('compose.yaml', 'services:\n  web:\n    image: nginx\n    volumes:\n      - ./site:/usr/share/nginx/html:ro\n');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('compose.yaml:5:9: services.web.volumes: bind mounts are not supported: a pod cannot mount a folder of your machine (./site)');
    expect(r.stderr).toMatch(/hint: use a named volume .* or, for configuration files, a `configs:` entry \(a ConfigMap\)/);
  });

  it('an undefined named volume, an unknown service key and an unknown dependency are errors with suggestions', async () => {
    const r = await dryRun(
      'compose.yaml',
      ['services:', '  web:', '    image: nginx', '    enviroment: {A: b}', '    depends_on: [dbb]', '    volumes: ["dat:/data"]', '  db:', '    image: postgres', 'volumes:', '  data: {}', ''].join('\n'),
    );
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('compose.yaml:4:5: services.web: unknown key "enviroment" in service "web"');
    expect(r.stderr).toContain('did you mean `environment`?');
    expect(r.stderr).toContain('compose.yaml:5:18: services.web.depends_on: unknown service "dbb"');
    expect(r.stderr).toContain('compose.yaml:6:15: services.web.volumes: service "web" refers to undefined volume "dat"');
  });

  it('a schema error of the converted service points at the compose line it came from', async () => {
    const r = await dryRun('compose.yaml', 'services:\n  web:\n    image: nginx\n    deploy:\n      replicas: two\n');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('compose.yaml:5:17: services.web: replicas must be a whole number (got "two")');
  });
});

describe('bad Applications', () => {
  it('an unknown component type is an error at the type with a did-you-mean', async () => {
    const r = await dryRun(
      'app.yaml',
      ['apiVersion: core.oam.dev/v1beta1', 'kind: Application', 'metadata:', '  name: demo', 'spec:', '  components:', '    - name: web', '      type: webservise', '      properties: {image: nginx}', ''].join('\n'),
    );
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('app.yaml:8:13: spec.components[0].type: unknown component type "webservise"');
    expect(r.stderr).toContain('did you mean `webservice`?');
  });

  it('a property error points into spec.components[].properties', async () => {
    const r = await dryRun(
      'app.yaml',
      ['apiVersion: core.oam.dev/v1beta1', 'kind: Application', 'metadata: {name: demo}', 'spec:', '  components:', '    - name: web', '      type: webservice', '      properties:', '        image: nginx', '        ports: [{port: "80"}]', '      traits:', '        - type: scalerr', ''].join('\n'),
    );
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('app.yaml:12:17: spec.components[0].traits[0].type: unknown trait "scalerr"');
    expect(r.stderr).toContain('did you mean `scaler`?');
    expect(r.stderr).toContain('app.yaml:10:24: services.web.ports[0].port: must be integer (got "80")');
  });
});
