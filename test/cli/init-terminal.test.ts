/**
 * `vela init` through a real pseudo-terminal (util-linux `script`, no native
 * modules): the wizard sees a terminal, offers to convert the compose file
 * beside it, and converting is what a Yes does.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { inTerminal, noTerminal } from '../support/terminal.js';

const skipReason = noTerminal || undefined;
if (skipReason) console.warn(`[init terminal] skipped: ${skipReason}`);

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

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
