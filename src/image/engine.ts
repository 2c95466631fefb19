/**
 * The narrow slice of the Docker Engine API the build stage needs, and its
 * dockerode implementation. The orchestration talks to `Engine` only, so it
 * can be tested with a fake. dockerode takes about a second to load (it brings
 * ssh2 and gRPC along), so it is loaded only when something is built or
 * pushed: the questions of a no-change run (is the engine there? does it have
 * this tag?) are two plain HTTP requests.
 */
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import type { RegistryAuth } from './credentials.js';
import { engineMessages, type EngineMessage } from './json-stream.js';
import type { DockerConnectionOptions } from './types.js';

export interface EngineBuildOptions {
  /** `repository:tag`. */
  readonly t: string;
  readonly dockerfile: string;
  readonly buildargs: Readonly<Record<string, string>>;
  readonly target?: string;
  /** Credentials for base images (X-Registry-Config). */
  readonly registryconfig?: Record<string, { username: string; password: string; serveraddress: string }>;
}

export interface Engine {
  /** Resolves when the engine answers; rejects with the cause otherwise. */
  ping(timeoutMs: number): Promise<void>;
  imageExists(ref: string): Promise<boolean>;
  /** Starts a build; the messages end with an `errorDetail` message when it fails. */
  build(context: Readable, opts: EngineBuildOptions): Promise<AsyncIterable<EngineMessage>>;
  push(repository: string, tag: string, auth: RegistryAuth | undefined): Promise<AsyncIterable<EngineMessage>>;
}

/** An HTTP-level refusal from the engine (dockerode's error carries the status and the JSON message). */
export interface EngineHttpError extends Error {
  statusCode?: number;
  json?: { message?: string } | string | null;
  code?: string;
}

export function engineErrorMessage(e: unknown): string {
  const err = e as EngineHttpError;
  const json = err?.json;
  if (json && typeof json === 'object' && typeof json.message === 'string') return json.message;
  if (typeof json === 'string' && json.trim() !== '') return json.trim();
  return err instanceof Error ? err.message.replace(/^\(HTTP code \d+\)\s*[\w ]*-\s*/, '') : String(e);
}

/** One small request to the engine, answered in full (for /_ping and image inspection). */
export function engineRequest(conn: DockerConnectionOptions, method: string, path: string, timeoutMs: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const base: RequestOptions = { method, path, headers: { accept: 'application/json' } };
    const req =
      'socketPath' in conn
        ? httpRequest({ ...base, socketPath: conn.socketPath })
        : conn.protocol === 'https'
          ? httpsRequest({ ...base, host: conn.host, port: conn.port, ca: conn.ca, cert: conn.cert, key: conn.key })
          : httpRequest({ ...base, host: conn.host, port: conn.port });
    const timer = setTimeout(() => {
      const e = new Error(`no answer in ${timeoutMs} ms`);
      e.name = 'TimeoutError';
      req.destroy(e);
    }, timeoutMs);
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body });
      });
      res.on('error', reject);
    });
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    req.end();
  });
}

export async function createDockerodeEngine(conn: DockerConnectionOptions): Promise<Engine> {
  type Dockerode = import('dockerode');
  let loaded: Promise<Dockerode> | undefined;
  const dockerode = () =>
    (loaded ??= import('dockerode').then(({ default: Docker }) => new Docker(conn as ConstructorParameters<typeof Docker>[0])));
  return {
    async ping(timeoutMs) {
      const r = await engineRequest(conn, 'GET', '/_ping', timeoutMs);
      if (r.status !== 200) throw new Error(`the engine answered /_ping with HTTP ${r.status}${r.body ? `: ${r.body.trim()}` : ''}`);
    },
    async imageExists(ref) {
      const r = await engineRequest(conn, 'GET', `/images/${ref}/json`, 30_000);
      if (r.status === 200) return true;
      if (r.status === 404) return false;
      let message = r.body.trim();
      try {
        message = (JSON.parse(r.body) as { message?: string }).message ?? message;
      } catch {
        // not JSON: keep the text
      }
      throw Object.assign(new Error(`HTTP ${r.status}: ${message}`), { statusCode: r.status });
    },
    async build(context, opts) {
      const docker = await dockerode();
      const query: Record<string, unknown> = { t: opts.t, dockerfile: opts.dockerfile, buildargs: { ...opts.buildargs }, rm: true, forcerm: true };
      if (opts.target !== undefined) query.target = opts.target;
      if (opts.registryconfig && Object.keys(opts.registryconfig).length) query.registryconfig = opts.registryconfig;
      const res = (await docker.buildImage(context as never, query as never)) as unknown as Readable;
      return engineMessages(res);
    },
    async push(repository, tag, auth) {
      const docker = await dockerode();
      // The engine wants X-Registry-Auth even for anonymous pushes: `{}` then.
      const res = (await docker.getImage(repository).push({ tag, authconfig: auth ?? {} } as never)) as unknown as Readable;
      return engineMessages(res);
    },
  };
}
