/**
 * Running vela in a real pseudo-terminal for the tests that need one (a
 * prompt, colours, Ctrl-C): util-linux `script -qfec CMD /dev/null`, no native
 * npm module. `answers` say what to type once the screen matches.
 */
import { spawn } from 'node:child_process';
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

/** Runs `vela ARGS` (from src/, through bin/dev.js) in a pseudo-terminal in `cwd`. */
export function inTerminal(cwd: string, args: string, answers: readonly { when: RegExp; type: string }[], env: Record<string, string | undefined> = {}): Promise<TerminalRun> {
  return new Promise((done, fail) => {
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(join(ROOT, 'bin/dev.js'))} ${args}`;
    const childEnv: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', TERM: 'xterm', COLUMNS: '100', LINES: '40', ...env };
    delete childEnv.CI;
    const child = spawn(scriptBin!, ['-qfec', command, '/dev/null'], { cwd, env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    const pending = [...answers];
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`timed out; the terminal showed:\n${output}`));
    }, 90_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      while (pending.length && pending[0]!.when.test(output)) child.stdin.write(pending.shift()!.type);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ output, code });
    });
  });
}
