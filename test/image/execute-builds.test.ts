/**
 * The orchestration with a fake engine: what is built, skipped, pushed, and
 * how engine answers turn into diagnostics. The real engine is in *.e2e.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { executeBuilds, planBuilds, type BuildEvent, type BuildPlan, type Engine } from '../../src/image/index.js';
import type { EngineMessage } from '../../src/image/json-stream.js';
import type { ManifestLookup } from '../../src/image/registry-client.js';
import { DiagnosticError, formatPos } from '../../src/source/index.js';
import { testApp } from './app-model.js';

const dir = mkdtempSync(join(tmpdir(), 'vela-exec-'));
writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\nCOPY . /\n');
writeFileSync(join(dir, 'app.js'), 'x');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function* messages(ms: EngineMessage[]): AsyncGenerator<EngineMessage> {
  for (const m of ms) yield m;
}

interface FakeOptions {
  images?: Set<string>;
  build?: EngineMessage[];
  push?: EngineMessage[];
}

function fakeEngine(o: FakeOptions = {}) {
  const calls: string[] = [];
  let contextBytes = 0;
  const engine: Engine = {
    ping: async () => {},
    imageExists: async (ref) => {
      calls.push(`exists ${ref}`);
      return o.images?.has(ref) ?? false;
    },
    build: async (context: Readable, opts) => {
      calls.push(`build ${opts.t} ${opts.dockerfile}`);
      for await (const c of context) contextBytes += (c as Buffer).length;
      return messages(o.build ?? [{ stream: 'Step 1/2 : FROM scratch\n' }, { stream: 'Step 2/2 : COPY . /\n' }, { aux: { ID: 'sha256:abc' } }]);
    },
    push: async (repo, tag, auth) => {
      calls.push(`push ${repo}:${tag} auth=${auth ? auth.username : 'none'}`);
      return messages(o.push ?? [{ status: 'Pushed', id: 'l1' }, { aux: { Tag: tag, Digest: 'sha256:' + 'd'.repeat(64), Size: 1 } }]);
    },
  };
  return { engine, calls, contextBytes: () => contextBytes };
}

const app = () => testApp(dir, [
  { name: 'web', image: 'localhost:5000/shop/web', build: {} },
  { name: 'api', image: 'localhost:5000/shop/api:v2', build: {} },
]);

async function plans(): Promise<BuildPlan[]> {
  return planBuilds(app());
}

const absent = async (): Promise<ManifestLookup> => ({ kind: 'absent' });

describe('executeBuilds', () => {
  it('builds and pushes, and reports the image by digest', async () => {
    const f = fakeEngine();
    const events: BuildEvent[] = [];
    const ps = await plans();
    const rs = await executeBuilds(ps, { engine: f.engine, push: true, dockerConfig: {}, lookupManifest: absent, reporter: { event: (e) => events.push(e) } });
    const web = ps[0]!;
    expect(rs[0]).toEqual({
      service: 'web',
      image: web.ref,
      ref: `${web.ref}@sha256:${'d'.repeat(64)}`,
      built: true,
      pushed: true,
      digest: `sha256:${'d'.repeat(64)}`,
      contextBytes: web.contextBytes,
    });
    expect(rs[1]!.ref).toBe(`localhost:5000/shop/api:v2@sha256:${'d'.repeat(64)}`);
    expect(f.contextBytes()).toBe(web.contextBytes * 2);
    expect(events.filter((e) => e.service === 'web').map((e) => e.kind)).toEqual(['start', 'step', 'step', 'built', 'push-start', 'layer', 'pushed', 'done']);
    // The explicit tag is not asked about: it is always built.
    expect(f.calls.filter((c) => c.startsWith('exists'))).toEqual([`exists ${web.ref}`]);
  });

  it('skips the build when the engine has the digest tag, and the push when the registry has it', async () => {
    const ps = await plans();
    const f = fakeEngine({ images: new Set([ps[0]!.ref]) });
    const digest = 'sha256:' + 'e'.repeat(64);
    const rs = await executeBuilds([ps[0]!], { engine: f.engine, push: true, dockerConfig: {}, lookupManifest: async () => ({ kind: 'present', digest }) });
    expect(rs[0]).toMatchObject({ built: false, pushed: false, ref: `${ps[0]!.ref}@${digest}`, contextBytes: 0 });
    expect(f.calls).toEqual([`exists ${ps[0]!.ref}`]);
  });

  it('pushes with the credentials of config.json', async () => {
    const ps = await plans();
    const f = fakeEngine();
    await executeBuilds([ps[0]!], {
      engine: f.engine,
      push: true,
      lookupManifest: absent,
      dockerConfig: { auths: { 'localhost:5000': { auth: Buffer.from('vela:pw').toString('base64') } } },
    });
    expect(f.calls).toContain(`push localhost:5000/shop/web:${ps[0]!.tag} auth=vela`);
  });

  it('asks a credential helper once per registry', async () => {
    const ps = await plans();
    const f = fakeEngine();
    const asked: string[] = [];
    await executeBuilds(ps, {
      engine: f.engine,
      push: true,
      lookupManifest: absent,
      dockerConfig: { credsStore: 'fake' },
      runHelper: async (helper, server) => {
        asked.push(`${helper} ${server}`);
        return { Username: 'u', Secret: 's' };
      },
    });
    expect(asked).toEqual(['fake localhost:5000']);
    expect(f.calls.filter((c) => c.startsWith('push')).every((c) => c.endsWith('auth=u'))).toBe(true);
  });

  it('fails on an errorDetail at the end of a 200 stream, naming the step and showing its output', async () => {
    const ps = await plans();
    const f = fakeEngine({
      build: [
        { stream: 'Step 1/2 : FROM scratch\n' },
        { stream: ' ---> \n' },
        { stream: 'Step 2/2 : RUN make\n' },
        { stream: ' ---> Running in 123\n' },
        { stream: 'compiling...\nerror: no rule to ' },
        { stream: 'make target\n' },
        { errorDetail: { code: 2, message: "The command '/bin/sh -c make' returned a non-zero code: 2" }, error: "The command '/bin/sh -c make' returned a non-zero code: 2" },
      ],
    });
    const err = await executeBuilds([ps[0]!], { engine: f.engine, push: true, dockerConfig: {} }).then(() => undefined, (e: unknown) => e as DiagnosticError);
    expect(err).toBeInstanceOf(DiagnosticError);
    if (!err) return;
    expect(err.exitCode).toBe(1);
    const d = err.diagnostics[0]!;
    expect(d.message).toBe("build of `web` failed at step 2/2 `RUN make`: The command '/bin/sh -c make' returned a non-zero code: 2");
    expect(d.hint).toBe('the step printed:\n    | compiling...\n    | error: no rule to make target');
    expect(formatPos(d.span!)).toBe('vela.yaml:5:5');
    expect(f.calls.some((c) => c.startsWith('push'))).toBe(false);
  });

  it('reports a refused push as an environment error with a hint about credentials', async () => {
    const ps = await plans();
    const f = fakeEngine({ push: [{ status: 'Preparing', id: 'l1' }, { errorDetail: { message: 'unauthorized: authentication required' }, error: 'unauthorized: authentication required' }] });
    const err = await executeBuilds([ps[0]!], { engine: f.engine, push: true, dockerConfig: {}, configDir: '/h/.docker', lookupManifest: absent }).then(() => undefined, (e: unknown) => e as DiagnosticError);
    expect(err).toBeInstanceOf(DiagnosticError);
    if (!err) return;
    expect(err.exitCode).toBe(2);
    expect(err.diagnostics[0]!.message).toMatch(/^push of `localhost:5000\/shop\/web:vela-[0-9a-f]{12}` refused by localhost:5000: unauthorized: authentication required$/);
    expect(err.diagnostics[0]!.hint).toBe('no credentials for localhost:5000 in /h/.docker/config.json: run `docker login localhost:5000` (or add an `auths` entry)');
  });

  it('builds independent services at the same time, at most `concurrency` at once', async () => {
    const three = await planBuilds(testApp(dir, ['a', 'b', 'c', 'd'].map((n) => ({ name: n, image: `localhost:5000/shop/${n}`, build: {} }))));
    let inFlight = 0;
    let most = 0;
    const f = fakeEngine();
    const slow: Engine = {
      ...f.engine,
      build: async (ctx, opts) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 30));
        inFlight--;
        return f.engine.build(ctx, opts);
      },
    };
    const rs = await executeBuilds(three, { engine: slow, push: false, dockerConfig: {}, concurrency: 2 });
    expect(rs.map((r) => r.service)).toEqual(['a', 'b', 'c', 'd']);
    expect(most).toBe(2);
  });

  it('builds an image shared by two services once', async () => {
    const two = await planBuilds(testApp(dir, [
      { name: 'web', image: 'localhost:5000/shop/app', build: {} },
      { name: 'worker', image: 'localhost:5000/shop/app', build: {} },
    ]));
    const f = fakeEngine();
    const rs = await executeBuilds(two, { engine: f.engine, push: false, dockerConfig: {} });
    expect(rs.map((r) => [r.service, r.image])).toEqual([['web', two[0]!.ref], ['worker', two[0]!.ref]]);
    expect(f.calls.filter((c) => c.startsWith('build'))).toHaveLength(1);
  });
});
