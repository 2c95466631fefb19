/**
 * buildAndPush: plan, then for each planned service (a few at a time) build
 * the image unless the engine already has its digest tag, and push it unless
 * the registry already has that tag. Failures become diagnostics at the
 * service's `build` span: exit code 1 when the user's input is at fault (a
 * Dockerfile step fails), 2 when the environment is (engine, registry, auth).
 */
import { join } from 'node:path';
import type { AppModel } from '../appfile/index.js';
import { nodeEnvironment, mapLimit, readFileIfExistsSync } from '../host/index.js';
import { DiagnosticError, error, type Diagnostic } from '../source/index.js';
import { createContextTar } from './context-tar.js';
import {
  CredentialError,
  fileAuths,
  readDockerConfig,
  resolveRegistryAuth,
  runCredentialHelper,
  type CredentialHelperRunner,
  type DockerConfigFile,
  type RegistryAuth,
} from './credentials.js';
import { dockerConfigDir, endpointOf, resolveDockerConnection, type ResolvedConnection } from './docker-connection.js';
import { createDockerodeEngine, engineErrorMessage, type Engine, type EngineHttpError } from './engine.js';
import { repositoryName, type ImageRef } from './image-ref.js';
import { planBuilds } from './plan-builds.js';
import { lookupManifest as defaultLookup, type ManifestLookup } from './registry-client.js';
import type { BuildAndPushOptions, BuildEvent, BuildPlan, BuildReporter, BuildResult } from './types.js';

const silent: BuildReporter = { event: () => {} };

/** Lines of a failing step's output kept in the diagnostic. */
const FAILURE_OUTPUT_LINES = 40;

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

/** The variables the Docker CLI reads to find its engine, as vela does. */
const DOCKER_VARIABLES = ['DOCKER_HOST', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'DOCKER_CONTEXT', 'DOCKER_CONFIG'];

export async function buildAndPush(app: AppModel, opts: BuildAndPushOptions): Promise<BuildResult[]> {
  const plans = opts.plans ?? (await planBuilds(app, { only: opts.only }));
  if (plans.length === 0) return [];
  const environment = nodeEnvironment();
  const env = opts.env ?? Object.fromEntries(DOCKER_VARIABLES.map((name) => [name, environment.get(name)]));
  const configDir = opts.dockerConfigDir ?? dockerConfigDir(env, environment.homeDir);
  const first = plans[0]!;

  let conn: ResolvedConnection | string;
  if (opts.docker) conn = { options: opts.docker, endpoint: endpointOf(opts.docker), source: 'options' };
  else conn = resolveDockerConnection({ env, configDir, readFile: readFileIfExistsSync });
  if (typeof conn === 'string') throw envError(first, conn, 'build/engine-config', 'set DOCKER_HOST, e.g. DOCKER_HOST=unix:///var/run/docker.sock');

  const engine = await createDockerodeEngine(conn.options);
  try {
    await engine.ping(10_000);
  } catch (e) {
    throw envError(
      first,
      `cannot reach the Docker engine at ${conn.endpoint}${conn.source === 'default' ? '' : ` (from ${conn.source})`}: ${causeOf(e)}`,
      'build/engine-unreachable',
      'start Docker, or set DOCKER_HOST to a running engine, e.g. `export DOCKER_HOST=unix:///run/user/1000/docker.sock` or `tcp://host:2376`',
    );
  }

  let dockerConfig: DockerConfigFile;
  try {
    dockerConfig = await readDockerConfig(configDir);
  } catch (e) {
    throw envError(first, (e as Error).message, 'build/docker-config');
  }
  return executeBuilds(plans, { engine, push: opts.push, reporter: opts.reporter, concurrency: opts.concurrency, dockerConfig, configDir });
}

export interface ExecuteDeps {
  readonly engine: Engine;
  readonly push: boolean;
  readonly reporter?: BuildReporter;
  readonly concurrency?: number;
  readonly dockerConfig: DockerConfigFile;
  /** Shown in hints about credentials. */
  readonly configDir?: string;
  readonly runHelper?: CredentialHelperRunner;
  readonly lookupManifest?: (repo: ImageRef, tag: string, auth: RegistryAuth | undefined) => Promise<ManifestLookup>;
}

/** Failure of one service, carried to the end of the run. */
class ServiceFailure extends Error {
  constructor(
    readonly diagnostic: Diagnostic,
    readonly exitCode: 1 | 2,
  ) {
    super(diagnostic.message);
  }
}

/** Builds and pushes planned images with an engine (the part tests drive with a fake engine). */
export async function executeBuilds(plans: readonly BuildPlan[], deps: ExecuteDeps): Promise<BuildResult[]> {
  const reporter = deps.reporter ?? silent;
  const report = (e: BuildEvent) => {
    try {
      reporter.event(e);
    } catch {
      // A broken reporter must not fail a build.
    }
  };
  // Two services with the same image share one build and push.
  const shared = new Map<string, Promise<Omit<BuildResult, 'service'>>>();
  // One credential lookup per registry: a helper program may prompt or be slow.
  const auths = new Map<string, Promise<RegistryAuth | undefined>>();
  const authFor = (domain: string) => {
    let auth = auths.get(domain);
    if (!auth) {
      auth = resolveRegistryAuth(deps.dockerConfig, domain, deps.runHelper ?? runCredentialHelper);
      auths.set(domain, auth);
    }
    return auth;
  };
  const outcomes = await mapLimit(plans, Math.max(1, deps.concurrency ?? 2), async (plan) => {
    let work = shared.get(plan.ref);
    if (!work) {
      work = runOne(plan, deps, report, authFor);
      shared.set(plan.ref, work);
    }
    try {
      const r = { service: plan.service, ...(await work) };
      report({ kind: 'done', service: plan.service, result: r });
      return r;
    } catch (e) {
      const f = e instanceof ServiceFailure ? e : new ServiceFailure(failure(plan, `build of \`${plan.service}\` failed: ${causeOf(e)}`, 'build/internal'), 2);
      report({ kind: 'failed', service: plan.service, diagnostics: [f.diagnostic] });
      return f;
    }
  });
  const failures = outcomes.filter((o): o is ServiceFailure => o instanceof ServiceFailure);
  if (failures.length) {
    throw new DiagnosticError(
      failures.map((f) => f.diagnostic),
      failures.some((f) => f.exitCode === 2) ? 2 : 1,
    );
  }
  return outcomes as BuildResult[];
}

async function runOne(
  plan: BuildPlan,
  deps: ExecuteDeps,
  report: (e: BuildEvent) => void,
  authFor: (domain: string) => Promise<RegistryAuth | undefined>,
): Promise<Omit<BuildResult, 'service'>> {
  const { engine } = deps;
  const svc = plan.service;
  let built = false;
  let contextBytes = 0;
  let cached = false;
  if (plan.tagSource === 'digest') {
    try {
      cached = await engine.imageExists(plan.ref);
    } catch (e) {
      throw new ServiceFailure(failure(plan, `cannot ask the Docker engine about \`${plan.ref}\`: ${causeOf(e)}`, 'build/engine-error'), 2);
    }
  }
  if (cached) report({ kind: 'cached', service: svc, ref: plan.ref });
  else {
    contextBytes = await buildOne(plan, deps, report);
    built = true;
  }
  if (!deps.push) return { image: plan.ref, ref: plan.ref, built, pushed: false, contextBytes };

  let auth: RegistryAuth | undefined;
  try {
    auth = await authFor(plan.repository.domain);
  } catch (e) {
    if (e instanceof CredentialError) throw new ServiceFailure(failure(plan, e.message, 'build/credentials'), 2);
    throw e;
  }
  const repo = repositoryName(plan.repository);
  if (plan.tagSource === 'digest') {
    const found = await (deps.lookupManifest ?? defaultLookup)(plan.repository, plan.tag, auth);
    if (found.kind === 'present' && found.digest) {
      report({ kind: 'push-skipped', service: svc, ref: plan.ref, digest: found.digest });
      return { image: plan.ref, ref: `${plan.ref}@${found.digest}`, built, pushed: false, digest: found.digest, contextBytes };
    }
  }
  const digest = await pushOne(plan, repo, auth, deps, report);
  return { image: plan.ref, ref: `${plan.ref}@${digest}`, built, pushed: true, digest, contextBytes };
}

async function buildOne(plan: BuildPlan, deps: ExecuteDeps, report: (e: BuildEvent) => void): Promise<number> {
  const svc = plan.service;
  report({ kind: 'start', service: svc, ref: plan.ref, contextBytes: plan.contextBytes });
  const tar = await createContextTar(plan.entries);
  let step: string | undefined;
  let stepOutput: string[] = [];
  let failed: string | undefined;
  let imageId: string | undefined;
  let partial = '';
  const onLine = (raw: string) => {
    // The classic builder paints a step's stderr red; lines go to logs and diagnostics plain.
    const line = raw.replace(ANSI, '').replace(/\r$/, '').replace(/\s+$/, '');
    const m = /^Step (\d+)\/(\d+) : (.*)$/.exec(line);
    if (m) {
      step = line;
      stepOutput = [];
      report({ kind: 'step', service: svc, step: line, index: Number(m[1]), total: Number(m[2]) });
      return;
    }
    if (line === '') return;
    report({ kind: 'output', service: svc, line });
    // The engine's own bookkeeping lines are not the step's output.
    if (!/^ ---> /.test(line) && !/^Removing intermediate container /.test(line)) stepOutput.push(line);
    if (stepOutput.length > FAILURE_OUTPUT_LINES * 2) stepOutput = stepOutput.slice(-FAILURE_OUTPUT_LINES);
  };
  try {
    const messages = await deps.engine.build(tar.stream, {
      t: plan.ref,
      dockerfile: plan.dockerfile,
      buildargs: plan.args,
      target: plan.target,
      registryconfig: fileAuths(deps.dockerConfig),
    });
    for await (const m of messages) {
      if (m.error !== undefined || m.errorDetail !== undefined) {
        failed = m.errorDetail?.message ?? m.error ?? 'unknown error';
        continue;
      }
      if (typeof m.stream === 'string') {
        const text = partial + m.stream;
        const lines = text.split('\n');
        partial = lines.pop()!;
        for (const l of lines) onLine(l);
      } else if (typeof m.status === 'string') {
        onLine(m.id ? `${m.id}: ${m.status}` : m.status);
      }
      if (m.aux?.ID) imageId = m.aux.ID;
    }
    if (partial !== '') onLine(partial);
  } catch (e) {
    const err = e as EngineHttpError;
    if (err.statusCode !== undefined) failed = engineErrorMessage(e);
    else throw new ServiceFailure(failure(plan, `the build of \`${svc}\` was cut off: ${causeOf(e)}`, 'build/engine-error'), 2);
  }
  if (failed !== undefined) {
    const where = step ? ` at ${step.replace(/^Step (\d+\/\d+) : /, 'step $1 `')}\`` : '';
    const out = stepOutput.slice(-FAILURE_OUTPUT_LINES);
    const hint = out.length
      ? `the step printed:\n${out.map((l) => `    | ${l}`).join('\n')}`
      : /dockerfile parse error|unknown instruction|failed to reach build target/i.test(failed)
        ? `in ${join(plan.contextDir, plan.dockerfile)}`
        : undefined;
    throw new ServiceFailure(failure(plan, `build of \`${svc}\` failed${where}: ${failed.trim()}`, 'build/failed', hint), 1);
  }
  report({ kind: 'built', service: svc, ref: plan.ref, imageId });
  return tar.bytes();
}

async function pushOne(plan: BuildPlan, repo: string, auth: RegistryAuth | undefined, deps: ExecuteDeps, report: (e: BuildEvent) => void): Promise<string> {
  const svc = plan.service;
  const domain = plan.repository.domain;
  report({ kind: 'push-start', service: svc, ref: plan.ref });
  let failed: string | undefined;
  let digest: string | undefined;
  try {
    const messages = await deps.engine.push(repo, plan.tag, auth);
    for await (const m of messages) {
      if (m.error !== undefined || m.errorDetail !== undefined) {
        failed = m.errorDetail?.message ?? m.error ?? 'unknown error';
        continue;
      }
      if (m.aux?.Digest) digest = m.aux.Digest;
      if (m.id && m.status) {
        report({ kind: 'layer', service: svc, id: m.id, status: m.status, current: m.progressDetail?.current, total: m.progressDetail?.total });
      }
    }
  } catch (e) {
    failed = (e as EngineHttpError).statusCode !== undefined ? engineErrorMessage(e) : causeOf(e);
  }
  if (failed === undefined && !digest) {
    // Old engines do not send aux.Digest: ask the registry.
    const found = await (deps.lookupManifest ?? defaultLookup)(plan.repository, plan.tag, auth);
    if (found.kind === 'present') digest = found.digest;
    if (!digest) failed = 'the push finished but the engine did not report the image digest';
  }
  if (failed !== undefined) {
    const refused = /unauthori[sz]ed|authentication required|denied|no basic auth|forbidden|401|403/i.test(failed);
    const unreachable = /no such host|connection refused|i\/o timeout|server gave HTTP response to HTTPS|dial tcp|EOF/i.test(failed);
    const cfgFile = `${deps.configDir ?? '~/.docker'}/config.json`;
    const hint = refused
      ? auth
        ? `the credentials for ${domain} in ${cfgFile} were refused; log in again with \`docker login ${domain}\``
        : `no credentials for ${domain} in ${cfgFile}: run \`docker login ${domain}\` (or add an \`auths\` entry)`
      : unreachable
        ? `check the registry address \`${domain}\` (image \`${repo}\`${plan.repository.explicitDomain ? '' : ', which means Docker Hub'}); \`push.registry\` can point elsewhere`
        : undefined;
    const what = refused ? `push of \`${repo}:${plan.tag}\` refused by ${domain}` : unreachable ? `cannot push \`${repo}:${plan.tag}\`: registry ${domain} is unreachable` : `push of \`${repo}:${plan.tag}\` failed`;
    throw new ServiceFailure(failure(plan, `${what}: ${failed.trim()}`, refused ? 'build/push-refused' : 'build/push-failed', hint), 2);
  }
  report({ kind: 'pushed', service: svc, ref: plan.ref, digest });
  return digest!;
}

function failure(plan: BuildPlan, message: string, code: string, hint?: string): Diagnostic {
  return error(message, plan.span, { path: `services.${plan.service}.build`, code, hint });
}

function envError(plan: BuildPlan, message: string, code: string, hint?: string): DiagnosticError {
  return new DiagnosticError([failure(plan, message, code, hint)], 2);
}

function causeOf(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as NodeJS.ErrnoException).code;
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'no answer (timed out)';
    return code && !e.message.includes(code) ? `${code} ${e.message}` : e.message;
  }
  return String(e);
}
