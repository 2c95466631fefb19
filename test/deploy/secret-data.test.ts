/** Secret data is base64, checked before anything is sent, at the Appfile line, without printing the value. */
import { describe, expect, it } from 'vitest';
import { isBase64, secretDataProblems } from '../../src/deploy/apply/secret-data.js';
import { formatDiagnosticLine } from '../../src/source/index.js';
import { makeApp } from '../support/app-fixtures.js';

describe('Secret data', () => {
  it('is base64 as the API server decodes it: padded, line breaks skipped', () => {
    for (const good of ['', 'aGk=', 'aGVsbG8=', 'aGVs', 'aGVsbG8h\nd29ybGQ=', 'YQ==']) expect(isBase64(good), good).toBe(true);
    for (const bad of ['not base64!', 'aGVsbG8', 'aGk', 'a===', 'aGVs bG8=', 'aGVsbG8_', '=aGk']) expect(isBase64(bad), bad).toBe(false);
  });

  it('reports every bad value at its service, naming the key but never the value', () => {
    const app = makeApp('shop', 'shop', [{ name: 'web' }, { name: 'db' }]);
    const secret = (name: string, data: unknown) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'shop' }, data }) as never;
    const manifests = [
      ...app.manifests,
      { object: secret('ok', { a: 'aGk=' }), origin: app.manifests[0]!.origin },
      { object: secret('web-creds', { password: 'hunter2 is secret', token: 42 }), origin: app.manifests[0]!.origin },
      { object: secret('db-creds', ['x']), origin: app.manifests[1]!.origin },
    ];
    const lines = secretDataProblems(manifests).map(formatDiagnosticLine);
    expect(lines).toEqual([
      'vela.yaml:3:3: Secret shop/web-creds (service web): data.password is not valid base64',
      'vela.yaml:3:3: Secret shop/web-creds (service web): data.token must be a base64 string (got number)',
      'vela.yaml:5:3: Secret shop/db-creds (service db): data must be a map of base64 strings',
    ]);
    expect(lines.join('\n')).not.toContain('hunter2');
    expect(secretDataProblems(manifests)[0]!.hint).toMatch(/stringData/);
  });
});
