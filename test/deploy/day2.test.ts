/** status, ls, delete and logs against the fake API server (which plays the controllers by seeding status). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyApp, appStatus, watchAppStatus, deleteApp, listApps, streamLogs, execInService, portForward } from '../../src/deploy/index.js';
import { DiagnosticError } from '../../src/source/index.js';
import { definitionHealth } from '../../src/pipeline/health.js';
import { FakeApiServer } from '../support/fake-apiserver.js';
import { makeApp } from '../support/app-fixtures.js';

let server: FakeApiServer;
let kubeconfig: string;

beforeEach(async () => {
  server = await new FakeApiServer().start();
  kubeconfig = server.writeKubeconfig(join(mkdtempSync(join(tmpdir(), 'vela-fake-')), 'kubeconfig'), { namespace: 'shop' });
});
afterEach(async () => {
  await server.stop();
});

/** Play the Deployment controller and kubelet: a rolled-out status and running pods. */
function rollOut(name: string, replicas: number, logs: Record<string, string> = {}): void {
  const dep = server.object('Deployment', name, 'shop')!;
  dep.status = { observedGeneration: dep.metadata.generation, replicas, updatedReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas };
  server.seed(dep, 'kube-controller-manager');
  for (let i = 0; i < replicas; i++) {
    server.seed({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `${name}-${i}`, namespace: 'shop', labels: dep.spec.selector.matchLabels, annotations: { [`fake.vela.dev/log-${name}`]: logs[`${name}-${i}`] ?? '' } },
      spec: { containers: [{ name, image: 'nginx' }], nodeName: 'node-1' },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name, ready: true, state: { running: {} } }] },
    });
  }
}

function sink(): Writable & { text: () => string } {
  const chunks: string[] = [];
  const w = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return Object.assign(w, { text: () => chunks.join('') });
}

describe('day-2 functions', () => {
  it('status tells healthy from not, with replicas, endpoints and the customStatus message', async () => {
    const app = makeApp('shop', 'shop', [
      { name: 'web', port: 8080, replicas: 2, customStatus: 'message: "Ready:\\(context.output.status.readyReplicas)/\\(context.output.spec.replicas)"' },
      { name: 'db' },
    ]);
    await applyApp(app, { kubeconfig });
    rollOut('web', 2);
    // The definitions' policies are CUE: pipeline evaluates them and hands deploy the judge.
    const s = await appStatus('shop', { kubeconfig, definitionHealth: definitionHealth() });
    expect(s.services.map((x) => [x.name, x.healthy, x.replicas])).toEqual([
      ['web', true, '2/2'],
      ['db', false, '0/1'],
    ]);
    expect(s.services[0]!.endpoints).toEqual(['web.shop.svc:8080']);
    expect(s.services[0]!.message).toBe('Ready:2/2');
    expect(s.services[1]!.reasons[0]).toContain('has not observed generation 1');
  });

  it('waits for health and reports each service as it becomes healthy', async () => {
    const app = makeApp('shop', 'shop', [{ name: 'web' }]);
    setTimeout(() => rollOut('web', 1), 400);
    const r = await applyApp(app, { kubeconfig, wait: true, timeoutMs: 10_000, pollIntervalMs: 100 });
    expect(r.health).toEqual([{ service: 'web', healthy: true, reasons: ['Deployment web: 1/1 replicas available'], message: undefined }]);
  });

  it('status --watch tells the status again when the rollout finishes, by watching (no look in between)', async () => {
    await applyApp(makeApp('shop', 'shop', [{ name: 'web' }]), { kubeconfig });
    const seen: boolean[] = [];
    const stop = new AbortController();
    const watching = watchAppStatus('shop', { kubeconfig, signal: stop.signal }, (status) => {
      seen.push(status.services[0]!.healthy);
      if (status.services[0]!.healthy) stop.abort();
    });
    // The change comes once the first status is told and the watches are open (on a loaded machine the first
    // status can take longer than opening the watches).
    while (server.openWatches < 7 || seen.length === 0) await new Promise((r) => setTimeout(r, 20));
    const looksBefore = server.requests.filter((r) => r.path.endsWith('/deployments/web')).length;
    rollOut('web', 1);
    await watching;
    expect(seen).toEqual([false, true]);
    // One look before, one after the change: nothing polled while waiting.
    expect(server.requests.filter((r) => r.path.endsWith('/deployments/web')).length - looksBefore).toBeLessThanOrEqual(2);
  });

  it('lists apps from their applyset parents and deletes members, then the parent', async () => {
    await applyApp(makeApp('shop', 'shop', [{ name: 'web', port: 80 }]), { kubeconfig });
    await applyApp(makeApp('blog', 'shop', [{ name: 'api' }]), { kubeconfig });
    server.seed({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'unrelated', namespace: 'shop' }, data: {} });
    expect((await listApps({ kubeconfig })).map((a) => `${a.name}:${a.services.join(',')}`)).toEqual(['blog:api', 'shop:web']);
    const r = await deleteApp('shop', { kubeconfig, wait: true });
    expect(r.deleted.map((x) => `${x.kind}/${x.name}`).sort()).toEqual(['Deployment/web', 'Service/web']);
    expect(server.object('ConfigMap', 'applyset-shop', 'shop')).toBeUndefined();
    expect(server.object('Deployment', 'api', 'shop')).toBeDefined();
    expect(server.object('ConfigMap', 'unrelated', 'shop')).toBeDefined();
    expect((await listApps({ kubeconfig })).map((a) => a.name)).toEqual(['blog']);
    const err = await deleteApp('shop', { kubeconfig }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiagnosticError);
    expect((err as DiagnosticError).diagnostics[0]!.message).toBe('no app "shop" in namespace shop (context "fake")');
  });

  it('streams the logs of a service, prefixed by pod when there are several', async () => {
    await applyApp(makeApp('shop', 'shop', [{ name: 'web', replicas: 2 }]), { kubeconfig });
    rollOut('web', 2, { 'web-0': 'hello\nfrom 0\n', 'web-1': 'hi from 1' });
    const out = sink();
    await streamLogs('shop', { kubeconfig, service: 'web', out });
    expect(out.text().split('\n').filter(Boolean).sort()).toEqual(['[web-0/web] from 0', '[web-0/web] hello', '[web-1/web] hi from 1']);
  });

  it('port-forward picks a running pod and the Service target port, and listens until closed', async () => {
    await applyApp(makeApp('shop', 'shop', [{ name: 'web', port: 8080 }]), { kubeconfig });
    rollOut('web', 1);
    const h = await portForward('shop', { kubeconfig, service: 'web', ports: [{ local: 0 }] });
    try {
      expect(h.pod).toBe('web-0');
      expect(h.ports).toHaveLength(1);
      expect(h.ports[0]!.remote).toBe(8080);
      expect(h.ports[0]!.local).toBeGreaterThan(0);
    } finally {
      await h.close();
    }
  });

  it('says so when a service has no running pods, or does not exist', async () => {
    await applyApp(makeApp('shop', 'shop', [{ name: 'web' }]), { kubeconfig });
    const noPods = await execInService('shop', { kubeconfig, service: 'web', command: ['ls'], stdout: sink(), stderr: sink() }).catch((e: unknown) => e);
    expect((noPods as DiagnosticError).diagnostics[0]!.message).toBe('no running pods for service web of app shop');
    const noSvc = await streamLogs('shop', { kubeconfig, service: 'wbe', out: sink() }).catch((e: unknown) => e);
    expect((noSvc as DiagnosticError).diagnostics[0]).toMatchObject({ message: 'app shop has no service "wbe"', hint: 'services: web' });
  });
});
