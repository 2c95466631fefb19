/**
 * Image references as the Docker engine and registries read them
 * (the grammar of distribution/reference): `[domain/]path[:tag][@digest]`.
 * Pure: parsing, validation and formatting only.
 */

export interface ImageRef {
  /** Registry host[:port]; `docker.io` when the reference names none. */
  readonly domain: string;
  /** True when the reference itself names the registry. */
  readonly explicitDomain: boolean;
  /** The repository path as written (`shop/web`, or `nginx` on Docker Hub). */
  readonly path: string;
  readonly tag?: string;
  readonly digest?: string;
}

export const DOCKER_HUB = 'docker.io';

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN_RE = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`);
const PATH_COMPONENT_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG_RE = /^[\w][\w.-]{0,127}$/;
const DIGEST_RE = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

/** Parse a reference; a string describes what is wrong. */
export function parseImageRef(text: string): ImageRef | string {
  if (text === '') return 'the image reference is empty';
  if (/\s/.test(text)) return 'an image reference cannot contain spaces';
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST_RE.test(digest)) return `\`${digest}\` is not a valid digest (expected e.g. sha256:<64 hex>)`;
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG_RE.test(tag)) return `\`${tag}\` is not a valid tag (letters, digits, \`_\`, \`.\`, \`-\`; at most 128; not starting with \`.\` or \`-\`)`;
  }
  if (rest.length > 255) return 'the repository name is longer than 255 characters';
  let domain = DOCKER_HUB;
  let explicitDomain = false;
  let path = rest;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    // The first component is a registry when it looks like a host: docker's rule.
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase()) {
      if (!DOMAIN_RE.test(first)) return `\`${first}\` is not a valid registry host`;
      domain = first === 'index.docker.io' ? DOCKER_HUB : first;
      explicitDomain = true;
      path = rest.slice(slash + 1);
    }
  }
  if (path === '') return 'the repository name is empty';
  for (const comp of path.split('/')) {
    if (!PATH_COMPONENT_RE.test(comp)) {
      return comp !== comp.toLowerCase()
        ? `repository name \`${path}\` must be lowercase`
        : `\`${comp}\` is not a valid repository name component (lowercase letters, digits and single \`.\`, \`_\`, \`__\` or \`-\` between them)`;
    }
  }
  return { domain, explicitDomain, path, tag, digest };
}

/** The repository name as the engine tags it (`localhost:5000/shop/web`, `shop/web`). */
export function repositoryName(ref: ImageRef): string {
  return ref.explicitDomain ? `${ref.domain}/${ref.path}` : ref.path;
}

export function formatImageRef(ref: ImageRef): string {
  return repositoryName(ref) + (ref.tag ? `:${ref.tag}` : '') + (ref.digest ? `@${ref.digest}` : '');
}

/** `push.registry` replaces the registry part (a host with optional port). */
export function withRegistry(ref: ImageRef, registry: string): ImageRef | string {
  const host = registry.replace(/^https?:\/\//, '').replace(/\/+$/, '');
  if (host.includes('/')) return `push.registry \`${registry}\` must be a registry host like \`localhost:5000\` or \`ghcr.io\`, without a path`;
  if (!DOMAIN_RE.test(host)) return `push.registry \`${registry}\` is not a valid registry host`;
  const domain = host === 'index.docker.io' ? DOCKER_HUB : host;
  return { ...ref, domain, explicitDomain: domain !== DOCKER_HUB || ref.explicitDomain };
}

/** The repository path the registry HTTP API uses (`library/nginx` on Docker Hub). */
export function registryPath(ref: ImageRef): string {
  return ref.domain === DOCKER_HUB && !ref.path.includes('/') ? `library/${ref.path}` : ref.path;
}

/** The host the registry HTTP API answers on. */
export function registryApiHost(domain: string): string {
  return domain === DOCKER_HUB ? 'registry-1.docker.io' : domain;
}

/** Registries docker talks plain HTTP to without configuration: loopback ones. */
export function isLoopbackRegistry(domain: string): boolean {
  const host = domain.replace(/:[0-9]+$/, '').replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
