/**
 * A compose file reads only the files it should: `env_file` and the `file:` of
 * configs and secrets stay inside the project folder (after symlinks) unless
 * --allow-outside-project says otherwise; FIFOs, devices and /proc are never
 * read; sizes are bounded; no message carries a file's content. On the real
 * disk (symlinks, /proc; a FIFO in special-files.e2e.test.ts), through the dry-run command, so the exit
 * code and the printed text are what a user sees.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import DryRun from '../../../src/commands/dry-run.js';
import { runCommand } from '../../cli/harness.js';

const SECRET = 'hunter2-do-not-print';
let root: string;
let project: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'vela-host-files-'));
  project = join(root, 'project');
  mkdirSync(project);
  writeFileSync(join(root, 'outside.env'), `PASSWORD=${SECRET}\n`);
  writeFileSync(join(root, 'outside.txt'), `${SECRET}\n`);
  writeFileSync(join(project, 'inside.env'), 'LOG_LEVEL=debug\n');
  symlinkSync(join(root, 'outside.env'), join(project, 'linked.env'));
  symlinkSync('/proc/self/environ', join(project, 'environ.env'));
  writeFileSync(join(project, 'big.txt'), 'x'.repeat(1024 * 1024 + 1));
  writeFileSync(join(project, 'broken.env'), `${SECRET} is not a line\n`);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function compose(service: string[], top: string[] = []): string {
  const path = join(project, 'compose.yaml');
  writeFileSync(path, ['services:', '  web:', '    image: nginx:1.27', '    ports: ["80"]', ...service.map((l) => `    ${l}`), ...top, ''].join('\n'));
  return path;
}

const dryRun = (file: string, ...flags: string[]) => runCommand(DryRun, ['-f', file, ...flags]);

describe('files a compose file refers to', () => {
  it('reads an env_file inside the project folder', async () => {
    const r = await dryRun(compose(['env_file: inside.env']));
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('LOG_LEVEL');
  });

  it.each([
    ['a path outside the project folder', 'env_file: ../outside.env', /cannot read env file \.\.\/outside\.env: it is outside the project folder/],
    ['an absolute path outside it', `env_file: ${'/etc/hostname'}`, /cannot read env file \/etc\/hostname: it is outside the project folder/],
    ['a symlink that leads out of it', 'env_file: linked.env', /cannot read env file linked\.env: it is outside the project folder .* \(through a symlink, to .*outside\.env\)/],
  ])('refuses %s without --allow-outside-project, at the line of the key', async (_what, line, message) => {
    const r = await dryRun(compose([line]));
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/compose\.yaml:5:15: services\.web: /);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('--allow-outside-project');
    expect(r.stderr).not.toContain(SECRET);
  });

  it('reads a file outside the project folder with --allow-outside-project', async () => {
    const r = await dryRun(compose(['env_file: linked.env']), '--allow-outside-project');
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(SECRET);
  });

  it.each([
    ['/proc/self/environ', 'env_file: /proc/self/environ', /it is a system file \(under \/proc, \/sys or \/dev\)/],
    ['a symlink to /proc/self/environ', 'env_file: environ.env', /it is a system file/],
    ['/dev/zero', 'env_file: /dev/zero', /it is a system file/],
  ])('refuses %s even with --allow-outside-project', async (_what, line, message) => {
    const r = await dryRun(compose([line]), '--allow-outside-project');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('refuses a refused env_file even when it is optional (required: false)', async () => {
    const r = await dryRun(compose(['env_file:', '  - path: ../outside.env', '    required: false']));
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/cannot read env file \.\.\/outside\.env: it is outside the project folder/);
  });

  it('bounds sizes, and says the limit', async () => {
    const r = await dryRun(compose(['configs: [big]'], ['configs:', '  big:', '    file: ./big.txt']));
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/compose\.yaml:8:11: cannot read \.\/big\.txt: it is larger than the limit of 1 MiB/);
  });

  it('refuses config and secret files outside the project folder, at the file: line', async () => {
    const r = await dryRun(compose(['secrets: [token]'], ['secrets:', '  token:', '    file: ../outside.txt']));
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/compose\.yaml:8:11: cannot read \.\.\/outside\.txt: it is outside the project folder/);
    expect(r.stderr).not.toContain(SECRET);
  });

  it('reports a malformed env_file line at the compose key, without printing the line', async () => {
    const r = await dryRun(compose(['env_file: broken.env']));
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/compose\.yaml:5:15: env file broken\.env, line 1: invalid line/);
    expect(r.stderr).not.toContain(SECRET);
  });

  it('refuses a .env beside the compose file that leads outside the project', async () => {
    const dir = join(root, 'dotenv-project');
    mkdirSync(dir);
    symlinkSync(join(root, 'outside.env'), join(dir, '.env'));
    writeFileSync(join(dir, 'compose.yaml'), 'services:\n  web:\n    image: nginx:1.27\n');
    const r = await dryRun(join(dir, 'compose.yaml'));
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/cannot read .*\.env: it is outside the project folder/);
    expect(r.stderr).not.toContain(SECRET);
  });
});
