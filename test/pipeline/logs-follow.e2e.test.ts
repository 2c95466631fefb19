/**
 * `vela logs -f` against the real node (cluster 3): it follows every pod of
 * the app, and a pod that starts later (the rollout after a change) joins the
 * stream as it starts; Ctrl-C (the signal) ends it normally.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient, loadClusterTarget } from '../../src/deploy/index.js';
import { clusterLogs } from '../../src/pipeline/cluster.js';
import { deliverToCluster } from '../../src/pipeline/deliver.js';
import { createNodeNamespace, loadBusyboxImage, nodeKubeconfig, realNodeUnavailable } from '../support/real-node.js';

const why = await realNodeUnavailable('test/pipeline/logs-follow.e2e.test.ts');
const ns = `vela-e2e-logs-${process.pid}`;

const appfile = (image: string, round: string) => `name: ticker
services:
  ticker:
    type: worker
    image: ${image}
    imagePullPolicy: Never
    cmd: [sh, -c, 'i=0; while true; do echo "${round} $$i from $$HOSTNAME"; i=$$((i+1)); sleep 1; done']
`;

describe.skipIf(!!why)(why ? `vela logs -f (skipped: ${why})` : 'vela logs -f on the real node', () => {
  let dir: string;
  let image: string;
  let client: KubeClient;

  const deliver = async (round: string) => {
    writeFileSync(join(dir, 'vela.yaml'), appfile(image, round));
    await deliverToCluster({ cwd: dir, cluster: { kubeconfig: nodeKubeconfig, namespace: ns }, build: false });
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vela-logs-'));
    image = await loadBusyboxImage();
    await createNodeNamespace(ns, nodeKubeconfig);
    client = new KubeClient(await loadClusterTarget({ kubeconfig: nodeKubeconfig }));
  }, 60_000);

  afterAll(async () => {
    await client?.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns }).catch(() => undefined);
    client?.close();
  });

  it('follows the running pod, then the pod of the next rollout joins', async () => {
    await deliver('first');
    let text = '';
    const out = new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString();
        done();
      },
    });
    const stop = new AbortController();
    const following = clusterLogs({ app: 'ticker', cwd: dir }, { kubeconfig: nodeKubeconfig, namespace: ns, signal: stop.signal }, { follow: true, out });
    const until = async (test: () => boolean, what: string) => {
      const deadline = Date.now() + 150_000;
      while (!test()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got:\n${text}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    await until(() => /\] first \d+ from ticker-/.test(text), 'the first pod\'s lines');
    await deliver('second');
    await until(() => /\] second \d+ from ticker-/.test(text), 'the new pod\'s lines');
    stop.abort();
    await following;
    const pods = new Set([...text.matchAll(/^\[(ticker-[^/]+)\/ticker\] /gm)].map((m) => m[1]));
    expect(pods.size).toBeGreaterThanOrEqual(2);
    // Each line once: a pod's log is opened once.
    const lines = text.split('\n').filter(Boolean);
    expect(new Set(lines).size).toBe(lines.length);
  }, 300_000);
});
