import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveRegistryAuth } from '../../src/image/index.js';
import { hostOfAuthKey, runCredentialHelper, type CredentialHelperRunner } from '../../src/image/credentials.js';
import { parseChallenge } from '../../src/image/registry-client.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('resolveRegistryAuth', () => {
  it('reads base64 `auth` from auths, whatever form the key has', async () => {
    const cfg = { auths: { 'http://127.0.0.1:5001/v2/': { auth: b64('vela:s3:cret') }, 'https://index.docker.io/v1/': { auth: b64('hub:pw') } } };
    expect(await resolveRegistryAuth(cfg, '127.0.0.1:5001')).toEqual({ serveraddress: '127.0.0.1:5001', username: 'vela', password: 's3:cret' });
    expect(await resolveRegistryAuth(cfg, 'docker.io')).toEqual({ serveraddress: 'https://index.docker.io/v1/', username: 'hub', password: 'pw' });
    expect(await resolveRegistryAuth(cfg, 'ghcr.io')).toBeUndefined();
  });

  it('asks credHelpers for their host, then credsStore, then falls back to auths', async () => {
    const calls: string[] = [];
    const runner: CredentialHelperRunner = async (helper, server) => {
      calls.push(`${helper} ${server}`);
      if (helper === 'gcloud') return { Username: '_token', Secret: 'gc' };
      if (helper === 'store' && server === 'ghcr.io') return { Username: '<token>', Secret: 'idtok' };
      return undefined;
    };
    const cfg = { credsStore: 'store', credHelpers: { 'gcr.io': 'gcloud' }, auths: { 'reg.local': { auth: b64('u:p') } } };
    expect(await resolveRegistryAuth(cfg, 'gcr.io', runner)).toEqual({ serveraddress: 'gcr.io', username: '_token', password: 'gc' });
    expect(await resolveRegistryAuth(cfg, 'ghcr.io', runner)).toEqual({ serveraddress: 'ghcr.io', identitytoken: 'idtok' });
    expect(await resolveRegistryAuth(cfg, 'reg.local', runner)).toEqual({ serveraddress: 'reg.local', username: 'u', password: 'p' });
    expect(calls).toEqual(['gcloud gcr.io', 'store ghcr.io', 'store reg.local']);
  });

  it('normalises auth keys to hosts', () => {
    expect(hostOfAuthKey('https://index.docker.io/v1/')).toBe('docker.io');
    expect(hostOfAuthKey('localhost:5000')).toBe('localhost:5000');
    expect(hostOfAuthKey('https://ghcr.io')).toBe('ghcr.io');
  });
});

describe('runCredentialHelper (a real helper program on PATH)', () => {
  const bin = mkdtempSync(join(tmpdir(), 'vela-cred-'));
  afterAll(() => rmSync(bin, { recursive: true, force: true }));
  const script = join(bin, 'docker-credential-velatest');
  writeFileSync(
    script,
    '#!/bin/sh\nread server\nif [ "$1" != get ]; then exit 3; fi\nif [ "$server" = "127.0.0.1:5001" ]; then echo "{\\"ServerURL\\":\\"$server\\",\\"Username\\":\\"vela\\",\\"Secret\\":\\"vela-secret\\"}"; else echo "credentials not found in native keychain"; exit 1; fi\n',
  );
  chmodSync(script, 0o755);

  it('passes the server on stdin and reads the JSON answer', async () => {
    const old = process.env.PATH;
    process.env.PATH = `${bin}:${old}`;
    try {
      expect(await runCredentialHelper('velatest', '127.0.0.1:5001')).toEqual({ Username: 'vela', Secret: 'vela-secret' });
      expect(await runCredentialHelper('velatest', 'other')).toBeUndefined();
      await expect(runCredentialHelper('velanothere', 'x')).rejects.toThrow(/docker-credential-velanothere.*not installed/);
    } finally {
      process.env.PATH = old;
    }
  });
});

describe('parseChallenge', () => {
  it('reads Bearer and Basic challenges', () => {
    expect(parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"')).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/nginx:pull' },
    });
    expect(parseChallenge('Basic realm="vela-test"')).toEqual({ scheme: 'basic', params: { realm: 'vela-test' } });
  });
});
