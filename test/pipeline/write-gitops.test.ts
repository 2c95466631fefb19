/**
 * The GitOps layout: stable names, a kustomization.yaml in apply order, only
 * changed files rewritten, files of objects that left removed, and folders
 * that are not this app's export refused.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/render/index.js';
import { gitopsFileNames, writeGitops, writeGitopsClusters } from '../../src/pipeline/write-gitops.js';
import { DiagnosticError } from '../../src/source/index.js';

const scratch = mkdtempSync(join(tmpdir(), 'vela-gitops-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const obj = (kind: string, name: string, extra: Record<string, unknown> = {}, apiVersion = 'v1', namespace: string | undefined = 'shop'): Manifest => ({
  object: { apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) }, ...extra },
  origin: { service: name, definition: 'webservice' } as Manifest['origin'],
});
const mtime = (p: string) => statSync(p).mtimeMs;

describe('gitops file names', () => {
  it('are <kind>-<name>, with the namespace and then the group added only where two would clash', () => {
    expect(
      gitopsFileNames([
        obj('Deployment', 'web', {}, 'apps/v1'),
        obj('Service', 'web'),
        obj('ConfigMap', 'conf', {}, 'v1', 'a'),
        obj('ConfigMap', 'conf', {}, 'v1', 'b'),
        obj('Certificate', 'tls', {}, 'cert-manager.io/v1'),
        obj('Certificate', 'tls', {}, 'other.example.com/v1'),
      ]),
    ).toEqual(['deployment-web.yaml', 'service-web.yaml', 'configmap-a-conf.yaml', 'configmap-b-conf.yaml', 'certificate.cert-manager.io-shop-tls.yaml', 'certificate.other.example.com-shop-tls.yaml']);
  });
});

describe('writeGitops', () => {
  it('writes the objects and a kustomization.yaml in apply order; a re-run touches nothing; changes rewrite only what changed', async () => {
    const dir = join(scratch, 'deploy');
    const first = await writeGitops(dir, 'prod', 'shop', [obj('Deployment', 'web', { spec: { replicas: 1 } }, 'apps/v1'), obj('Service', 'web'), obj('ConfigMap', 'extra')]);
    const env = join(dir, 'prod');
    expect(first.dir).toBe(env);
    expect(first.changed).toEqual(['deployment-web.yaml', 'service-web.yaml', 'configmap-extra.yaml', 'kustomization.yaml']);
    expect(readdirSync(env).sort()).toEqual(['.vela-output.json', 'configmap-extra.yaml', 'deployment-web.yaml', 'kustomization.yaml', 'service-web.yaml']);
    expect(parse(readFileSync(join(env, 'kustomization.yaml'), 'utf8'))).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['deployment-web.yaml', 'service-web.yaml', 'configmap-extra.yaml'],
    });
    expect(parse(readFileSync(join(env, 'deployment-web.yaml'), 'utf8'))).toMatchObject({ kind: 'Deployment', spec: { replicas: 1 } });

    // Age every file, so a rewrite shows in its mtime.
    const old = new Date(Date.now() - 60_000);
    for (const f of readdirSync(env)) utimesSync(join(env, f), old, old);
    const before = Object.fromEntries(readdirSync(env).map((f) => [f, mtime(join(env, f))]));
    const again = await writeGitops(dir, 'prod', 'shop', [obj('Deployment', 'web', { spec: { replicas: 1 } }, 'apps/v1'), obj('Service', 'web'), obj('ConfigMap', 'extra')]);
    expect(again.changed).toEqual([]);
    expect(again.removed).toEqual([]);
    expect(Object.fromEntries(readdirSync(env).map((f) => [f, mtime(join(env, f))]))).toEqual(before);

    // A hand-written file beside ours stays; the ConfigMap left; the Deployment changed; a Secret came first.
    writeFileSync(join(env, 'README.md'), 'notes\n');
    const third = await writeGitops(dir, 'prod', 'shop', [obj('Secret', 'creds'), obj('Deployment', 'web', { spec: { replicas: 3 } }, 'apps/v1'), obj('Service', 'web')]);
    expect(third.changed).toEqual(['secret-creds.yaml', 'deployment-web.yaml', 'kustomization.yaml']);
    expect(third.removed).toEqual(['configmap-extra.yaml']);
    expect(mtime(join(env, 'service-web.yaml'))).toBe(before['service-web.yaml']);
    expect(readdirSync(env).sort()).toEqual(['.vela-output.json', 'README.md', 'deployment-web.yaml', 'kustomization.yaml', 'secret-creds.yaml', 'service-web.yaml']);
  });

  it("keeps environments apart and refuses another app's folder or a kustomization it did not write", async () => {
    const dir = join(scratch, 'multi');
    await writeGitops(dir, 'staging', 'shop', [obj('Service', 'web')]);
    await writeGitops(dir, 'prod', 'shop', [obj('Service', 'web')]);
    expect(readdirSync(dir).sort()).toEqual(['prod', 'staging']);
    const other = await writeGitops(dir, 'prod', 'billing', [obj('Service', 'api')]).then(() => undefined, (e: unknown) => e);
    expect(other).toBeInstanceOf(DiagnosticError);
    expect((other as DiagnosticError).diagnostics[0]!.message).toBe(`${join(dir, 'prod')} holds the export of app "shop", not billing`);
    mkdirSync(join(dir, 'hand'));
    writeFileSync(join(dir, 'hand', 'kustomization.yaml'), 'resources: []\n');
    const hand = await writeGitops(dir, 'hand', 'shop', [obj('Service', 'web')]).then(() => undefined, (e: unknown) => e);
    expect((hand as DiagnosticError).diagnostics[0]!.message).toMatch(/has a kustomization\.yaml that vela did not write$/);
    expect(readFileSync(join(dir, 'hand', 'kustomization.yaml'), 'utf8')).toBe('resources: []\n');
  });
});

describe('writeGitopsClusters', () => {
  it('refuses before writing anything when one cluster folder holds a kustomization.yaml vela did not write', async () => {
    const dir = join(scratch, 'clusters-refused');
    mkdirSync(join(dir, 'prod', 'eu'), { recursive: true });
    writeFileSync(join(dir, 'prod', 'eu', 'kustomization.yaml'), 'resources: []\n');
    const err = await writeGitopsClusters(dir, 'prod', 'shop', [
      { cluster: 'us', manifests: [obj('Service', 'web')] },
      { cluster: 'eu', manifests: [obj('Service', 'web')] },
    ]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiagnosticError);
    expect((err as DiagnosticError).message).toMatch(/eu has a kustomization\.yaml that vela did not write/);
    expect(readdirSync(join(dir, 'prod')).sort()).toEqual(['eu']);
  });
});
