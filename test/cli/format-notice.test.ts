/**
 * Every command that reads an Appfile, compose file or Application says how a
 * guessed format was decided with -v, and warns of a close guess, the same
 * way: through the notice channel the base command listens to, also when the
 * command only takes the app's name from the file (status, logs, workflow).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import Build from '../../src/commands/build.js';
import Convert from '../../src/commands/convert.js';
import Dev from '../../src/commands/dev.js';
import DryRun from '../../src/commands/dry-run.js';
import Logs from '../../src/commands/logs.js';
import Status from '../../src/commands/status.js';
import WorkflowStatus from '../../src/commands/workflow/status.js';
import { listenForNotices } from '../../src/host/index.js';
import { runCommand, type Runnable } from './harness.js';

const scratch = mkdtempSync(join(tmpdir(), 'vela-notice-'));
const guessed = join(scratch, 'x.yaml');
const ambiguous = join(scratch, 'both.yaml');
// Nothing listens on port 9: a command that needs the cluster fails fast, after it has read the file.
const kubeconfig = join(scratch, 'kubeconfig');
const note = /^note: read \S*x\.yaml as a compose file \(guessed from its content: its services use compose keys/m;

beforeAll(() => {
  writeFileSync(guessed, 'name: guessed\nservices:\n  web:\n    image: nginx:1.27\n    environment: {A: "1"}\n    ports: ["8080:80"]\n');
  // Appfile keys and compose keys: read as an Appfile (webservice takes `volumes`), a close guess.
  writeFileSync(ambiguous, 'name: both\nservices:\n  web:\n    type: webservice\n    image: nginx:1.27\n    volumes: []\n');
  writeFileSync(kubeconfig, ['apiVersion: v1', 'kind: Config', 'current-context: c', 'clusters:', '- name: c', '  cluster: {server: "https://127.0.0.1:9"}', 'contexts:', '- name: c', '  context: {cluster: c, user: u}', 'users:', '- name: u', '  user: {token: t}', ''].join('\n'));
  vi.stubEnv('KUBECONFIG', kubeconfig);
  vi.stubEnv('VELA_HOME', join(scratch, 'home'));
});
afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(scratch, { recursive: true, force: true });
});

const commands: [string, Runnable, (file: string) => string[]][] = [
  ['dry-run', DryRun, (f) => ['-f', f]],
  ['build', Build, (f) => ['-f', f]],
  ['convert', Convert, (f) => [f]],
  ['status', Status, (f) => ['-f', f, '--request-timeout', '2s']],
  ['logs', Logs, (f) => ['--file', f, '--request-timeout', '2s']],
  ['workflow status', WorkflowStatus, (f) => ['-f', f, '--request-timeout', '2s']],
];

describe('-v on every command that reads the file', () => {
  it.each(commands)('%s says the guess with -v, and only then', async (_name, command, args) => {
    const quiet = await runCommand(command, args(guessed));
    expect(quiet.stderr).not.toMatch(/note: read/);
    const verbose = await runCommand(command, [...args(guessed), '-v']);
    expect(verbose.stderr).toMatch(note);
    // Said once, before anything else the command says about the file.
    expect(verbose.stderr.match(/note: read/g)).toHaveLength(1);
  });

  it.each(commands.filter(([name]) => name !== 'convert'))('%s warns of a close guess without -v', async (_name, command, args) => {
    const r = await runCommand(command, args(ambiguous));
    expect(r.stderr).toMatch(/warning: \S*both\.yaml:1:1: read \S*both\.yaml as (an Appfile|a compose file), a guess/);
  });

  it('vela dev says it once, not on every cycle', async () => {
    const out = join(scratch, 'dev-out');
    const running = runCommand(Dev, ['-f', guessed, '--output', out, '-v']);
    // The first cycle has written the folder: stop watching as Ctrl-C does.
    const until = async (done: () => boolean) => {
      for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 50));
    };
    await until(() => existsSync(join(out, '.vela-output.json')));
    // A second cycle reads the file again: still one note.
    await new Promise((r) => setTimeout(r, 500));
    writeFileSync(guessed, readFileSync(guessed, 'utf8').replace('A: "1"', 'A: "2"'));
    await until(() => readdirSync(out).some((f) => readFileSync(join(out, f), 'utf8').includes("value: '2'") || readFileSync(join(out, f), 'utf8').includes('value: "2"')));
    process.emit('SIGINT');
    const r = await running;
    expect(r.exitCode).toBe(0);
    expect(r.stderr.match(/note: read \S*x\.yaml as a compose file/g)).toHaveLength(1);
    expect(r.stderr).toMatch(/cycle 2 \(\S*x\.yaml changed\)/);
  }, 30_000);

  it('a file named for its format is not a guess: nothing to say', async () => {
    writeFileSync(join(scratch, 'compose.yaml'), 'services:\n  web:\n    image: nginx:1.27\n');
    const r = await runCommand(Build, ['-f', join(scratch, 'compose.yaml'), '-v']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).not.toMatch(/note: read/);
  });

  it('stops listening when the command ends', async () => {
    const heard: unknown[] = [];
    const stop = listenForNotices((n) => heard.push(n));
    try {
      const before = (await runCommand(Build, ['-f', guessed, '-v'])).stderr;
      expect(before).toMatch(note);
      expect(heard).toHaveLength(1);
    } finally {
      stop();
    }
  });
});
