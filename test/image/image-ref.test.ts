import { describe, expect, it } from 'vitest';
import { formatImageRef, parseImageRef, repositoryName, withRegistry, type ImageRef } from '../../src/image/index.js';
import { isLoopbackRegistry, registryPath } from '../../src/image/image-ref.js';

const ok = (s: string) => {
  const r = parseImageRef(s);
  if (typeof r === 'string') throw new Error(r);
  return r;
};

describe('parseImageRef', () => {
  it.each([
    ['nginx', { domain: 'docker.io', explicitDomain: false, path: 'nginx' }],
    ['shop/web:v1', { domain: 'docker.io', path: 'shop/web', tag: 'v1' }],
    ['localhost:5000/shop/web', { domain: 'localhost:5000', explicitDomain: true, path: 'shop/web' }],
    ['localhost/web', { domain: 'localhost', path: 'web' }],
    ['ghcr.io/org/app:1.2.3-rc_1', { domain: 'ghcr.io', path: 'org/app', tag: '1.2.3-rc_1' }],
    ['127.0.0.1:5000/a__b/c-d.e', { domain: '127.0.0.1:5000', path: 'a__b/c-d.e' }],
    ['[::1]:5000/web', { domain: '[::1]:5000', path: 'web' }],
    ['index.docker.io/library/nginx', { domain: 'docker.io', path: 'library/nginx' }],
    [`web@sha256:${'a'.repeat(64)}`, { path: 'web', digest: `sha256:${'a'.repeat(64)}` }],
  ])('reads %s', (text, want) => {
    expect(ok(text)).toMatchObject(want);
  });

  it.each([
    ['', /empty/],
    ['shop/Web', /must be lowercase/],
    ['web:', /not a valid tag/],
    ['web:-x', /not a valid tag/],
    ['web::1', /not a valid/],
    ['a/-b', /not a valid repository name component/],
    ['my image', /spaces/],
    ['web@sha256:xyz', /not a valid digest/],
    ['bad_host.com:5000/web', /not a valid registry host/],
    [`w:${'t'.repeat(129)}`, /not a valid tag/],
  ])('refuses %j', (text, msg) => {
    const r = parseImageRef(text);
    expect(typeof r).toBe('string');
    expect(r).toMatch(msg);
  });

  it('formats back what it read', () => {
    for (const s of ['nginx', 'shop/web:v1', 'localhost:5000/shop/web:vela-0123456789ab', 'ghcr.io/o/a']) expect(formatImageRef(ok(s))).toBe(s);
  });

  it('replaces the registry for push.registry, and refuses a path there', () => {
    const r = withRegistry(ok('localhost:5000/shop/web'), 'registry.example.com') as ImageRef;
    expect(repositoryName(r)).toBe('registry.example.com/shop/web');
    expect(repositoryName(withRegistry(ok('shop/web'), 'http://127.0.0.1:5001/') as ImageRef)).toBe('127.0.0.1:5001/shop/web');
    expect(withRegistry(ok('shop/web'), 'ghcr.io/org')).toMatch(/without a path/);
  });

  it('knows Docker Hub paths and loopback registries', () => {
    expect(registryPath(ok('nginx'))).toBe('library/nginx');
    expect(registryPath(ok('localhost:5000/nginx'))).toBe('nginx');
    expect(isLoopbackRegistry('localhost:5000')).toBe(true);
    expect(isLoopbackRegistry('127.0.0.1:5001')).toBe(true);
    expect(isLoopbackRegistry('[::1]:5000')).toBe(true);
    expect(isLoopbackRegistry('ghcr.io')).toBe(false);
  });
});
