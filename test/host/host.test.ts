import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import {
  EnvironmentError,
  ExitCode,
  NotHealthyError,
  colorAllowed,
  manualClock,
  memoryEnvironment,
  memoryFileSystem,
  nodeFileSystem,
  readStdin,
  recordingReporter,
  velaHome,
  type FileSystem,
} from '../../src/host/index.js';
import { DiagnosticError } from '../../src/source/index.js';

const dir = mkdtempSync(join(tmpdir(), 'vela-host-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('nodeFileSystem', () => {
  it('writes atomically into new folders and leaves no temp file behind', async () => {
    const target = join(dir, 'a/b/state.json');
    await nodeFileSystem.writeFileAtomic(target, '{"v":1}\n');
    await nodeFileSystem.writeFileAtomic(target, '{"v":2}\n');
    expect(readFileSync(target, 'utf8')).toBe('{"v":2}\n');
    expect(readdirSync(join(dir, 'a/b'))).toEqual(['state.json']);
  });

  it('cleans up the temp file when the rename fails', async () => {
    const target = join(dir, 'is-a-dir');
    await nodeFileSystem.writeFileAtomic(join(target, 'x'), 'x');
    await expect(nodeFileSystem.writeFileAtomic(target, 'y')).rejects.toThrow();
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('reads text, tells whether paths exist, lists folders sorted', async () => {
    writeFileSync(join(dir, 'z.txt'), 'zz');
    writeFileSync(join(dir, 'm.txt'), 'mm');
    expect(await nodeFileSystem.readText(join(dir, 'z.txt'))).toBe('zz');
    await expect(nodeFileSystem.readText(join(dir, 'nope'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await nodeFileSystem.exists(join(dir, 'm.txt'))).toBe(true);
    expect(await nodeFileSystem.exists(join(dir, 'nope'))).toBe(false);
    const names = await nodeFileSystem.list(dir);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(['m.txt', 'z.txt']));
    expect(await nodeFileSystem.list(join(dir, 'nope'))).toEqual([]);
  });
});

describe('nodeFileSystem: what the build planner reads', () => {
  it('stats files, folders and links, following links unless told not to', async () => {
    const root = join(dir, 'stat');
    mkdirSync(join(root, 'sub'), { recursive: true });
    writeFileSync(join(root, 'sub/run.sh'), 'echo hi\n');
    chmodSync(join(root, 'sub/run.sh'), 0o750);
    symlinkSync('sub/run.sh', join(root, 'link'));
    expect(await nodeFileSystem.stat(join(root, 'sub/run.sh'))).toMatchObject({ kind: 'file', size: 8, mode: 0o750 });
    expect(await nodeFileSystem.stat(join(root, 'sub'))).toMatchObject({ kind: 'directory' });
    expect(await nodeFileSystem.stat(join(root, 'link'))).toMatchObject({ kind: 'file', size: 8 });
    expect(await nodeFileSystem.stat(join(root, 'link'), { followSymlinks: false })).toMatchObject({ kind: 'symlink' });
    expect(await nodeFileSystem.stat(join(root, 'nope'))).toBeUndefined();
    expect(await nodeFileSystem.stat(join(root, 'sub/run.sh/below'))).toBeUndefined();
    expect(await nodeFileSystem.readLink(join(root, 'link'))).toBe('sub/run.sh');
    expect(await nodeFileSystem.realpath(join(root, 'link'))).toBe(await nodeFileSystem.realpath(join(root, 'sub/run.sh')));
    await expect(nodeFileSystem.realpath(join(root, 'nope'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('reads bytes whole or in chunks, and removes files (a missing one is no error)', async () => {
    const file = join(dir, 'bytes.bin');
    writeFileSync(file, Buffer.from([0, 1, 2, 255]));
    expect([...(await nodeFileSystem.readBytes(file))]).toEqual([0, 1, 2, 255]);
    const chunks: number[] = [];
    for await (const c of nodeFileSystem.readChunks(file)) chunks.push(...c);
    expect(chunks).toEqual([0, 1, 2, 255]);
    await nodeFileSystem.remove(file);
    expect(await nodeFileSystem.exists(file)).toBe(false);
    await expect(nodeFileSystem.remove(file)).resolves.toBeUndefined();
  });
});

describe('memoryFileSystem', () => {
  it('behaves like the real one for reads, writes, exists and list', async () => {
    const fs = memoryFileSystem({ 'app/vela.yaml': 'name: shop\n', 'app/.vela/definitions/x.cue': 'x: 1' }, '/work');
    expect(await fs.readText('/work/app/vela.yaml')).toBe('name: shop\n');
    expect(await fs.readText('app/vela.yaml')).toBe('name: shop\n');
    await expect(fs.readText('missing')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await fs.exists('app/.vela')).toBe(true);
    expect(await fs.exists('app/.velax')).toBe(false);
    expect(await fs.list('app')).toEqual(['.vela', 'vela.yaml']);
    await fs.writeFileAtomic('out/a.yaml', 'kind: Service\n');
    expect(await fs.readText('/work/out/a.yaml')).toBe('kind: Service\n');
    await fs.remove('out/a.yaml');
    await fs.remove('out/never-there.yaml');
    expect(await fs.exists('out/a.yaml')).toBe(false);
  });

  it('answers stat, realpath, readLink and byte reads the way the node one does, without symlinks', async () => {
    const memory: FileSystem = memoryFileSystem({ 'ctx/Dockerfile': 'FROM scratch\n', 'ctx/bin/x': new Uint8Array([7, 8]) }, '/p');
    expect(await memory.stat('ctx/Dockerfile')).toEqual({ kind: 'file', size: 13, mode: 0o644, mtimeMs: 0 });
    expect(await memory.stat('ctx/bin')).toEqual({ kind: 'directory', size: 0, mode: 0o755, mtimeMs: 0 });
    expect(await memory.stat('ctx/none')).toBeUndefined();
    expect(await memory.realpath('ctx/bin/x')).toBe('/p/ctx/bin/x');
    await expect(memory.realpath('ctx/none')).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(memory.readLink('ctx/Dockerfile')).rejects.toMatchObject({ code: 'EINVAL' });
    expect([...(await memory.readBytes('ctx/bin/x'))]).toEqual([7, 8]);
    const chunks: number[] = [];
    for await (const c of memory.readChunks('ctx/Dockerfile')) chunks.push(...c);
    expect(Buffer.from(chunks).toString()).toBe('FROM scratch\n');
  });
});

describe('velaHome', () => {
  it('is $VELA_HOME when set (and not empty), else .vela in the home folder', () => {
    expect(velaHome(memoryEnvironment({ VELA_HOME: '/opt/vela' }))).toBe('/opt/vela');
    expect(velaHome(memoryEnvironment({ VELA_HOME: '' }, '/', '/home/ann'))).toBe('/home/ann/.vela');
    expect(velaHome(memoryEnvironment({}, '/', '/home/ann'))).toBe('/home/ann/.vela');
  });

  it('stats files (size in UTF-8 bytes) and folders like the real one', async () => {
    writeFileSync(join(dir, 'utf8.txt'), 'é\n');
    const files = memoryFileSystem({ 'app/utf8.txt': 'é\n' }, '/work');
    for (const [fs, root] of [[nodeFileSystem, dir], [files, '/work/app']] as const) {
      expect(await fs.stat(join(root, 'utf8.txt'))).toMatchObject({ kind: 'file', size: 3 });
      expect(await fs.stat(root)).toMatchObject({ kind: 'directory' });
      expect(await fs.stat(join(root, 'nope'))).toBeUndefined();
    }
  });
});

describe('environment and clock', () => {
  it('allows colour only on a TTY, without NO_COLOR and not on a dumb terminal', () => {
    expect(colorAllowed({ isTTY: true }, memoryEnvironment())).toBe(true);
    expect(colorAllowed({ isTTY: false }, memoryEnvironment())).toBe(false);
    expect(colorAllowed({}, memoryEnvironment())).toBe(false);
    expect(colorAllowed({ isTTY: true }, memoryEnvironment({ NO_COLOR: '1' }))).toBe(false);
    expect(colorAllowed({ isTTY: true }, memoryEnvironment({ TERM: 'dumb' }))).toBe(false);
  });

  it('moves the manual clock only when told', async () => {
    const clock = manualClock(1000);
    expect(clock.now()).toBe(1000);
    await clock.sleep(250);
    clock.advance(50);
    expect(clock.now()).toBe(1300);
  });

  it('reads all of standard input', async () => {
    expect(await readStdin(Readable.from([Buffer.from('a: '), Buffer.from('1\n')]))).toBe('a: 1\n');
  });
});

describe('failure errors', () => {
  it('are DiagnosticErrors with the exit codes of the contract', () => {
    const env = new EnvironmentError('registry 127.0.0.1:5000 refused the connection', { hint: 'is it running?', code: 'registry/unreachable' });
    expect(env).toBeInstanceOf(DiagnosticError);
    expect(env.exitCode).toBe(ExitCode.environment);
    expect(env.exitCode).toBe(2);
    expect(env.diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', message: 'registry 127.0.0.1:5000 refused the connection', hint: 'is it running?', code: 'registry/unreachable' }),
    ]);
    const cause = new Error('ECONNREFUSED');
    expect(new EnvironmentError('x', { cause }).cause).toBe(cause);
    const sick = new NotHealthyError('web: 0/2 ready');
    expect(sick.exitCode).toBe(3);
    expect(sick.name).toBe('NotHealthyError');
  });
});

describe('recordingReporter', () => {
  it('records events in order', () => {
    const r = recordingReporter();
    const t = r.task('web', 'building');
    t.step(1, 3, 'FROM node');
    t.succeed();
    r.info('done');
    expect(r.events.map((e) => e.kind)).toEqual(['start', 'step', 'succeed', 'info']);
    expect(r.events[1]).toEqual({ kind: 'step', task: 'web', current: 1, total: 3, text: 'FROM node' });
  });
});
