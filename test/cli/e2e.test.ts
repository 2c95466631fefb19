/**
 * vela as a user runs it: a separate process, real argv, real exit codes.
 * bin/dev.js runs the TypeScript sources (no build needed); bin.test.ts covers
 * the built bin/vela.js.
 */
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { join } from 'node:path';
import { ANSI, ROOT } from './harness.js';

/** The environment of a plain pipe: no colour settings inherited from the test runner. */
function cleanEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(NO_COLOR|FORCE_COLOR|CI|VELA_.*)$/.test(k)) env[k] = v;
  return { ...env, ...extra };
}

function vela(args: string[], env: Record<string, string> = {}) {
  return execa(process.execPath, [join(ROOT, 'bin/dev.js'), ...args], {
    cwd: ROOT,
    reject: false,
    extendEnv: false,
    env: cleanEnv(env),
  });
}

describe('vela (from sources)', () => {
  it('--help lists every command and the exit codes', async () => {
    const r = await vela(['--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/COMMANDS\n(.*\n)*\s+cue export\s+Evaluate CUE files/);
    expect(r.stdout).toMatch(/\s+cue vet\s+Check that CUE files are valid/);
    expect(r.stdout).toMatch(/EXIT CODES\n\s+0\s+success\n\s+1\s+the user's input is wrong.*\n\s+2\s+.*\n\s+3\s+.*\n\s+70\s+an internal error/);
    expect(r.stderr).toBe('');
  });

  it('shows the same help for `vela help` and with no arguments', async () => {
    const [bare, word, flag] = await Promise.all([vela([]), vela(['help']), vela(['--help'])]);
    expect(bare.stdout).toBe(flag.stdout);
    expect(word.stdout).toBe(flag.stdout);
  });

  it("each command's --help has a description, examples and the exit codes", async () => {
    const r = await vela(['cue', 'export', '--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('USAGE\n  $ vela cue export FILE...');
    expect(r.stdout).toContain('EXAMPLES\n');
    expect(r.stdout).toContain('--out=<option>');
    expect(r.stdout).toMatch(/EXIT CODES\n\s+0\s+success/);
  });

  it('shows topic help for `vela cue`', async () => {
    const r = await vela(['cue']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('$ vela cue COMMAND');
    expect(r.stdout).toMatch(/cue vet\s+Check/);
  });

  it('rejects an unknown command with exit 1 and a suggestion', async () => {
    const r = await vela(['cue', 'exprt', 'x.cue']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error: unknown command `cue exprt`');
    expect(r.stderr).toContain('did you mean `cue export`?');
    expect(r.stderr).toContain('`vela --help`');
  });

  it('rejects an unknown flag with exit 1 and a usage hint', async () => {
    const r = await vela(['cue', 'vet', '--frobnicate', 'x.cue']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('Nonexistent flag: --frobnicate');
    expect(r.stderr).toContain('see `vela cue vet --help` for usage');
  });

  it('prints the version', async () => {
    const r = await vela(['--version']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^vela\/\d+\.\d+\.\d+ \S+ node-v\d+/);
  });

  it('writes no ANSI codes when not on a terminal, or with NO_COLOR', async () => {
    for (const env of [{}, { NO_COLOR: '1' }] as Record<string, string>[]) {
      const [err, help] = await Promise.all([vela(['cue', 'export', 'does-not-exist.cue'], env), vela(['cue', 'vet', '--help'], env)]);
      expect(err.exitCode).toBe(1);
      expect(err.stderr).toContain('error: cannot read does-not-exist.cue: no such file or directory');
      expect(err.stderr).not.toMatch(ANSI);
      expect(help.stdout).toContain('USAGE');
      expect(help.stdout).not.toMatch(ANSI);
    }
  });
});
