/**
 * Terraform components render to terraform-controller's Configuration
 * (terraform.core.oam.dev/v1beta2) as KubeVela renders them: the module from
 * the definition, the service's properties as `variable`, the Configuration's
 * own keys taken out of them. Validated against our CRD (test/fixtures/crds/terraform.yaml).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dryRun } from '../../src/pipeline/dry-run.js';
import { manifestsToYaml } from '../../src/render/index.js';
import { DiagnosticError, formatDiagnostics } from '../../src/source/index.js';
import { k8sProblems } from '../support/k8s-validate.js';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const ROOT = join(import.meta.dirname, '../..');
const DEFINITIONS = join(ROOT, 'test/render/fixtures/terraform');

async function render(...lines: string[]) {
  const cwd = mkdtempSync(join(tmpdir(), 'vela-terraform-'));
  writeFileSync(join(cwd, 'vela.yaml'), ['name: infra', 'namespace: cloud', 'services:', ...lines, ''].join('\n'));
  return dryRun({ cwd, file: join(cwd, 'vela.yaml'), definitionDirs: [DEFINITIONS], velaHome: join(ROOT, 'test/render/fixtures/no-home') });
}

async function renderError(...lines: string[]): Promise<string> {
  const err = await render(...lines).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DiagnosticError);
  return formatDiagnostics((err as DiagnosticError).diagnostics, { color: false });
}

describe('Terraform components', () => {
  it('render an inline module as a Configuration with the properties as variables', async () => {
    const r = await render('  logs:', '    type: s3-bucket', '    bucket: acme-logs', '    versioning: true');
    expect(r.rendered.manifests).toHaveLength(1);
    const conf = r.rendered.manifests[0]!.object as Any;
    expect(conf.apiVersion).toBe('terraform.core.oam.dev/v1beta2');
    expect(conf.kind).toBe('Configuration');
    expect(conf.metadata).toMatchObject({ name: 'logs', namespace: 'cloud', annotations: { 'definition.oam.dev/description': 'An S3 bucket, made by Terraform.' } });
    expect(conf.metadata.labels).toMatchObject({ 'app.oam.dev/name': 'infra', 'app.oam.dev/component': 'logs', 'workload.oam.dev/type': 's3-bucket' });
    expect(conf.spec.hcl).toContain('resource "aws_s3_bucket" "this"');
    expect(conf.spec.variable).toEqual({ bucket: 'acme-logs', versioning: true });
    // From the definition; the connection Secret gets the app's namespace.
    expect(conf.spec.providerRef).toEqual({ name: 'aws', namespace: 'default' });
    expect(conf.spec.writeConnectionSecretToRef).toEqual({ name: 'bucket-conn', namespace: 'cloud' });
    expect(await k8sProblems(conf)).toEqual([]);
  });

  it("take the Configuration's own keys from the properties first, out of the variables", async () => {
    const r = await render(
      '  logs:',
      '    type: s3-bucket',
      '    bucket: acme-logs',
      '    writeConnectionSecretToRef: {name: logs-conn, namespace: secrets}',
      '    providerRef: {name: aws-prod}',
      '    customRegion: eu-west-1',
      '    forceDelete: true',
    );
    const spec = (r.rendered.manifests[0]!.object as Any).spec;
    expect(spec.variable).toEqual({ bucket: 'acme-logs' });
    expect(spec).toMatchObject({ writeConnectionSecretToRef: { name: 'logs-conn', namespace: 'secrets' }, providerRef: { name: 'aws-prod' }, customRegion: 'eu-west-1', forceDelete: true });
    expect(await k8sProblems(r.rendered.manifests[0]!.object)).toEqual([]);
  });

  it('render a remote module with its path, and take any property as a variable', async () => {
    const r = await render('  net:', '    type: network', '    cidr: 10.0.0.0/16', '    zones: [a, b]');
    const conf = r.rendered.manifests[0]!.object as Any;
    expect(conf.spec).toEqual({ remote: 'https://github.com/example/terraform-network.git', path: 'modules/vpc', variable: { cidr: '10.0.0.0/16', zones: ['a', 'b'] } });
    expect(await k8sProblems(conf)).toEqual([]);
  });

  it('are deterministic', async () => {
    const a = await render('  logs:', '    type: s3-bucket', '    bucket: acme-logs');
    const b = await render('  logs:', '    type: s3-bucket', '    bucket: acme-logs');
    expect(manifestsToYaml(a.rendered.manifests)).toBe(manifestsToYaml(b.rendered.manifests));
  });

  it("check the properties against the module's variables", async () => {
    const missing = await renderError('  logs:', '    type: s3-bucket', '    versioning: true');
    expect(missing).toContain('missing required parameter "bucket"');
    const wrong = await renderError('  logs:', '    type: s3-bucket', '    bucket: acme-logs', '    versioning: "yes"');
    expect(wrong).toContain('vela.yaml:7:17');
    const unknown = await renderError('  logs:', '    type: s3-bucket', '    bucket: acme-logs', '    bukcet: x');
    expect(unknown).toContain('unknown key');
  });

  it('say clearly that a JSON module cannot be rendered', async () => {
    const text = await renderError('  x:', '    type: json-module', '    name: y');
    expect(text).toContain('component json-module: a Terraform configuration of type json cannot be rendered');
    expect(text).toContain('hint: terraform-controller v1beta2 reads HCL');
  });
});
