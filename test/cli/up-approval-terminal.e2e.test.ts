/**
 * `vela up` at a terminal, when a workflow step waits for approval
 * (`deploy` with `auto: false`): it asks. "Not now" (the default) leaves the
 * step waiting in the cluster and delivers nothing; the next `vela up` finds it
 * still waiting and asks again, and approving delivers. Against the real
 * kube-apiserver, through a real pseudo-terminal.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient, loadClusterTarget } from '../../src/deploy/index.js';
import { kubeconfig, realClusterUnavailable } from '../support/real-cluster.js';
import { inTerminal, noTerminal } from '../support/terminal.js';

const unavailable = noTerminal || (await realClusterUnavailable('test/cli/up-approval-terminal.e2e.test.ts'));
const ns = `vela-e2e-approve-${process.pid}`;
let client: KubeClient;

describe.skipIf(!!unavailable)(unavailable ? `vela up asks for approval at a terminal (skipped: ${unavailable})` : 'vela up asks for approval at a terminal', () => {
  beforeAll(async () => {
    client = new KubeClient(await loadClusterTarget({ kubeconfig }));
  });
  afterAll(async () => {
    await client?.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns }).catch(() => undefined);
    client?.close();
  });

  it('leaves the step waiting on "not now", asks again on the next run, and delivers once approved', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vela-approve-'));
    const home = mkdtempSync(join(tmpdir(), 'vela-approve-home-'));
    writeFileSync(
      join(dir, 'vela.yaml'),
      [
        'name: gated',
        `namespace: ${ns}`,
        'services:',
        '  web: {image: nginx:1.25, ports: [{port: 80}]}',
        'policies:',
        '  - {name: here, type: topology, properties: {clusters: [local]}}',
        'workflow:',
        '  steps:',
        '    - {name: ship, type: deploy, properties: {auto: false, policies: [here]}}',
        '',
      ].join('\n'),
    );
    const env = { KUBECONFIG: kubeconfig, VELA_HOME: home };
    const deployment = () => client.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: ns });

    const later = await inTerminal(dir, 'up --no-wait', [{ when: /Step ship waits for approval[^\n]*Go on\?/, type: '\r' }], env);
    expect(later.output).toMatch(/Step ship waits for approval/);
    expect(later.code, later.output).toBe(0);
    expect(await deployment()).toBeUndefined();

    // Up one line from the default ("not now") is "approve".
    const approved = await inTerminal(dir, 'up --no-wait', [{ when: /Step ship waits for approval[^\n]*Go on\?/, type: '\u001b[A\r' }], env);
    expect(approved.code, approved.output).toBe(0);
    expect(await deployment()).toBeDefined();
  }, 120_000);
});
