/**
 * `vela def install` from a bare git repository (file URL; the commit locked
 * and restored after the branch moved) and from a loopback HTTP server (a
 * hash mismatch when the served file changes, a 404), a `.tgz` package of
 * definitions from the same server (each file's sha256 locked, restored, a
 * changed file named; garbage and a bad definition install nothing); and a cluster without
 * KubeVela's definition kinds (the fake API server serves none): exit 2.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import DefApply from '../../src/commands/def/apply.js';
import DefGet from '../../src/commands/def/get.js';
import DefInstall from '../../src/commands/def/install.js';
import { runCommand } from '../cli/harness.js';
import { FakeApiServer } from '../support/fake-apiserver.js';

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } }).trim();

const GREETER = `greeter: {
	type:        "component"
	description: "A ConfigMap that greets"
	labels: team: "platform"
	attributes: workload: definition: {apiVersion: "v1", kind: "ConfigMap"}
}
template: {
	output: {
		apiVersion: "v1"
		kind:       "ConfigMap"
		metadata: name: context.name
		data: message: "\\(parameter.greeting), \\(context.appName)"
	}
	parameter: {
		// +usage=What to say
		greeting: *"hello" | string
	}
}
`;

const STAMP = `stamp: {
	type: "trait"
	description: "Adds a label"
	attributes: appliesToWorkloads: ["deployments.apps"]
}
template: {
	patch: metadata: labels: stamp: parameter.value
	parameter: value: string
}
`;

describe('vela def install from git and HTTP', () => {
  let dir: string;
  let repo: string;
  let http: Server;
  let base = '';
  let served = GREETER;
  /** What /pkg/platform.tgz answers (a package made by the system tar in `pack`). */
  let servedPackage: Buffer = Buffer.alloc(0);
  const savedCwd = process.cwd();
  const savedHome = process.env.VELA_HOME;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vela-def-src-'));
    const work = join(dir, 'work');
    mkdirSync(join(work, 'platform'), { recursive: true });
    git(work, 'init', '-q', '-b', 'main');
    writeFileSync(join(work, 'platform/greeter.cue'), GREETER);
    writeFileSync(join(work, 'README.md'), 'not a definition\n');
    git(work, 'add', '.');
    git(work, 'commit', '-qm', 'one');
    repo = join(dir, 'platform.git');
    git(dir, 'clone', '-q', '--bare', work, repo);
    // A second commit on main, after the lock was taken in the test below.
    writeFileSync(join(work, 'platform/stamp.cue'), STAMP);
    git(work, 'add', '.');
    git(work, 'commit', '-qm', 'two');
    http = createServer((req, res) => {
      if (req.url === '/defs/greeter.cue') return void res.end(served);
      if (req.url === '/pkg/platform.tgz') return void res.writeHead(200, { 'content-type': 'application/gzip' }).end(servedPackage);
      res.writeHead(404).end();
    });
    await new Promise<void>((ok) => http.listen(0, '127.0.0.1', ok));
    base = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
  });
  afterAll(() => {
    http.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    const project = join(dir, `project-${Math.random().toString(36).slice(2)}`);
    mkdirSync(project);
    process.chdir(project);
    process.env.VELA_HOME = join(project, 'home');
  });
  afterEach(() => {
    process.chdir(savedCwd);
    if (savedHome === undefined) delete process.env.VELA_HOME;
    else process.env.VELA_HOME = savedHome;
  });

  it('a git repository (file URL, subfolder): the commit is locked, and restoring uses it even after the branch moved', async () => {
    const first = git(repo, 'rev-parse', 'main');
    const r = await runCommand(DefInstall, [`file://${repo}#main:platform`]);
    expect(r.exitCode, r.stderr).toBe(0);
    const lock = JSON.parse(readFileSync('.vela/definitions.lock', 'utf8'));
    expect(lock.sources[0]).toMatchObject({ name: 'platform', source: `file://${repo}#main:platform`, commit: first, files: [{ file: 'greeter.cue', from: 'greeter.cue' }] });
    // The branch moves on; another machine restores exactly the locked commit.
    git(repo, 'fetch', '-q', join(dir, 'work'), 'main:main');
    rmSync('.vela/definitions', { recursive: true });
    const restored = await runCommand(DefInstall, []);
    expect(restored.exitCode, restored.stderr).toBe(0);
    expect(existsSync('.vela/definitions/greeter.cue')).toBe(true);
    expect(existsSync('.vela/definitions/stamp.cue')).toBe(false);
    // Installing the source again takes the new commit.
    expect((await runCommand(DefInstall, [`file://${repo}#main:platform`])).exitCode).toBe(0);
    expect(existsSync('.vela/definitions/stamp.cue')).toBe(true);
  });

  /** A gzipped tar of `files` made by the system tar, as a user packs a folder (one top folder, like a chart). */
  const pack = (files: Record<string, string>): Buffer => {
    const src = mkdtempSync(join(dir, 'pack-'));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(src, 'platform', path, '..'), { recursive: true });
      writeFileSync(join(src, 'platform', path), text);
    }
    execFileSync('tar', ['czf', join(src, 'out.tgz'), '-C', src, 'platform']);
    return readFileSync(join(src, 'out.tgz'));
  };
  const hash = (text: string) => createHash('sha256').update(text).digest('hex');

  it('a .tgz package from a URL: each file locked with its sha256, restored, and a changed file named', async () => {
    servedPackage = pack({ 'greeter.cue': GREETER, 'traits/stamp.cue': STAMP, 'README.md': 'not a definition\n' });
    const url = `${base}/pkg/platform.tgz`;
    const r = await runCommand(DefInstall, [url, '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const lock = JSON.parse(readFileSync('.vela/definitions.lock', 'utf8'));
    expect(lock.sources).toEqual([
      {
        name: 'platform',
        source: url,
        files: [
          { file: 'greeter.cue', from: 'platform/greeter.cue', sha256: hash(GREETER) },
          { file: 'stamp.cue', from: 'platform/traits/stamp.cue', sha256: hash(STAMP) },
        ],
      },
    ]);
    expect(readFileSync('.vela/definitions/stamp.cue', 'utf8')).toBe(STAMP);
    expect(existsSync('.vela/definitions/README.md')).toBe(false);

    // Another machine: nothing but the lock file; the same package restores the same bytes.
    rmSync('.vela/definitions', { recursive: true });
    const restored = await runCommand(DefInstall, []);
    expect(restored.exitCode, restored.stderr).toBe(0);
    expect(readFileSync('.vela/definitions/greeter.cue', 'utf8')).toBe(GREETER);
    expect(readFileSync('.vela/definitions/stamp.cue', 'utf8')).toBe(STAMP);

    // The package is republished with one file changed: restoring names it and writes nothing.
    servedPackage = pack({ 'greeter.cue': GREETER.replace('hello', 'bonjour'), 'traits/stamp.cue': STAMP });
    rmSync('.vela/definitions', { recursive: true });
    const changed = await runCommand(DefInstall, []);
    expect(changed.exitCode).toBe(1);
    expect(changed.stderr).toContain(`${url}: platform/greeter.cue changed since it was locked`);
    expect(changed.stderr).not.toContain('stamp.cue');
    expect(existsSync('.vela/definitions')).toBe(false);
  });

  it('a .tgz that is not one, or holds a bad definition: exit 1, nothing installed, no lock file', async () => {
    const url = `${base}/pkg/platform.tgz`;
    servedPackage = Buffer.from('<html>not found</html>');
    const garbage = await runCommand(DefInstall, [url]);
    expect(garbage.exitCode).toBe(1);
    expect(garbage.stderr).toContain('not a gzipped tar archive');
    servedPackage = pack({ 'greeter.cue': GREETER, 'broken.cue': 'broken: {type: "trait"\ntemplate: {\n' });
    const broken = await runCommand(DefInstall, [url]);
    expect(broken.exitCode).toBe(1);
    expect(broken.stderr).toMatch(/platform\/broken\.cue:\d+:\d+/);
    expect(broken.stderr).not.toMatch(/\n\s+at .*\.[jt]s:\d+/);
    expect(existsSync('.vela/definitions')).toBe(false);
    expect(existsSync('.vela/definitions.lock')).toBe(false);

    // An archive with a path that climbs out (made by hand: tar itself strips `..`).
    const { pack: packTar } = await import('tar-stream');
    const tar = packTar();
    tar.entry({ name: 'platform/greeter.cue' }, GREETER);
    tar.entry({ name: '../escape.cue' }, STAMP);
    tar.finalize();
    const chunks: Buffer[] = [];
    for await (const chunk of tar) chunks.push(chunk as Buffer);
    servedPackage = gzipSync(Buffer.concat(chunks));
    const climbing = await runCommand(DefInstall, [url]);
    expect(climbing.exitCode).toBe(1);
    expect(climbing.stderr).toContain('the archive has a path outside the package: "../escape.cue"');
    expect(existsSync('.vela/definitions')).toBe(false);
    expect(existsSync('../escape.cue')).toBe(false);
  });

  it('one file from a URL; a hash mismatch when the server changes it; a 404', async () => {
    served = GREETER;
    const r = await runCommand(DefInstall, [`${base}/defs/greeter.cue`]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync('.vela/definitions.lock', 'utf8')).sources[0]).toMatchObject({ name: 'greeter', source: `${base}/defs/greeter.cue` });
    served = GREETER.replace('hello', 'bonjour');
    rmSync('.vela/definitions/greeter.cue');
    const changed = await runCommand(DefInstall, []);
    expect(changed.exitCode).toBe(1);
    expect(changed.stderr).toContain('greeter.cue changed since it was locked');
    const missing = await runCommand(DefInstall, [`${base}/defs/nothing.cue`]);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain('404');
  });
});

describe('vela def against a cluster without KubeVela', () => {
  it('a cluster that does not serve the definition kinds: exit 2, saying KubeVela is not installed there', async () => {
    const server = await new FakeApiServer().start();
    const dir = mkdtempSync(join(tmpdir(), 'vela-def-fake-'));
    try {
      const kubeconfig = server.writeKubeconfig(join(dir, 'kubeconfig'), { context: 'fake' });
      writeFileSync(join(dir, 'x.cue'), GREETER);
      for (const [cmd, args] of [
        [DefGet, ['greeter']],
        [DefApply, [join(dir, 'x.cue')]],
      ] as const) {
        const r = await runCommand(cmd, [...args, '--kubeconfig', kubeconfig]);
        expect(r.exitCode).toBe(2);
        expect(r.stderr).toContain('does not serve');
        expect(r.stderr).toContain('KubeVela is not installed there');
      }
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
