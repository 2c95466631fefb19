/**
 * Running vela in a real pseudo-terminal for the tests that need one (a
 * prompt, colours, Ctrl-C): util-linux `script -qfec CMD /dev/null`, no native
 * npm module.
 *
 * `script` runs CMD through `$SHELL -c` (`/bin/sh` when SHELL is unset). dash
 * stays as vela's parent there, and a Ctrl-C typed at the terminal reaches the
 * whole process group: the shell dies of it and `script` reports 130 whatever
 * vela did. `exec` makes vela the terminal's only process, as it is in a
 * user's shell with job control; SHELL is pinned so every machine runs the same.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

export const scriptBin = ['/usr/bin/script', '/bin/script'].find((p) => existsSync(p));
/** Why terminal tests cannot run here ('' when they can). */
export const noTerminal = scriptBin ? '' : 'no util-linux `script` to make a pseudo-terminal (apt-get install bsdutils)';

export interface TerminalRun {
  readonly output: string;
  readonly code: number | null;
}

export interface LiveTerminal {
  readonly child: ChildProcessWithoutNullStreams;
  /** Everything the terminal has shown so far. */
  screen(): string;
  /** The exit code `script -e` passes on from vela. */
  readonly exited: Promise<number | null>;
}

/** Starts `vela ARGS` (from src/, through bin/dev.js) in a pseudo-terminal in `cwd`. */
export function startTerminal(cwd: string, args: string, env: Record<string, string | undefined>): LiveTerminal {
  const command = `exec ${JSON.stringify(process.execPath)} ${JSON.stringify(join(ROOT, 'bin/dev.js'))} ${args}`;
  const childEnv: Record<string, string | undefined> = { ...process.env, TERM: 'xterm', COLUMNS: '100', LINES: '40', ...env, SHELL: '/bin/sh' };
  delete childEnv.CI;
  for (const key of Object.keys(childEnv)) if (childEnv[key] === undefined) delete childEnv[key];
  const child = spawn(scriptBin!, ['-qfec', command, '/dev/null'], { cwd, env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const onData = (chunk: Buffer) => (output += chunk.toString('utf8'));
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number | null>((done, fail) => {
    child.on('error', fail);
    child.on('close', (code) => done(code));
  });
  return { child, screen: () => output, exited };
}

/** Runs `vela ARGS` in a pseudo-terminal in `cwd`; `answers` say what to type once the screen matches. */
export async function inTerminal(cwd: string, args: string, answers: readonly { when: RegExp; type: string }[], env: Record<string, string | undefined> = {}): Promise<TerminalRun> {
  const term = startTerminal(cwd, args, { NO_COLOR: '1', ...env });
  const pending = [...answers];
  const onData = () => {
    while (pending.length && pending[0]!.when.test(term.screen())) term.child.stdin.write(pending.shift()!.type);
  };
  term.child.stdout.on('data', onData);
  term.child.stderr.on('data', onData);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, fail) => {
    timer = setTimeout(() => {
      term.child.kill('SIGKILL');
      fail(new Error(`timed out; the terminal showed:\n${term.screen()}`));
    }, 90_000);
  });
  try {
    const code = await Promise.race([term.exited, timedOut]);
    return { output: term.screen(), code };
  } finally {
    clearTimeout(timer);
  }
}
