/**
 * The installed entry point, bin/vela.js, runs the compiled dist/: build once,
 * then check what a user and a CI job see: help, the version, exit codes and
 * the CUE commands end to end.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { parse } from 'yaml';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANSI, ROOT } from './harness.js';
import { copyFixture, dockerUnavailable, REGISTRY } from '../image/docker-env.js';

const dockerMissing = await dockerUnavailable();
const kubeconfig = process.env.VELA_TEST_KUBECONFIG ?? '/tmp/vela-cluster/kubeconfig';
const clusterMissing = existsSync(kubeconfig) ? undefined : `no kubeconfig at ${kubeconfig} (scripts/cluster.sh start)`;
if (clusterMissing && process.env.VELA_E2E_REQUIRED === '1') throw new Error(`the real kube-apiserver is required (VELA_E2E_REQUIRED=1): ${clusterMissing}`);

function vela(args: string[], opts: { cwd?: string; input?: string; env?: Record<string, string> } = {}) {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(NO_COLOR|FORCE_COLOR|VELA_.*)$/.test(k)) env[k] = v;
  return execa(process.execPath, [join(ROOT, 'bin/vela.js'), ...args], { cwd: opts.cwd ?? ROOT, reject: false, extendEnv: false, env: { ...env, ...opts.env }, input: opts.input });
}

beforeAll(async () => {
  // The whole build, as users get it: tsc, the definitions index, the bundle bin/vela.js runs.
  await execa('npm', ['run', 'build'], { cwd: ROOT, reject: false });
  expect(existsSync(join(ROOT, 'dist/cli/main.js'))).toBe(true);
  expect(existsSync(join(ROOT, 'dist/bundle/vela.js'))).toBe(true);
  // tsc twice, the definitions index, the bundle and the schemas: about a minute on a loaded 2-core machine.
}, 300_000);

describe('bin/vela.js (built)', () => {
  it('lists the commands and exit codes in --help and finds the commands in dist/', async () => {
    const r = await vela(['--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^\s+cue export\s/m);
    expect(r.stdout).toMatch(/^\s+cue vet\s/m);
    expect(r.stdout).toMatch(/EXIT CODES\n(\s+\d+\s+.*\n?){5}/);
    expect(r.stdout).not.toMatch(ANSI);
    expect(r.stderr).toBe('');
  });

  it('prints the version of package.json', async () => {
    const r = await vela(['--version']);
    expect(r.exitCode).toBe(0);
    const { version } = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(join(ROOT, 'package.json'), 'utf8')));
    expect(r.stdout.startsWith(`vela/${version} `)).toBe(true);
  });

  it('exits 1 with a hint for an unknown command and for an unknown flag', async () => {
    const cmd = await vela(['cue', 'vett']);
    expect(cmd.exitCode).toBe(1);
    expect(cmd.stderr).toContain('did you mean `cue vet`?');
    const top = await vela(['versoin']);
    expect(top.exitCode).toBe(1);
    expect(top.stderr).toContain('did you mean `version`?');
    const typo = await vela(['dry-run', '--outptu', 'x']);
    expect(typo.exitCode).toBe(1);
    expect(typo.stderr).toContain('did you mean `--output`?');
    const flag = await vela(['cue', 'export', '--nope', 'a.cue']);
    expect(flag.exitCode).toBe(1);
    expect(flag.stderr).toContain('Nonexistent flag: --nope');
    expect(flag.stderr).toContain('vela cue export --help');
  });

  it('runs cue export and cue vet end to end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vela-bin-'));
    writeFileSync(join(dir, 'ok.cue'), 'a: 1\nb: a + 1\n');
    writeFileSync(join(dir, 'bad.cue'), 'a: 1\na: 2\n');
    const ok = await vela(['cue', 'export', 'ok.cue'], { cwd: dir });
    expect(ok.exitCode).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ a: 1, b: 2 });
    const stdin = await vela(['cue', 'export', '-', '--out', 'yaml'], { cwd: dir, input: 'x: "y"\n' });
    expect(stdin.exitCode).toBe(0);
    expect(parse(stdin.stdout)).toEqual({ x: 'y' });
    const bad = await vela(['cue', 'vet', 'bad.cue'], { cwd: dir });
    expect(bad.exitCode).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/bad\.cue:\d+:\d+: .*conflicting values/);
    expect(bad.stderr).toMatch(/> \d \| a: [12]/); // the code frame
    expect(bad.stderr).not.toMatch(ANSI);
  });

  // The bundle (dist/bundle/) must work for every kind of command, not only the ones above:
  // a dependency that loses its exports in the bundle shows up only here.
  it('renders, converts, writes an Appfile and lists definitions through the bundle', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vela-bundle-'));
    const dry = await vela(['dry-run', '-f', join(ROOT, 'examples/voting/vela.yaml'), '-o', 'json']);
    expect(dry.exitCode).toBe(0);
    expect((JSON.parse(dry.stdout) as { items: { kind: string }[] }).items.map((o) => o.kind)).toContain('StatefulSet');
    const out = await vela(['dry-run', '-f', join(ROOT, 'examples/shop/vela.yaml'), '--output', join(dir, 'out')]);
    expect(out.exitCode).toBe(0);
    expect(out.stderr).toMatch(/wrote 5 manifests/);
    const app = await vela(['dry-run', '-f', join(ROOT, 'examples/hello/vela.yaml'), '--emit', 'application']);
    expect(app.exitCode).toBe(0);
    expect(parse(app.stdout)).toMatchObject({ kind: 'Application' });
    writeFileSync(join(dir, 'compose.yaml'), 'services:\n  web:\n    image: nginx\n    ports: ["8080:80"]\n');
    const conv = await vela(['convert', 'compose.yaml'], { cwd: dir });
    expect(conv.exitCode).toBe(0);
    expect(parse(conv.stdout)).toMatchObject({ services: { web: { image: 'nginx' } } });
    const init = await vela(['init', '--yes', '--name', 'demo', '--image', 'nginx', '--port', '80', '-f', 'app.yaml'], { cwd: dir });
    expect(init.exitCode).toBe(0);
    const again = await vela(['dry-run', '-f', 'app.yaml'], { cwd: dir });
    expect(again.exitCode).toBe(0);
    const show = await vela(['show', 'webservice', '--json']);
    expect(show.exitCode).toBe(0);
    expect(JSON.parse(show.stdout)).toMatchObject({ type: 'object' });
    const traits = await vela(['traits', '--json']);
    expect(traits.exitCode).toBe(0);
    expect((JSON.parse(traits.stdout) as { name: string }[]).map((t) => t.name)).toContain('gateway');
    const completion = await vela(['completion', 'bash']);
    expect(completion.exitCode).toBe(0);
    expect(completion.stdout).toMatch(/complete/);
    const noCluster = await vela(['status', 'shop', '--kubeconfig', join(dir, 'missing-kubeconfig')]);
    expect(noCluster.exitCode).toBe(2);
  });
});

describe.skipIf(dockerMissing !== undefined || clusterMissing !== undefined)(`the bundle with a real Docker engine and cluster${dockerMissing || clusterMissing ? ` (skipped: ${dockerMissing ?? clusterMissing})` : ''}`, () => {
  it('builds, pushes, applies, reports and deletes an app', async () => {
    const dir = copyFixture('shop');
    const ns = `bundle-${process.pid}`;
    writeFileSync(join(dir, 'vela.yaml'), `name: shop\nservices:\n  web:\n    image: ${REGISTRY}/${ns}/web\n    build:\n      docker: {context: web}\n    ports: [{port: 80, expose: true}]\n`);
    const env = { DOCKER_HOST: process.env.DOCKER_HOST ?? 'unix:///tmp/vela-docker.sock', CI: '1' };
    const k = ['--kubeconfig', kubeconfig, '-n', ns];
    const up = await vela(['up', ...k, '--no-wait', '--json'], { cwd: dir, env });
    expect(up.exitCode, up.stderr).toBe(0);
    expect(JSON.parse(up.stdout)).toMatchObject({ app: 'shop', namespace: ns });
    const status = await vela(['status', ...k, '--json'], { cwd: dir, env });
    expect(status.exitCode, status.stderr).toBe(0);
    const del = await vela(['delete', 'shop', ...k, '--yes'], { cwd: dir, env });
    expect(del.exitCode, del.stderr).toBe(0);
    // A docker build and push, then three commands, each a cold start of the bundle.
  }, 180_000);
});

