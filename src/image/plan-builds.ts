/**
 * planBuilds: for each service with a `build` section, which files the context
 * sends, which Dockerfile, and which tag the image gets. Never talks to Docker,
 * so `vela dry-run` can compute the tag.
 *
 * Per service, three steps: the image and the paths are checked from the
 * Appfile alone (pure), the disk is read through the injected file system
 * (read-build-context.ts), and the plan is made from what was read (pure).
 */
import { relative, resolve } from 'node:path';
import type { AppModel, ServiceModel } from '../appfile/index.js';
import { nodeFileSystem, type FileSystem } from '../host/index.js';
import { DiagnosticError, didYouMean, error, type Diagnostic } from '../source/index.js';
import { isInside, toPosix } from './context-paths.js';
import { digestBuildInputs, digestTag } from './inputs-digest.js';
import { formatImageRef, parseImageRef, withRegistry, type ImageRef } from './image-ref.js';
import { readBuildContext, type ContextLocation, type ContextReading } from './read-build-context.js';
import { tarSize } from './tar-size.js';
import type { BuildPlan, PlanOptions } from './types.js';

/** Services to build, in file order; unknown names and services without `build` are input errors. */
export function selectServices(app: AppModel, only?: readonly string[]): ServiceModel[] {
  if (!only || only.length === 0) return app.services.filter((s) => s.build);
  const diags: Diagnostic[] = [];
  const names = app.services.map((s) => s.name);
  for (const name of only) {
    const svc = app.services.find((s) => s.name === name);
    if (!svc) diags.push(error(`no service named \`${name}\` in ${app.file.name}`, undefined, { hint: didYouMean(name, names), code: 'build/unknown-service' }));
    else if (!svc.build) diags.push(error(`service \`${name}\` has no \`build\` section: nothing to build`, svc.span, { code: 'build/no-build' }));
  }
  if (diags.length) throw new DiagnosticError(diags, 1);
  return app.services.filter((s) => s.build && only.includes(s.name));
}

export async function planBuilds(app: AppModel, opts: PlanOptions = {}, fs: FileSystem = nodeFileSystem): Promise<BuildPlan[]> {
  const services = selectServices(app, opts.only);
  const results = await Promise.all(services.map((s) => planService(app, s, fs)));
  const diags = results.flatMap((r) => (Array.isArray(r) ? r : []));
  if (diags.length) throw new DiagnosticError(diags, 1);
  const plans = results as BuildPlan[];
  diags.push(...conflictingRefs(plans));
  if (diags.length) throw new DiagnosticError(diags, 1);
  return plans;
}

/**
 * Services may share an image (built once), but not one tag for two different
 * builds: whichever finished last would win. Digest tags cannot collide.
 */
function conflictingRefs(plans: readonly BuildPlan[]): Diagnostic[] {
  const key = (p: BuildPlan) => JSON.stringify([p.contextDir, p.dockerfile, p.target ?? '', Object.entries(p.args).sort()]);
  const first = new Map<string, BuildPlan>();
  const out: Diagnostic[] = [];
  for (const p of plans) {
    const seen = first.get(p.ref);
    if (!seen) first.set(p.ref, p);
    else if (key(seen) !== key(p)) {
      out.push(
        error(`services \`${seen.service}\` and \`${p.service}\` build different images under the same tag \`${p.ref}\``, p.span, {
          path: `services.${p.service}.build`,
          related: [seen.span],
          hint: 'give one of them another image name or tag, or drop the tag so each gets one from its contents',
          code: 'build/tag-conflict',
        }),
      );
    }
  }
  return out;
}

async function planService(app: AppModel, svc: ServiceModel, fs: FileSystem): Promise<BuildPlan | Diagnostic[]> {
  const image = imageToBuild(app, svc);
  if (!('repository' in image)) return image;
  const where = contextLocation(app, svc);
  if (!('contextDir' in where)) return where;
  // An explicit tag is always built, so its contents need no hashing.
  const reading = await readBuildContext(fs, where, { hash: image.tag === undefined });
  return planFromContext(svc, image, where, reading);
}

const failure = (svc: ServiceModel, message: string, hint?: string, code?: string): Diagnostic[] => [
  error(message, svc.build!.span, { path: `services.${svc.name}.build`, hint, code }),
];

/** The repository to tag (and push) and the Appfile's tag, if it names one: checked from the Appfile alone. */
function imageToBuild(app: AppModel, svc: ServiceModel): { repository: ImageRef; tag?: string } | Diagnostic[] {
  const at = svc.build!.span;
  const imageSpan = app.locate(['services', svc.name, 'image']);
  if (svc.image === undefined) {
    return [error(`service \`${svc.name}\` has \`build\` but no \`image\`: the built image needs a repository name`, at, {
      path: `services.${svc.name}.build`, hint: 'add e.g. `image: localhost:5000/' + app.name + '/' + svc.name + '`', code: 'build/no-image' })];
  }
  const parsed = parseImageRef(svc.image);
  if (typeof parsed === 'string') {
    return [error(`invalid image reference \`${svc.image}\`: ${parsed}`, at, { path: `services.${svc.name}.image`, related: imageSpan ? [imageSpan] : undefined, code: 'build/invalid-image' })];
  }
  if (parsed.digest) {
    return [error(`image \`${svc.image}\` is pinned by digest, so it cannot be built`, at, { path: `services.${svc.name}.image`, hint: 'remove the `@sha256:…` part, or remove `build`', related: imageSpan ? [imageSpan] : undefined, code: 'build/invalid-image' })];
  }
  let repository: ImageRef = { ...parsed, tag: undefined };
  const pushRegistry = svc.build!.pushRegistry;
  if (pushRegistry !== undefined) {
    const replaced = withRegistry(repository, pushRegistry);
    if (typeof replaced === 'string') return failure(svc, replaced, undefined, 'build/invalid-registry');
    repository = replaced;
  }
  return { repository, ...(parsed.tag !== undefined && { tag: parsed.tag }) };
}

/**
 * The context and the Dockerfile must stay inside the project folder (the
 * reader checks again after following symlinks): the context is sent to a
 * daemon, maybe remote.
 */
function contextLocation(app: AppModel, svc: ServiceModel): ContextLocation | Diagnostic[] {
  const build = svc.build!;
  const projectDir = resolve(app.dir);
  const contextDir = resolve(projectDir, build.context);
  if (!isInside(projectDir, contextDir)) {
    return failure(svc, `build context \`${build.context}\` is outside the project folder`, `the context must be the Appfile's folder (${projectDir}) or inside it`, 'build/context-outside');
  }
  const dockerfilePath = resolve(contextDir, build.dockerfile);
  if (!isInside(projectDir, dockerfilePath)) {
    return failure(svc, `Dockerfile \`${build.dockerfile}\` is outside the project folder`, undefined, 'build/dockerfile-outside');
  }
  return { projectDir, contextDir, dockerfilePath };
}

/** The plan from what the disk said, or what was wrong with it. */
function planFromContext(svc: ServiceModel, image: { repository: ImageRef; tag?: string }, where: ContextLocation, reading: ContextReading): BuildPlan | Diagnostic[] {
  const build = svc.build!;
  switch (reading.kind) {
    case 'context-missing':
      return failure(svc, `build context \`${build.context}\` does not exist`, undefined, 'build/context-missing');
    case 'context-not-folder':
      return failure(svc, `build context \`${build.context}\` is not a folder`, undefined, 'build/context-missing');
    case 'context-escapes':
      return failure(svc, `build context \`${build.context}\` leads outside the project folder through a symlink (to ${reading.realPath})`, undefined, 'build/context-outside');
    case 'dockerfile-missing': {
      const shown = toPosix(relative(where.projectDir, where.dockerfilePath)) || build.dockerfile;
      return failure(svc, `Dockerfile not found: ${shown}`, build.dockerfile === 'Dockerfile' ? 'create one, or set `build.docker.file`' : 'check `build.docker.file` (it is relative to the context)', 'build/dockerfile-missing');
    }
    case 'dockerfile-escapes':
      return failure(svc, `Dockerfile \`${build.dockerfile}\` leads outside the project folder through a symlink (to ${reading.realPath})`, undefined, 'build/dockerfile-outside');
    case 'unreadable': {
      const err = reading.error;
      return failure(svc, `cannot read the build context: ${err.code ?? ''} ${err.path ? `${err.path}` : err.message}`.trim(), undefined, 'build/context-unreadable');
    }
    case 'dockerignore-refused':
      return failure(svc, `cannot use the .dockerignore of build context \`${build.context}\`: ${reading.problem}`, 'make .dockerignore a file inside the build context', 'build/dockerignore');
    case 'read':
      break;
    default: {
      const never: never = reading;
      return never;
    }
  }
  const { entries, dockerfile } = reading;
  const inputsDigest =
    image.tag === undefined ? digestBuildInputs({ entries, dockerfile: { path: dockerfile.tarPath, sha256: dockerfile.sha256 }, args: build.args, target: build.target }) : undefined;
  const tag = image.tag ?? digestTag(inputsDigest!);
  return {
    service: svc.name,
    span: build.span,
    contextDir: reading.contextDir,
    dockerfile: dockerfile.tarPath,
    entries,
    args: build.args,
    target: build.target,
    repository: image.repository,
    tag,
    tagSource: image.tag !== undefined ? 'explicit' : 'digest',
    ref: formatImageRef({ ...image.repository, tag }),
    inputsDigest,
    contextBytes: tarSize(entries),
  };
}
