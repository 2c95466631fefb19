/** `vela cue export` / `vet` through the pipeline: inputs from the host file system and stdin, every unreadable one reported. */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { memoryFileSystem } from '../../src/host/index.js';
import { cueExport, cueVet, readCueInputs } from '../../src/pipeline/cue.js';
import { DiagnosticError } from '../../src/source/index.js';

const fs = memoryFileSystem({ '/w/a.cue': 'a: 1\nb: a + 1\n', '/w/c.cue': 'a: 2\n', '/w/dir/x.cue': 'x: 1\n' });

describe('readCueInputs', () => {
  it('reads files and - from stdin, in the order given', async () => {
    const files = await readCueInputs(['/w/a.cue', '-'], { fs, stdin: Readable.from(['z: ', '"s"\n']) });
    expect(files).toEqual([
      { name: '/w/a.cue', text: 'a: 1\nb: a + 1\n' },
      { name: '-', text: 'z: "s"\n' },
    ]);
  });

  it('reports every unreadable file at once', async () => {
    const err = await readCueInputs(['/w/missing.cue', '/w/a.cue', '/w/gone.cue'], { fs }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiagnosticError);
    expect((err as DiagnosticError).diagnostics.map((d) => `${d.code}: ${d.message}`)).toEqual([
      'cli/unreadable-input: cannot read /w/missing.cue: no such file or directory',
      'cli/unreadable-input: cannot read /w/gone.cue: no such file or directory',
    ]);
  });
});

describe('cueExport and cueVet', () => {
  it('export the unified value as text ending in a newline', async () => {
    expect(await cueExport(['/w/a.cue'], { out: 'json', fs })).toEqual({ text: '{\n    "a": 1,\n    "b": 2\n}\n' });
    expect(await cueExport(['/w/a.cue'], { out: 'yaml', expression: 'b', fs })).toEqual({ text: '2\n' });
  });

  it('fail with the conflict at its position', async () => {
    const err = await cueExport(['/w/a.cue', '/w/c.cue'], { out: 'json', fs }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiagnosticError);
    expect((err as DiagnosticError).message).toMatch(/\/w\/(a|c)\.cue:1:4: a: conflicting values/);
    await expect(cueVet(['/w/a.cue', '/w/c.cue'], { fs })).rejects.toBeInstanceOf(DiagnosticError);
    expect(await cueVet(['/w/a.cue'], { fs })).toEqual({ warnings: [] });
  });
});
