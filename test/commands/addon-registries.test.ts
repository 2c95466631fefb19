/**
 * Addon registries served for real: a bare git repository by file URL and
 * over `git daemon` on loopback, an HTTP catalog (index.yaml and .tgz
 * packages made with the system tar) on loopback; garbage and an unreachable
 * server.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import AddonEnable from '../../src/commands/addon/enable.js';
import AddonList from '../../src/commands/addon/list.js';
import AddonRegistryAdd from '../../src/commands/addon/registry/add.js';
import { ROOT, runCommand } from '../cli/harness.js';

const CATALOG = join(ROOT, 'test/fixtures/catalog');
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com', GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z' } }).trim();

describe('addon registries served for real', () => {
  let dir: string;
  let repo: string;
  const savedCwd = process.cwd();
  const savedHome = process.env.VELA_HOME;
  let http: Server;
  let httpUrl = '';
  let daemon: ChildProcess | undefined;
  let daemonUrl = '';
  let requests: string[] = [];
  let garbage = false;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vela-addon-reg-'));
    process.chdir(dir);
    process.env.VELA_HOME = join(dir, 'home');
    // A bare git repository holding the catalog under catalog/, with a tag.
    const work = join(dir, 'work');
    mkdirSync(work);
    git(work, 'init', '-q', '-b', 'main');
    cpSync(CATALOG, join(work, 'catalog'), { recursive: true });
    git(work, 'add', '.');
    git(work, 'commit', '-qm', 'catalog');
    git(work, 'tag', 'v1');
    repo = join(dir, 'served', 'catalog.git');
    mkdirSync(join(dir, 'served'));
    git(dir, 'clone', '-q', '--bare', work, repo);

    // An HTTP catalog: index.yaml and .tgz packages (made with the system tar).
    const pkgs = join(dir, 'pkgs');
    mkdirSync(pkgs);
    for (const [name, version] of [['hello', '1.0.0'], ['fluxcd', '1.0.0']]) {
      execFileSync('tar', ['czf', join(pkgs, `${name}-${version}.tgz`), '-C', join(CATALOG, 'addons'), name]);
    }
    const index = 'apiVersion: v1\nentries:\n  hello:\n    - version: 1.0.0\n      description: Says hello\n      urls: [hello-1.0.0.tgz]\n  fluxcd:\n    - version: 1.0.0\n      description: Flux\n      urls: [fluxcd-1.0.0.tgz]\n';
    http = createServer((req, res) => {
      requests.push(req.url ?? '');
      if (garbage) return void res.end('<html>not a catalog</html>');
      const file = (req.url ?? '/').replace(/^\/+/, '') || 'index.yaml';
      if (file === 'index.yaml') return void res.end(index);
      const path = join(pkgs, file);
      if (!/^[\w.-]+\.tgz$/.test(file) || !existsSync(path)) return void res.writeHead(404).end('not found');
      res.end(readFileSync(path));
    });
    await new Promise<void>((ok) => http.listen(0, '127.0.0.1', ok));
    httpUrl = `http://127.0.0.1:${(http.address() as { port: number }).port}/`;

    // git daemon on loopback, when installed with git.
    const port = 20000 + (process.pid % 20000);
    daemon = spawn('git', ['daemon', '--reuseaddr', '--export-all', '--listen=127.0.0.1', `--port=${port}`, `--base-path=${join(dir, 'served')}`, join(dir, 'served')], { stdio: 'ignore' });
    for (let i = 0; i < 50; i++) {
      try {
        execFileSync('git', ['ls-remote', `git://127.0.0.1:${port}/catalog.git`], { stdio: 'ignore' });
        daemonUrl = `git://127.0.0.1:${port}/catalog.git`;
        break;
      } catch {
        await new Promise((ok) => setTimeout(ok, 100));
      }
    }
  });
  afterAll(() => {
    process.chdir(savedCwd);
    if (savedHome === undefined) delete process.env.VELA_HOME;
    else process.env.VELA_HOME = savedHome;
    http.close();
    daemon?.kill();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    rmSync(join(dir, 'home'), { recursive: true, force: true });
    requests = [];
    garbage = false;
  });

  it('a bare git repository by file URL, at a tag and in a subfolder; the commit is recorded', async () => {
    const src = `file://${repo}#v1:catalog`;
    const r = await runCommand(AddonEnable, ['hello', '--registry', src, '--definitions-only']);
    expect(r.exitCode, r.stderr).toBe(0);
    const state = parseYaml(readFileSync(join(dir, 'home/addons/hello/addon.json'), 'utf8'));
    expect(state.commit).toBe(git(repo, 'rev-parse', 'v1'));
    expect(state.source).toBe(src);
  });

  it('the same repository over git daemon on loopback', async () => {
    // git daemon comes with git (Debian's git package): not starting is a failure, not a reason to skip.
    expect(daemonUrl, 'git daemon did not start on 127.0.0.1').not.toBe('');
    const r = await runCommand(AddonEnable, ['keda', '--registry', `git+${daemonUrl}#main:catalog`, '--definitions-only']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(existsSync(join(dir, 'home/addons/fluxcd/definitions/helm.cue'))).toBe(true);
  });

  it('an HTTP catalog: index.yaml and .tgz packages', async () => {
    expect((await runCommand(AddonRegistryAdd, ['web', httpUrl])).exitCode).toBe(0);
    const list = await runCommand(AddonList, []);
    expect(list.stdout).toMatch(/hello\s+web\s+Says hello\s+\[1\.0\.0\]\s+disabled/);
    const r = await runCommand(AddonEnable, ['hello', '--definitions-only']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(requests).toContain('/hello-1.0.0.tgz');
    expect(existsSync(join(dir, 'home/addons/hello/definitions/hello.cue'))).toBe(true);
  });

  it('an HTTP registry returning garbage, and one that is unreachable', async () => {
    garbage = true;
    const bad = await runCommand(AddonEnable, ['hello', '--registry', httpUrl, '--definitions-only']);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain('is not an addon catalog index');
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
    const port = (closed.address() as { port: number }).port;
    closed.close();
    const down = await runCommand(AddonEnable, ['hello', '--registry', `http://127.0.0.1:${port}/`, '--definitions-only']);
    expect(down.exitCode).toBe(2);
    expect(down.stderr).toContain(`127.0.0.1:${port}`);
    expect(existsSync(join(dir, 'home/addons/hello'))).toBe(false);
  });
});
