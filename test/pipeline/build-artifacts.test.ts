/**
 * Build artifacts: `vela build` records what it built and pushed, and
 * dry-run/export pin images from it: an explicit file for every service it
 * names, the default file only while the build inputs are unchanged.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryEnvironment, memoryFileSystem, type FileSystem } from '../../src/host/index.js';
import { BUILTIN_DEFINITIONS } from '../../src/pipeline/registry.js';
import { loadApp } from '../../src/pipeline/load-app.js';
import { dryRun } from '../../src/pipeline/dry-run.js';
import { pinnedImages, readArtifactsFile, writeBuildArtifacts } from '../../src/pipeline/build-artifacts.js';
import { planBuilds } from '../../src/image/plan-builds.js';
import { DiagnosticError } from '../../src/source/index.js';

const definitions = Object.fromEntries(
  readdirSync(BUILTIN_DEFINITIONS)
    .filter((n) => /\.(cue|ya?ml)$/.test(n))
    .map((n) => [`/vela/definitions/${n}`, readFileSync(join(BUILTIN_DEFINITIONS, n), 'utf8')]),
);
const appfile = ['name: shop', 'services:', '  web:', '    image: localhost:5000/shop/web', '    build: ./web', '  api:', '    image: localhost:5000/shop/api:v1', '    build: ./api', '  db:', '    image: postgres:16', ''].join('\n');
const project = () => memoryFileSystem({ ...definitions, '/p/vela.yaml': appfile, '/p/web/Dockerfile': 'FROM scratch\nCOPY a /a\n', '/p/web/a': 'one', '/p/api/Dockerfile': 'FROM scratch\n' });
const base = (fs: FileSystem) => ({ cwd: '/p', fs, environment: memoryEnvironment({}), velaHome: '/home/u/.vela', builtinDir: '/vela/definitions' });
const digest = 'sha256:' + 'a'.repeat(64);

async function recordBuild(fs: FileSystem) {
  const { app } = await loadApp(base(fs));
  const plans = await planBuilds(app, {}, fs);
  const images = plans.map((p) => ({ service: p.service, image: p.ref, ref: `${p.ref}@${digest}`, built: true, pushed: true, contextBytes: 1 }));
  await writeBuildArtifacts('/p/.vela/images.json', app.name, images, fs);
  return plans;
}

describe('build artifacts', () => {
  it('the default file pins digest-tagged images while their inputs are unchanged, and never an explicit tag', async () => {
    const fs = project();
    const plans = await recordBuild(fs);
    const web = plans.find((p) => p.service === 'web')!;
    expect(await readArtifactsFile('/p/.vela/images.json', fs)).toEqual({
      app: 'shop',
      builds: [
        { service: 'api', image: 'localhost:5000/shop/api:v1', ref: `localhost:5000/shop/api:v1@${digest}` },
        { service: 'web', image: web.ref, ref: `${web.ref}@${digest}` },
      ],
    });
    const r = await dryRun(base(fs));
    expect(r.pinned).toEqual([{ service: 'web', image: `${web.ref}@${digest}`, from: '.vela/images.json' }]);
    const images = r.rendered.manifests.flatMap((m) => JSON.stringify(m.object).match(/localhost:5000\/shop\/[a-z]+:[^"]+/g) ?? []);
    expect(images).toContain(`${web.ref}@${digest}`);
    expect(images).toContain('localhost:5000/shop/api:v1');

    // A changed build input: the record no longer matches, the computed tag is used.
    await fs.writeFileAtomic('/p/web/a', 'two');
    const changed = await dryRun(base(fs));
    expect(changed.pinned).toEqual([]);
    expect(changed.unbuilt.map((u) => u.service)).toEqual(['web', 'api']);
  });

  it('an explicit --build-artifacts file pins every service it names; a service the Appfile lacks is an error', async () => {
    const fs = project();
    await fs.writeFileAtomic('/p/ci.json', JSON.stringify({ app: 'shop', builds: [{ service: 'api', image: 'localhost:5000/shop/api:v1', ref: `localhost:5000/shop/api:v1@${digest}` }] }));
    const r = await dryRun({ ...base(fs), buildArtifacts: 'ci.json' });
    expect(r.pinned).toEqual([{ service: 'api', image: `localhost:5000/shop/api:v1@${digest}`, from: 'ci.json' }]);
    await fs.writeFileAtomic('/p/other.json', JSON.stringify({ app: 'billing', builds: [{ service: 'invoices', image: 'x:1', ref: 'x:1' }] }));
    const e = await dryRun({ ...base(fs), buildArtifacts: 'other.json' }).then(() => undefined, (err: unknown) => err);
    expect((e as DiagnosticError).diagnostics[0]!.message).toBe('--build-artifacts other.json: no service `invoices` in vela.yaml');
    expect((e as DiagnosticError).diagnostics[0]!.hint).toBe('the file is of app billing, this is shop');
    const missing = await dryRun({ ...base(fs), buildArtifacts: 'nope.json' }).then(() => undefined, (err: unknown) => err);
    expect((missing as DiagnosticError).diagnostics[0]!.message).toBe('--build-artifacts nope.json: no such file');
    await fs.writeFileAtomic('/p/broken.json', '{"app": "shop", "builds": [{"service": 1}]}');
    const broken = await dryRun({ ...base(fs), buildArtifacts: 'broken.json' }).then(() => undefined, (err: unknown) => err);
    expect((broken as DiagnosticError).diagnostics[0]!.message).toBe('build artifacts broken.json: every build needs "service", "image" and "ref" strings');
  });

  it('a later build of one service keeps the records of the others; a broken default file only warns', async () => {
    const fs = project();
    await recordBuild(fs);
    await writeBuildArtifacts('/p/.vela/images.json', 'shop', [{ service: 'web', image: 'w:1', ref: 'w:1', built: true, pushed: false, contextBytes: 1 }], fs);
    expect((await readArtifactsFile('/p/.vela/images.json', fs))!.builds.map((b) => [b.service, b.ref])).toEqual([
      ['api', `localhost:5000/shop/api:v1@${digest}`],
      ['web', 'w:1'],
    ]);
    await fs.writeFileAtomic('/p/.vela/images.json', 'not json');
    const { app } = await loadApp(base(fs));
    const pinned = await pinnedImages(app, { cwd: '/p', fs });
    expect(pinned.images).toEqual({});
    expect(pinned.warnings.map((w) => w.message)).toEqual(['build artifacts .vela/images.json: not JSON (ignored)']);
  });
});
