/**
 * The container components carry the bounds the API server enforces in their
 * parameters (ports 1–65535, port names as IANA service names of at most 15
 * characters, environment variable names), so a bad value is refused at its
 * Appfile line before anything is rendered.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dryRun } from '../../src/pipeline/dry-run.js';
import { DiagnosticError, formatPos } from '../../src/source/index.js';

const dir = mkdtempSync(join(tmpdir(), 'vela-bounds-'));

async function errorsOf(type: string, service: string): Promise<string[]> {
  const file = `${type}.yaml`;
  writeFileSync(join(dir, file), `name: bounds\nservices:\n  app:\n    type: ${type}\n    image: nginx:1.27\n${service}`);
  const err = await dryRun({ cwd: dir, file, velaHome: join(dir, 'home') }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DiagnosticError);
  return (err as DiagnosticError).diagnostics.filter((d) => d.severity === 'error').map((d) => `${formatPos(d.span!)} ${d.path}: ${d.message}`);
}

describe('Kubernetes bounds in the container components', () => {
  it.each(['webservice', 'statefulset', 'daemon'])('%s: ports in range, port names the API server takes', async (type) => {
    const ports = ['    ports:', '    - port: 70000', '    - port: 80', '      name: a-very-long-port-name', '    - port: 81', '      name: "8080"', '    - port: 82', '      containerPort: 0', ''].join('\n');
    expect(await errorsOf(type, ports)).toEqual([
      `${type}.yaml:7:13 services.app.ports[0].port: must be <= 65535 (got 70000)`,
      `${type}.yaml:9:13 services.app.ports[1].name: must have at most 15 characters (got "a-very-long-port-name")`,
      `${type}.yaml:11:13 services.app.ports[2].name: must match the pattern "[a-z]" (got "8080")`,
      `${type}.yaml:13:22 services.app.ports[3].containerPort: must be >= 1 (got 0)`,
    ]);
  });

  it.each(['webservice', 'worker', 'statefulset', 'daemon', 'task', 'cron-task'])('%s: variable names and probe ports', async (type) => {
    const schedule = type === 'cron-task' ? '    schedule: "*/5 * * * *"\n' : '';
    const rest = ['    env:', '    - name: 1BAD', '      value: x', '    livenessProbe:', '      tcpSocket:', '        port: 0', ''].join('\n');
    const errors = await errorsOf(type, schedule + rest);
    const line = (n: number) => n + (schedule ? 1 : 0);
    expect(errors).toEqual([
      `${type}.yaml:${line(7)}:13 services.app.env[0].name: must match the pattern "^[-._a-zA-Z][-._a-zA-Z0-9]*$" (got "1BAD")`,
      `${type}.yaml:${line(11)}:15 services.app.livenessProbe.tcpSocket.port: must be >= 1 (got 0)`,
    ]);
  });
});
