/**
 * The build-artifacts file: what `vela build` (and `vela up`) built, per
 * service the tag it built and the reference it pushed (`tag@sha256:…`), as
 * Skaffold's `build --file-output` has it. `vela dry-run` and `vela export`
 * read it back to pin images by digest without asking a registry:
 * - `--build-artifacts FILE`: every service the file names gets its reference
 *   (the pipeline said so; a service the Appfile lacks is an error);
 * - else `.vela/images.json` beside the Appfile, when present, and only for
 *   services whose tag is a digest of their build inputs and still equals the
 *   recorded one: a file left from an older build never pins a changed image.
 */
import { join, resolve } from 'node:path';
import type { AppModel } from '../appfile/index.js';
import type { FileSystem } from '../host/index.js';
import { DiagnosticError, error, warning, type Diagnostic } from '../source/index.js';
import type { BuiltImage } from './build.js';
import { displayPath } from './display-path.js';

/** Beside the Appfile. */
export const DEFAULT_BUILD_ARTIFACTS = '.vela/images.json';

export interface BuildArtifact {
  readonly service: string;
  /** `repository:tag` as built. */
  readonly image: string;
  /** What to deploy: `repository:tag@sha256:…` after a push, else the tag. */
  readonly ref: string;
}

export interface BuildArtifacts {
  readonly app: string;
  readonly builds: readonly BuildArtifact[];
}

/** The file `vela build` writes: `--file-output` (relative to the working folder), else the default beside the Appfile. */
export function artifactsPath(app: AppModel, cwd: string, fileOutput?: string): string {
  return fileOutput !== undefined ? resolve(cwd, fileOutput) : join(app.dir, DEFAULT_BUILD_ARTIFACTS);
}

/**
 * Records this run's builds. Entries of services not built this time stay (a
 * `vela build web` keeps the others' records) unless the file is another app's.
 */
export async function writeBuildArtifacts(path: string, app: string, images: readonly BuiltImage[], fs: FileSystem): Promise<void> {
  const earlier = await readArtifactsFile(path, fs).catch(() => undefined);
  const built = new Set(images.map((i) => i.service));
  const kept = earlier?.app === app ? earlier.builds.filter((b) => !built.has(b.service)) : [];
  const builds = [...kept, ...images.map((i) => ({ service: i.service, image: i.image, ref: i.ref }))].sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : 0));
  const text = JSON.stringify({ app, builds }, null, 2) + '\n';
  if ((await fs.stat(path))?.kind === 'file' && (await fs.readText(path)) === text) return;
  await fs.writeFileAtomic(path, text);
}

/** The file's builds, checked; a malformed file is an error naming it. Undefined when there is no file. */
export async function readArtifactsFile(path: string, fs: FileSystem, shown = path): Promise<BuildArtifacts | undefined> {
  const info = await fs.stat(path);
  if (!info) return undefined;
  const bad = (why: string) => new DiagnosticError([error(`build artifacts ${shown}: ${why}`, undefined, { code: 'build/artifacts', hint: 'write it with `vela build --file-output FILE`' })]);
  if (info.kind !== 'file') throw bad('not a file');
  let doc: unknown;
  try {
    doc = JSON.parse(await fs.readText(path));
  } catch {
    throw bad('not JSON');
  }
  const d = doc as { app?: unknown; builds?: unknown };
  if (typeof d !== 'object' || d === null || typeof d.app !== 'string' || !Array.isArray(d.builds)) throw bad('expected {"app": NAME, "builds": [{"service", "image", "ref"}]}');
  const builds: BuildArtifact[] = [];
  for (const b of d.builds as unknown[]) {
    const e = b as Partial<BuildArtifact> | null;
    if (!e || typeof e.service !== 'string' || typeof e.image !== 'string' || typeof e.ref !== 'string') throw bad('every build needs "service", "image" and "ref" strings');
    builds.push({ service: e.service, image: e.image, ref: e.ref });
  }
  return { app: d.app, builds };
}

export interface PinnedImages {
  /** service → reference to render. */
  readonly images: Readonly<Record<string, string>>;
  /** The file they came from, as shown to the user; undefined when none was used. */
  readonly file?: string;
  readonly warnings: readonly Diagnostic[];
}

/** The images to render from a build-artifacts file (see the module comment for which file and which entries). */
export async function pinnedImages(app: AppModel, opts: { cwd: string; fs: FileSystem; file?: string }): Promise<PinnedImages> {
  if (opts.file !== undefined) return explicitArtifacts(app, opts.cwd, opts.file, opts.fs);
  const path = join(app.dir, DEFAULT_BUILD_ARTIFACTS);
  const shown = displayPath(opts.cwd, path);
  // A broken default file only warns: it is a cache, and rendering does not need it.
  let artifacts: BuildArtifacts | undefined;
  try {
    artifacts = await readArtifactsFile(path, opts.fs, shown);
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw e;
    return { images: {}, warnings: e.diagnostics.map((d) => warning(`${d.message} (ignored)`, undefined, { code: d.code ?? 'build/artifacts' })) };
  }
  if (!artifacts || artifacts.app !== app.name || !app.services.some((s) => s.build)) return { images: {}, warnings: [] };
  const { planBuilds } = await import('../image/index.js');
  const plans = await planBuilds(app, {}, opts.fs);
  const images: Record<string, string> = {};
  for (const p of plans) {
    const a = artifacts.builds.find((b) => b.service === p.service);
    if (a && p.tagSource === 'digest' && a.image === p.ref) images[p.service] = a.ref;
  }
  return Object.keys(images).length ? { images, file: shown, warnings: [] } : { images, warnings: [] };
}

async function explicitArtifacts(app: AppModel, cwd: string, file: string, fs: FileSystem): Promise<PinnedImages> {
  const path = resolve(cwd, file);
  const artifacts = await readArtifactsFile(path, fs, file);
  if (!artifacts) throw new DiagnosticError([error(`--build-artifacts ${file}: no such file`, undefined, { code: 'build/artifacts', hint: 'write it with `vela build --file-output FILE`' })]);
  const names = new Set(app.services.map((s) => s.name));
  const unknown = artifacts.builds.filter((b) => !names.has(b.service));
  if (unknown.length) {
    throw new DiagnosticError([
      error(`--build-artifacts ${file}: no service ${unknown.map((b) => `\`${b.service}\``).join(', ')} in ${app.file.name}`, undefined, {
        code: 'build/artifacts',
        hint: artifacts.app !== app.name ? `the file is of app ${artifacts.app}, this is ${app.name}` : 'build again with the current Appfile',
      }),
    ]);
  }
  return { images: Object.fromEntries(artifacts.builds.map((b) => [b.service, b.ref])), file: displayPath(cwd, path), warnings: [] };
}
