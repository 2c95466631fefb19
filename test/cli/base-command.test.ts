import { afterEach, describe, expect, it, vi } from 'vitest';
import { BaseCommand, Flags } from '../../src/cli/index.js';
import { EnvironmentError, NotHealthyError } from '../../src/host/index.js';
import { DiagnosticError, SourceFile, error, span } from '../../src/source/index.js';
import { ANSI, runCommand } from './harness.js';

const file = new SourceFile('vela.yaml', 'name: shop\nservices:\n  web:\n    port: "80"\n');
const portSpan = span(file, file.offsetOf(4, 11), file.offsetOf(4, 15));

/** A command that fails the way `--fail` says, or returns data. */
class Probe extends BaseCommand<typeof Probe> {
  static override enableJsonFlag = true;
  static override flags = {
    fail: Flags.option({ options: ['diagnostic', 'environment', 'unhealthy', 'internal', 'none'] as const, default: 'none' as const })(),
  };

  async run(): Promise<{ services: string[] }> {
    switch (this.flags.fail) {
      case 'diagnostic':
        throw new DiagnosticError([error('must be integer (got "80")', portSpan, { path: 'services.web.port', hint: 'write 80 without quotes' })]);
      case 'environment':
        throw new EnvironmentError('cannot connect to Docker at unix:///var/run/docker.sock', { hint: 'is dockerd running?' });
      case 'unhealthy':
        throw new NotHealthyError('web: 0/2 replicas ready after 60s');
      case 'internal':
        throw new TypeError("Cannot read properties of undefined (reading 'spec')");
      case 'none':
        this.write('web\n');
        return { services: ['web'] };
    }
  }
}
Probe.id = 'probe';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('BaseCommand', () => {
  it('prints data on stdout and exits 0', async () => {
    const r = await runCommand(Probe, []);
    expect(r).toMatchObject({ exitCode: 0, stdout: 'web\n', stderr: '' });
  });

  it('prints the returned result as JSON with --json, and nothing else', async () => {
    const r = await runCommand(Probe, ['--json']);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ services: ['web'] });
  });

  it('maps a DiagnosticError to exit 1 with position, code frame and hint on stderr', async () => {
    const r = await runCommand(Probe, ['--fail', 'diagnostic']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error: vela.yaml:4:11: services.web.port: must be integer (got "80")');
    expect(r.stderr).toContain('> 4 |     port: "80"');
    expect(r.stderr).toMatch(/\|\s{11}\^{4}\n/);
    expect(r.stderr).toContain('hint: write 80 without quotes');
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });

  it('maps EnvironmentError to exit 2 and NotHealthyError to exit 3', async () => {
    const env = await runCommand(Probe, ['--fail', 'environment']);
    expect(env.exitCode).toBe(2);
    expect(env.stderr).toContain('error: cannot connect to Docker');
    expect(env.stderr).toContain('hint: is dockerd running?');
    const sick = await runCommand(Probe, ['--fail', 'unhealthy']);
    expect(sick.exitCode).toBe(3);
    expect(sick.stderr).toContain('web: 0/2 replicas ready after 60s');
  });

  it('maps any other error to exit 70 with a request to report it, stack only with VELA_DEBUG=1', async () => {
    const r = await runCommand(Probe, ['--fail', 'internal']);
    expect(r.exitCode).toBe(70);
    expect(r.stderr).toContain("internal error: Cannot read properties of undefined (reading 'spec')");
    expect(r.stderr).toContain('please report this');
    expect(r.stderr).not.toContain('TypeError:');
    vi.stubEnv('VELA_DEBUG', '1');
    const debug = await runCommand(Probe, ['--fail', 'internal']);
    expect(debug.exitCode).toBe(70);
    expect(debug.stderr).toMatch(/TypeError: Cannot read properties[^\n]*\n\s+at /);
  });

  it('maps flag errors to exit 1 with a usage hint', async () => {
    const unknown = await runCommand(Probe, ['--bogus']);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain('error: Nonexistent flag: --bogus');
    expect(unknown.stderr).toContain('hint: see `vela probe --help` for usage');
    const typo = await runCommand(Probe, ['--fial', 'internal']);
    expect(typo.exitCode).toBe(1);
    expect(typo.stderr).toContain('hint: did you mean `--fail`?; see `vela probe --help` for usage');
    const bad = await runCommand(Probe, ['--fail', 'sometimes']);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain('Expected --fail=sometimes to be one of');
  });

  it('emits errors as one JSON document on stdout with --json', async () => {
    const r = await runCommand(Probe, ['--fail', 'diagnostic', '--json']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe('');
    const body = JSON.parse(r.stdout);
    expect(body.error).toMatchObject({ kind: 'user', exitCode: 1 });
    expect(body.error.diagnostics).toEqual([
      expect.objectContaining({ file: 'vela.yaml', line: 4, column: 11, path: 'services.web.port', hint: 'write 80 without quotes' }),
    ]);
    const env = await runCommand(Probe, ['--fail', 'environment', '--json']);
    expect(env.exitCode).toBe(2);
    expect(JSON.parse(env.stdout).error.kind).toBe('environment');
  });

  it('colours diagnostics on a TTY, and not with NO_COLOR, --no-color or without a TTY', async () => {
    const tty = await runCommand(Probe, ['--fail', 'diagnostic'], { tty: true });
    expect(tty.stderr).toMatch(ANSI);
    const pipe = await runCommand(Probe, ['--fail', 'diagnostic'], { tty: false });
    expect(pipe.stderr).not.toMatch(ANSI);
    const flag = await runCommand(Probe, ['--fail', 'diagnostic', '--no-color'], { tty: true });
    expect(flag.stderr).not.toMatch(ANSI);
    expect(flag.stderr).toContain('vela.yaml:4:11');
    vi.stubEnv('NO_COLOR', '1');
    const env = await runCommand(Probe, ['--fail', 'diagnostic'], { tty: true });
    expect(env.stderr).not.toMatch(ANSI);
    expect(env.stderr).toContain('vela.yaml:4:11');
  });
});
