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

function vela(args: string[], opts: { cwd?: string; input?: string } = {}) {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(NO_COLOR|FORCE_COLOR|VELA_.*)$/.test(k)) env[k] = v;
  return execa(process.execPath, [join(ROOT, 'bin/vela.js'), ...args], { cwd: opts.cwd ?? ROOT, reject: false, extendEnv: false, env, input: opts.input });
}

beforeAll(async () => {
  // The whole build, as users get it: tsc, the definitions index, the bundle bin/vela.js runs.
  await execa('npm', ['run', 'build'], { cwd: ROOT, reject: false });
  expect(existsSync(join(ROOT, 'dist/cli/main.js'))).toBe(true);
  expect(existsSync(join(ROOT, 'dist/bundle/vela.js'))).toBe(true);
});

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
});
