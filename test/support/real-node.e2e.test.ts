/**
 * The test cluster's real node (`scripts/cluster.sh start --node`) runs pods:
 * a Deployment of a locally loaded busybox image becomes Ready, and the real
 * kubectl 1.20 reads its logs, runs commands in it and forwards a port to it,
 * through the API server and the kubelet as on any cluster. The pod has an
 * address on the node's pod network, and readiness follows the container: an HTTP
 * probe that starts failing makes the pod unready.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeNamespace, loadBusyboxImage, nodeKubeconfig, nodeName, realNodeUnavailable } from './real-node.js';

const run = promisify(execFile);
const kubectl = [process.env.VELA_TEST_KUBECTL, '/var/cache/vela-test/kubectl'].find((p) => p && existsSync(p));

const unavailable = kubectl ? await realNodeUnavailable('test/support/real-node.e2e.test.ts') : 'no kubectl (scripts/cluster.sh build unpacks it)';
const title = unavailable ? `a real node (skipped: ${unavailable})` : `a real node (${nodeName})`;

const ns = `vela-e2e-node-${process.pid}`;
const env = { ...process.env, KUBECONFIG: nodeKubeconfig };

async function k(...args: string[]): Promise<string> {
  const { stdout } = await run(kubectl!, ['-n', ns, ...args], { env, timeout: 150_000 });
  return stdout;
}

function deployment(image: string) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: ns },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [
            {
              name: 'web',
              image,
              imagePullPolicy: 'Never',
              command: ['sh', '-c', 'mkdir -p /www && echo "hello from $HOSTNAME" > /www/index.html && echo "serving /www on 8080" && exec httpd -f -v -p 8080 -h /www'],
              ports: [{ containerPort: 8080 }],
              // Probed by the kubelet over the pod network, as on any cluster.
              readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1, failureThreshold: 1 },
            },
          ],
        },
      },
    },
  };
}

/** `kubectl port-forward` on a free local port; answers the port and a way to stop it. */
async function portForward(target: string, remotePort: number): Promise<{ port: number; stop: () => void }> {
  const child = spawn(kubectl!, ['-n', ns, 'port-forward', target, `:${remotePort}`], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const port = await new Promise<number>((found, failed) => {
    const timer = setTimeout(() => failed(new Error(`kubectl port-forward printed no port in 30 s: ${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        found(Number(m[1]));
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => failed(new Error(`kubectl port-forward exited (${code}): ${output}`)));
  });
  return { port, stop: () => child.kill() };
}

async function podReady(): Promise<string> {
  return k('get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].status.conditions[?(@.type=="Ready")].status}');
}

describe.skipIf(!!unavailable)(title, () => {
  beforeAll(async () => {
    await createNodeNamespace(ns);
    const image = await loadBusyboxImage();
    const manifest = join(mkdtempSync(join(tmpdir(), 'vela-node-')), 'web.json');
    writeFileSync(manifest, JSON.stringify(deployment(image)));
    await k('apply', '-f', manifest);
  }, 60_000);

  afterAll(async () => {
    await run(kubectl!, ['delete', 'namespace', ns, '--wait=false'], { env }).catch(() => undefined);
  });

  it('rolls out a Deployment: its pod is scheduled to the node and becomes Ready', async () => {
    await k('rollout', 'status', 'deployment/web', '--timeout=120s');
    const pod = JSON.parse(await k('get', 'pods', '-l', 'app=web', '-o', 'json')).items[0];
    expect(pod.spec.nodeName).toBe(nodeName);
    expect(pod.status.phase).toBe('Running');
    expect(pod.status.hostIP).toBe('127.0.0.1');
    expect(await podReady()).toBe('True');
    // An address of its own on the node's pod network, reachable from this machine.
    expect(pod.status.podIP).toMatch(/^10\.244\.0\.\d+$/);
    expect(await (await fetch(`http://${pod.status.podIP}:8080/`)).text()).toMatch(/^hello from web-/);
  }, 150_000);

  it('kubectl logs reads what the container printed', async () => {
    const logs = await k('logs', 'deployment/web');
    expect(logs).toContain('serving /www on 8080');
  });

  it('kubectl exec runs a command in the container and passes its exit code on', async () => {
    expect((await k('exec', 'deployment/web', '--', 'cat', '/www/index.html')).trim()).toMatch(/^hello from web-/);
    const failed = await k('exec', 'deployment/web', '--', 'sh', '-c', 'exit 3').then(
      () => undefined,
      (e: { code?: number }) => e.code,
    );
    expect(failed).toBe(3);
  });

  it('kubectl port-forward reaches the container port', async () => {
    const forward = await portForward('deployment/web', 8080);
    try {
      const res = await fetch(`http://127.0.0.1:${forward.port}/`);
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/^hello from web-/);
    } finally {
      forward.stop();
    }
  }, 60_000);

  it('readiness follows the probe: a failing probe makes the pod unready', async () => {
    await k('exec', 'deployment/web', '--', 'rm', '/www/index.html');
    let ready = await podReady();
    for (let i = 0; i < 30 && ready !== 'False'; i++) {
      await new Promise((r) => setTimeout(r, 1_000));
      ready = await podReady();
    }
    expect(ready).toBe('False');
  }, 60_000);
});
