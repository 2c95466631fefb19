/**
 * The planner reads the disk only through the host file system: the same
 * project in memory and on disk gives the same plan (entries, tag), and each
 * thing the reader can find wrong becomes the planner's diagnostic.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryFileSystem } from '../../src/host/index.js';
import { planBuilds } from '../../src/image/index.js';
import { readBuildContext } from '../../src/image/read-build-context.js';
import { DiagnosticError } from '../../src/source/index.js';
import { testApp } from './app-model.js';

const files = {
  Dockerfile: 'FROM scratch\nCOPY . /app\n',
  '.dockerignore': 'secret.txt\n',
  'secret.txt': 'do not send',
  'src/app.js': 'console.log(1)\n',
  'src/lib/util.js': 'export {}\n',
};

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

/** The same files on disk, with the modes the in-memory twin reports (0644 files, 0755 folders). */
function onDisk(tree: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'vela-read-context-'));
  roots.push(root);
  for (const [path, text] of Object.entries(tree)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
    chmodSync(join(root, path), 0o644);
  }
  for (const folder of ['src', 'src/lib']) chmodSync(join(root, folder), 0o755);
  return root;
}

const inMemory = (tree: Record<string, string>, root = '/work/shop') => memoryFileSystem(Object.fromEntries(Object.entries(tree).map(([p, t]) => [join(root, p), t])));

const webApp = (dir: string, build: { context?: string; dockerfile?: string } = {}) => testApp(dir, [{ name: 'web', image: 'localhost:5000/shop/web', build }]);

describe('planBuilds through the host file system', () => {
  it('plans the same entries and tag from memory as from the disk', async () => {
    const [fromMemory] = await planBuilds(webApp('/work/shop'), {}, inMemory(files));
    const [fromDisk] = await planBuilds(webApp(onDisk(files)));
    expect(fromMemory!.entries.map((e) => `${e.type} ${e.path} ${e.mode.toString(8)} ${e.sha256 ?? ''}`)).toEqual(
      fromDisk!.entries.map((e) => `${e.type} ${e.path} ${e.mode.toString(8)} ${e.sha256 ?? ''}`),
    );
    expect(fromMemory!.entries.map((e) => e.path)).toEqual(['.dockerignore', 'Dockerfile', 'src', 'src/app.js', 'src/lib', 'src/lib/util.js']);
    expect(fromMemory!.tag).toMatch(/^vela-[0-9a-f]{12}$/);
    expect(fromMemory!.tag).toBe(fromDisk!.tag);
    expect(fromMemory!.contextBytes).toBe(fromDisk!.contextBytes);
  });

  it('changes the tag when a sent file changes, not when an ignored one does', async () => {
    const [base] = await planBuilds(webApp('/work/shop'), {}, inMemory(files));
    const [ignored] = await planBuilds(webApp('/work/shop'), {}, inMemory({ ...files, 'secret.txt': 'changed' }));
    const [sent] = await planBuilds(webApp('/work/shop'), {}, inMemory({ ...files, 'src/app.js': 'console.log(2)\n' }));
    expect(ignored!.tag).toBe(base!.tag);
    expect(sent!.tag).not.toBe(base!.tag);
  });

  it('turns what the reader finds wrong into diagnostics at the build section', async () => {
    const failing = async (tree: Record<string, string>, build: { context?: string; dockerfile?: string }) => {
      const err = await planBuilds(webApp('/work/shop', build), {}, inMemory(tree)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(DiagnosticError);
      return (err as DiagnosticError).diagnostics.map((d) => `${d.code}: ${d.message}`);
    };
    expect(await failing(files, { context: 'web' })).toEqual(['build/context-missing: build context `web` does not exist']);
    expect(await failing(files, { context: 'Dockerfile' })).toEqual(['build/context-missing: build context `Dockerfile` is not a folder']);
    expect(await failing({ 'app.js': '' }, {})).toEqual(['build/dockerfile-missing: Dockerfile not found: Dockerfile']);
    expect(await failing(files, { context: '..' })).toEqual([expect.stringMatching(/^build\/context-outside: build context `\.\.` is outside the project folder$/)]);
  });
});

describe('readBuildContext', () => {
  it('reports the Dockerfile from outside the context last, under a name made from its digest', async () => {
    const fs = inMemory({ 'docker/web.Dockerfile': 'FROM scratch\n', 'app/index.js': '1' });
    const reading = await readBuildContext(fs, { projectDir: '/work/shop', contextDir: '/work/shop/app', dockerfilePath: '/work/shop/docker/web.Dockerfile' }, { hash: true });
    expect(reading.kind).toBe('read');
    if (reading.kind !== 'read') return;
    expect(reading.dockerfile.tarPath).toBe(`.dockerfile.vela-${reading.dockerfile.sha256.slice(0, 12)}`);
    expect(reading.entries.map((e) => e.path)).toEqual(['index.js', reading.dockerfile.tarPath]);
    expect(reading.entries.at(-1)!.source).toBe('/work/shop/docker/web.Dockerfile');
  });

  it('hashes nothing when the tag is explicit', async () => {
    const reading = await readBuildContext(inMemory(files), { projectDir: '/work/shop', contextDir: '/work/shop', dockerfilePath: '/work/shop/Dockerfile' }, { hash: false });
    expect(reading.kind === 'read' && reading.entries.filter((e) => e.sha256 !== undefined)).toEqual([]);
  });
});
