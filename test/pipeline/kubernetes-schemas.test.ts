/**
 * The schema validators bundled at build time (scripts/kubernetes-schemas.mjs)
 * run with a stand-in for @kubernetes-models/validate: it must provide every
 * format the schemas use, or validating an object would throw. Checked on the
 * generated code of the installed kubernetes-models, so an upgrade that brings
 * a new format fails here rather than in a user's `vela dry-run`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import { BUILT_SCHEMAS, schemaCheck } from '../../src/pipeline/kubernetes-schemas.js';
// @ts-expect-error: a plain .mjs script of the build
import { formats, runValidateFunc } from '../../scripts/kubernetes-validate-shim.mjs';

const require = createRequire(import.meta.url);
const folders = [join(dirname(require.resolve('kubernetes-models/package.json')), '_schemas'), join(dirname(require.resolve('@kubernetes-models/apimachinery/package.json')), '_schemas')];

describe('the validation stand-in of the build', () => {
  it('provides every format the schemas use, in the shape the generated code calls', () => {
    const used = new Map<string, string>();
    for (const folder of folders) {
      for (const file of readdirSync(folder).filter((f) => f.endsWith('.mjs'))) {
        const text = readFileSync(join(folder, file), 'utf8');
        for (const m of text.matchAll(/(formats\d+)=formats(?:\.([\w]+)|\["([^"]+)"\])/g)) {
          const name = m[2] ?? m[3]!;
          const call = new RegExp(`${m[1]}\\.validate(\\.test)?\\(`).exec(text);
          used.set(name, call?.[1] ? 'regexp' : 'function');
        }
      }
    }
    expect(used.size).toBeGreaterThan(0);
    for (const [name, shape] of used) {
      const format = (formats as Record<string, { validate: unknown }>)[name];
      expect(format, `format ${name}`).toBeDefined();
      expect(shape === 'regexp' ? format!.validate instanceof RegExp : typeof format!.validate === 'function', `format ${name} as a ${shape}`).toBe(true);
    }
  });

  it('throws the raw errors of a failed validation', () => {
    const fn = Object.assign(() => false, { errors: [{ instancePath: '/a', keyword: 'type', params: { type: 'string' } }] });
    expect(() => runValidateFunc(fn, {})).toThrow(expect.objectContaining({ errors: fn.errors }));
    expect(() => runValidateFunc(() => true, {})).not.toThrow();
  });

  it('describes schema errors in words, one per field', async () => {
    const check = (await schemaCheck('apps/v1', 'Deployment'))!;
    expect(
      check({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web' },
        spec: { replicas: 2 ** 31, selector: {}, template: { spec: { containers: [{ name: 'web', ports: [{ containerPort: '80' }], resources: { limits: { cpu: true } } }] } } },
      }),
    ).toEqual([
      { field: 'spec.replicas', message: 'must be a 32-bit integer, from -2147483648 to 2147483647 (got 2147483648)' },
      { field: 'spec.template.spec.containers[0].ports[0].containerPort', message: 'must be an integer (got "80")' },
      { field: 'spec.template.spec.containers[0].resources.limits.cpu', message: 'must be a number or a string (got true)' },
    ]);
    expect(await schemaCheck('example.com/v1', 'Widget')).toBeUndefined();
    expect(await schemaCheck('../../etc', 'passwd')).toBeUndefined();
  });

  it("checks the object itself, as the kind's model checks its copy, and leaves it as it was", async () => {
    const check = (await schemaCheck('v1', 'Service'))!;
    const good = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', labels: { app: 'web' } }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] } };
    const before = structuredClone(good);
    expect(check(good)).toEqual([]);
    expect(good).toEqual(before);
    const { Service } = (await import('kubernetes-models/v1/Service')) as unknown as { Service: new (o: unknown) => { validate(): void } };
    const bad = { ...good, spec: { ...good.spec, ports: [{ port: '80' }] } };
    expect(() => new Service(bad).validate()).toThrow();
    expect(check(bad)).toEqual([{ field: 'spec.ports[0].port', message: 'must be an integer (got "80")' }]);
  });

  // Needs `npm run build` (CI builds first); the sources run kubernetes-models itself.
  const built = join(dirname(BUILT_SCHEMAS), '..', 'dist', 'kubernetes-schemas');
  it.skipIf(!existsSync(built))(`bundles validators that find what kubernetes-models finds, with formats from the stand-in${existsSync(built) ? '' : ' (skipped: no build; run npm run build)'}`, async () => {
    const bad = { metadata: { name: 'w' }, spec: { replicas: 2 ** 31, selector: {}, template: { metadata: { creationTimestamp: 'yesterday' }, spec: { containers: [{ name: 'w', ports: [{ containerPort: '80' }], resources: { limits: { cpu: '1' } } }] } } } };
    const mod = (await import(pathToFileURL(join(built, 'apps.v1.Deployment.mjs')).href)) as { Deployment: new (o: unknown) => { validate(): void } };
    const errorsOf = (Model: new (o: unknown) => { validate(): void }) => {
      try {
        new Model(structuredClone(bad)).validate();
        return [];
      } catch (e) {
        return ((e as { errors: { instancePath: string; keyword: string }[] }).errors ?? []).map((x) => `${x.instancePath} ${x.keyword}`).sort();
      }
    };
    const { Deployment } = (await import('kubernetes-models/apps/v1/Deployment')) as unknown as { Deployment: new (o: unknown) => { validate(): void } };
    expect(errorsOf(mod.Deployment)).toEqual(errorsOf(Deployment));
    expect(errorsOf(mod.Deployment)).toEqual(['/spec/replicas format', '/spec/template/metadata/creationTimestamp format', '/spec/template/spec/containers/0/ports/0/containerPort type']);
  });
});
