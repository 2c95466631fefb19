/**
 * A `.dockerignore` that is a symlink out of the build context is not read:
 * the planner refuses the build with a message that names where it leads and
 * none of the target's content. One inside the context is followed as usual.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planBuilds } from '../../src/image/index.js';
import { DiagnosticError, formatDiagnosticLine } from '../../src/source/index.js';
import { testApp } from './app-model.js';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function project(link: (root: string, dir: string) => void): string {
  const root = mkdtempSync(join(tmpdir(), 'vela-dockerignore-'));
  roots.push(root);
  const dir = join(root, 'shop');
  mkdirSync(dir);
  writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\nCOPY . /app\n');
  writeFileSync(join(dir, 'secret.txt'), 'do not send');
  writeFileSync(join(dir, 'rules'), 'secret.txt\n');
  writeFileSync(join(root, 'host-file'), 'secret.txt\nTOP-SECRET-CONTENT\n');
  link(root, dir);
  return dir;
}

const plan = (dir: string) => planBuilds(testApp(dir, [{ name: 'web', image: 'localhost:5000/shop/web', build: {} }]));

describe('.dockerignore symlinks', () => {
  it('refuses a .dockerignore that leads outside the build context, without reading it', async () => {
    const dir = project((root, d) => symlinkSync(join(root, 'host-file'), join(d, '.dockerignore')));
    const err = await plan(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DiagnosticError);
    const text = (err as DiagnosticError).diagnostics.map(formatDiagnosticLine).join('\n');
    expect(text).toMatch(/cannot use the \.dockerignore of build context `\.`: \.dockerignore is a symlink that leads outside the build context \(to .*host-file\)/);
    expect(text).not.toContain('TOP-SECRET-CONTENT');
  });

  it('follows a .dockerignore symlink that stays inside the context', async () => {
    const dir = project((_root, d) => symlinkSync('rules', join(d, '.dockerignore')));
    const [p] = await plan(dir);
    expect(p!.entries.map((e) => e.path)).not.toContain('secret.txt');
    expect(p!.entries.map((e) => e.path)).toContain('Dockerfile');
  });
});
