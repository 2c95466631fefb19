/**
 * planBuilds: for each service with a `build` section, which files the context
 * sends, which Dockerfile, and which tag the image gets. Reads the disk (the
 * context) but never talks to Docker, so `vela dry-run` can compute the tag.
 */
import { realpath, stat, readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { AppModel, ServiceModel } from '../appfile/model.js';
import { DiagnosticError, didYouMean, error, type Diagnostic } from '../source/diagnostic.js';
import { createContextFilter } from './context-filter.js';
import { hashFile, walkContext } from './context-walk.js';
import { digestBuildInputs, digestTag } from './inputs-digest.js';
import { formatImageRef, parseImageRef, withRegistry, type ImageRef } from './image-ref.js';
import { tarSize } from './tar-size.js';
import type { BuildPlan, ContextEntry, PlanOptions } from './types.js';

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

/** `child` is `parent` or inside it (both absolute, normalised). */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel));
}

const toPosix = (p: string) => p.split(sep).join('/');

async function statOrUndefined(p: string) {
  try {
    return await stat(p);
  } catch {
    return undefined;
  }
}

export async function planBuilds(app: AppModel, opts: PlanOptions = {}): Promise<BuildPlan[]> {
  const services = selectServices(app, opts.only);
  const results = await Promise.all(services.map((s) => planService(app, s)));
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

async function planService(app: AppModel, svc: ServiceModel): Promise<BuildPlan | Diagnostic[]> {
  const build = svc.build!;
  const at = build.span;
  const fail = (message: string, hint?: string, code?: string): Diagnostic[] => [
    error(message, at, { path: `services.${svc.name}.build`, hint, code }),
  ];

  // The image: which repository to tag (and push), and whether the tag is ours to choose.
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
  let repo: ImageRef = { ...parsed, tag: undefined };
  if (build.pushRegistry !== undefined) {
    const replaced = withRegistry(repo, build.pushRegistry);
    if (typeof replaced === 'string') return fail(replaced, undefined, 'build/invalid-registry');
    repo = replaced;
  }

  // The context and the Dockerfile must stay inside the project folder, also
  // after following symlinks: the context is sent to a daemon, maybe remote.
  const projectDir = resolve(app.dir);
  const contextDir = resolve(projectDir, build.context);
  if (!isInside(projectDir, contextDir)) {
    return fail(`build context \`${build.context}\` is outside the project folder`, `the context must be the Appfile's folder (${projectDir}) or inside it`, 'build/context-outside');
  }
  const ctxStat = await statOrUndefined(contextDir);
  if (!ctxStat) return fail(`build context \`${build.context}\` does not exist`, undefined, 'build/context-missing');
  if (!ctxStat.isDirectory()) return fail(`build context \`${build.context}\` is not a folder`, undefined, 'build/context-missing');
  const realProject = await realpath(projectDir);
  const realContext = await realpath(contextDir);
  if (!isInside(realProject, realContext)) {
    return fail(`build context \`${build.context}\` leads outside the project folder through a symlink (to ${realContext})`, undefined, 'build/context-outside');
  }
  const dockerfilePath = resolve(contextDir, build.dockerfile);
  if (!isInside(projectDir, dockerfilePath)) {
    return fail(`Dockerfile \`${build.dockerfile}\` is outside the project folder`, undefined, 'build/dockerfile-outside');
  }
  const dfStat = await statOrUndefined(dockerfilePath);
  if (!dfStat || !dfStat.isFile()) {
    const shown = toPosix(relative(projectDir, dockerfilePath)) || build.dockerfile;
    return fail(`Dockerfile not found: ${shown}`, build.dockerfile === 'Dockerfile' ? 'create one, or set `build.docker.file`' : 'check `build.docker.file` (it is relative to the context)', 'build/dockerfile-missing');
  }
  const realDockerfile = await realpath(dockerfilePath);
  if (!isInside(realProject, realDockerfile)) {
    return fail(`Dockerfile \`${build.dockerfile}\` leads outside the project folder through a symlink (to ${realDockerfile})`, undefined, 'build/dockerfile-outside');
  }

  // The Dockerfile travels in the tar: at its own path when it is in the
  // context (even if .dockerignore'd, as docker does), else under a fixed name.
  const dfRel = relative(contextDir, dockerfilePath);
  const dfInContext = isInside(contextDir, dockerfilePath) && !dfRel.split(sep).includes('..');
  const dfSha = await hashFile(realDockerfile, dfStat.size);
  const dfTarPath = dfInContext ? toPosix(dfRel) : `.dockerfile.vela-${dfSha.slice(0, 12)}`;

  let ignoreText: string | undefined;
  try {
    ignoreText = await readFile(resolve(contextDir, '.dockerignore'), 'utf8');
  } catch {
    ignoreText = undefined;
  }
  const filter = createContextFilter(ignoreText, ['.dockerignore', dfTarPath]);
  let entries: ContextEntry[];
  try {
    // An explicit tag is always built, so its contents need no hashing.
    entries = await walkContext(realContext, filter, { hash: parsed.tag === undefined });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return fail(`cannot read the build context: ${err.code ?? ''} ${err.path ? `${err.path}` : err.message}`.trim(), undefined, 'build/context-unreadable');
  }
  if (!dfInContext) {
    entries.push({ path: dfTarPath, type: 'file', mode: dfStat.mode & 0o7777, size: dfStat.size, mtimeMs: dfStat.mtimeMs, sha256: dfSha, source: realDockerfile });
  }

  const inputsDigest =
    parsed.tag === undefined ? digestBuildInputs({ entries, dockerfile: { path: dfTarPath, sha256: dfSha }, args: build.args, target: build.target }) : undefined;
  const tag = parsed.tag ?? digestTag(inputsDigest!);
  const repository = repo;
  return {
    service: svc.name,
    span: at,
    contextDir: realContext,
    dockerfile: dfTarPath,
    entries,
    args: build.args,
    target: build.target,
    repository,
    tag,
    tagSource: parsed.tag ? 'explicit' : 'digest',
    ref: formatImageRef({ ...repository, tag }),
    inputsDigest,
    contextBytes: tarSize(entries),
  };
}
