/**
 * A dashboard for the tests: started in-process against the real cluster 1,
 * with a VELA_HOME of its own (no registered clusters unless a test joins
 * one) and the front end either built for real (browser tests) or stubbed
 * (API tests, which never load the page's script).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startDashboard, type Dashboard, type DashboardOptions } from '../../src/dashboard/index.js';
import { memoryEnvironment } from '../../src/host/index.js';
import { kubeconfig } from '../support/real-cluster.js';

export const ROOT = resolve(import.meta.dirname, '../..');

/** The real front end, bundled the way `npm run build` bundles it. */
export function buildAssets(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vela-dash-assets-'));
  execFileSync(process.execPath, [join(ROOT, 'scripts/bundle-dashboard.mjs'), dir], { cwd: ROOT, stdio: 'pipe' });
  return dir;
}

export function stubAssets(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vela-dash-stub-'));
  writeFileSync(join(dir, 'app.js'), '// stub');
  writeFileSync(join(dir, 'app.css'), '/* stub */');
  return dir;
}

export interface TestDashboard extends Dashboard {
  readonly home: string;
  readonly cwd: string;
  /** fetch with the token. */
  api(path: string, body?: unknown): Promise<{ status: number; json: any }>;
}

export async function startTestDashboard(opts: Partial<DashboardOptions> & { assetsDir: string; appfile?: string }): Promise<TestDashboard> {
  const home = mkdtempSync(join(tmpdir(), 'vela-dash-home-'));
  const cwd = mkdtempSync(join(tmpdir(), 'vela-dash-cwd-'));
  mkdirSync(home, { recursive: true });
  if (opts.appfile !== undefined) writeFileSync(join(cwd, 'vela.yaml'), opts.appfile);
  const environment = memoryEnvironment({ VELA_HOME: home, KUBECONFIG: kubeconfig }, cwd, home);
  const dashboard = await startDashboard({
    port: 0,
    address: '127.0.0.1',
    addressExplicit: false,
    cwd,
    cluster: { kubeconfig },
    environment,
    requestTimeoutMs: 3000,
    retryMs: 300,
    ...opts,
  });
  const api = async (path: string, body?: unknown) => {
    const res = await fetch(dashboard.origin + path, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${dashboard.token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: await res.json() };
  };
  return Object.assign(dashboard, { home, cwd, api });
}

/** Reads server-sent events of `url` until `until` accepts one (or the time is up). */
export async function nextEvent<T>(url: string, event: string, until: (data: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const stream = await openEvents(url);
  try {
    return await stream.next(event, until, timeoutMs);
  } finally {
    stream.close();
  }
}

/** One server-sent event stream kept open: `next` waits for an event `until` accepts, among those not taken yet. */
export async function openEvents(url: string): Promise<{ next<T>(event: string, until: (data: T) => boolean, timeoutMs?: number): Promise<T>; close(): void }> {
  const controller = new AbortController();
  const res = await fetch(url, { signal: controller.signal });
  if (!res.ok || !res.body) throw new Error(`HTTP ${res.status} for ${url}`);
  const queue: Array<{ event: string; data: unknown }> = [];
  let wake: (() => void) | undefined;
  let ended = false;
  (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const name = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (name && data !== undefined) queue.push({ event: name, data: JSON.parse(data) });
        wake?.();
      }
    }
  })()
    .catch(() => undefined)
    .finally(() => {
      ended = true;
      wake?.();
    });
  return {
    async next<T>(event: string, until: (data: T) => boolean, timeoutMs = 30_000): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const at = queue.findIndex((e) => e.event === event && until(e.data as T));
        if (at >= 0) {
          const found = queue[at]!.data as T;
          // Taken: this event and the older ones of its name; events of other names stay for their own `next`.
          for (let i = at; i >= 0; i--) if (queue[i]!.event === event) queue.splice(i, 1);
          return found;
        }
        if (ended) throw new Error(`the stream ${url} ended without the event`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no ${event} event as wanted within ${timeoutMs} ms; got: ${JSON.stringify(queue.filter((e) => e.event === event).slice(-3))}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    },
    close: () => controller.abort(),
  };
}
