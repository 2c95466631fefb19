/**
 * Registry credentials from the docker CLI's config.json, looked up the way
 * the CLI does: `credHelpers[host]`, else `credsStore`, through the
 * `docker-credential-<name> get` programs (the server on stdin, JSON out),
 * else the base64 `auth` of `auths`. Credentials are passed on, never printed.
 */
import { join } from 'node:path';
import { nodeFileSystem } from '../host/index.js';
import { DOCKER_HUB } from './image-ref.js';

export interface DockerConfigFile {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
  currentContext?: string;
}

/** What the engine accepts in X-Registry-Auth. */
export interface RegistryAuth {
  readonly serveraddress: string;
  readonly username?: string;
  readonly password?: string;
  readonly identitytoken?: string;
}

/** Runs `docker-credential-<helper> get` with `server` on stdin; undefined when it has nothing. */
export type CredentialHelperRunner = (helper: string, server: string) => Promise<{ Username: string; Secret: string } | undefined>;

export class CredentialError extends Error {}

/** The key the CLI stores Docker Hub credentials under. */
export const DOCKER_HUB_AUTH_KEY = 'https://index.docker.io/v1/';

/** `https://host:5000/v2/` → `host:5000` (docker's ConvertToHostname). */
export function hostOfAuthKey(key: string): string {
  const noScheme = key.replace(/^[a-z]+:\/\//i, '');
  const host = noScheme.split('/')[0]!;
  return host === 'index.docker.io' || host === 'registry-1.docker.io' ? DOCKER_HUB : host;
}

export async function readDockerConfig(configDir: string): Promise<DockerConfigFile> {
  const file = join(configDir, 'config.json');
  let text: string;
  try {
    text = await nodeFileSystem.readText(file);
  } catch {
    return {};
  }
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' ? (v as DockerConfigFile) : {};
  } catch {
    throw new CredentialError(`${file} is not valid JSON`);
  }
}

function fromAuths(cfg: DockerConfigFile, domain: string, server: string): RegistryAuth | undefined {
  for (const [key, entry] of Object.entries(cfg.auths ?? {})) {
    if (hostOfAuthKey(key) !== domain) continue;
    if (entry.identitytoken) return { serveraddress: server, identitytoken: entry.identitytoken };
    if (entry.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      if (i < 0) throw new CredentialError(`the \`auth\` of "${key}" in config.json is not base64 of user:password`);
      return { serveraddress: server, username: decoded.slice(0, i), password: decoded.slice(i + 1) };
    }
    if (entry.username !== undefined && entry.password !== undefined) return { serveraddress: server, username: entry.username, password: entry.password };
  }
  return undefined;
}

/** The credentials for a registry (`domain` as in an image reference), or undefined for anonymous access. */
export async function resolveRegistryAuth(cfg: DockerConfigFile, domain: string, runHelper: CredentialHelperRunner = runCredentialHelper): Promise<RegistryAuth | undefined> {
  const server = domain === DOCKER_HUB ? DOCKER_HUB_AUTH_KEY : domain;
  const helper =
    Object.entries(cfg.credHelpers ?? {}).find(([k]) => hostOfAuthKey(k) === domain)?.[1] ?? (cfg.credsStore && cfg.credsStore !== '' ? cfg.credsStore : undefined);
  if (helper) {
    const got = await runHelper(helper, server);
    if (got) {
      // `<token>` as the user name means the secret is an identity token.
      return got.Username === '<token>' ? { serveraddress: server, identitytoken: got.Secret } : { serveraddress: server, username: got.Username, password: got.Secret };
    }
  }
  return fromAuths(cfg, domain, server);
}

/** Every `auths` entry, for X-Registry-Config (base images from private registries). */
export function fileAuths(cfg: DockerConfigFile): Record<string, { username: string; password: string; serveraddress: string }> {
  const out: Record<string, { username: string; password: string; serveraddress: string }> = {};
  for (const [key, entry] of Object.entries(cfg.auths ?? {})) {
    if (!entry.auth) continue;
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    if (i > 0) out[key] = { username: decoded.slice(0, i), password: decoded.slice(i + 1), serveraddress: key };
  }
  return out;
}

export const runCredentialHelper: CredentialHelperRunner = async (helper, server) => {
  const { execa } = await import('execa');
  const program = `docker-credential-${helper}`;
  const r = await execa(program, ['get'], { input: server, reject: false, timeout: 30_000 });
  if ((r as { code?: string }).code === 'ENOENT' || /ENOENT/.test(String((r as { originalMessage?: string }).originalMessage ?? ''))) {
    throw new CredentialError(`the credential helper \`${program}\` named in config.json is not installed (not on PATH)`);
  }
  if (r.exitCode !== 0) {
    // The helpers' agreed "nothing stored" answer.
    if (/credentials not found/i.test(`${r.stdout}${r.stderr}`)) return undefined;
    throw new CredentialError(`the credential helper \`${program}\` failed (exit code ${r.exitCode}): ${String(r.stderr || r.stdout).trim().split('\n')[0]}`);
  }
  let parsed: { Username?: unknown; Secret?: unknown };
  try {
    parsed = JSON.parse(String(r.stdout)) as typeof parsed;
  } catch {
    throw new CredentialError(`the credential helper \`${program}\` did not answer with JSON`);
  }
  if (typeof parsed.Secret !== 'string' || parsed.Secret === '') return undefined;
  return { Username: typeof parsed.Username === 'string' ? parsed.Username : '', Secret: parsed.Secret };
};
