/**
 * A FIFO named as a compose `env_file` or config is refused at once instead of
 * blocking vela forever (mkfifo starts a process, hence the slow project).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import DryRun from '../../../src/commands/dry-run.js';
import { runCommand } from '../../cli/harness.js';

const project = mkdtempSync(join(tmpdir(), 'vela-fifo-'));
afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('special files a compose file refers to', () => {
  it.each([
    ['an env_file', ['    env_file: fifo'], /compose\.yaml:4:15: services\.web: cannot read env file fifo: it is not a regular file \(a FIFO, socket or device\)/],
    ['a config file', ['    configs: [app]', 'configs:', '  app:', '    file: ./fifo'], /compose\.yaml:7:11: cannot read \.\/fifo: it is not a regular file/],
  ])('refuses a FIFO as %s instead of blocking on it', async (_what, lines, message) => {
    execFileSync('mkfifo', [join(project, 'fifo')]);
    try {
      const file = join(project, 'compose.yaml');
      writeFileSync(file, ['services:', '  web:', '    image: nginx:1.27', ...lines, ''].join('\n'));
      const r = await runCommand(DryRun, ['-f', file, '--allow-outside-project']);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toMatch(message);
    } finally {
      rmSync(join(project, 'fifo'));
    }
  // A read that blocked on the FIFO would never end: the bound only has to be finite, not tight.
  }, 60_000);
});
