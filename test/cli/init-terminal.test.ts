/**
 * `vela init` through a real pseudo-terminal (util-linux `script`, no native
 * modules): the wizard sees a terminal, offers to convert the compose file
 * beside it, and converting is what a Yes does.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from './harness.js';

const scriptBin = ['/usr/bin/script', '/bin/script'].find((p) => existsSync(p));
const skipReason = scriptBin ? undefined : 'no util-linux `script` to make a pseudo-terminal (apt-get install bsdutils)';
if (skipReason) console.warn(`[init terminal] skipped: ${skipReason}`);

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Runs `vela ARGS` in a pseudo-terminal in `cwd`; `answer` says what to type when the output matches. */
function inTerminal(cwd: string, args: string, answers: readonly { when: RegExp; type: string }[]): Promise<{ output: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(join(ROOT, 'bin/dev.js'))} ${args}`;
    const env = { ...process.env, CI: '', NO_COLOR: '1', TERM: 'xterm', COLUMNS: '100', LINES: '40' };
    delete (env as Record<string, string | undefined>).CI;
    const child = spawn(scriptBin!, ['-qfec', command, '/dev/null'], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    const pending = [...answers];
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out; the terminal showed:\n${output}`));
    }, 90_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      while (pending.length && pending[0]!.when.test(output)) child.stdin.write(pending.shift()!.type);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ output, code });
    });
  });
}

describe.skipIf(skipReason !== undefined)('vela init at a terminal', () => {
  it('converts the compose file beside it when the answer is Yes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vela-init-pty-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'compose.yaml'), 'services:\n  web:\n    image: nginx:1.27\n    ports: ["8080:80"]\n  redis:\n    image: redis:7\n');
    const r = await inTerminal(dir, 'init', [{ when: /Convert it to vela\.yaml/, type: '\r' }]);
    expect(r.output).toMatch(/Found compose\.yaml\. Convert it to vela\.yaml \(as `vela convert` does\)\?/);
    expect(r.output).toContain('converted compose.yaml to vela.yaml (app ');
    expect(r.code).toBe(0);
    const written = parse(readFileSync(join(dir, 'vela.yaml'), 'utf8')) as { services: Record<string, { image: string }> };
    expect(Object.keys(written.services)).toEqual(['web', 'redis']);
  }, 120_000);
});
