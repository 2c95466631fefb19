/**
 * `vela dev` at a terminal (a pseudo-terminal, test/support/terminal.ts), in `--output DIR` mode
 * (no cluster). At a terminal the cycle lines are coloured; a saved change is
 * one cycle that rewrites the manifests; a broken Appfile prints its error at
 * file:line:col and writes nothing; Ctrl-C typed at the terminal stops it with
 * exit code 0.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { noTerminal, startTerminal } from '../support/terminal.js';

const appfile = (tag: string) => `name: term\nservices:\n  web:\n    image: nginx:${tag}\n    ports: [{port: 80, expose: true}]\n`;

describe.skipIf(Boolean(noTerminal))(noTerminal ? `vela dev in a pseudo-terminal (skipped: ${noTerminal})` : 'vela dev in a pseudo-terminal', () => {
  it('colours its cycle lines, rewrites on save, keeps the last good output on a broken Appfile, and stops on Ctrl-C with exit 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vela-dev-tty-'));
    writeFileSync(join(dir, 'vela.yaml'), appfile('1.27'));
    const env: Record<string, string | undefined> = { NO_COLOR: undefined, FORCE_COLOR: undefined };
    for (const k of Object.keys(process.env)) if (k.startsWith('VELA_')) env[k] = undefined;
    const term = startTerminal(dir, 'dev --output out --debounce 100ms', env);
    const { child, exited } = term;
    const until = async (test: () => boolean, what: string) => {
      const deadline = Date.now() + 90_000;
      while (!test()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the terminal showed:\n${term.screen()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const manifest = () => readdirSync(join(dir, 'out')).filter((f) => /deployment/i.test(f)).map((f) => readFileSync(join(dir, 'out', f), 'utf8')).join('');
    try {
      await until(() => term.screen().includes('watching'), 'the watching line');
      expect(term.screen()).toContain('\u001b[32m✓\u001b[0m cycle 1 (first delivery)');
      expect(manifest()).toContain('image: nginx:1.27');

      writeFileSync(join(dir, 'vela.yaml'), appfile('1.28'));
      await until(() => term.screen().includes('cycle 2'), 'the second cycle');
      expect(term.screen()).toMatch(/cycle 2 \(vela\.yaml changed\): \d+ files written to out/);
      expect(manifest()).toContain('image: nginx:1.28');

      writeFileSync(join(dir, 'vela.yaml'), appfile('1.29').replace('    ports:', '   ports:'));
      await until(() => term.screen().includes('cycle 3'), 'the third cycle');
      expect(term.screen()).toMatch(/vela\.yaml:\d+:\d+/);
      expect(term.screen()).toMatch(/\u001b\[31m✗\u001b\[0m cycle 3 \(vela\.yaml changed\): not applied, the last good deployment keeps running/);
      expect(manifest()).toContain('image: nginx:1.28');

      // Ctrl-C typed at the terminal: the line discipline sends SIGINT to vela.
      child.stdin.write('\u0003');
      const code = await exited;
      expect({ code, stopping: term.screen().includes('stopping') }, `the terminal showed:\n${term.screen()}`).toEqual({ code: 0, stopping: true });
    } finally {
      child.kill('SIGKILL');
    }
  }, 120_000);
});
