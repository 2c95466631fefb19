/**
 * Where a field came from: values that come straight from a parameter keep the
 * Appfile position of that parameter, so an API server rejection of the field
 * points at the user's line, not only at the service.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dryRun } from '../../src/pipeline/dry-run.js';
import { formatPos } from '../../src/source/index.js';
import { objectFailure } from '../../src/deploy/errors.js';
import { ApiError } from '../../src/deploy/api/api-error.js';

const dir = mkdtempSync(join(tmpdir(), 'vela-provenance-'));
const file = join(dir, 'vela.yaml');
writeFileSync(
  file,
  [
    'name: shop', //                 1
    'services:', //                  2
    '  web:', //                     3
    '    image: nginx:1.27', //      4
    '    ports:', //                 5
    '      - port: 8080', //         6
    '        expose: true', //       7
    '    scaler:', //                8
    '      replicas: 3', //          9
    '',
  ].join('\n'),
);

async function render() {
  const r = await dryRun({ cwd: dir, file, velaHome: join(dir, 'home') });
  const deployment = r.rendered.manifests.find((m) => m.object.kind === 'Deployment')!;
  const service = r.rendered.manifests.find((m) => m.object.kind === 'Service')!;
  return { deployment, service };
}

describe('field provenance', () => {
  it('maps workload fields to the parameters (and trait properties) they came from', async () => {
    const { deployment, service } = await render();
    const fields = deployment.origin.fields!;
    expect(formatPos(fields.get('spec.template.spec.containers[0].image')!)).toMatch(/vela\.yaml:4:12$/);
    expect(formatPos(fields.get('spec.template.spec.containers[0].ports[0].containerPort')!)).toMatch(/vela\.yaml:6:15$/);
    expect(formatPos(fields.get('spec.replicas')!)).toMatch(/vela\.yaml:9:17$/);
    // Derived values (names built by interpolation) have no parameter of their own.
    expect(fields.get('spec.template.spec.containers[0].ports[0].name')).toBeUndefined();
    expect(formatPos(service.origin.fields!.get('spec.ports[0].port')!)).toMatch(/vela\.yaml:6:15$/);
  });

  it('points an API server rejection of such a field at the parameter', async () => {
    const { deployment } = await render();
    const err = new ApiError(422, 'Invalid', 'Deployment.apps "web" is invalid', [
      { reason: 'FieldValueInvalid', message: 'Invalid value: 8080: must be a valid port', field: 'spec.template.spec.containers[0].ports[0].containerPort' },
    ]);
    const { diagnostics } = objectFailure(err, { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'web' }, deployment.origin);
    expect(diagnostics).toHaveLength(1);
    expect(formatPos(diagnostics[0]!.span!)).toMatch(/vela\.yaml:6:15$/);
    expect(diagnostics[0]!.message).toContain('must be a valid port');
    // A field with no parameter behind it falls back to the service.
    const other = new ApiError(422, 'Invalid', 'invalid', [{ reason: 'FieldValueInvalid', message: 'bad', field: 'spec.selector' }]);
    const d2 = objectFailure(other, { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'web' }, deployment.origin).diagnostics[0]!;
    expect(formatPos(d2.span!)).toMatch(/vela\.yaml:3:3$/);
  });
});
