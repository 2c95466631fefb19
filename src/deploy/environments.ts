/**
 * Named deployment environments (`vela env init|ls|set|delete`): a namespace
 * and optionally a kubeconfig context, stored in `$VELA_HOME/envs.json` (or
 * `~/.vela/envs.json`). `--env NAME` on a cluster command picks one; otherwise
 * the current one, if any, supplies the defaults that flags can override.
 */
import { join } from 'node:path';
import { DiagnosticError, error, didYouMean } from '../source/index.js';
import { nodeEnvironment, nodeFileSystem, velaHome, type Environment, type FileSystem } from '../host/index.js';

export interface DeployEnv {
  readonly name: string;
  readonly namespace: string;
  readonly context?: string;
}

export interface EnvStoreDeps {
  readonly fs?: FileSystem;
  readonly env?: Environment;
}

interface EnvFile {
  current?: string;
  envs: Record<string, { namespace: string; context?: string }>;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function storePath(deps: EnvStoreDeps): string {
  return join(velaHome(deps.env ?? nodeEnvironment()), 'envs.json');
}

async function load(deps: EnvStoreDeps): Promise<EnvFile> {
  const fs = deps.fs ?? nodeFileSystem;
  const path = storePath(deps);
  let text: string;
  try {
    text = await fs.readText(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { envs: {} };
    throw err;
  }
  try {
    const parsed = JSON.parse(text) as EnvFile;
    return { current: parsed.current, envs: parsed.envs ?? {} };
  } catch {
    throw new DiagnosticError([error(`${path} is not valid JSON`, undefined, { hint: 'fix or delete the file', code: 'env/corrupt' })]);
  }
}

async function save(file: EnvFile, deps: EnvStoreDeps): Promise<void> {
  const fs = deps.fs ?? nodeFileSystem;
  const sorted: EnvFile = { current: file.current, envs: Object.fromEntries(Object.entries(file.envs).sort(([a], [b]) => a.localeCompare(b))) };
  await fs.writeFileAtomic(storePath(deps), `${JSON.stringify(sorted, null, 2)}\n`);
}

function unknownEnv(name: string, file: EnvFile): DiagnosticError {
  return new DiagnosticError([
    error(`no environment named "${name}"`, undefined, {
      code: 'env/unknown',
      hint: didYouMean(name, Object.keys(file.envs)) ?? 'create it with `vela env init NAME --namespace NS`',
    }),
  ]);
}

/** `vela env init NAME --namespace NS [--context CTX]`: create or update; the first one becomes current. */
export async function initEnv(opts: { name: string; namespace: string; context?: string }, deps: EnvStoreDeps = {}): Promise<DeployEnv> {
  for (const [what, v] of [['environment name', opts.name], ['namespace', opts.namespace]] as const) {
    if (!DNS_LABEL.test(v) || v.length > 63) {
      throw new DiagnosticError([error(`invalid ${what} "${v}": must be a DNS-1123 label (lower case letters, digits and '-')`, undefined, { code: 'env/invalid' })]);
    }
  }
  const file = await load(deps);
  file.envs[opts.name] = opts.context ? { namespace: opts.namespace, context: opts.context } : { namespace: opts.namespace };
  file.current ??= opts.name;
  await save(file, deps);
  return { name: opts.name, ...file.envs[opts.name]! };
}

/** `vela env ls`. */
export async function listEnvs(deps: EnvStoreDeps = {}): Promise<{ current?: string; envs: DeployEnv[] }> {
  const file = await load(deps);
  return { current: file.current, envs: Object.entries(file.envs).map(([name, e]) => ({ name, ...e })) };
}

/** `vela env set NAME`: make it current. */
export async function setEnv(name: string, deps: EnvStoreDeps = {}): Promise<DeployEnv> {
  const file = await load(deps);
  const e = file.envs[name];
  if (!e) throw unknownEnv(name, file);
  file.current = name;
  await save(file, deps);
  return { name, ...e };
}

/** `vela env delete NAME`. */
export async function deleteEnv(name: string, deps: EnvStoreDeps = {}): Promise<void> {
  const file = await load(deps);
  if (!file.envs[name]) throw unknownEnv(name, file);
  delete file.envs[name];
  if (file.current === name) file.current = undefined;
  await save(file, deps);
}

/** The environment `--env NAME` names, or the current one, or none. */
export async function resolveEnv(name: string | undefined, deps: EnvStoreDeps = {}): Promise<DeployEnv | undefined> {
  const file = await load(deps);
  if (name !== undefined) {
    const e = file.envs[name];
    if (!e) throw unknownEnv(name, file);
    return { name, ...e };
  }
  const cur = file.current ? file.envs[file.current] : undefined;
  return cur && file.current ? { name: file.current, ...cur } : undefined;
}
