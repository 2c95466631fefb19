/**
 * The 2020 Appfile's short forms of `env` and `files` (issue 10), on every
 * component that runs a container: strings parsed by the definitions' CUE,
 * mixed with the object form, and a clear `errs` message for each bad entry.
 */
import { expect } from 'vitest';
import type { ComponentCase, TemplateResult } from './harness.js';

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The pod spec of any workload kind (CronJob one level deeper). */
const podSpecOf = (r: TemplateResult): Any => {
  const spec = (r.output as Any).spec;
  return spec.jobTemplate ? spec.jobTemplate.spec.template.spec : spec.template.spec;
};
const main = (r: TemplateResult): Any => podSpecOf(r).containers[0];

/** The talk's env and files, plus a ConfigMap and an object entry. */
const talkEnv = ['F00=bar', 'F002=sec:my-secret', 'F003=sec:my-secret:key', 'sec:my-secret', 'MODE=cm:settings', 'cm:settings', 'URL=http://x/?a=b'];
const talkFiles = ['/mnt/path=sec:my-secret', '/etc/app/app.conf=cm:settings:app.conf', '/run/tls/tls.key=sec:tls:tls.key'];

const expectedEnv = [
  { name: 'F00', value: 'bar' },
  { name: 'F002', valueFrom: { secretKeyRef: { name: 'my-secret', key: 'F002' } } },
  { name: 'F003', valueFrom: { secretKeyRef: { name: 'my-secret', key: 'key' } } },
  { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'MODE' } } },
  // Only the first "=" separates the name from the value.
  { name: 'URL', value: 'http://x/?a=b' },
];
const expectedEnvFrom = [{ secretRef: { name: 'my-secret' } }, { configMapRef: { name: 'settings' } }];
const expectedMounts = [
  { name: 'files-0', mountPath: '/mnt/path', readOnly: true },
  { name: 'files-1', mountPath: '/etc/app/app.conf', readOnly: true, subPath: 'app.conf' },
  { name: 'files-2', mountPath: '/run/tls/tls.key', readOnly: true, subPath: 'tls.key' },
];
const expectedVolumes = [
  { name: 'files-0', secret: { secretName: 'my-secret' } },
  { name: 'files-1', configMap: { name: 'settings', items: [{ key: 'app.conf', path: 'app.conf' }] } },
  { name: 'files-2', secret: { secretName: 'tls', items: [{ key: 'tls.key', path: 'tls.key' }] } },
];

const everyComponent: { definition: string; extra?: Record<string, unknown> }[] = [
  { definition: 'webservice' },
  { definition: 'worker' },
  { definition: 'statefulset' },
  { definition: 'daemon' },
  { definition: 'task' },
  { definition: 'cron-task', extra: { schedule: '@hourly' } },
];

const shortForms: ComponentCase[] = everyComponent.map(({ definition, extra }) => ({
  kind: 'component',
  title: `${definition}: env and files in the 2020 Appfile's short forms`,
  definition,
  parameter: { image: 'oamdev/testapp:v1', env: talkEnv, files: talkFiles, ...extra },
  check: (r) => {
    expect(r.errs).toBeUndefined();
    expect(main(r).env).toEqual(expectedEnv);
    expect(main(r).envFrom).toEqual(expectedEnvFrom);
    expect(main(r).volumeMounts).toEqual(expectedMounts);
    expect(podSpecOf(r).volumes).toEqual(expectedVolumes);
  },
}));

/** One bad entry per case, with the message the user sees (the renderer adds the service and the definition). */
const badEntries: [string, Record<string, unknown>, string][] = [
  ['env "F=sec:" names no Secret', { env: ['F=sec:'] }, 'env "F=sec:": the Secret name after "sec:" is missing'],
  ['env "F=cm:" names no ConfigMap', { env: ['F=cm:'] }, 'env "F=cm:": the ConfigMap name after "cm:" is missing'],
  [
    'env "sec:a:b:c" has a key but no variable',
    { env: ['sec:a:b:c'] },
    'env "sec:a:b:c": without a variable name, sec:a takes every key of the Secret and has no :KEY; for one key write NAME=sec:a:KEY',
  ],
  ['env "F=sec:a:b:c" has too many colons', { env: ['F=sec:a:b:c'] }, 'env "F=sec:a:b:c": too many ":"; write NAME=sec:a or NAME=sec:a:KEY'],
  ['env "F=sec:a:" has an empty key', { env: ['F=sec:a:'] }, 'env "F=sec:a:": the key after "sec:a:" is missing'],
  ['env "=x" has no name', { env: ['=x'] }, 'env "=x": the variable name before "=" is missing'],
  [
    'env "FOO" is neither NAME=value nor a reference',
    { env: ['FOO'] },
    'env "FOO": expected NAME=value, NAME=sec:SECRET, NAME=sec:SECRET:KEY or sec:SECRET (or cm: for a ConfigMap)',
  ],
  ['files with a relative path', { files: ['mnt/path=sec:my-secret'] }, 'files "mnt/path=sec:my-secret": the path "mnt/path" must be absolute (start with /)'],
  ['files without a source', { files: ['/mnt/path'] }, 'files "/mnt/path": expected PATH=sec:SECRET, PATH=cm:CONFIGMAP or PATH=sec:SECRET:KEY'],
  ['files with a literal value', { files: ['/mnt/path=hello'] }, 'files "/mnt/path=hello": expected PATH=sec:SECRET, PATH=cm:CONFIGMAP or PATH=sec:SECRET:KEY'],
  ['files with too many colons', { files: ['/x=sec:a:b:c'] }, 'files "/x=sec:a:b:c": too many ":"; write PATH=sec:a or PATH=sec:a:KEY'],
  ['files naming no ConfigMap', { files: ['/x=cm:'] }, 'files "/x=cm:": the ConfigMap name after "cm:" is missing'],
];

const errors: ComponentCase[] = badEntries.map(([what, parameter, message]) => ({
  kind: 'component',
  title: `webservice: ${what} is a user error`,
  definition: 'webservice',
  parameter: { image: 'nginx:1.25', ...parameter },
  check: (r) => expect(r.errs).toEqual([message]),
}));

export const envFilesCases: ComponentCase[] = [
  ...shortForms,
  ...errors,
  {
    kind: 'component',
    title: 'worker: every bad entry is reported, env first, good entries still apply',
    definition: 'worker',
    parameter: { image: 'nginx:1.25', env: ['A=1', 'B=sec:', { name: 'C', value: '3' }, 'D'], files: ['rel=sec:x', '/ok=sec:x'] },
    check: (r) => {
      expect(r.errs).toEqual([
        'env "B=sec:": the Secret name after "sec:" is missing',
        'env "D": expected NAME=value, NAME=sec:SECRET, NAME=sec:SECRET:KEY or sec:SECRET (or cm: for a ConfigMap)',
        'files "rel=sec:x": the path "rel" must be absolute (start with /)',
      ]);
      expect(main(r).env).toEqual([
        { name: 'A', value: '1' },
        { name: 'C', value: '3' },
      ]);
      // Volume names follow the entry's position, so fixing an entry does not rename the others.
      expect(podSpecOf(r).volumes).toEqual([{ name: 'files-1', secret: { secretName: 'x' } }]);
    },
  },
  {
    kind: 'component',
    title: 'webservice: files join the volumeMounts volumes',
    definition: 'webservice',
    parameter: {
      image: 'nginx:1.25',
      volumeMounts: { emptyDir: [{ name: 'cache', mountPath: '/cache' }] },
      files: ['/etc/nginx/conf.d=cm:nginx-conf'],
    },
    check: (r) => {
      expect(main(r).volumeMounts).toEqual([
        { name: 'cache', mountPath: '/cache' },
        { name: 'files-0', mountPath: '/etc/nginx/conf.d', readOnly: true },
      ]);
      expect(podSpecOf(r).volumes).toEqual([
        { name: 'cache', emptyDir: { medium: '' } },
        { name: 'files-0', configMap: { name: 'nginx-conf' } },
      ]);
    },
  },
];
