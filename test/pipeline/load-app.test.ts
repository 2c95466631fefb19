/**
 * Loading an app through the in-memory host: the Appfile, a compose file with
 * its `.env` and `env_file`, and the definitions all come from a
 * memoryFileSystem, the variables from a memoryEnvironment. Nothing of it
 * exists on disk, so a read that bypassed the host would fail.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryEnvironment, memoryFileSystem } from '../../src/host/index.js';
import { BUILTIN_DEFINITIONS } from '../../src/pipeline/registry.js';
import { loadApp } from '../../src/pipeline/load-app.js';
import type { AppfileOverrides } from '../../src/pipeline/appfile-inputs.js';
import { DiagnosticError, formatDiagnosticLine } from '../../src/source/index.js';

const definitions = Object.fromEntries(
  readdirSync(BUILTIN_DEFINITIONS)
    .filter((n) => /\.(cue|ya?ml)$/.test(n))
    .map((n) => [`/vela/definitions/${n}`, readFileSync(join(BUILTIN_DEFINITIONS, n), 'utf8')]),
);

const files = {
  ...definitions,
  '/in-memory/shop/vela.yaml': ['name: shop', 'namespace: shop', 'services:', '  web:', '    image: nginx:1.27', '    port: 8080', '    scaler: {replicas: 2}', ''].join('\n'),
  '/in-memory/billing/compose.yaml': [
    'name: ${PROJECT:-billing}',
    'services:',
    '  api:',
    '    image: ghcr.io/example/api:${TAG}',
    '    ports: ["8000"]',
    '    env_file: [api.env]',
    '    environment:',
    '      REGION: ${REGION}',
    '      LOG_LEVEL: ${LOG_LEVEL:-info}',
    '',
  ].join('\n'),
  '/in-memory/billing/.env': 'TAG=from-dotenv\nREGION=from-dotenv\nLOG_LEVEL=debug\n',
  '/in-memory/billing/api.env': 'DATABASE_URL=postgres://db/billing\n',
  '/in-memory/ci/vela.yaml': ['name: ci', 'services:', '  web:', '    image: repo/web:${TAG:-latest}', '    port: ${PORT}', ''].join('\n'),
  '/in-memory/ci/.env': 'PORT=8080\n',
  '/in-memory/ci/deploy/prod.yaml': ['services:', '  web:', '    image: repo/web:${TAG:?the pipeline sets TAG}', ''].join('\n'),
  '/in-memory/ci/deploy/note.txt': 'release 1.2\n',
};

const load = (cwd: string, vars: Record<string, string> = {}, file?: string, overrides?: AppfileOverrides) =>
  loadApp({ cwd, ...(file ? { file } : {}), fs: memoryFileSystem(files), environment: memoryEnvironment(vars), velaHome: '/home/user/.vela', builtinDir: '/vela/definitions', ...(overrides ? { overrides } : {}) });

const messages = (e: unknown) => (e instanceof DiagnosticError ? e.diagnostics.map(formatDiagnosticLine) : [String(e)]);

describe('loadApp through the in-memory host', () => {
  it('finds, parses and resolves an Appfile', async () => {
    const { app, format, warnings } = await load('/in-memory/shop');
    expect(format).toBe('appfile');
    expect(warnings).toEqual([]);
    expect(app.file.name).toBe('vela.yaml');
    expect(app.dir).toBe('/in-memory/shop');
    expect(app.namespace).toBe('shop');
    expect(app.services.map((s) => [s.name, s.type, s.params, s.traits.map((t) => [t.name, t.properties])])).toEqual([
      ['web', 'webservice', { image: 'nginx:1.27', port: 8080 }, [['scaler', { replicas: 2 }]]],
    ]);
  });

  it('reads a compose file with its .env and env_file; the environment wins over .env', async () => {
    const { app, format } = await load('/in-memory/billing', { REGION: 'eu-west-1' });
    expect(format).toBe('compose');
    expect(app.name).toBe('billing');
    const api = app.services[0]!;
    expect(api.image).toBe('ghcr.io/example/api:from-dotenv');
    expect(api.params.env).toEqual([
      { name: 'DATABASE_URL', value: 'postgres://db/billing' },
      { name: 'REGION', value: 'eu-west-1' },
      { name: 'LOG_LEVEL', value: 'debug' },
    ]);
    const renamed = await load('/in-memory/billing', { PROJECT: 'billing-eu', TAG: 'v9' });
    expect(renamed.app.name).toBe('billing-eu');
    expect(renamed.app.services[0]!.image).toBe('ghcr.io/example/api:v9');
  });

  it('reports a missing Appfile and a folder given as one from the in-memory file system', async () => {
    expect(await load('/in-memory/empty').then(() => [], messages)).toEqual([expect.stringMatching(/^no Appfile found in \/in-memory\/empty/)]);
    expect(await load('/in-memory', {}, 'shop').then(() => [], messages)).toEqual(['shop is a folder, not an Appfile']);
  });

  it("reads an Appfile's variables from the environment and .env beside it", async () => {
    const { app } = await load('/in-memory/ci', { TAG: 'abc123' });
    expect(app.services[0]!.params).toMatchObject({ image: 'repo/web:abc123', port: 8080 });
    // Set but empty in the environment still wins over .env, as in docker compose.
    expect(await load('/in-memory/ci', { PORT: '' }).then(() => [], messages)).toEqual(['vela.yaml:5:11: services.web.port: must be integer (got "")']);
  });

  it('reads --values and --set-file files relative to the working folder; errors name them as given', async () => {
    const { app } = await load('/in-memory/ci', { TAG: 'v2' }, undefined, { values: ['deploy/prod.yaml'], set: ['services.web.port=9090'], setFile: ['services.web.labels.note=deploy/note.txt'] });
    expect(app.services[0]!.params).toMatchObject({ image: 'repo/web:v2', port: 9090 });
    expect(app.services[0]!.params.labels).toEqual({ note: 'release 1.2\n' });
    expect(await load('/in-memory/ci', {}, undefined, { values: ['deploy/prod.yaml'] }).then(() => [], messages)).toEqual([expect.stringMatching(/^deploy\/prod\.yaml:3:\d+: .*the pipeline sets TAG/)]);
    expect(await load('/in-memory/ci', {}, undefined, { values: ['deploy/missing.yaml'] }).then(() => [], messages)).toEqual(['--values deploy/missing.yaml: no such file']);
    expect(await load('/in-memory/ci', {}, undefined, { setFile: ['services.web.labels.note=deploy'] }).then(() => [], messages)).toEqual(['--set-file deploy: a folder, not a file']);
  });

  it('refuses overrides for a compose file, with the way out', async () => {
    const e = await load('/in-memory/billing', {}, undefined, { set: ['services.api.image=x'] }).then(() => undefined, (err: unknown) => err);
    expect(e).toBeInstanceOf(DiagnosticError);
    expect((e as DiagnosticError).diagnostics[0]!.message).toBe('--values and --set apply to an Appfile; compose.yaml is a compose file');
    expect((e as DiagnosticError).diagnostics[0]!.hint).toMatch(/vela convert compose\.yaml -o vela\.yaml/);
  });
});
