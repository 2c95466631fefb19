import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { planBuilds, tarSize } from '../../src/image/index.js';
import { createContextTar } from '../../src/image/context-tar.js';
import { DiagnosticError, formatPos } from '../../src/source/index.js';
import { testApp, type TestService } from './app-model.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'vela-plan-'));
  dirs.push(root);
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), content);
  }
  return root;
}

const web = (build: TestService['build'] = {}, image = 'localhost:5000/shop/web'): TestService[] => [{ name: 'web', image, build }];

async function plan(dir: string, services: TestService[] = web()) {
  const plans = await planBuilds(testApp(dir, services));
  return plans;
}

async function planError(dir: string, services: TestService[]): Promise<DiagnosticError> {
  try {
    await planBuilds(testApp(dir, services));
  } catch (e) {
    expect(e).toBeInstanceOf(DiagnosticError);
    return e as DiagnosticError;
  }
  throw new Error('planBuilds did not fail');
}

describe('planBuilds: which files the context sends', () => {
  it('sends everything, folders before their contents, when there is no .dockerignore', async () => {
    const dir = project({ Dockerfile: 'FROM scratch\n', 'src/a.txt': 'a', 'src/b/c.txt': 'c', 'z.txt': 'z' });
    const [p] = await plan(dir);
    expect(p!.entries.map((e) => `${e.type[0]} ${e.path}`)).toEqual(['f Dockerfile', 'd src', 'f src/a.txt', 'd src/b', 'f src/b/c.txt', 'f z.txt']);
  });

  it('honours .dockerignore like docker build: root-relative patterns, ** and ! exceptions', async () => {
    const dir = project({
      Dockerfile: 'FROM scratch\n',
      '.dockerignore': '# comment\nnode_modules\n**/*.log\nsecret*\ndocs\n!docs/keep.md\n',
      'node_modules/x/index.js': 'x',
      'app.js': 'a',
      'a.log': 'log',
      'deep/er/b.log': 'log',
      'deep/er/b.txt': 'txt',
      'secret.env': 's',
      'sub/secret.env': 'not root-level, so kept',
      'docs/drop.md': 'd',
      'docs/keep.md': 'k',
    });
    const [p] = await plan(dir);
    expect(p!.entries.map((e) => e.path)).toEqual([
      '.dockerignore',
      'Dockerfile',
      'app.js',
      'deep',
      'deep/er',
      'deep/er/b.txt',
      'docs/keep.md',
      'sub',
      'sub/secret.env',
    ]);
  });

  it('still sends the Dockerfile and .dockerignore when a rule excludes them (as docker does)', async () => {
    const dir = project({ 'build/Dockerfile': 'FROM scratch\n', '.dockerignore': '*\n!app.js\n', 'app.js': 'a', 'other.js': 'o' });
    const [p] = await plan(dir, web({ dockerfile: 'build/Dockerfile' }));
    expect(p!.entries.map((e) => e.path)).toEqual(['.dockerignore', 'app.js', 'build/Dockerfile']);
    expect(p!.dockerfile).toBe('build/Dockerfile');
  });

  it('sends a context folder given by `context`, with the Dockerfile relative to it', async () => {
    const dir = project({ 'frontend/Dockerfile': 'FROM scratch\n', 'frontend/index.html': '<p>', 'backend/main.go': 'package main' });
    const [p] = await plan(dir, web({ context: './frontend' }));
    expect(p!.contextDir.endsWith('frontend')).toBe(true);
    expect(p!.entries.map((e) => e.path)).toEqual(['Dockerfile', 'index.html']);
  });

  it('carries a Dockerfile from outside the context (inside the project) under its own name', async () => {
    const dir = project({ 'docker/web.Dockerfile': 'FROM scratch\nCOPY . /\n', 'app/index.js': 'x' });
    const [p] = await plan(dir, web({ context: 'app', dockerfile: '../docker/web.Dockerfile' }));
    expect(p!.dockerfile).toMatch(/^\.dockerfile\.vela-[0-9a-f]{12}$/);
    expect(p!.entries.map((e) => e.path)).toEqual(['index.js', p!.dockerfile]);
  });

  it('sends symlinks as links, without following them', async () => {
    const dir = project({ Dockerfile: 'FROM scratch\n', 'real.txt': 'r' });
    symlinkSync('/etc/passwd', join(dir, 'link'));
    const [p] = await plan(dir);
    const link = p!.entries.find((e) => e.path === 'link');
    expect(link).toMatchObject({ type: 'symlink', linkname: '/etc/passwd', size: 0 });
  });

  it('knows the exact number of bytes it will send, and sends those entries', async () => {
    const long = 'x'.repeat(90) + '/' + 'y'.repeat(90) + '/' + 'z'.repeat(120) + '.txt';
    const dir = project({ Dockerfile: 'FROM scratch\n', 'a.txt': 'a'.repeat(1000), [long]: 'long name', 'é.txt': 'utf8 name' });
    symlinkSync('t'.repeat(150), join(dir, 'longlink'));
    const [p] = await plan(dir);
    const tar = await createContextTar(p!.entries);
    const { extract } = await import('tar-stream');
    const ex = extract();
    const names: string[] = [];
    ex.on('entry', (h, s, next) => {
      names.push(h.name);
      s.resume();
      s.on('end', next);
    });
    const done = new Promise<void>((res, rej) => {
      ex.on('finish', () => res());
      ex.on('error', rej);
    });
    tar.stream.pipe(ex);
    await done;
    expect(tar.bytes()).toBe(p!.contextBytes);
    expect(tarSize(p!.entries)).toBe(p!.contextBytes);
    expect(names).toContain(long);
    expect(names).toContain('é.txt');
    expect(names).toContain('longlink');
    expect(names.length).toBe(p!.entries.length);
    // Contents read while hashing travel with the plan, but not into its JSON.
    expect(p!.entries.find((e) => e.path === 'a.txt')!.data?.length).toBe(1000);
    expect(JSON.stringify(p!.entries)).not.toContain('aaaaaaaa');
  });
});

describe('planBuilds: the tag', () => {
  const files = { Dockerfile: 'FROM scratch\nCOPY . /\n', '.dockerignore': 'tmp\n', 'app.js': 'console.log(1)', 'tmp/cache': '1' };

  it('derives `vela-<12 hex>` from the inputs, the same for the same content anywhere and any time', async () => {
    const a = project(files);
    const b = project(files);
    utimesSync(join(b, 'app.js'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    const [pa] = await plan(a);
    const [pb] = await plan(b);
    expect(pa!.tag).toMatch(/^vela-[0-9a-f]{12}$/);
    expect(pa!.tagSource).toBe('digest');
    expect(pa!.ref).toBe(`localhost:5000/shop/web:${pa!.tag}`);
    expect(pb!.tag).toBe(pa!.tag);
    expect(pb!.inputsDigest).toBe(pa!.inputsDigest);
  });

  it('changes when a sent file, its mode, the Dockerfile, an arg or the target changes', async () => {
    const base = (await plan(project(files)))[0]!.tag;
    const changed = project(files);
    writeFileSync(join(changed, 'app.js'), 'console.log(2)');
    expect((await plan(changed))[0]!.tag).not.toBe(base);

    const moded = project(files);
    chmodSync(join(moded, 'app.js'), 0o755);
    expect((await plan(moded))[0]!.tag).not.toBe(base);

    const df = project({ ...files, Dockerfile: 'FROM scratch\nCOPY . /srv\n' });
    expect((await plan(df))[0]!.tag).not.toBe(base);

    const added = project({ ...files, 'new.js': '' });
    expect((await plan(added))[0]!.tag).not.toBe(base);

    const same = project(files);
    expect((await plan(same, web({ args: { A: '1' } })))[0]!.tag).not.toBe(base);
    expect((await plan(same, web({ target: 'runtime' })))[0]!.tag).not.toBe(base);
    expect((await plan(same, web({ args: { A: '1' } })))[0]!.tag).toBe((await plan(same, web({ args: { A: '1' } })))[0]!.tag);
  });

  it('does not change when a .dockerignored file changes', async () => {
    const a = project(files);
    const before = (await plan(a))[0]!.tag;
    writeFileSync(join(a, 'tmp/cache'), '2');
    writeFileSync(join(a, 'tmp/more'), '3');
    expect((await plan(a))[0]!.tag).toBe(before);
  });

  it('keeps an explicit tag, and replaces the registry with push.registry', async () => {
    const dir = project(files);
    const [p] = await plan(dir, web({ pushRegistry: 'registry.example.com:443' }, 'localhost:5000/shop/web:v1'));
    expect(p!.tag).toBe('v1');
    expect(p!.tagSource).toBe('explicit');
    expect(p!.ref).toBe('registry.example.com:443/shop/web:v1');
  });
});

describe('planBuilds: refusals, each at the service’s build line', () => {
  it('refuses a context outside the project folder', async () => {
    const dir = project({ 'app/Dockerfile': 'FROM scratch\n' });
    const e = await planError(join(dir, 'app'), web({ context: '..' }));
    expect(e.exitCode).toBe(1);
    expect(e.diagnostics[0]!.message).toMatch(/build context `\.\.` is outside the project folder/);
    expect(formatPos(e.diagnostics[0]!.span!)).toBe('vela.yaml:5:5');
  });

  it('refuses a context that leads outside through a symlink', async () => {
    const outside = project({ Dockerfile: 'FROM scratch\n' });
    const dir = project({});
    symlinkSync(outside, join(dir, 'ctx'));
    const e = await planError(dir, web({ context: 'ctx' }));
    expect(e.diagnostics[0]!.message).toMatch(/leads outside the project folder through a symlink/);
  });

  it('refuses a Dockerfile outside the project, directly or through a symlink', async () => {
    const outside = project({ Dockerfile: 'FROM scratch\n' });
    const dir = project({ 'app/x': '' });
    const e1 = await planError(join(dir, 'app'), web({ dockerfile: '../Dockerfile' }));
    expect(e1.diagnostics[0]!.message).toMatch(/Dockerfile `\.\.\/Dockerfile` is outside the project folder/);
    symlinkSync(join(outside, 'Dockerfile'), join(dir, 'Dockerfile'));
    const e2 = await planError(dir, web());
    expect(e2.diagnostics[0]!.message).toMatch(/Dockerfile `Dockerfile` leads outside the project folder through a symlink/);
  });

  it('reports a missing Dockerfile and a missing context', async () => {
    const dir = project({ 'app.js': '' });
    const e = await planError(dir, [
      { name: 'web', image: 'web', build: {} },
      { name: 'api', image: 'api', build: { context: 'nope' } },
    ]);
    expect(e.diagnostics.map((d) => d.message)).toEqual(['Dockerfile not found: Dockerfile', 'build context `nope` does not exist']);
    expect(e.diagnostics.map((d) => formatPos(d.span!))).toEqual(['vela.yaml:5:5', 'vela.yaml:9:5']);
  });

  it('reports an invalid image reference, a digest-pinned image, a missing image', async () => {
    const dir = project({ Dockerfile: 'FROM scratch\n' });
    const bad = await planError(dir, web({}, 'localhost:5000/Shop/Web'));
    expect(bad.diagnostics[0]!.message).toMatch(/invalid image reference `localhost:5000\/Shop\/Web`: repository name `Shop\/Web` must be lowercase/);
    expect(formatPos(bad.diagnostics[0]!.span!)).toBe('vela.yaml:5:5');
    const pinned = await planError(dir, web({}, 'web@sha256:' + 'a'.repeat(64)));
    expect(pinned.diagnostics[0]!.message).toMatch(/pinned by digest/);
    const none = await planError(dir, [{ name: 'web', build: {} }]);
    expect(none.diagnostics[0]!.message).toMatch(/has `build` but no `image`/);
  });

  it('refuses unknown names in `only`, with a suggestion', async () => {
    const dir = project({ Dockerfile: 'FROM scratch\n' });
    const err = await planBuilds(testApp(dir, web()), { only: ['wbe'] }).then(
      () => undefined,
      (e: unknown) => e as DiagnosticError,
    );
    expect(err).toBeInstanceOf(DiagnosticError);
    const d = err!.diagnostics[0]!;
    expect(d.message).toBe('no service named `wbe` in vela.yaml');
    expect(d.hint).toBe('did you mean `web`?');
  });

  it('refuses two different builds under one explicit tag, and shares one build', async () => {
    const dir = project({ 'a/Dockerfile': 'FROM scratch\n', 'b/Dockerfile': 'FROM scratch\n' });
    const e = await planError(dir, [
      { name: 'web', image: 'shop/app:v1', build: { context: 'a' } },
      { name: 'worker', image: 'shop/app:v1', build: { context: 'b' } },
    ]);
    expect(e.diagnostics[0]!.message).toBe('services `web` and `worker` build different images under the same tag `shop/app:v1`');
    const same = await planBuilds(testApp(dir, [
      { name: 'web', image: 'shop/app:v1', build: { context: 'a' } },
      { name: 'worker', image: 'shop/app:v1', build: { context: 'a' } },
    ]));
    expect(same.map((p) => p.ref)).toEqual(['shop/app:v1', 'shop/app:v1']);
  });

  it('plans only the services asked for, and none without build', async () => {
    const dir = project({ Dockerfile: 'FROM scratch\n' });
    const app = testApp(dir, [{ name: 'web', image: 'web', build: {} }, { name: 'db', image: 'postgres' }, { name: 'api', image: 'api', build: {} }]);
    expect((await planBuilds(app)).map((p) => p.service)).toEqual(['web', 'api']);
    expect((await planBuilds(app, { only: ['api'] })).map((p) => p.service)).toEqual(['api']);
  });
});
