import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { SourceFile, error, span } from '../../src/source/index.js';
import CueExport from '../../src/commands/cue/export.js';
import CueVet from '../../src/commands/cue/vet.js';
import { runCommand } from './harness.js';

// The engine is the integrator's; these tests pin what the commands do around it:
// which files and options reach it and how its answers are printed.
const engine = vi.hoisted(() => ({ exportFiles: vi.fn(), vetFiles: vi.fn() }));
vi.mock('../../src/cue/index.js', () => engine);

const dir = mkdtempSync(join(tmpdir(), 'vela-cue-cmd-'));
const a = join(dir, 'a.cue');
const b = join(dir, 'b.cue');
writeFileSync(a, 'a: 1\n');
writeFileSync(b, 'a: 2\n');

afterEach(() => {
  engine.exportFiles.mockReset();
  engine.vetFiles.mockReset();
});
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

function conflict(): ReturnType<typeof error>[] {
  const fa = new SourceFile(a, 'a: 1\n');
  const fb = new SourceFile(b, 'a: 2\n');
  return [error('a: conflicting values 2 and 1', span(fa, 3, 4), { related: [span(fb, 3, 4)] })];
}

describe('vela cue export', () => {
  it('hands every file with its text and the options to the engine and prints its text on stdout', async () => {
    engine.exportFiles.mockReturnValue({ ok: true, value: { a: 1 }, text: 'a: 1\n' });
    const r = await runCommand(CueExport, [a, b, '-e', 'a', '--out', 'yaml']);
    expect(r).toMatchObject({ exitCode: 0, stdout: 'a: 1\n', stderr: '' });
    expect(engine.exportFiles).toHaveBeenCalledWith(
      [
        { name: a, text: 'a: 1\n' },
        { name: b, text: 'a: 2\n' },
      ],
      { expression: 'a', out: 'yaml' },
    );
  });

  it('defaults to JSON and ends the output with a newline', async () => {
    engine.exportFiles.mockReturnValue({ ok: true, value: { a: 1 }, text: '{\n    "a": 1\n}' });
    const r = await runCommand(CueExport, [a]);
    expect(r.stdout).toBe('{\n    "a": 1\n}\n');
    expect(engine.exportFiles.mock.calls[0]![1]).toEqual({ expression: undefined, out: 'json' });
  });

  it("prints the engine's diagnostics as file:line:col with a code frame and exits 1", async () => {
    engine.exportFiles.mockReturnValue({ ok: false, diagnostics: conflict() });
    const r = await runCommand(CueExport, [a, b]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`error: ${a}:1:4: a: conflicting values 2 and 1`);
    expect(r.stderr).toContain('> 1 | a: 1');
    expect(r.stderr).toContain(`see ${b}:1:4`);
  });

  it('reads - from standard input', async () => {
    engine.exportFiles.mockReturnValue({ ok: true, value: 2, text: '2\n' });
    const stdin = vi.spyOn(process, 'stdin', 'get').mockReturnValue(Readable.from(['a: 1 + ', '1\n']) as unknown as typeof process.stdin);
    try {
      const r = await runCommand(CueExport, ['-']);
      expect(r.exitCode).toBe(0);
      expect(engine.exportFiles.mock.calls[0]![0]).toEqual([{ name: '-', text: 'a: 1 + 1\n' }]);
    } finally {
      stdin.mockRestore();
    }
  });

  it('reports every unreadable file and exits 1 without calling the engine', async () => {
    const r = await runCommand(CueExport, [join(dir, 'missing.cue'), dir]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`error: cannot read ${join(dir, 'missing.cue')}: no such file or directory`);
    expect(r.stderr).toContain(`error: cannot read ${dir}: is a directory`);
    expect(engine.exportFiles).not.toHaveBeenCalled();
  });

  it('needs at least one file and a known --out', async () => {
    const none = await runCommand(CueExport, []);
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toContain('Missing 1 required arg');
    const xml = await runCommand(CueExport, [a, '--out', 'xml']);
    expect(xml.exitCode).toBe(1);
    expect(xml.stderr).toContain('Expected --out=xml to be one of: json, yaml');
  });
});

describe('vela cue vet', () => {
  it('prints nothing and exits 0 when the files are valid', async () => {
    engine.vetFiles.mockReturnValue([]);
    const r = await runCommand(CueVet, [a]);
    expect(r).toMatchObject({ exitCode: 0, stdout: '', stderr: '' });
    expect(engine.vetFiles).toHaveBeenCalledWith([{ name: a, text: 'a: 1\n' }]);
  });

  it('prints the errors and exits 1 when they conflict', async () => {
    engine.vetFiles.mockReturnValue(conflict());
    const r = await runCommand(CueVet, [a, b]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`${a}:1:4: a: conflicting values 2 and 1`);
  });

  it('shows warnings but still passes', async () => {
    const fa = new SourceFile(a, 'a: 1\n');
    engine.vetFiles.mockReturnValue([{ severity: 'warning', message: 'unused import "strings"', span: span(fa, 0, 1) }]);
    const r = await runCommand(CueVet, [a]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain(`warning: ${a}:1:1: unused import "strings"`);
  });
});
