/**
 * Build and push against a real dockerd and real registries
 * (scripts/docker-daemons.sh start). Skipped, saying why, when they are absent.
 */
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { buildAndPush, createLineReporter, planBuilds, type BuildAndPushOptions } from '../../src/image/index.js';
import { formatPos } from '../../src/source/index.js';
import { testApp, type TestService } from './app-model.js';
import { AUTH_PASSWORD, AUTH_REGISTRY, AUTH_USER, REGISTRY, copyFixture, dockerUnavailable, engineSocket, registryManifest } from './docker-env.js';
import { failure } from '../support/failure.js';

const skipReason = await dockerUnavailable();
if (skipReason) console.warn(`[build e2e] skipped: ${skipReason}`);

const cleanup: string[] = [];
afterAll(() => {
  for (const d of cleanup) rmSync(d, { recursive: true, force: true });
});

/** A repository namespace of its own per run: the registries outlive the tests. */
const ns = `e2e-${randomBytes(4).toString('hex')}`;

function emptyDockerConfig(): string {
  const d = mkdtempSync(join(tmpdir(), 'vela-dockercfg-'));
  cleanup.push(d);
  return d;
}

function fixture(): string {
  const d = copyFixture('shop');
  cleanup.push(d);
  return d;
}

function options(extra: Partial<BuildAndPushOptions> = {}): BuildAndPushOptions {
  const lines: string[] = [];
  return {
    push: true,
    docker: { socketPath: engineSocket() },
    dockerConfigDir: emptyDockerConfig(),
    reporter: createLineReporter((l) => lines.push(l)),
    ...extra,
  };
}

describe.skipIf(skipReason !== undefined)('build and push with a real engine and registry', () => {
  const services = (): TestService[] => [
    { name: 'web', image: `${REGISTRY}/${ns}/web`, build: { context: 'web', args: { GREETING: 'hi' } } },
    { name: 'worker', image: `${REGISTRY}/${ns}/worker`, build: { context: 'worker', target: 'runtime' } },
  ];

  it('builds and pushes an app; the registry has the manifests; a second run does neither', async () => {
    const dir = fixture();
    const lines: string[] = [];
    const app = testApp(dir, services());
    const first = await buildAndPush(app, options({ reporter: createLineReporter((l) => lines.push(l)) }));
    expect(first.map((r) => [r.service, r.built, r.pushed])).toEqual([
      ['web', true, true],
      ['worker', true, true],
    ]);
    for (const r of first) {
      const tag = r.image.split(':').pop()!;
      expect(tag).toMatch(/^vela-[0-9a-f]{12}$/);
      const m = await registryManifest(REGISTRY, `${ns}/${r.service}`, tag);
      expect(m.status).toBe(200);
      expect(r.digest).toBe(m.digest);
      expect(r.ref).toBe(`${r.image}@${m.digest}`);
      expect(r.contextBytes).toBeGreaterThan(1_000_000); // busybox went along
    }
    // Progress is per service, prefixed, and shows the build steps.
    expect(lines).toContain('[web] Step 5/6 : RUN ["/bin/busybox", "sh", "-c", "echo \\"$GREETING from the build\\" > /srv/greeting.txt"]');
    expect(lines.some((l) => l.startsWith('[worker] pushed '))).toBe(true);

    const second = await buildAndPush(app, options());
    expect(second.map((r) => [r.service, r.built, r.pushed, r.contextBytes])).toEqual([
      ['web', false, false, 0],
      ['worker', false, false, 0],
    ]);
    expect(second.map((r) => r.ref)).toEqual(first.map((r) => r.ref));
  });

  it('changes the tag when a sent file changes, not when a .dockerignored one does', async () => {
    const dir = fixture();
    const app = testApp(dir, [services()[0]!]);
    const [before] = await planBuilds(app);
    mkdirSync(join(dir, 'web', 'tmp'));
    writeFileSync(join(dir, 'web', 'tmp', 'scratch.txt'), 'ignored');
    writeFileSync(join(dir, 'web', 'debug.log'), 'ignored');
    const [ignored] = await planBuilds(app);
    expect(ignored!.tag).toBe(before!.tag);
    expect(ignored!.entries.map((e) => e.path)).not.toContain('debug.log');

    await buildAndPush(app, options({ push: false }));
    appendFileSync(join(dir, 'web', 'site', 'index.html'), '<p>new</p>\n');
    const [changed] = await buildAndPush(app, options({ push: false }));
    expect(changed!.image).not.toBe(before!.ref);
    expect(changed!.built).toBe(true);
    expect(changed!.ref).toBe(changed!.image); // not pushed: no digest
  });

  it('fails a build whose RUN step fails, with that step and its output, at the build line', async () => {
    const dir = fixture();
    const app = testApp(dir, [{ name: 'broken', image: `${REGISTRY}/${ns}/broken`, build: { context: 'broken' } }]);
    const e = await failure(buildAndPush(app, options()));
    expect(e.exitCode).toBe(1);
    const d = e.diagnostics[0]!;
    expect(d.message).toMatch(/^build of `broken` failed at step 3\/4 `RUN \["\/bin\/busybox", "sh", "-c", .*\]`: The command .* returned a non-zero code: 3$/);
    expect(d.hint).toContain('| preparing');
    expect(d.hint).toContain('| boom: the widget is missing');
    expect(formatPos(d.span!)).toBe('vela.yaml:5:5');
    expect((await registryManifest(REGISTRY, `${ns}/broken`, 'latest')).status).toBe(404);
  });

  it('fails on a Dockerfile the engine cannot parse (an HTTP error, not a stream one)', async () => {
    const dir = fixture();
    writeFileSync(join(dir, 'worker', 'Dockerfile'), 'FORM scratch\n');
    const app = testApp(dir, [{ name: 'worker', image: `${REGISTRY}/${ns}/syntax`, build: { context: 'worker' } }]);
    const e = await failure(buildAndPush(app, options()));
    expect(e.exitCode).toBe(1);
    expect(e.diagnostics[0]!.message).toBe('build of `worker` failed: dockerfile parse error line 1: unknown instruction: FORM');
    expect(e.diagnostics[0]!.hint).toMatch(/^in .*\/worker\/Dockerfile$/);
  });

  it('pushes to a registry that needs credentials with config.json auths, and fails clearly without', async () => {
    const dir = fixture();
    const app = testApp(dir, [{ name: 'web', image: `${AUTH_REGISTRY}/${ns}/web`, build: { context: 'web' } }]);

    const e = await failure(buildAndPush(app, options()));
    expect(e.exitCode).toBe(2);
    expect(e.diagnostics[0]!.message).toMatch(new RegExp(`^push of \`${AUTH_REGISTRY}/${ns}/web:vela-[0-9a-f]{12}\` refused by ${AUTH_REGISTRY}: .*(unauthorized|no basic auth)`));
    expect(e.diagnostics[0]!.hint).toMatch(/no credentials for 127\.0\.0\.1:5001 in .*config\.json: run `docker login 127\.0\.0\.1:5001`/);

    const cfg = emptyDockerConfig();
    const auth = Buffer.from(`${AUTH_USER}:${AUTH_PASSWORD}`).toString('base64');
    writeFileSync(join(cfg, 'config.json'), JSON.stringify({ auths: { [`http://${AUTH_REGISTRY}`]: { auth } } }));
    const lines: string[] = [];
    const [r] = await buildAndPush(app, options({ dockerConfigDir: cfg, reporter: createLineReporter((l) => lines.push(l)) }));
    expect(r!.pushed).toBe(true);
    const tag = r!.image.split(':').pop()!;
    const m = await registryManifest(AUTH_REGISTRY, `${ns}/web`, tag, { user: AUTH_USER, password: AUTH_PASSWORD });
    expect(m.status).toBe(200);
    expect(r!.ref).toBe(`${r!.image}@${m.digest}`);
    expect(lines.join('\n')).not.toContain(AUTH_PASSWORD);

    // The registry check uses the same credentials: nothing is pushed again.
    const [again] = await buildAndPush(app, options({ dockerConfigDir: cfg }));
    expect([again!.built, again!.pushed, again!.ref]).toEqual([false, false, r!.ref]);
  });

  it('always builds an explicit tag', async () => {
    const dir = fixture();
    const app = testApp(dir, [{ name: 'worker', image: `${REGISTRY}/${ns}/worker:v1`, build: { context: 'worker' } }]);
    const [a] = await buildAndPush(app, options({ push: false }));
    const [b] = await buildAndPush(app, options({ push: false }));
    expect([a!.image, a!.built, b!.built]).toEqual([`${REGISTRY}/${ns}/worker:v1`, true, true]);
  });

  it('fails clearly when the registry does not exist', async () => {
    const dir = fixture();
    const app = testApp(dir, [{ name: 'worker', image: `${REGISTRY}/${ns}/worker`, build: { context: 'worker', pushRegistry: '127.0.0.1:5999' } }]);
    const e = await failure(buildAndPush(app, options()));
    expect(e.exitCode).toBe(2);
    expect(e.diagnostics[0]!.message).toMatch(/^cannot push `127\.0\.0\.1:5999\/.*`: registry 127\.0\.0\.1:5999 is unreachable: .*connection refused/);
  });
});

describe('an unreachable engine', () => {
  it('names the socket it tried and how to set DOCKER_HOST', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vela-nodocker-'));
    cleanup.push(dir);
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
    const app = testApp(dir, [{ name: 'web', image: 'localhost:5000/web', build: {} }]);
    const e = await failure(buildAndPush(app, { push: false, env: { DOCKER_HOST: `unix://${dir}/docker.sock` }, dockerConfigDir: dir }));
    expect(e.exitCode).toBe(2);
    const d = e.diagnostics[0]!;
    expect(d.message).toBe(`cannot reach the Docker engine at unix://${dir}/docker.sock (from DOCKER_HOST): connect ENOENT ${dir}/docker.sock`);
    expect(d.hint).toMatch(/set DOCKER_HOST/);
    expect(formatPos(d.span!)).toBe('vela.yaml:5:5');
  });
});
