/**
 * Test support for the end-to-end build tests: finds the engine and the local
 * registries started by scripts/docker-daemons.sh, and says why when they are
 * not there (the tests are then skipped with that reason).
 */
import { copyFileSync, cpSync, existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REGISTRY = '127.0.0.1:5000';
export const AUTH_REGISTRY = '127.0.0.1:5001';
export const AUTH_USER = 'vela';
export const AUTH_PASSWORD = 'vela-secret';

/** The engine the tests use: a unix DOCKER_HOST, else the script's socket. */
export function engineSocket(): string {
  const h = process.env.DOCKER_HOST;
  if (h?.startsWith('unix://')) return h.slice('unix://'.length);
  return '/tmp/vela-docker.sock';
}

function ping(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', timeout: 3000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

async function registryUp(host: string): Promise<boolean> {
  try {
    const r = await fetch(`http://${host}/v2/`, { signal: AbortSignal.timeout(3000) });
    return r.status === 200 || r.status === 401;
  } catch {
    return false;
  }
}

export function busyboxPath(): string | undefined {
  return ['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p));
}

/** Undefined when everything is there, else why the tests are skipped. */
export async function dockerUnavailable(): Promise<string | undefined> {
  const reason = await probeDocker();
  // In CI (.ci/run) the daemons are started first: missing ones there are a failure, not a skip.
  if (reason && process.env.VELA_E2E_REQUIRED === '1') throw new Error(`a Docker engine and registries are required (VELA_E2E_REQUIRED=1): ${reason}`);
  return reason;
}

async function probeDocker(): Promise<string | undefined> {
  const sock = engineSocket();
  if (!(await ping(sock))) return `no Docker engine answers at unix://${sock} (run scripts/docker-daemons.sh start)`;
  if (!(await registryUp(REGISTRY))) return `no registry at ${REGISTRY} (run scripts/docker-daemons.sh start)`;
  if (!(await registryUp(AUTH_REGISTRY))) return `no auth registry at ${AUTH_REGISTRY} (run scripts/docker-daemons.sh start)`;
  if (!busyboxPath()) return 'no busybox binary (apt-get install busybox-static)';
  return undefined;
}

/** A temporary copy of a fixture project, with busybox copied next to every Dockerfile. */
export function copyFixture(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `vela-e2e-${name}-`));
  cpSync(join(import.meta.dirname, '..', 'fixtures', 'build', name), dir, { recursive: true });
  const bb = busyboxPath()!;
  const visit = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) visit(p);
      else if (n === 'Dockerfile') copyFileSync(bb, join(d, 'busybox'));
    }
  };
  visit(dir);
  return dir;
}

/** The registry's answer to HEAD /v2/<repo>/manifests/<tag>: status and digest. */
export async function registryManifest(host: string, repo: string, tag: string, basic?: { user: string; password: string }) {
  const headers: Record<string, string> = { accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json' };
  if (basic) headers.authorization = 'Basic ' + Buffer.from(`${basic.user}:${basic.password}`).toString('base64');
  const r = await fetch(`http://${host}/v2/${repo}/manifests/${tag}`, { method: 'HEAD', headers });
  return { status: r.status, digest: r.headers.get('docker-content-digest') ?? undefined };
}
