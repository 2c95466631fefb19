/**
 * The real kube-apiserver 1.20 agrees with vela's checks: every object of
 * api-rule-cases.ts that vela refuses, the server refuses in a server-side
 * dry run, and every one vela accepts, the server accepts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient, loadClusterTarget } from '../../src/deploy/index.js';
import { kubeconfig, realClusterUnavailable } from '../support/real-cluster.js';
import { ACCEPTED, REFUSED } from './api-rule-cases.js';

const unavailable = await realClusterUnavailable('api-rules');
const ns = `api-rules-${process.pid}`;
let client: KubeClient | undefined;

describe.skipIf(!!unavailable)('the real API server agrees with vela on what it refuses', () => {
  beforeAll(async () => {
    client = new KubeClient(await loadClusterTarget({ kubeconfig }), { retry: { retries: 0 } });
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }, { fieldManager: 'vela-test' });
  });
  afterAll(async () => {
    await client?.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns }).catch(() => undefined);
  });

  const dryRun = (object: Record<string, unknown>) =>
    client!.apply({ ...object, metadata: { ...(object.metadata as object), namespace: ns } }, { fieldManager: 'vela-test', dryRun: true }).then(
      () => 'accepted',
      (e: unknown) => `refused: ${(e as Error).message}`,
    );

  it.each(REFUSED)('refuses %s, naming the same field', async (_what, object, field, serverField) => {
    const answer = await dryRun(object);
    expect(answer).toMatch(/^refused: /);
    // The server names a label's map and a resource's map, not the key; a list, not its element, under server-side
    // apply (where `[name="web"]` stands for `[0]`); and no field when it cannot decode a value into its Go type.
    const normal = (text: string) => text.replace(/\[name="web"\]/g, '[0]').replace(/\[containerPort="\d+",protocol="TCP"\]/g, '[0]').replace(/\[(\w+)\]/g, '.$1');
    const ancestors: string[] = [];
    for (let f = /\.labels\./.test(field) ? field.replace(/^(.*\.labels)\..*$/, '$1') : field; f.split('.').length >= 2; f = f.replace(/(\.[^.[\]]+|\[[^\]]*\])$/, '')) {
      ancestors.push(f);
      if (!/(\.[^.[\]]+|\[[^\]]*\])$/.test(f)) break;
    }
    const named = [field, ...ancestors, ...(serverField ? [serverField] : [])].some((f) => normal(answer).includes(normal(f)));
    expect(named || /failed to convert new object|cannot be handled as a/.test(answer), answer).toBe(true);
  });

  it.each(ACCEPTED)('accepts %s', async (_what, object) => {
    expect(await dryRun(object)).toBe('accepted');
  });
});
