/**
 * `vela build` and the first step of `vela up`: build (and push) the images
 * of the services that have a `build` section, through the Docker Engine API.
 */
import { nodeFileSystem, type Reporter } from '../host/index.js';
import { artifactsPath, writeBuildArtifacts } from './build-artifacts.js';
import { displayPath } from './display-path.js';
import type { AppModel } from '../appfile/index.js';
import { loadApp, type LoadAppOptions } from './load-app.js';

export interface BuildOptions extends LoadAppOptions {
  /** Services to build (default: every service with a build section). */
  only?: readonly string[];
  push: boolean;
  reporter?: Reporter;
  concurrency?: number;
  /** `--file-output FILE`: where the build artifacts go (default `.vela/images.json` beside the Appfile; build-artifacts.ts). */
  fileOutput?: string;
}

export interface BuiltImage {
  readonly service: string;
  readonly image: string;
  readonly ref: string;
  readonly built: boolean;
  readonly pushed: boolean;
  readonly contextBytes: number;
}

/** Builds the images of an already loaded app; returns the image reference per service for rendering. */
export async function buildImages(app: AppModel, opts: Omit<BuildOptions, keyof LoadAppOptions>): Promise<BuiltImage[]> {
  if (!opts.only?.length && !app.services.some((s) => s.build)) return [];
  const { buildAndPush, buildReporterFor } = await import('../image/index.js');
  const results = await buildAndPush(app, {
    push: opts.push,
    only: opts.only ? [...opts.only] : undefined,
    reporter: opts.reporter ? buildReporterFor(opts.reporter) : undefined,
    concurrency: opts.concurrency,
  });
  return results.map((r) => ({ service: r.service, image: r.image, ref: r.ref, built: r.built, pushed: r.pushed, contextBytes: r.contextBytes }));
}

export interface BuildResult {
  readonly app: string;
  readonly images: readonly BuiltImage[];
  /** The build-artifacts file written, as shown to the user (nothing is written when nothing was built). */
  readonly artifacts?: string;
}

export async function build(opts: BuildOptions): Promise<BuildResult> {
  const { app } = await loadApp(opts);
  const images = await buildImages(app, opts);
  const artifacts = await recordBuilds(app, images, opts);
  return { app: app.name, images, ...(artifacts !== undefined ? { artifacts } : {}) };
}

/**
 * Writes the build-artifacts file for what this run built (`vela build`, and
 * `vela up` before it delivers), so a later `export`/`dry-run` pins the same
 * digests. Nothing is written when nothing was built. Returns the file as
 * shown to the user.
 */
export async function recordBuilds(app: AppModel, images: readonly BuiltImage[], opts: Pick<BuildOptions, 'cwd' | 'fileOutput' | 'fs'>): Promise<string | undefined> {
  if (!images.length) return undefined;
  const path = artifactsPath(app, opts.cwd, opts.fileOutput);
  await writeBuildArtifacts(path, app.name, images, opts.fs ?? nodeFileSystem);
  return displayPath(opts.cwd, path);
}
