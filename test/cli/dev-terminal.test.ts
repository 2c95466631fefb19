/**
 * `vela dev` at a terminal: run through a pseudo-terminal with util-linux
 * `script -qfec CMD /dev/null` (no native npm module), in `--output DIR` mode
 * (no cluster). At a terminal the cycle lines are coloured; a saved change is
 * one cycle that rewrites the manifests; a broken Appfile prints its error at
 * file:line:col and writes nothing; Ctrl-C typed at the terminal stops it with
 * exit code 0.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const hasScript = spawnSync('script', ['--version']).status === 0;

const appfile = (tag: string) => `name: term\nservices:\n  web:\n    image: nginx:${tag}\n    ports: [{port: 80, expose: true}]\n`;

describe.skipIf(!hasScript)(hasScript ? 'vela dev in a pseudo-terminal' : 'vela dev in a pseudo-terminal (skipped: no util-linux `script`)', () => {
  it('colours its cycle lines, rewrites on save, keeps the last good output on a broken Appfile, and stops on Ctrl-C with exit 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vela-dev-tty-'));
    writeFileSync(join(dir, 'vela.yaml'), appfile('1.27'));
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(NO_COLOR|FORCE_COLOR|CI|VELA_.*)$/.test(k)) env[k] = v;
    const command = `${process.execPath} ${join(ROOT, 'bin/dev.js')} dev --output out --debounce 100ms`;
    const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: dir, env: { ...env, TERM: 'xterm' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    child.stdout.on('data', (chunk: Buffer) => (screen += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const until = async (test: () => boolean, what: string) => {
      const deadline = Date.now() + 90_000;
      while (!test()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the terminal showed:\n${screen}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const manifest = () => readdirSync(join(dir, 'out')).filter((f) => /deployment/i.test(f)).map((f) => readFileSync(join(dir, 'out', f), 'utf8')).join('');
    try {
      await until(() => screen.includes('watching'), 'the watching line');
      expect(screen).toContain('\u001b[32m✓\u001b[0m cycle 1 (first delivery)');
      expect(manifest()).toContain('image: nginx:1.27');

      writeFileSync(join(dir, 'vela.yaml'), appfile('1.28'));
      await until(() => screen.includes('cycle 2'), 'the second cycle');
      expect(screen).toMatch(/cycle 2 \(vela\.yaml changed\): \d+ files written to out/);
      expect(manifest()).toContain('image: nginx:1.28');

      writeFileSync(join(dir, 'vela.yaml'), appfile('1.29').replace('    ports:', '   ports:'));
      await until(() => screen.includes('cycle 3'), 'the third cycle');
      expect(screen).toMatch(/vela\.yaml:\d+:\d+/);
      expect(screen).toMatch(/\u001b\[31m✗\u001b\[0m cycle 3 \(vela\.yaml changed\): not applied, the last good deployment keeps running/);
      expect(manifest()).toContain('image: nginx:1.28');

      // Ctrl-C typed at the terminal: the line discipline sends SIGINT to vela.
      child.stdin.write('\u0003');
      const code = await exited;
      expect({ code, stopping: screen.includes('stopping') }, `the terminal showed:\n${screen}`).toEqual({ code: 0, stopping: true });
    } finally {
      child.kill('SIGKILL');
    }
  }, 120_000);
});
