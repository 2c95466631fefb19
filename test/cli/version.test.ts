/** `vela version`: the versions a bug report needs, and a definitions digest that follows the definitions' texts. */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import Version from '../../src/commands/version.js';
import { versionInfo } from '../../src/pipeline/version-info.js';
import { ROOT, runCommand } from './harness.js';

const scratch = mkdtempSync(join(tmpdir(), 'vela-version-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('vela version', () => {
  it('prints vela, node, the CUE engine and the definitions digest; --json has the same facts', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const text = await runCommand(Version, []);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toContain(`vela:        ${version}\n`);
    expect(text.stdout).toContain(`node:        ${process.version}\n`);
    expect(text.stdout).toMatch(/cue engine: {2}vela \S+ \(CUE language v\d+\.\d+\.\d+\)\n/);
    const json = await runCommand(Version, ['--json']);
    const doc = JSON.parse(json.stdout) as { version: string; node: string; cue: { engine: string; language: string }; definitions: { digest: string; files: number } };
    expect(doc.version).toBe(version);
    expect(doc.node).toBe(process.version);
    expect(doc.cue.language).toMatch(/^v\d+\.\d+\.\d+$/);
    expect(doc.definitions.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(doc.definitions.files).toBeGreaterThan(40);
    expect(text.stdout).toContain(doc.definitions.digest);
  });

  it('the digest changes with a definition text or a file name, and only then', async () => {
    const dir = join(scratch, 'defs');
    mkdirSync(join(dir, 'policies'), { recursive: true });
    writeFileSync(join(dir, 'a.cue'), 'a: {}\n');
    writeFileSync(join(dir, 'policies', 'p.cue'), 'p: {}\n');
    writeFileSync(join(dir, 'notes.txt'), 'not a definition');
    const digest = async () => (await versionInfo({ version: '0', builtinDir: dir })).definitions;
    const first = await digest();
    expect(first.files).toBe(2);
    expect((await digest()).digest).toBe(first.digest);
    writeFileSync(join(dir, 'notes.txt'), 'still not a definition');
    expect((await digest()).digest).toBe(first.digest);
    writeFileSync(join(dir, 'policies', 'p.cue'), 'p: {x: 1}\n');
    const changed = await digest();
    expect(changed.digest).not.toBe(first.digest);
    rmSync(join(dir, 'a.cue'));
    writeFileSync(join(dir, 'b.cue'), 'a: {}\n');
    expect((await digest()).digest).not.toBe(changed.digest);
  });
});
