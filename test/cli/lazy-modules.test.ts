/**
 * Commands that never reach a cluster do not load the Kubernetes client
 * (`@kubernetes/client-node`, about 0.7 s of CPU at start-up): `vela dry-run`
 * starts in a fraction of the time `vela up` needs. A module hook in the child
 * process records every import of the client; a command that reads a
 * kubeconfig shows the hook sees it when it is loaded.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const HOOKS = `export async function resolve(specifier, context, next) {
  if (specifier.startsWith('@kubernetes/client-node')) (await import('node:fs')).appendFileSync(process.env.VELA_TEST_IMPORTS, specifier + '\\n');
  return next(specifier, context);
}`;
const REGISTER = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOKS)}`)});`;

function run(args: string[], dir: string): { code: number | null; imports: string; stderr: string } {
  const log = join(dir, `imports-${args[0]}.txt`);
  const r = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(REGISTER)}`, join(ROOT, 'bin/dev.js'), ...args], {
    cwd: dir,
    env: { ...process.env, VELA_TEST_IMPORTS: log, VELA_HOME: join(dir, 'home'), CI: '1' },
    encoding: 'utf8',
  });
  return { code: r.status, imports: existsSync(log) ? readFileSync(log, 'utf8') : '', stderr: r.stderr };
}

describe('loading the Kubernetes client', () => {
  it('vela dry-run renders without loading it; a command that reads a kubeconfig loads it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vela-lazy-'));
    const dryRun = run(['dry-run', '-f', join(ROOT, 'examples/shop/vela.yaml'), '--output', join(dir, 'out')], dir);
    expect(dryRun.code, dryRun.stderr).toBe(0);
    expect(dryRun.imports).toBe('');

    writeFileSync(join(dir, 'kubeconfig'), 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n');
    const status = run(['status', 'shop', '--kubeconfig', join(dir, 'kubeconfig')], dir);
    expect(status.code).toBe(2);
    expect(status.imports).toContain('@kubernetes/client-node');
  }, 60_000);
});
