import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseDockerHost, resolveDockerConnection } from '../../src/image/index.js';

const files = (m: Record<string, string>) => (p: string) => m[p];
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('resolveDockerConnection', () => {
  it('uses DOCKER_HOST first: unix sockets and tcp', () => {
    const r = resolveDockerConnection({ env: { DOCKER_HOST: 'unix:///tmp/d.sock' }, configDir: '/h/.docker', readFile: files({}) });
    expect(r).toMatchObject({ options: { socketPath: '/tmp/d.sock' }, endpoint: 'unix:///tmp/d.sock', source: 'DOCKER_HOST' });
    const t = resolveDockerConnection({ env: { DOCKER_HOST: 'tcp://10.0.0.5:2375' }, configDir: '/h/.docker', readFile: files({}) });
    expect(t).toMatchObject({ options: { protocol: 'http', host: '10.0.0.5', port: 2375 } });
  });

  it('uses TLS with DOCKER_TLS_VERIFY and the certificates of DOCKER_CERT_PATH', () => {
    const certs = { '/certs/ca.pem': 'CA', '/certs/cert.pem': 'CERT', '/certs/key.pem': 'KEY' };
    const r = resolveDockerConnection({
      env: { DOCKER_HOST: 'tcp://docker.example:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' },
      configDir: '/h/.docker',
      readFile: files(certs),
    });
    expect(r).toMatchObject({ options: { protocol: 'https', host: 'docker.example', port: 2376, ca: 'CA', cert: 'CERT', key: 'KEY' } });
    const missing = resolveDockerConnection({ env: { DOCKER_HOST: 'tcp://d:2376', DOCKER_TLS_VERIFY: '1' }, configDir: '/h/.docker', readFile: files({}) });
    expect(missing).toMatch(/DOCKER_TLS_VERIFY is set but ca.pem, cert.pem and key.pem are not all in \/h\/.docker/);
  });

  it('follows the current docker context when DOCKER_HOST is unset', () => {
    const id = sha('colima');
    const fs = {
      '/h/.docker/config.json': JSON.stringify({ currentContext: 'colima' }),
      [`/h/.docker/contexts/meta/${id}/meta.json`]: JSON.stringify({ Name: 'colima', Endpoints: { docker: { Host: 'unix:///h/.colima/docker.sock' } } }),
    };
    const r = resolveDockerConnection({ env: {}, configDir: '/h/.docker', readFile: files(fs) });
    expect(r).toMatchObject({ options: { socketPath: '/h/.colima/docker.sock' }, source: 'docker context "colima"' });
    // DOCKER_CONTEXT wins over the file; `default` means the default socket.
    const d = resolveDockerConnection({ env: { DOCKER_CONTEXT: 'default' }, configDir: '/h/.docker', readFile: files(fs) });
    expect(d).toMatchObject({ options: { socketPath: '/var/run/docker.sock' }, source: 'default' });
    const gone = resolveDockerConnection({ env: { DOCKER_CONTEXT: 'gone' }, configDir: '/h/.docker', readFile: files(fs) });
    expect(gone).toMatch(/docker context "gone" is not found/);
  });

  it('falls back to /var/run/docker.sock', () => {
    const r = resolveDockerConnection({ env: {}, configDir: '/h/.docker', readFile: files({}) });
    expect(r).toMatchObject({ options: { socketPath: '/var/run/docker.sock' }, endpoint: 'unix:///var/run/docker.sock' });
  });

  it('explains hosts it cannot use', () => {
    expect(parseDockerHost('ssh://me@box')).toMatch(/not supported/);
    expect(parseDockerHost('docker.sock')).toMatch(/not a docker host URL/);
    expect(parseDockerHost('tcp://[::1]:2375')).toEqual({ protocol: 'http', host: '::1', port: 2375 });
  });
});
