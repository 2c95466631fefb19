/** Secret values out of plan changes (redact.ts): Secret data, env named like secrets, env equal to a secret. */
import { describe, expect, it } from 'vitest';
import { REDACTED, parseFieldPath, redactChanges, secretValues } from '../../src/deploy/redact.js';
import { changedFields } from '../../src/deploy/apply/object-diff.js';
import type { KubeObject } from '../../src/deploy/index.js';

const deployment = (env: Array<{ name: string; value: string }>, image = 'app:1'): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { template: { spec: { initContainers: [{ name: 'init', image: 'busybox', env }], containers: [{ name: 'web', image, env }] } } },
});

describe('redaction of plan changes', () => {
  it('reads the paths object-diff writes', () => {
    expect(parseFieldPath('spec.template.spec.containers[0].env[12].value')).toEqual(['spec', 'template', 'spec', 'containers', 0, 'env', 12, 'value']);
    expect(parseFieldPath('data["tls.crt"]')).toEqual(['data', 'tls.crt']);
    expect(parseFieldPath('metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]')).toEqual(['metadata', 'annotations', 'kubectl.kubernetes.io/last-applied-configuration']);
  });

  it('masks Secret data and stringData, before and after, keeping the paths', () => {
    const before: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"password":"b2xk"}}' } }, data: { password: 'b2xk', 'tls.crt': 'Y2VydA==' } };
    const after: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', labels: { tier: 'db' } }, data: { password: 'bmV3', extra: 'eA==' }, stringData: { plain: 'hunter2' } };
    const changes = redactChanges('Secret', changedFields(before, after), { before, after }, new Set());
    const text = JSON.stringify(changes);
    for (const secret of ['b2xk', 'bmV3', 'Y2VydA==', 'eA==', 'hunter2']) expect(text).not.toContain(secret);
    expect(changes).toContainEqual({ path: 'data.password', before: REDACTED, after: REDACTED });
    expect(changes).toContainEqual({ path: 'data.extra', after: REDACTED });
    expect(changes).toContainEqual({ path: 'data["tls.crt"]', before: REDACTED });
    expect(changes).toContainEqual({ path: 'stringData', after: { plain: REDACTED } });
    expect(changes).toContainEqual({ path: 'metadata.annotations', before: { 'kubectl.kubernetes.io/last-applied-configuration': REDACTED } });
    // Not a secret: shown.
    expect(changes).toContainEqual({ path: 'metadata.labels', after: { tier: 'db' } });
  });

  it('masks env values named like secrets or equal to a secret value, in any container list, whole lists too', () => {
    const known = secretValues([{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { url: Buffer.from('postgres://u:pw@db').toString('base64') } }]);
    const before = deployment([{ name: 'DB_PASSWORD', value: 'old-pass' }, { name: 'MODE', value: 'slow' }]);
    const after = deployment([{ name: 'DB_PASSWORD', value: 'new-pass' }, { name: 'MODE', value: 'fast' }, { name: 'DATABASE', value: 'postgres://u:pw@db' }], 'app:2');
    const changes = redactChanges('Deployment', changedFields(before, after), { before, after }, known);
    const text = JSON.stringify(changes);
    for (const secret of ['old-pass', 'new-pass', 'postgres://u:pw@db']) expect(text).not.toContain(secret);
    expect(text).toContain('fast');
    expect(text).toContain('app:2');
    expect(changes).toContainEqual({ path: 'spec.template.spec.containers[0].env', before: [{ name: 'DB_PASSWORD', value: REDACTED }, { name: 'MODE', value: 'slow' }], after: [{ name: 'DB_PASSWORD', value: REDACTED }, { name: 'MODE', value: 'fast' }, { name: 'DATABASE', value: REDACTED }] });

    const same = deployment([{ name: 'API_TOKEN', value: 'a' }]);
    const next = deployment([{ name: 'API_TOKEN', value: 'b' }]);
    expect(redactChanges('Deployment', changedFields(same, next), { before: same, after: next }, new Set())).toEqual([
      { path: 'spec.template.spec.containers[0].env[0].value', before: REDACTED, after: REDACTED },
      { path: 'spec.template.spec.initContainers[0].env[0].value', before: REDACTED, after: REDACTED },
    ]);
  });
});
