/**
 * The narrow slice of the Docker Engine API the build stage needs, and its
 * dockerode implementation. The orchestration talks to `Engine` only, so it
 * can be tested with a fake; dockerode is loaded lazily (only `vela build` and
 * `vela up` pay for it).
 */
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

export async function createDockerodeEngine(conn: DockerConnectionOptions): Promise<Engine> {
  const { default: Docker } = await import('dockerode');
  const docker = new Docker(conn as ConstructorParameters<typeof Docker>[0]);
  return {
    async ping(timeoutMs) {
      await docker.ping({ abortSignal: AbortSignal.timeout(timeoutMs) } as never);
    },
    async imageExists(ref) {
      try {
        await docker.getImage(ref).inspect();
        return true;
      } catch (e) {
        if ((e as EngineHttpError).statusCode === 404) return false;
        throw e;
      }
    },
    async build(context, opts) {
      const query: Record<string, unknown> = { t: opts.t, dockerfile: opts.dockerfile, buildargs: { ...opts.buildargs }, rm: true, forcerm: true };
      if (opts.target !== undefined) query.target = opts.target;
      if (opts.registryconfig && Object.keys(opts.registryconfig).length) query.registryconfig = opts.registryconfig;
      const res = (await docker.buildImage(context as never, query as never)) as unknown as Readable;
      return engineMessages(res);
    },
    async push(repository, tag, auth) {
      // The engine wants X-Registry-Auth even for anonymous pushes: `{}` then.
      const res = (await docker.getImage(repository).push({ tag, authconfig: auth ?? {} } as never)) as unknown as Readable;
      return engineMessages(res);
    },
  };
}
