/**
 * The data the build stage passes around: a plan per service (what to build,
 * from which files, under which tag), the result after building and pushing,
 * and the progress events a reporter turns into spinners or plain lines.
 */
import type { Span, Diagnostic } from '../source/index.js';
import type { ImageRef } from './image-ref.js';

/** One entry of a build context, as sent in the tar stream. */
export interface ContextEntry {
  /** Path relative to the context root, with `/` separators, no leading `./`. */
  readonly path: string;
  readonly type: 'file' | 'directory' | 'symlink';
  /** Permission bits (`mode & 0o7777`): COPY keeps them, so they are build inputs. */
  readonly mode: number;
  /** Bytes of a regular file (0 otherwise). */
  readonly size: number;
  readonly mtimeMs: number;
  /** Target of a symlink (sent as a link, never followed, like `docker build`). */
  readonly linkname?: string;
  /** sha256 (hex) of a regular file's contents (when the tag is derived from them). */
  readonly sha256?: string;
  /** Absolute path on disk to read the contents from. */
  readonly source: string;
  /**
   * The contents read while hashing, kept for small files (within a budget) so
   * the tar sends exactly what was hashed without reading the disk again.
   */
  readonly data?: Buffer;
}

export interface BuildPlan {
  readonly service: string;
  /** The service's `build` span: where every error about this build points. */
  readonly span: Span;
  /** Absolute context folder. */
  readonly contextDir: string;
  /** The Dockerfile's path inside the tar (what `dockerfile=` tells the engine). */
  readonly dockerfile: string;
  /**
   * Files, folders and links sent, in walk order (a folder before its contents);
   * a Dockerfile from outside the context comes last, under `dockerfile`.
   */
  readonly entries: readonly ContextEntry[];
  readonly args: Readonly<Record<string, string>>;
  readonly target?: string;
  /** The repository pushed to (after `push.registry`), without tag. */
  readonly repository: ImageRef;
  readonly tag: string;
  /** `explicit`: the Appfile names the tag (always built); `digest`: derived from the inputs. */
  readonly tagSource: 'explicit' | 'digest';
  /** `repository:tag`, what the engine tags the image as. */
  readonly ref: string;
  /**
   * sha256 (hex) of all build inputs; the `digest` tag is `vela-` + its first
   * 12 characters. Absent with an explicit tag (always built: nothing to compare).
   */
  readonly inputsDigest?: string;
  /** Exact size of the tar stream that will be sent. */
  readonly contextBytes: number;
}

export interface BuildResult {
  readonly service: string;
  /** `repository:tag`. */
  readonly image: string;
  /** `repository:tag@sha256:…` after a push (or when the registry already had it), else `image`. */
  readonly ref: string;
  /** False when the engine already had the image (digest tags only). */
  readonly built: boolean;
  /** False when not asked to push or the registry already had the tag. */
  readonly pushed: boolean;
  /** The manifest digest in the registry, when known. */
  readonly digest?: string;
  /** Bytes of build context sent to the engine (0 when not built). */
  readonly contextBytes: number;
}

/** Progress of one service; `service` names it in every event. */
export type BuildEvent =
  | { readonly kind: 'start'; readonly service: string; readonly ref: string; readonly contextBytes: number }
  /** The engine already has this digest-tagged image: no build. */
  | { readonly kind: 'cached'; readonly service: string; readonly ref: string }
  /** `Step 2/5 : COPY . /app` */
  | { readonly kind: 'step'; readonly service: string; readonly step: string; readonly index?: number; readonly total?: number }
  /** A line the build printed (a RUN step's output, ` ---> abc123`…). */
  | { readonly kind: 'output'; readonly service: string; readonly line: string }
  | { readonly kind: 'built'; readonly service: string; readonly ref: string; readonly imageId?: string }
  | { readonly kind: 'push-start'; readonly service: string; readonly ref: string }
  /** The registry already has the tag: no push. */
  | { readonly kind: 'push-skipped'; readonly service: string; readonly ref: string; readonly digest?: string }
  | {
      readonly kind: 'layer';
      readonly service: string;
      readonly id: string;
      readonly status: string;
      readonly current?: number;
      readonly total?: number;
    }
  | { readonly kind: 'pushed'; readonly service: string; readonly ref: string; readonly digest?: string }
  | { readonly kind: 'done'; readonly service: string; readonly result: BuildResult }
  | { readonly kind: 'failed'; readonly service: string; readonly diagnostics: readonly Diagnostic[] };

export interface BuildReporter {
  event(e: BuildEvent): void;
}

/** How to reach the engine; resolved from the environment when absent. */
export type DockerConnectionOptions =
  | { readonly socketPath: string }
  | {
      readonly protocol: 'http' | 'https';
      readonly host: string;
      readonly port: number;
      readonly ca?: string | Buffer;
      readonly cert?: string | Buffer;
      readonly key?: string | Buffer;
    };

export interface PlanOptions {
  /** Only these services (names); each must exist and have a `build` section. */
  readonly only?: readonly string[];
}

export interface BuildAndPushOptions extends PlanOptions {
  readonly push: boolean;
  readonly reporter?: BuildReporter;
  /** Services built at the same time (default 2). */
  readonly concurrency?: number;
  /** The engine to use; default from DOCKER_HOST, the docker context, or /var/run/docker.sock. */
  readonly docker?: DockerConnectionOptions;
  /** Where config.json lives (default `$DOCKER_CONFIG` or `~/.docker`). */
  readonly dockerConfigDir?: string;
  /** Plans made earlier by planBuilds (e.g. to show them first); planned afresh when absent. */
  readonly plans?: readonly BuildPlan[];
  /** Environment to read DOCKER_HOST & co. from (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}
