/**
 * `vela build` against the real Docker engine and registry writes the refs it
 * pushed (tag@sha256:…) to .vela/images.json (or --file-output), and `vela
 * export --gitops` pins the image by that digest without asking the registry.
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import Build from '../../src/commands/build.js';
import Export from '../../src/commands/export.js';
import Up from '../../src/commands/up.js';
import { runCommand } from '../cli/harness.js';
import { copyFixture, dockerUnavailable, engineSocket, REGISTRY, registryManifest } from '../image/docker-env.js';

const skipReason = await dockerUnavailable();
if (skipReason) console.warn(`[build artifacts e2e] skipped: ${skipReason}`);

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe.skipIf(skipReason !== undefined)('vela build --file-output, vela export --build-artifacts', () => {
  it('records the pushed digest and pins it in the GitOps output', async () => {
    const dir = copyFixture('shop');
    dirs.push(dir);
    const repo = `vela-e2e/artifacts-${process.pid}`;
    writeFileSync(join(dir, 'vela.yaml'), ['name: artifacts', 'services:', '  worker:', '    type: worker', `    image: ${REGISTRY}/${repo}`, '    build: ./worker', ''].join('\n'));
    const saved = { cwd: process.cwd(), host: process.env.DOCKER_HOST };
    process.chdir(dir);
    process.env.DOCKER_HOST = `unix://${engineSocket()}`;
    try {
      const built = await runCommand(Build, []);
      expect(built.exitCode).toBe(0);
      expect(built.stderr).toContain('wrote the build artifacts to .vela/images.json');
      const record = JSON.parse(readFileSync(join(dir, '.vela/images.json'), 'utf8')) as { app: string; builds: { service: string; image: string; ref: string }[] };
      expect(record.app).toBe('artifacts');
      const [worker] = record.builds;
      expect(worker!.service).toBe('worker');
      const tag = worker!.image.slice(worker!.image.lastIndexOf(':') + 1);
      const pushed = await registryManifest(REGISTRY, repo, tag);
      expect(worker!.ref).toBe(`${worker!.image}@${pushed.digest}`);

      // The default file matches the unchanged inputs: pinned.
      const exported = await runCommand(Export, ['--gitops', 'deploy']);
      expect(exported.exitCode).toBe(0);
      expect(exported.stderr).toContain(`note: service worker uses image ${worker!.ref} (from .vela/images.json)`);
      expect(readFileSync(join(dir, 'deploy/default/deployment-worker.yaml'), 'utf8')).toContain(`image: ${worker!.ref}`);

      // --file-output elsewhere, then --build-artifacts from there after the default file is gone.
      expect((await runCommand(Build, ['--file-output', 'ci/build.json', '--no-push'])).exitCode).toBe(0);
      rmSync(join(dir, '.vela'), { recursive: true });
      const ci = JSON.parse(readFileSync(join(dir, 'ci/build.json'), 'utf8')) as { builds: { ref: string }[] };
      expect(ci.builds[0]!.ref).toBe(worker!.image);
      const fromFile = await runCommand(Export, ['--gitops', 'deploy', '--build-artifacts', 'ci/build.json', '--json']);
      expect(JSON.parse(fromFile.stdout)).toMatchObject({ changed: ['deployment-worker.yaml'] });
      expect(existsSync(join(dir, '.vela'))).toBe(false);
    } finally {
      process.chdir(saved.cwd);
      if (saved.host === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved.host;
    }
  }, 180_000);

  it('vela up records what it built, as vela build does; a run that built nothing writes nothing', async () => {
    const dir = copyFixture('shop');
    dirs.push(dir);
    const repo = `vela-e2e/up-artifacts-${process.pid}`;
    writeFileSync(join(dir, 'vela.yaml'), ['name: upartifacts', 'services:', '  worker:', '    type: worker', `    image: ${REGISTRY}/${repo}`, '    build: ./worker', ''].join('\n'));
    const saved = { cwd: process.cwd(), host: process.env.DOCKER_HOST };
    process.chdir(dir);
    process.env.DOCKER_HOST = `unix://${engineSocket()}`;
    try {
      const up = await runCommand(Up, ['--output', 'out']);
      expect(up.exitCode).toBe(0);
      expect(up.stderr).toContain('wrote the build artifacts to .vela/images.json');
      const record = JSON.parse(readFileSync(join(dir, '.vela/images.json'), 'utf8')) as { app: string; builds: { service: string; image: string; ref: string }[] };
      expect(record.app).toBe('upartifacts');
      const [worker] = record.builds;
      const tag = worker!.image.slice(worker!.image.lastIndexOf(':') + 1);
      const pushed = await registryManifest(REGISTRY, repo, tag);
      expect(worker!.ref).toBe(`${worker!.image}@${pushed.digest}`);
      // The manifests up wrote use the same reference.
      expect(readFileSync(join(dir, 'out', readdirSync(join(dir, 'out')).find((f) => f.includes('deployment'))!), 'utf8')).toContain(`image: ${worker!.ref}`);

      // --file-output elsewhere; --skip-build builds nothing and writes no file.
      expect((await runCommand(Up, ['--output', 'out', '--file-output', 'ci/up.json'])).exitCode).toBe(0);
      expect(JSON.parse(readFileSync(join(dir, 'ci/up.json'), 'utf8'))).toEqual(record);
      rmSync(join(dir, 'ci'), { recursive: true });
      const skipped = await runCommand(Up, ['--output', 'out', '--skip-build', '--file-output', 'ci/up.json']);
      expect(skipped.exitCode).toBe(0);
      expect(skipped.stderr).not.toContain('build artifacts');
      expect(existsSync(join(dir, 'ci'))).toBe(false);
    } finally {
      process.chdir(saved.cwd);
      if (saved.host === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved.host;
    }
  }, 180_000);
});
