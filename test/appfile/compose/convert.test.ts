/**
 * `vela convert`: the Appfile written for a compose file renders to exactly
 * the manifests of the compose file, names its sources in comments, and
 * never overwrites a file without --force.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import Convert from '../../../src/commands/convert.js';
import { convertToAppfile } from '../../../src/pipeline/convert.js';
import { dryRun } from '../../../src/pipeline/dry-run.js';
import { parseAppfile, resolveAppModel } from '../../../src/appfile/index.js';
import { memoryEnvironment } from '../../../src/host/index.js';
import { loadRegistry } from '../../../src/pipeline/registry.js';
import { SourceFile } from '../../../src/source/index.js';
import { runCommand } from '../../cli/harness.js';

const root = join(import.meta.dirname, '../../..');
const velaHome = join(root, 'test/render/fixtures/no-home');
const environment = memoryEnvironment({ API_KEY: 'k-123', REGION: 'eu-west-1' });
const fixtures = join(root, 'test/fixtures/compose');
const composeOf = (d: string) => ['compose.yaml', 'docker-compose.yml'].find((n) => existsSync(join(fixtures, d, n)))!;

describe('vela convert', () => {
  it.each(readdirSync(fixtures).sort())('%s: the Appfile renders to the same manifests as the compose file', async (name) => {
    // A copy, so that the Appfile can sit beside the compose file (build contexts are relative to it).
    const dir = mkdtempSync(join(tmpdir(), `vela-convert-${name}-`));
    cpSync(join(fixtures, name), dir, { recursive: true });
    const file = composeOf(name);
    const r = await convertToAppfile({ cwd: dir, file, velaHome, environment, output: 'vela.yaml' });
    expect(r.format).toBe('compose');
    expect(r.written).toBe('vela.yaml');
    const text = readFileSync(join(dir, 'vela.yaml'), 'utf8');
    expect(text).toMatch(new RegExp(`^# Converted by \`vela convert\` from the compose file ${file.replace('.', '\\.')}\\.`));
    // Read back as an Appfile (not as compose): no errors, no warnings.
    const { registry } = await loadRegistry({ cwd: dir, velaHome });
    const back = resolveAppModel(parseAppfile(new SourceFile('vela.yaml', text), { dir }), registry);
    expect(back.diagnostics).toEqual([]);
    const fromCompose = await dryRun({ cwd: dir, file, velaHome, environment });
    const fromAppfile = await dryRun({ cwd: dir, file: 'vela.yaml', velaHome, environment });
    expect(fromAppfile.rendered.manifests.map((m) => m.object)).toEqual(fromCompose.rendered.manifests.map((m) => m.object));
  });

  it('names the source line of each service and lists what was not carried over', async () => {
    const r = await convertToAppfile({ cwd: join(fixtures, 'unsupported-keys'), velaHome, environment });
    expect(r.text).toContain('# Not carried over (warnings of the conversion):\n#   docker-compose.yml:1:1: `version` is obsolete in the Compose Specification and ignored\n');
    expect(r.text).toContain('\n#   docker-compose.yml:5:5: services.legacy: container_name has no Kubernetes meaning here; ignored\n');
    expect(r.text).toContain('services:\n  # from docker-compose.yml:3\n  legacy:\n    type: webservice\n');
    // `labels` is a parameter of webservice too: the trait goes under `traits:`.
    expect(r.text).toContain('    traits:\n      labels:\n        com.example.team: payments\n');
  });

  it('writes build sections in the Appfile form', async () => {
    const r = await convertToAppfile({ cwd: join(fixtures, 'static-site'), velaHome, environment });
    expect(r.text).toContain('    build:\n      docker:\n        file: Dockerfile.prod\n        args:\n          HUGO_VERSION: 0.125.0\n          BASE_URL: https://docs.example.com/\n        target: runtime\n');
    expect(r.text).toContain('  preview:\n    type: webservice\n    image: docs-preview\n    build:\n      docker:\n        context: preview\n');
  });

  it('prints to stdout, and refuses to overwrite a file without --force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vela-convert-cmd-'));
    cpSync(join(fixtures, 'web-db-redis'), dir, { recursive: true });
    const out = join(dir, 'vela.yaml');
    const printed = await runCommand(Convert, [join(dir, 'compose.yaml')]);
    expect(printed.exitCode).toBe(0);
    expect(printed.stdout).toContain('name: shop\nservices:\n');
    expect(printed.stderr).toContain('service "cache" has no ports, but "web" reaches it by name: it gets a Service on port 6379');

    writeFileSync(out, 'name: mine\n');
    const refused = await runCommand(Convert, [join(dir, 'compose.yaml'), '-o', out]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('exists already');
    expect(refused.stderr).toContain('--force');
    expect(readFileSync(out, 'utf8')).toBe('name: mine\n');

    const forced = await runCommand(Convert, [join(dir, 'compose.yaml'), '-o', out, '--force']);
    expect(forced.exitCode).toBe(0);
    expect(forced.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe(printed.stdout);
  });

  it('without FILE converts the folder\'s compose file, even beside an Appfile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vela-convert-default-'));
    cpSync(join(fixtures, 'worker-queue'), dir, { recursive: true });
    writeFileSync(join(dir, 'vela.yaml'), 'name: other\nservices: {x: {image: nginx}}\n');
    const r = await convertToAppfile({ cwd: dir, velaHome, environment });
    expect(r.source).toBe('docker-compose.yml');
    const none = await convertToAppfile({ cwd: mkdtempSync(join(tmpdir(), 'vela-convert-none-')), velaHome, environment }).then(
      () => undefined,
      (e: Error) => e.message,
    );
    expect(none).toMatch(/^no compose file found in /);
  });

  it('converts an Application to an Appfile too', async () => {
    const r = await convertToAppfile({ cwd: root, file: 'test/fixtures/applications/multi-env.yaml', velaHome });
    expect(r.format).toBe('application');
    expect(r.text).toContain('name: portal\nnamespace: portal-prod\nservices:\n');
    expect(r.text).toContain('    scaler:\n      replicas: 3\n');
  });
});
