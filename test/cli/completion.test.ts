/**
 * Shell completion: oclif's `vela autocomplete` plugin (bash, zsh), our
 * `vela completion bash|zsh|fish` scripts, and the hidden `vela __complete`
 * they call for service and definition names. The scripts are run in the real
 * shells (completion functions driven with the words of a command line);
 * zsh and fish checks are skipped where those shells are not installed.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import Complete from '../../src/commands/complete.js';
import { ROOT, runCommand } from './harness.js';

const scratch = mkdtempSync(join(tmpdir(), 'vela-completion-'));
const velaHome = join(scratch, 'home');
const binDir = join(scratch, 'bin');
const cacheDir = join(scratch, 'cache');
/** An app folder with an Appfile of two services. */
const app = join(scratch, 'app');
const APPFILE = 'name: shop\nservices:\n  frontend:\n    image: nginx\n  api:\n    type: worker\n    image: busybox\n';

const env = () => ({ ...process.env, VELA_HOME: velaHome, VELA_CACHE_DIR: cacheDir, PATH: `${binDir}:${process.env.PATH}`, NO_COLOR: '1' });
const vela = (args: string[], cwd = app) => execa(join(ROOT, 'bin/dev.js'), args, { cwd, env: env(), reject: false });
const shell = (sh: string, args: string[], cwd = app) => execa(sh, args, { cwd, env: env(), reject: false });
const has = (sh: string) => spawnSync('sh', ['-c', `command -v ${sh}`]).status === 0;

let scripts: Record<'bash' | 'zsh' | 'fish', string>;

beforeAll(async () => {
  mkdirSync(binDir, { recursive: true });
  mkdirSync(app, { recursive: true });
  writeFileSync(join(app, 'vela.yaml'), APPFILE);
  // `vela` on the PATH, as the scripts call it by the name typed.
  writeFileSync(join(binDir, 'vela'), `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, 'bin/dev.js')}" "$@"\n`);
  chmodSync(join(binDir, 'vela'), 0o755);
  const [bash, zsh, fish] = await Promise.all(['bash', 'zsh', 'fish'].map((s) => vela(['completion', s])));
  for (const r of [bash, zsh, fish]) expect(r.exitCode, r.stderr).toBe(0);
  scripts = { bash: join(scratch, 'vela.bash'), zsh: join(scratch, '_vela'), fish: join(scratch, 'vela.fish') };
  writeFileSync(scripts.bash, bash!.stdout);
  writeFileSync(scripts.zsh, zsh!.stdout);
  writeFileSync(scripts.fish, fish!.stdout);
}, 60_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** What bash offers for a command line (the last word is the one being completed), run through `complete -F`. */
async function bashComplete(script: string, fn: string, line: string[]): Promise<string[]> {
  const words = line.map((w) => `'${w}'`).join(' ');
  const r = await shell('bash', ['-c', `source '${script}'; COMP_WORDS=(${words}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); ${fn}; printf '%s\\n' "\${COMPREPLY[@]}"`]);
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').map((s) => s.trim()).filter(Boolean);
}

describe('vela autocomplete (oclif plugin)', () => {
  it('prints the setup for bash and builds a script that completes commands and flags', async () => {
    const r = await vela(['autocomplete', 'bash']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Setup Instructions for VELA CLI Autocomplete');
    expect(r.stdout).toContain('printf "$(vela autocomplete script bash)" >> ~/.bashrc');

    const setup = await vela(['autocomplete', 'script', 'bash']);
    expect(setup.stdout).toContain(`VELA_AC_BASH_SETUP_PATH=${join(cacheDir, 'autocomplete', 'bash_setup')}`);

    const script = join(cacheDir, 'autocomplete', 'functions', 'bash', 'vela.bash');
    const top = await bashComplete(script, '_vela_autocomplete', ['vela', '']);
    expect(top).toEqual(expect.arrayContaining(['init', 'dry-run', 'completion', 'cue']));
    expect(await bashComplete(script, '_vela_autocomplete', ['vela', 'init', '--i'])).toEqual(['--image']);
    expect(await bashComplete(script, '_vela_autocomplete', ['vela', 'cue', ''])).toEqual(expect.arrayContaining(['export', 'vet']));
  }, 30_000);

  it('has no fish script (the plugin knows bash, zsh and powershell): `vela completion fish` is the way', async () => {
    const r = await vela(['autocomplete', 'fish']);
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toMatch(/Expected fish to be one of: zsh, bash, powershell/);
  }, 30_000);
});

describe('vela __complete', () => {
  const savedCwd = process.cwd();
  const savedHome = process.env.VELA_HOME;
  beforeEach(() => {
    process.env.VELA_HOME = velaHome;
    process.chdir(app);
  });
  afterEach(() => {
    process.chdir(savedCwd);
    if (savedHome === undefined) delete process.env.VELA_HOME;
    else process.env.VELA_HOME = savedHome;
  });

  it('lists definitions: component types and traits', async () => {
    const r = await runCommand(Complete, ['definitions']);
    expect(r.exitCode).toBe(0);
    const names = r.stdout.trim().split('\n');
    expect(names).toContain('webservice');
    expect(names).toContain('scaler');
    expect(names).toContain('cron-task');
    const comps = (await runCommand(Complete, ['components'])).stdout.trim().split('\n');
    expect(comps).toContain('webservice');
    expect(comps).not.toContain('scaler');
  });

  it('lists the services of ./vela.yaml (or of --file), with descriptions on request', async () => {
    expect((await runCommand(Complete, ['services'])).stdout).toBe('frontend\napi\n');
    expect((await runCommand(Complete, ['services', '--descriptions'])).stdout).toBe('frontend\twebservice\napi\tworker\n');
    const other = join(scratch, 'other.yaml');
    writeFileSync(other, 'name: x\nservices:\n  db: {image: postgres}\n');
    expect((await runCommand(Complete, ['services', '--file', other])).stdout).toBe('db\n');
    expect((await runCommand(Complete, ['apps'])).stdout).toBe('shop\n');
  });

  it('prints nothing, and no error, without an Appfile or with a broken one', async () => {
    const empty = mkdtempSync(join(scratch, 'empty-'));
    process.chdir(empty);
    const none = await runCommand(Complete, ['services']);
    expect(none).toMatchObject({ stdout: '', stderr: '', exitCode: 0 });
    writeFileSync(join(empty, 'vela.yaml'), 'name: [unclosed\nservices: {');
    const broken = await runCommand(Complete, ['services']);
    expect(broken).toMatchObject({ stdout: '', stderr: '', exitCode: 0 });
    const badKind = await runCommand(Complete, ['bogus']);
    expect(badKind.stderr).toBe('');
    expect(badKind.exitCode).toBe(1);
  });
});

describe('vela completion', () => {
  it('bash: commands, subcommands, flags, fixed values, services and definitions', async () => {
    const c = (...line: string[]) => bashComplete(scripts.bash, '_vela_complete', line);
    const top = await c('vela', '');
    expect(top).toEqual(expect.arrayContaining(['init', 'dry-run', 'completion', 'autocomplete', 'cue']));
    expect(top).not.toContain('complete'); // hidden
    expect(top).not.toContain('__complete');
    expect(await c('vela', 'cue', '')).toEqual(['export', 'vet']);
    expect(await c('vela', 'init', '--i')).toEqual(['--image']);
    expect(await c('vela', 'build', '--no-')).toEqual(['--no-color', '--no-push']);
    expect(await c('vela', 'show', '--format', '')).toEqual(['table', 'markdown']);
    expect(await c('vela', 'completion', '')).toEqual(['bash', 'zsh', 'fish']);
    expect(await c('vela', 'build', '')).toEqual(['frontend', 'api']);
    expect(await c('vela', 'show', 'sca')).toEqual(['scale', 'scaler']);
    expect(await c('vela', 'init', '--type', 'w')).toEqual(['webservice', 'worker']);
    // The services of the Appfile named on the line; the app name of ./vela.yaml for commands taking APP.
    writeFileSync(join(app, 'other.yaml'), 'name: other\nservices:\n  db: {image: postgres}\n');
    expect(await c('vela', 'build', '-f', 'other.yaml', '')).toEqual(['db']);
    expect(await c('vela', 'logs', '--app', '')).toEqual(['shop']);
    expect(await c('vela', 'logs', 'f')).toEqual(['frontend']);
  }, 60_000);

  it.skipIf(!has('zsh'))(`zsh: the same, with descriptions (completion builtins stubbed to print what they are given)${has('zsh') ? '' : ' (skipped: zsh is not installed)'}`, async () => {
    const stubs = `compdef() { :; }
_describe() { local arr=$3; [[ $1 == -t ]] && arr=$4; print -rl -- "\${(@P)arr}"; }
compadd() { shift; print -rl -- "$@"; }
_files() { print -r -- "<files $*>"; }
source '${scripts.zsh}'
t() { words=("$@"); CURRENT=\${#words}; _vela; }`;
    const c = async (...line: string[]) => {
      const r = await shell('zsh', ['-f', '-c', `${stubs}\nt ${line.map((w) => `'${w}'`).join(' ')}`]);
      expect(r.stderr).toBe('');
      return r.stdout.split('\n').filter(Boolean);
    };
    expect(await c('vela', '')).toEqual(expect.arrayContaining(['init:Write a first Appfile (vela.yaml), by questions at a terminal or from flags.']));
    expect(await c('vela', 'cue', '')).toEqual([expect.stringMatching(/^export:/), expect.stringMatching(/^vet:/)]);
    expect(await c('vela', 'init', '--')).toEqual(expect.arrayContaining(['--image:the container image of the first service', '-i:the container image of the first service']));
    expect(await c('vela', 'show', '--format', '')).toEqual(['table', 'markdown']);
    expect(await c('vela', 'dry-run', '-f', '')).toEqual(['<files >']);
    expect(await c('vela', 'build', '')).toEqual(['frontend:webservice', 'api:worker']);
    expect(await c('vela', 'show', '')).toEqual(expect.arrayContaining(['webservice:A long-running, scalable containerized service with a stable network endpoint (a Deployment, plus a Service for the ports marked `expose`).', expect.stringMatching(/^scaler:/)]));
  }, 60_000);

  it.skipIf(!has('fish'))(`fish: commands, flags, values, services and definitions with descriptions${has('fish') ? '' : ' (skipped: fish is not installed)'}`, async () => {
    const c = async (line: string) => {
      const r = await shell('fish', ['--no-config', '-c', `source '${scripts.fish}'; complete -C '${line}'`]);
      expect(r.stderr).toBe('');
      return r.stdout.split('\n').filter(Boolean);
    };
    expect(await c('vela ')).toEqual(expect.arrayContaining([expect.stringMatching(/^init\tWrite a first Appfile/), expect.stringMatching(/^cue\t/)]));
    expect((await c('vela ')).some((l) => l.startsWith('complete'))).toBe(false);
    expect(await c('vela cue ')).toEqual([expect.stringMatching(/^export\t/), expect.stringMatching(/^vet\t/)]);
    expect(await c('vela init --ima')).toEqual([expect.stringMatching(/^--image\tthe container image/)]);
    expect(await c('vela build --no-')).toEqual([expect.stringMatching(/^--no-color\t/), expect.stringMatching(/^--no-push\t/)]);
    // fish sorts what it offers
    expect((await c('vela build ')).sort()).toEqual(['api\tworker', 'frontend\twebservice']);
    expect(await c('vela show sca')).toEqual([expect.stringMatching(/^scaler\tSet a fixed number of replicas/)]);
    expect(await c('vela init --type cr')).toEqual([expect.stringMatching(/^cron-task\t/)]);
  }, 60_000);
});
