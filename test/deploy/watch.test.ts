/**
 * Watching against the protocol-level fake API server, for what a real one
 * will not do on demand: end every watch with 410 Expired (its watch cache let
 * the versions go), send a BOOKMARK, end a watch at its timeout. The watch must
 * list again after an expiry (missing nothing that changed meanwhile), resume
 * from the newest version it saw (events and bookmarks) after a plain end, and
 * see a change when it happens.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KubeClient, loadClusterTarget, type KubeObject } from '../../src/deploy/index.js';
import { FakeApiServer } from '../support/fake-apiserver.js';

let server: FakeApiServer;
let client: KubeClient;

beforeEach(async () => {
  server = await new FakeApiServer().start();
  const kubeconfig = server.writeKubeconfig(join(mkdtempSync(join(tmpdir(), 'vela-watch-')), 'kubeconfig'), { namespace: 'default' });
  client = new KubeClient(await loadClusterTarget({ kubeconfig }));
});
afterEach(async () => {
  client.close();
  await server.stop();
});

const configMap = (name: string, value: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', labels: { app: 'w' } }, data: { value } });
const seed = (name: string, value: string) => server.seed(configMap(name, value) as Record<string, unknown>);
const watchRequests = () => server.requests.filter((r) => r.query.watch === '1');

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

/** Watches ConfigMaps labelled app=w, recording what the callback was told, until `stop` says so. */
function startWatch(stop: (values: Record<string, string>) => boolean, restarts: string[] = []) {
  const seen: Array<Record<string, string>> = [];
  const done = client.watch(
    'v1',
    'ConfigMap',
    (objects) => {
      const values = Object.fromEntries([...objects.values()].map((o) => [String(o.metadata?.name), String((o as { data?: { value?: string } }).data?.value)]));
      seen.push(values);
      return stop(values);
    },
    { namespace: 'default', labelSelector: 'app=w', onRestart: (why) => restarts.push(why) },
  );
  return { seen, done };
}

describe('KubeClient.watch', () => {
  it('lists, then follows changes as they happen, with resourceVersion and bookmarks asked for', async () => {
    seed('a', '1');
    const { seen, done } = startWatch((v) => v.a === '3' && v.b === '1');
    await until(() => server.openWatches === 1, 'the watch');
    seed('a', '2');
    seed('b', '1');
    seed('a', '3');
    await done;
    expect(seen[0]).toEqual({ a: '1' });
    expect(seen.at(-1)).toEqual({ a: '3', b: '1' });
    const [request] = watchRequests();
    expect(request!.query).toMatchObject({ labelSelector: 'app=w', allowWatchBookmarks: 'true' });
    expect(Number(request!.query.resourceVersion)).toBeGreaterThan(0);
  });

  it('lists again after 410 Expired and misses nothing that changed meanwhile', async () => {
    seed('a', '1');
    const restarts: string[] = [];
    const { seen, done } = startWatch((v) => v.b === 'after', restarts);
    await until(() => server.openWatches === 1, 'the watch');
    server.expireWatches();
    // Changed while no watch is open: only the new list can tell.
    seed('b', 'after');
    await done;
    expect(restarts).toContain('expired');
    expect(seen.at(-1)).toEqual({ a: '1', b: 'after' });
    // Two lists: the first, and the one after the expiry.
    expect(server.requests.filter((r) => r.method === 'GET' && r.path === '/api/v1/namespaces/default/configmaps' && r.query.watch === undefined)).toHaveLength(2);
  });

  it('a watch from a version the server no longer has (410 as an ERROR event) lists again', async () => {
    seed('a', '1');
    const restarts: string[] = [];
    let expiredOnce = false;
    const { done } = startWatch((v) => {
      if (!expiredOnce) {
        // The list answered; its version is gone before the watch starts.
        expiredOnce = true;
        server.expireWatches();
        return false;
      }
      return v.a === '1';
    }, restarts);
    await done;
    expect(restarts).toEqual(['expired']);
  });

  it('resumes from the newest version it saw when the server ends a watch (events and bookmarks), repeating nothing', async () => {
    seed('a', '1');
    const restarts: string[] = [];
    const changes: string[] = [];
    const done = client.watch(
      'v1',
      'ConfigMap',
      (objects, change) => {
        if (change) changes.push(`${change.type} ${change.object.metadata?.name}=${(change.object as { data?: { value?: string } }).data?.value}`);
        return objects.get('default/c') !== undefined;
      },
      { namespace: 'default', labelSelector: 'app=w', timeoutSeconds: 0.5, onRestart: (why) => restarts.push(why) },
    );
    await until(() => server.openWatches === 1, 'the watch');
    seed('a', '2');
    // Changes the watch does not select still move the server's version on; a bookmark tells the watch so.
    server.seed({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other', namespace: 'default' }, data: {} });
    server.bookmark();
    const bookmarked = await new Promise<number>((resolve) => setTimeout(() => resolve(Number(server.object('ConfigMap', 'other')!.metadata.resourceVersion)), 50));
    // The server ends the watch (timeoutSeconds is at least 0.5 s); the next one starts at the bookmark.
    await until(() => watchRequests().length >= 2, 'a second watch');
    seed('b', '1');
    seed('c', '1');
    await done;
    expect(restarts).toContain('ended');
    expect(Number(watchRequests()[1]!.query.resourceVersion)).toBe(bookmarked);
    expect(changes).toEqual(['MODIFIED a=2', 'ADDED b=1', 'ADDED c=1']);
  });

  it('waitFor sees the object change without looking again every second', async () => {
    seed('a', '1');
    const held = client.waitFor({ apiVersion: 'v1', kind: 'ConfigMap', name: 'a', namespace: 'default' }, (live) => (live as { data?: { value?: string } } | undefined)?.data?.value === 'ready', { timeoutMs: 10_000 });
    await until(() => server.openWatches === 1, 'the watch');
    seed('a', 'ready');
    expect(await held).toBe(true);
    // One list and one watch: no polling.
    expect(server.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/configmaps')).length).toBe(2);
    const gone = client.waitFor({ apiVersion: 'v1', kind: 'ConfigMap', name: 'a', namespace: 'default' }, (live) => live === undefined, { timeoutMs: 300 });
    expect(await gone).toBe(false);
  });

  it('gives up with the server named when it cannot be reached', async () => {
    await server.stop();
    await expect(client.watch('v1', 'ConfigMap', () => true, { namespace: 'default', maxFailures: 1 })).rejects.toThrow(/cannot reach the Kubernetes API server at https:\/\/127\.0\.0\.1:\d+/);
  });
});
