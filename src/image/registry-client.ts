/**
 * Asks a registry whether it already has a tag, through the registry HTTP API
 * (`HEAD /v2/<repo>/manifests/<tag>`), answering Basic and Bearer-token
 * challenges with the same credentials the push uses.
 */
import { isLoopbackRegistry, registryApiHost, registryPath, type ImageRef } from './image-ref.js';
import type { RegistryAuth } from './credentials.js';

export type ManifestLookup =
  | { readonly kind: 'present'; readonly digest?: string }
  | { readonly kind: 'absent' }
  /** Could not tell (unreachable, refused, odd answer): the caller pushes anyway. */
  | { readonly kind: 'unknown'; readonly reason: string };

const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
].join(', ');

export function registryBaseUrl(domain: string): string {
  // Docker talks plain HTTP to loopback registries without configuration.
  return `${isLoopbackRegistry(domain) ? 'http' : 'https'}://${registryApiHost(domain)}`;
}

/** Parses `Bearer realm="…",service="…",scope="…"` (or `Basic realm=…`). */
export function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const m = /^\s*(\w+)\s*(.*)$/.exec(header);
  const params: Record<string, string> = {};
  if (!m) return { scheme: '', params };
  const re = /(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  let p: RegExpExecArray | null;
  while ((p = re.exec(m[2]!))) params[p[1]!.toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3]!;
  return { scheme: m[1]!.toLowerCase(), params };
}

function basic(auth: RegistryAuth): string | undefined {
  return auth.username !== undefined ? 'Basic ' + Buffer.from(`${auth.username}:${auth.password ?? ''}`).toString('base64') : undefined;
}

async function bearerToken(params: Record<string, string>, auth: RegistryAuth | undefined, scope: string, timeoutMs: number): Promise<string | undefined> {
  const realm = params.realm;
  if (!realm) return undefined;
  const signal = AbortSignal.timeout(timeoutMs);
  if (auth?.identitytoken) {
    const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: auth.identitytoken, service: params.service ?? '', scope, client_id: 'vela' });
    const r = await fetch(realm, { method: 'POST', body, signal });
    if (!r.ok) return undefined;
    const j = (await r.json()) as { access_token?: string; token?: string };
    return j.access_token ?? j.token;
  }
  const url = new URL(realm);
  if (params.service) url.searchParams.set('service', params.service);
  url.searchParams.set('scope', scope);
  const headers: Record<string, string> = {};
  const b = auth && basic(auth);
  if (b) headers.authorization = b;
  const r = await fetch(url, { headers, signal });
  if (!r.ok) return undefined;
  const j = (await r.json()) as { access_token?: string; token?: string };
  return j.token ?? j.access_token;
}

export async function lookupManifest(repo: ImageRef, tag: string, auth: RegistryAuth | undefined, timeoutMs = 10_000): Promise<ManifestLookup> {
  const path = registryPath(repo);
  const url = `${registryBaseUrl(repo.domain)}/v2/${path}/manifests/${encodeURIComponent(tag)}`;
  const head = (authorization?: string) =>
    fetch(url, { method: 'HEAD', headers: { accept: MANIFEST_TYPES, ...(authorization ? { authorization } : {}) }, signal: AbortSignal.timeout(timeoutMs) });
  try {
    let r = await head();
    if (r.status === 401) {
      const { scheme, params } = parseChallenge(r.headers.get('www-authenticate') ?? '');
      let authorization: string | undefined;
      if (scheme === 'basic' && auth) authorization = basic(auth);
      else if (scheme === 'bearer') {
        const token = await bearerToken(params, auth, `repository:${path}:pull`, timeoutMs);
        if (token) authorization = `Bearer ${token}`;
      }
      if (!authorization) return { kind: 'unknown', reason: 'the registry wants credentials' };
      r = await head(authorization);
    }
    if (r.status === 200) return { kind: 'present', digest: r.headers.get('docker-content-digest') ?? undefined };
    if (r.status === 404) return { kind: 'absent' };
    return { kind: 'unknown', reason: `HTTP ${r.status}` };
  } catch (e) {
    return { kind: 'unknown', reason: e instanceof Error ? e.message : String(e) };
  }
}
