/**
 * Where the Docker engine is, found the way the docker CLI finds it:
 * DOCKER_HOST (with DOCKER_TLS_VERIFY / DOCKER_CERT_PATH), else the active
 * docker context (DOCKER_CONTEXT or `currentContext` in config.json, whose
 * endpoint is in contexts/meta/<sha256 of the name>/meta.json), else the
 * default socket. File access is injected so the rules are testable.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { DockerConnectionOptions } from './types.js';

export const DEFAULT_SOCKET = '/var/run/docker.sock';

export interface ResolvedConnection {
  readonly options: DockerConnectionOptions;
  /** The endpoint as a URL, for messages (`unix:///var/run/docker.sock`). */
  readonly endpoint: string;
  /** Where the endpoint came from (`DOCKER_HOST`, `docker context "colima"`, `default`). */
  readonly source: string;
}

export interface ConnectionEnv {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The docker config folder (`$DOCKER_CONFIG` or `~/.docker`). */
  readonly configDir: string;
  /** Reads a file, undefined when it does not exist. */
  readonly readFile: (path: string) => string | Buffer | undefined;
}

/** `$DOCKER_CONFIG`, else `~/.docker`. */
export function dockerConfigDir(env: Readonly<Record<string, string | undefined>>, home: string): string {
  return env.DOCKER_CONFIG && env.DOCKER_CONFIG !== '' ? env.DOCKER_CONFIG : join(home, '.docker');
}

/** Parses a docker host URL; a string describes what is wrong. */
export function parseDockerHost(
  host: string,
  tls?: { ca?: string | Buffer; cert?: string | Buffer; key?: string | Buffer },
): DockerConnectionOptions | string {
  if (host.startsWith('unix://')) {
    const socketPath = host.slice('unix://'.length);
    return socketPath === '' ? 'a unix:// host needs a socket path' : { socketPath };
  }
  if (host.startsWith('/')) return { socketPath: host };
  const m = /^(tcp|http|https):\/\/(\[[^\]]+\]|[^:/]+)(?::(\d+))?\/?$/.exec(host);
  if (m) {
    const secure = m[1] === 'https' || (m[1] === 'tcp' && tls !== undefined);
    const port = m[3] ? Number(m[3]) : secure ? 2376 : 2375;
    const hostname = m[2]!.replace(/^\[|\]$/g, '');
    return secure ? { protocol: 'https', host: hostname, port, ...(tls ?? {}) } : { protocol: 'http', host: hostname, port };
  }
  if (host.startsWith('ssh://')) return `ssh:// docker hosts are not supported (${host}); forward the socket instead, e.g. \`ssh -L /tmp/docker.sock:/var/run/docker.sock ${host.slice(6)}\` and DOCKER_HOST=unix:///tmp/docker.sock`;
  return `\`${host}\` is not a docker host URL (expected unix:///path/to/docker.sock or tcp://host:port)`;
}

export function endpointOf(o: DockerConnectionOptions): string {
  return 'socketPath' in o ? `unix://${o.socketPath}` : `${o.protocol === 'https' ? 'tcp+tls' : 'tcp'}://${o.host}:${o.port}`;
}

function readTls(dir: string, readFile: ConnectionEnv['readFile']) {
  const ca = readFile(join(dir, 'ca.pem'));
  const cert = readFile(join(dir, 'cert.pem'));
  const key = readFile(join(dir, 'key.pem'));
  return { ca, cert, key };
}

/** Resolves the connection; a string is an environment error to report. */
export function resolveDockerConnection(ctx: ConnectionEnv): ResolvedConnection | string {
  const { env, configDir, readFile } = ctx;
  const host = env.DOCKER_HOST;
  if (host && host !== '') {
    let tls: ReturnType<typeof readTls> | undefined;
    if (env.DOCKER_TLS_VERIFY && env.DOCKER_TLS_VERIFY !== '') {
      const certDir = env.DOCKER_CERT_PATH && env.DOCKER_CERT_PATH !== '' ? env.DOCKER_CERT_PATH : configDir;
      tls = readTls(certDir, readFile);
      if (!tls.ca || !tls.cert || !tls.key) return `DOCKER_TLS_VERIFY is set but ca.pem, cert.pem and key.pem are not all in ${certDir} (set DOCKER_CERT_PATH)`;
    }
    const options = parseDockerHost(host, tls);
    if (typeof options === 'string') return `DOCKER_HOST: ${options}`;
    return { options, endpoint: endpointOf(options), source: 'DOCKER_HOST' };
  }

  let contextName = env.DOCKER_CONTEXT;
  if (!contextName) {
    const raw = readFile(join(configDir, 'config.json'));
    if (raw !== undefined) {
      try {
        const cfg = JSON.parse(raw.toString()) as { currentContext?: unknown };
        if (typeof cfg.currentContext === 'string') contextName = cfg.currentContext;
      } catch {
        return `${join(configDir, 'config.json')} is not valid JSON`;
      }
    }
  }
  if (contextName && contextName !== 'default') {
    const id = createHash('sha256').update(contextName).digest('hex');
    const metaPath = join(configDir, 'contexts', 'meta', id, 'meta.json');
    const raw = readFile(metaPath);
    if (raw === undefined) return `docker context "${contextName}" is not found (no ${metaPath}); run \`docker context use default\` or set DOCKER_HOST`;
    let endpoint: { Host?: unknown; SkipTLSVerify?: unknown } | undefined;
    try {
      endpoint = (JSON.parse(raw.toString()) as { Endpoints?: { docker?: typeof endpoint } }).Endpoints?.docker;
    } catch {
      return `${metaPath} is not valid JSON`;
    }
    if (!endpoint || typeof endpoint.Host !== 'string') return `docker context "${contextName}" has no docker endpoint (${metaPath})`;
    const tlsDir = join(configDir, 'contexts', 'tls', id, 'docker');
    const tls = readTls(tlsDir, readFile);
    const hasTls = tls.ca !== undefined || tls.cert !== undefined;
    const options = parseDockerHost(endpoint.Host, hasTls ? tls : undefined);
    if (typeof options === 'string') return `docker context "${contextName}": ${options}`;
    return { options, endpoint: endpointOf(options), source: `docker context "${contextName}"` };
  }
  const options = { socketPath: DEFAULT_SOCKET };
  return { options, endpoint: endpointOf(options), source: 'default' };
}
